/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Paging simulations over the fake page table (eviction_fake.h), for the
 * policy tests: a trace of page numbers is played against the algorithm
 * with frames 0 .. frames - 1; a fault takes a free frame or the
 * algorithm's victim (select, remove, the frame remapped to the new page,
 * add), then the access sets the page's accessed bit, as the retried
 * instruction does. trace_opt() is Belady's OPT for the same trace.
 */
#ifndef TRACE_SIM_H
#define TRACE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_MAX_PAGES 1024U /* page numbers of a trace are below this */

struct trace_result {
	unsigned long faults;       /* at indices >= window */
	unsigned long hot_faults;   /* ... on pages below hot */
	unsigned long hot_accesses; /* ... to pages below hot */
	unsigned long selects;
	unsigned long lookups;     /* page lookups of every select */
	unsigned long max_lookups; /* of one select */
	uint32_t victims;          /* a hash of the victims' frame numbers, in order */
};

/*
 * How trace_run() hands a victim's frame to the new page: false, remove
 * then add (the interface's calls); true, z_eviction_replace() with the
 * frame left in the set, as the page-fault path does.
 */
extern bool trace_replace;

/* Reset the fake and init the algorithm, then play the trace. */
void trace_run(const uint16_t *seq, size_t len, size_t frames, size_t window, size_t hot,
	       struct trace_result *out);
/* Belady's OPT from empty memory: the faults at indices >= window. */
unsigned long trace_opt(const uint16_t *seq, size_t len, size_t frames, size_t window);

/* passes passes over pages 0 .. n - 1; returns the length. */
size_t trace_cyclic(uint16_t *seq, size_t n, size_t passes);
/*
 * A first touch of pages 0 .. n - 1, then len - n accesses: 9 in 10 to a
 * page of [0, hot) drawn at random (t_random), the others to the next page
 * of a cyclic scan of [hot, n). Returns len.
 */
size_t trace_hotset(uint16_t *seq, size_t len, size_t n, size_t hot);

#endif /* TRACE_SIM_H */
