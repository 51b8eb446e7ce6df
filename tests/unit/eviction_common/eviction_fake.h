/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host stand-ins the eviction-algorithm tests share
 * (tests/unit/eviction_nru, _lru, _clock): the page-frame database, a fake
 * page table whose accessed and dirty bits the tests set, the evictable set
 * as the tests told it to the algorithm (the "set model"), a counter of
 * page-table lookups, and a fixed-seed random generator.
 *
 * Frame i backs the fake virtual page fake_virt(i), a scattered (not
 * identity) address of the window, so an algorithm must take the address
 * from the frame record. arch_page_info_get() fails the test when asked
 * about a page whose frame is not in the set model: no algorithm may look
 * at a frame that is not evictable.
 */
#ifndef EVICTION_FAKE_H
#define EVICTION_FAKE_H

#include <arch/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <virt_region.h>

#define T_FRAMES K_MEM_NUM_PAGE_FRAMES

/* Every frame FREE, no page mapped, set model empty, counters zero. */
void fake_reset(void);

/* Frame i becomes MAPPED | BACKED at fake_virt(i), its page present, accessed and dirty clear. */
void fake_map(size_t i);
/*
 * Frame i now holds page p of the window (p < K_MEM_VM_NUM_PAGES, held by no
 * other frame): its record and the page table say so, the page it held
 * before is no longer mapped; accessed and dirty clear. For trace
 * simulations, where pages move between frames.
 */
void fake_map_page(size_t i, size_t p);
void *fake_virt(size_t i);
uintptr_t fake_phys(size_t i);
struct k_mem_page_frame *fake_pf(size_t i);
/* Index of a frame record the algorithm returned (fails the test if it is not one). */
size_t fake_index(const struct k_mem_page_frame *pf);

void fake_set_accessed(size_t i, bool accessed);
bool fake_accessed(size_t i);
void fake_set_dirty(size_t i, bool dirty);
bool fake_dirty(size_t i);
/*
 * A sticky accessed bit cannot be cleared: the page of a frame used all
 * the time (the bound on the second-chance sweep must hold even then).
 */
void fake_set_sticky(size_t i, bool sticky);
bool fake_sticky(size_t i);
/* Present or paged out (for the assertion tests). */
void fake_set_present(size_t i, bool present);

/* arch_page_info_get() calls since the last fake_reset() / the last read-and-reset. */
extern unsigned long fake_lookups;
unsigned long fake_lookups_take(void);

/*
 * The algorithm's add/remove, keeping the set model in step. The model
 * learns of an added frame only after add returns and forgets a removed one
 * before remove is called, so neither call may look at that frame's page.
 */
void t_add(size_t i);
void t_remove(size_t i);
bool t_in_set(size_t i);
size_t t_set_count(void);

/* xorshift32 from a fixed seed: every run is the same. */
void t_seed(uint32_t seed);
uint32_t t_random(void);
/* Uniform in [0, n). */
size_t t_below(size_t n);

#endif /* EVICTION_FAKE_H */
