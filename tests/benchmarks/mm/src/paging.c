/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Demand paging: instructions per fault (clean and dirty evictions, zero
 * page), k_mem_page_out()/k_mem_page_in() per page, the page copy itself,
 * fault_overhead = fault minus the page copies the fault does, and the
 * eviction algorithm's select alone.
 *
 * All but KEEP free frames are locked away first, so every RAM size runs
 * the same access pattern over the same number of evictable frames; only
 * the size of the frame database differs.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <string.h>

#include "bench.h"

#define KEEP       96U  /* free frames left for the paged region */
#define EXTRA      160U /* pages of the region beyond the frames: the overcommit */
#define FAULTS     64U  /* faults measured per figure */
#define COPIES     16U
#define WARM       64U /* reads past the frames before the clean faults: no free frame left */
#define DIRTY_WARM 8U  /* dirty faults before the measured ones: the algorithm's catch-up */

static uint8_t src[PAGE] __aligned(PAGE);
static uint8_t dst[PAGE] __aligned(PAGE);

static void fail(const char *what)
{
	printk("BENCH error %s\n", what);
	k_panic();
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static void touch_read(uint8_t *r, size_t first, size_t count)
{
	for (size_t p = first; p < first + count; p++) {
		(void)((volatile uint8_t *)r)[p * PAGE];
	}
}

static void touch_write(uint8_t *r, size_t first, size_t count, uint8_t v)
{
	for (size_t p = first; p < first + count; p++) {
		((volatile uint8_t *)r)[p * PAGE] = v;
	}
}

/* The loop without faults (pages resident), to subtract from fault loops. */
static uint64_t loop_cost(uint8_t *r, size_t count, bool write)
{
	uint64_t t0 = now();

	if (write) {
		touch_write(r, 0, count, 7);
	} else {
		touch_read(r, 0, count);
	}
	return elapsed(t0, now());
}

void bench_paging(void)
{
	struct k_mem_paging_stats_t before, after;
	unsigned int key = irq_lock();

	/* The copy and zeroing routines the kernel uses (its string library). */
	uint64_t t0 = now();
	for (unsigned int i = 0; i < COPIES; i++) {
		memcpy(dst, src, PAGE);
	}
	uint64_t copy = per(elapsed(t0, now()), COPIES);
	t0 = now();
	for (unsigned int i = 0; i < COPIES; i++) {
		memset(dst, 0, PAGE);
	}
	uint64_t zero = per(elapsed(t0, now()), COPIES);

	size_t free_pages = k_mem_free_get() / PAGE;

	if (free_pages > KEEP &&
	    k_mem_map((free_pages - KEEP) * PAGE,
		      K_MEM_PERM_RW | K_MEM_MAP_LOCK | K_MEM_MAP_UNINIT) == NULL) {
		irq_unlock(key);
		fail("locking away the free frames");
	}
	size_t frames = k_mem_free_get() / PAGE + CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE;
	size_t pages = frames + EXTRA;
	uint8_t *r = k_mem_map(pages * PAGE, K_MEM_PERM_RW);

	if (r == NULL) {
		irq_unlock(key);
		fail("k_mem_map of the paged region");
	}

	/* Zero page: first read of fresh pages maps the shared zero frame. */
	t0 = now();
	touch_read(r, 0, FAULTS);
	uint64_t zread = elapsed(t0, now());
	uint64_t zread_loop = loop_cost(r, FAULTS, false);
	/* First write: a frame, zeroed (free frames remain: no eviction). */
	t0 = now();
	touch_write(r, 0, FAULTS, 1);
	uint64_t zwrite = elapsed(t0, now());
	/* The bare loops over resident pages, subtracted from the fault loops. */
	uint64_t write_loop = loop_cost(r, FAULTS, true);
	uint64_t read_loop = loop_cost(r, FAULTS, false);

	/* Fill the region: the tail evicts dirty pages. */
	touch_write(r, FAULTS, pages - FAULTS, 1);
	/* Dirty faults: the first pages paged out (whatever the algorithm kept)
	 * and the frames they leave taken by a filler region, so every resident
	 * page is dirty; writing the first pages back in evicts dirty pages.
	 * The page-out leaves the algorithm room it fills at its next selects
	 * (CLOCK-2Q promotes the filler's pages from probation then): the
	 * DIRTY_WARM faults before the measured ones take that catch-up, as the
	 * clean faults' WARM reads do, and are reported apart. */
	if (k_mem_page_out(r, (FAULTS + DIRTY_WARM) * PAGE) != 0) {
		irq_unlock(key);
		fail("k_mem_page_out of the first pages");
	}
	size_t filler_pages = k_mem_free_get() / PAGE + CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE;
	uint8_t *filler = k_mem_map(filler_pages * PAGE, K_MEM_PERM_RW);

	if (filler == NULL) {
		irq_unlock(key);
		fail("k_mem_map of the filler");
	}
	touch_write(filler, 0, filler_pages, 5);
	t0 = now();
	touch_write(r, FAULTS, DIRTY_WARM, 2);
	uint64_t dirty_warm = elapsed(t0, now());
	k_mem_paging_stats_get(&before);
	t0 = now();
	touch_write(r, 0, FAULTS, 2);
	uint64_t dirty = elapsed(t0, now());
	k_mem_paging_stats_get(&after);
	unsigned long dirty_evictions = after.eviction.dirty - before.eviction.dirty;
	unsigned long dirty_faults = after.pagefaults.cnt - before.pagefaults.cnt;

	/* Its frames back to the free list: the rest runs with the frames it started with. */
	k_mem_unmap(filler, filler_pages * PAGE);

	/* Clean faults: page all out, read back twice the frames: the second
	 * half evicts pages that were only read. */
	BUILD_ASSERT(FAULTS <= KEEP && WARM + FAULTS <= EXTRA,
		     "the clean faults need pages beyond the frames");
	if (k_mem_page_out(r, pages * PAGE) != 0) {
		irq_unlock(key);
		fail("k_mem_page_out of the region");
	}
	touch_read(r, 0, frames + WARM);
	k_mem_paging_stats_get(&before);
	t0 = now();
	touch_read(r, frames + WARM, FAULTS);
	uint64_t clean = elapsed(t0, now());
	k_mem_paging_stats_get(&after);
	unsigned long clean_evictions = after.eviction.clean - before.eviction.clean;
	unsigned long clean_dirty = after.eviction.dirty - before.eviction.dirty;
	unsigned long clean_faults = after.pagefaults.cnt - before.pagefaults.cnt;

	/* k_mem_page_out / k_mem_page_in over FAULTS resident dirty pages. */
	k_mem_page_in(r, FAULTS * PAGE);
	touch_write(r, 0, FAULTS, 3);
	t0 = now();
	int ret = k_mem_page_out(r, FAULTS * PAGE);
	uint64_t out = elapsed(t0, now());
	t0 = now();
	k_mem_page_in(r, FAULTS * PAGE);
	uint64_t in = elapsed(t0, now());

	/* The algorithm's choice alone, every frame resident, evictable and
	 * accessed since the last choice (the others by the clean faults), as
	 * in the fault loops. A victim stays evictable until the caller removes
	 * it, so selecting without evicting leaves the pages where they are.
	 */
	bool victim_dirty;
	bool selected = true;

	touch_write(r, 0, FAULTS, 4);
	t0 = now();
	for (unsigned int i = 0; i < FAULTS; i++) {
		if (k_mem_paging_eviction_select(&victim_dirty) == NULL) {
			selected = false;
		}
	}
	uint64_t select = elapsed(t0, now());
	irq_unlock(key);

	if (!selected) {
		fail("k_mem_paging_eviction_select found no victim");
	}

	if (ret != 0) {
		fail("k_mem_page_out");
	}
	if (dirty_faults != FAULTS || dirty_evictions != FAULTS) {
		printk("BENCH warning dirty: %lu faults, %lu dirty evictions\n", dirty_faults,
		       dirty_evictions);
	}
	if (clean_faults != FAULTS || clean_evictions != FAULTS) {
		printk("BENCH warning clean: %lu faults, %lu clean and %lu dirty evictions\n",
		       clean_faults, clean_evictions, clean_dirty);
	}

	uint64_t dirty_pf = per(sub(dirty, write_loop), FAULTS);
	uint64_t clean_pf = per(sub(clean, read_loop), FAULTS);
	uint64_t zwrite_pf = per(sub(zwrite, write_loop), FAULTS);

	report("page_copy", "-", copy, "instr/page");
	report("page_zero", "-", zero, "instr/page");
	report("paging_frames", "-", frames, "frames");
	report("fault_read_clean", "-", clean_pf, "instr/fault");
	report("fault_write_dirty", "-", dirty_pf, "instr/fault");
	report("fault_zero_read", "-", per(sub(zread, zread_loop), FAULTS), "instr/fault");
	report("fault_zero_write", "-", zwrite_pf, "instr/fault");
	report("fault_overhead", "read_clean", sub(clean_pf, copy), "instr/fault");
	report("fault_overhead", "write_dirty", sub(dirty_pf, 2 * copy), "instr/fault");
	report("fault_overhead", "zero_write", sub(zwrite_pf, zero), "instr/fault");
	report("fault_overhead", "write_dirty_catchup",
	       sub(per(sub(dirty_warm, per(write_loop * DIRTY_WARM, FAULTS)), DIRTY_WARM),
		   2 * copy),
	       "instr/fault");
	report("page_out", "-", per(out, FAULTS), "instr/page");
	report("page_in", "-", per(in, FAULTS), "instr/page");
	report("eviction_select", "-", per(select, FAULTS), "instr/call");
}
