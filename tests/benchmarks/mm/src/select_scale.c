/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The eviction algorithm's select with every frame of RAM evictable and
 * used since the last select: the case where a sweep over accessed bits
 * would walk every frame. All free frames are given to one region and
 * written; then, ROUNDS times, every page is read again (no fault: all are
 * resident) and one select is timed. select does not evict, so the pages
 * stay resident. Reported: the largest and the mean select.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>

#include "bench.h"

#define ROUNDS 8U
#define SPARE  16U /* free frames left alone: the region must not evict */

void bench_select_scale(void)
{
	size_t pages = k_mem_free_get() / PAGE;
	uint8_t *r;
	uint64_t worst = 0;
	uint64_t total = 0;
	bool dirty;

	if (pages <= SPARE) {
		return;
	}
	pages -= SPARE;
	r = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	if (r == NULL) {
		printk("BENCH error k_mem_map of %zu pages for the select scaling\n", pages);
		return;
	}

	unsigned int key = irq_lock();

	for (size_t p = 0; p < pages; p++) {
		((volatile uint8_t *)r)[p * PAGE] = 1;
	}
	for (unsigned int k = 0; k < ROUNDS; k++) {
		for (size_t p = 0; p < pages; p++) {
			(void)((volatile uint8_t *)r)[p * PAGE];
		}

		uint64_t t0 = now();

		(void)k_mem_paging_eviction_select(&dirty);

		uint64_t t = elapsed(t0, now());

		worst = MAX(worst, t);
		total += t;
	}
	irq_unlock(key);
	k_mem_unmap(r, pages * PAGE);
	report("select_all_used_frames", "-", pages, "frames");
	report("select_all_used", "max", worst, "instr/call");
	report("select_all_used", "mean", per(total, ROUNDS), "instr/call");
}
