/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_mem_map()/k_mem_unmap() per page (eager, uninitialised, lazy), the
 * physical mappings, k_mem_update_flags(), and k_mem_map() with many live
 * regions.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>

#include "bench.h"

#define REPS       8U
#define PHYS_PAGES 16U

static const size_t sizes[] = {1, 16, 64};

static uint8_t phys_target[PHYS_PAGES * PAGE] __aligned(PAGE);

static void fail(const char *what)
{
	printk("BENCH error %s\n", what);
	k_panic();
}

/* map, unmap and both, per page, over REPS maps of n pages with flags. */
static void map_unmap(const char *name, size_t n, uint32_t flags)
{
	uint64_t map = 0, unmap = 0;
	unsigned int key = irq_lock();

	for (unsigned int r = 0; r < REPS; r++) {
		uint64_t t0 = now();
		uint8_t *p = k_mem_map(n * PAGE, flags);
		uint64_t t1 = now();

		if (p == NULL) {
			irq_unlock(key);
			fail("k_mem_map");
		}
		uint64_t t2 = now();
		int ret = k_mem_unmap(p, n * PAGE);
		uint64_t t3 = now();

		if (ret != 0) {
			irq_unlock(key);
			fail("k_mem_unmap");
		}
		map += elapsed(t0, t1);
		unmap += elapsed(t2, t3);
	}
	irq_unlock(key);

	char op[48];

	snprintk(op, sizeof(op), "map_%s", name);
	report_n(op, n, per(map, REPS * n), "instr/page");
	snprintk(op, sizeof(op), "unmap_%s", name);
	report_n(op, n, per(unmap, REPS * n), "instr/page");
	snprintk(op, sizeof(op), "map_unmap_%s", name);
	report_n(op, n, per(map + unmap, REPS * n), "instr/page");
}

#ifdef CONFIG_DEMAND_MAPPING
/* Lazy map: k_mem_map() without LOCK, then the first write of every page. */
static void map_lazy(size_t n)
{
	uint64_t map = 0, touch = 0, unmap = 0;
	unsigned int key = irq_lock();

	for (unsigned int r = 0; r < REPS; r++) {
		uint64_t t0 = now();
		uint8_t *p = k_mem_map(n * PAGE, K_MEM_PERM_RW);
		uint64_t t1 = now();

		if (p == NULL) {
			irq_unlock(key);
			fail("k_mem_map lazy");
		}
		uint64_t t2 = now();
		for (size_t i = 0; i < n; i++) {
			((volatile uint8_t *)p)[i * PAGE] = 1;
		}
		uint64_t t3 = now();
		int ret = k_mem_unmap(p, n * PAGE);
		uint64_t t4 = now();

		if (ret != 0) {
			irq_unlock(key);
			fail("k_mem_unmap lazy");
		}
		map += elapsed(t0, t1);
		touch += elapsed(t2, t3);
		unmap += elapsed(t3, t4);
	}
	irq_unlock(key);
	report_n("map_lazy", n, per(map, REPS * n), "instr/page");
	report_n("map_lazy_touch", n, per(map + touch, REPS * n), "instr/page");
	report_n("unmap_lazy", n, per(unmap, REPS * n), "instr/page");
}
#endif

static void map_phys(size_t n)
{
	uint64_t map = 0, unmap = 0;
	uintptr_t phys = k_mem_phys_addr(phys_target);
	unsigned int key = irq_lock();

	for (unsigned int r = 0; r < REPS; r++) {
		uint8_t *v;
		uint64_t t0 = now();
		int ret = k_mem_map_phys_bare(&v, phys, n * PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WB);
		uint64_t t1 = now();

		if (ret != 0) {
			irq_unlock(key);
			fail("k_mem_map_phys_bare");
		}
		uint64_t t2 = now();
		ret = k_mem_unmap_phys_bare(v, n * PAGE);
		uint64_t t3 = now();

		if (ret != 0) {
			irq_unlock(key);
			fail("k_mem_unmap_phys_bare");
		}
		map += elapsed(t0, t1);
		unmap += elapsed(t2, t3);
	}
	irq_unlock(key);
	report_n("map_phys", n, per(map, REPS * n), "instr/page");
	report_n("unmap_phys", n, per(unmap, REPS * n), "instr/page");
}

/* Read-only then back to read-write, per page and per call. */
static void update_flags(size_t n)
{
	uint64_t total = 0;
	uint8_t *p = k_mem_map(n * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	if (p == NULL) {
		fail("k_mem_map for update_flags");
	}
	unsigned int key = irq_lock();

	for (unsigned int r = 0; r < REPS; r++) {
		uint64_t t0 = now();
		int ret = k_mem_update_flags(p, n * PAGE, 0);
		uint64_t t1 = now();
		int ret2 = k_mem_update_flags(p, n * PAGE, K_MEM_PERM_RW);
		uint64_t t2 = now();

		if (ret != 0 || ret2 != 0) {
			irq_unlock(key);
			fail("k_mem_update_flags");
		}
		total += elapsed(t0, t1) + elapsed(t1, t2);
	}
	irq_unlock(key);
	(void)k_mem_unmap(p, n * PAGE);
	report_n("update_flags", n, per(total, 2U * REPS * n), "instr/page");
}

void bench_map(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		map_unmap("lock_rw", sizes[i], K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		map_unmap("lock_uninit", sizes[i],
			  K_MEM_PERM_RW | K_MEM_MAP_LOCK | K_MEM_MAP_UNINIT);
	}
#ifdef CONFIG_DEMAND_MAPPING
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		map_lazy(sizes[i]);
	}
#endif
	map_phys(1);
	map_phys(PHYS_PAGES);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		update_flags(sizes[i]);
	}
}

/*
 * k_mem_map() + k_mem_unmap() of one locked page while `live` one-page locked
 * regions stay mapped (each also holds its two guard pages of the window).
 */
#define MAX_LIVE 10000U
static void *live[MAX_LIVE];

void bench_regions(void)
{
	static const size_t counts[] = {10, 1000, MAX_LIVE};
	size_t have = 0;

	for (size_t c = 0; c < ARRAY_SIZE(counts); c++) {
		size_t want = counts[c];

		/* Room for the regions (frames and 3 window pages each) or stop. */
		if (k_mem_free_get() / PAGE < want - have + 64U ||
		    (uint64_t)CONFIG_KERNEL_VM_SIZE / PAGE < 3U * want + 1024U) {
			break;
		}
		for (; have < want; have++) {
			live[have] =
				k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK | K_MEM_MAP_UNINIT);
			if (live[have] == NULL) {
				fail("k_mem_map of a live region");
			}
		}
		uint64_t map = 0, unmap = 0;
		unsigned int key = irq_lock();

		for (unsigned int r = 0; r < REPS; r++) {
			uint64_t t0 = now();
			void *p = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
			uint64_t t1 = now();

			if (p == NULL) {
				irq_unlock(key);
				fail("k_mem_map among live regions");
			}
			(void)k_mem_unmap(p, PAGE);
			uint64_t t2 = now();

			map += elapsed(t0, t1);
			unmap += elapsed(t1, t2);
		}
		irq_unlock(key);
		report_n("map_live_regions", want, per(map, REPS), "instr");
		report_n("unmap_live_regions", want, per(unmap, REPS), "instr");
	}
	while (have > 0) {
		have--;
		(void)k_mem_unmap(live[have], PAGE);
	}
}
