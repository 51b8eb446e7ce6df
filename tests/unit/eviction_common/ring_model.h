/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A plain model of the second-chance order LRU and CLOCK share: an array
 * of frame indices, position 0 being the LRU head / the CLOCK hand and the
 * last position the LRU tail / the place just behind the hand.
 *
 * ring_model_check_select() predicts a select from the fake page table's
 * accessed bits (without touching them), runs the real select, and checks
 * the victim, its dirty flag, the number of page lookups and every
 * accessed bit afterwards.
 */
#ifndef RING_MODEL_H
#define RING_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The frames the LRU and CLOCK order tests use: scattered indices, so the
 * links cannot depend on neighbours.
 */
#define RING_FIXTURE_FRAMES 8
extern const size_t ring_fixture[RING_FIXTURE_FRAMES];
/* Reset the fake and the model, init the algorithm, seed, map every fixture frame. */
void ring_fixture_reset(uint32_t seed);
/* ring_model_add() every fixture frame, in order. */
void ring_fixture_add_all(void);
/* Drain with checked selects; the victims must be ring_fixture[positions[k]]. */
void ring_fixture_expect_order(const size_t *positions, size_t n);

void ring_model_reset(void);
/* Through t_add()/t_remove(), keeping the order model in step. */
void ring_model_add(size_t i);
void ring_model_remove(size_t i);
/* k_mem_paging_eviction_accessed(); the model moves the frame to the tail when to_tail is set. */
void ring_model_accessed(size_t i, bool to_tail);
/* Frame indices in model order, for a test's own expectations. */
size_t ring_model_count(void);
size_t ring_model_at(size_t pos);
/* A checked select; returns the victim's index, or T_FRAMES for NULL. */
size_t ring_model_check_select(void);
/*
 * Checked selects, each victim then removed, until the set is empty; the
 * victims in order in out[] (which may be NULL). Returns how many.
 */
size_t ring_model_check_drain(size_t *out);
/*
 * ops random operations over frames 0, stride, 2 stride, ... (used of
 * them, all mapped here): add, remove, accessed bits set (some made
 * sticky), dirty bits flipped, accessed() (moving to the tail when
 * accessed_to_tail), checked selects, and selects whose victim is then
 * removed (an eviction), with a drain at the end.
 */
void ring_model_random_run(size_t used, size_t stride, int ops, bool accessed_to_tail);

#endif /* RING_MODEL_H */
