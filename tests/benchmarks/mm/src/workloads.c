/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Eviction workloads: an arena of N pages paged through F frames, for each
 * access pattern of scripts/pagoda_lib/workloads.py (the host's copy of the
 * same generator, which also computes Belady's OPT for the sequence): the
 * faults over the measured window, the instructions per fault, and a hash
 * of the sequence the host checks against its own.
 *
 * Every free frame but F is locked away first, and nothing else is
 * evictable while a workload runs (they run before the other parts of the
 * benchmark map anything), so the arena has exactly F frames.
 *
 * Only the variants that give the RAM store room for the largest arena run
 * them (CONFIG_BACKING_STORE_RAM_PAGES >= WL_STORE_PAGES, benchmark.yaml).
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <string.h>

#include "bench.h"

#define WL_FRAMES      256U /* F */
#define WL_MAX_PAGES   (4U * WL_FRAMES)
#define WL_STORE_PAGES (WL_MAX_PAGES - WL_FRAMES + 64U)
#define WL_SEED        0x5EED1234U
#define WL_WARM_PASSES 2U
#define WL_PASSES      3U
#define WL_RANDOM      48U /* random accesses per frame */
#define WL_ZIPF_ONE    (1U << 24)
#define WL_MAX_LEN     (WL_MAX_PAGES + WL_RANDOM * WL_FRAMES)

#if CONFIG_BACKING_STORE_RAM_PAGES >= WL_STORE_PAGES

enum wl_kind { CYCLIC, UNIFORM, ZIPF, HOTSET };
enum wl_access { READ, WRITE, RMW };

struct workload {
	const char *name;
	enum wl_kind kind;
	unsigned int ratio; /* N = F * ratio / 100 */
	enum wl_access access;
};

static const struct workload workloads[] = {
	{"cyclic_read_103", CYCLIC, 103, READ},
	{"cyclic_read_150", CYCLIC, 150, READ},
	{"cyclic_read_200", CYCLIC, 200, READ},
	{"cyclic_write_103", CYCLIC, 103, WRITE},
	{"cyclic_write_150", CYCLIC, 150, WRITE},
	{"cyclic_write_200", CYCLIC, 200, WRITE},
	{"cyclic_rmw_103", CYCLIC, 103, RMW},
	{"cyclic_rmw_150", CYCLIC, 150, RMW},
	{"cyclic_rmw_200", CYCLIC, 200, RMW},
	{"uniform_200", UNIFORM, 200, READ},
	{"zipf_400", ZIPF, 400, READ},
	{"hotset_400", HOTSET, 400, READ},
};

static uint16_t seq[WL_MAX_LEN];
static uint16_t perm[WL_MAX_PAGES];
static uint32_t cum[WL_MAX_PAGES];
static uint32_t rng;
static uint8_t resident_page[PAGE] __aligned(PAGE); /* the baseline's target */
static uint8_t copy_page[PAGE] __aligned(PAGE);
static uint64_t copy_cost; /* instructions of one page copy (the store's memcpy) */

static uint32_t rng_next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* floor(x n / 2^32): uniform in [0, n) without a division. */
static uint32_t rng_below(uint32_t n)
{
	return (uint32_t)(((uint64_t)rng_next() * n) >> 32);
}

static size_t first_above(uint32_t u, size_t n)
{
	size_t lo = 0;
	size_t hi = n - 1U;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2U;

		if (cum[mid] > u) {
			hi = mid;
		} else {
			lo = mid + 1U;
		}
	}
	return lo;
}

/* The sequence of workloads.py's sequence(); returns its length, *window the measured start. */
static size_t generate(const struct workload *w, size_t frames, size_t n, size_t *window)
{
	size_t len = 0;

	rng = WL_SEED ^ (uint32_t)(n * 0x9E3779B1U);
	if (rng == 0U) {
		rng = 1U;
	}
	for (size_t p = 0; p < n; p++) {
		seq[len++] = (uint16_t)p;
	}
	if (w->kind == CYCLIC) {
		for (unsigned int pass = 0; pass < WL_WARM_PASSES + WL_PASSES; pass++) {
			if (pass == WL_WARM_PASSES) {
				*window = len;
			}
			for (size_t p = 0; p < n; p++) {
				seq[len++] = (uint16_t)p;
			}
		}
		return len;
	}

	size_t length = WL_RANDOM * frames;

	*window = n + length / 4U;
	if (w->kind == UNIFORM) {
		for (size_t k = 0; k < length; k++) {
			seq[len++] = (uint16_t)rng_below(n);
		}
	} else if (w->kind == ZIPF) {
		uint32_t total = 0;

		for (size_t p = 0; p < n; p++) {
			perm[p] = (uint16_t)p;
		}
		for (size_t p = n - 1U; p > 0U; p--) {
			size_t j = rng_below(p + 1U);
			uint16_t t = perm[p];

			perm[p] = perm[j];
			perm[j] = t;
		}
		for (size_t r = 0; r < n; r++) {
			total += WL_ZIPF_ONE / (uint32_t)(r + 1U);
			cum[r] = total;
		}
		for (size_t k = 0; k < length; k++) {
			seq[len++] = perm[first_above(rng_below(total), n)];
		}
	} else {
		size_t hot = frames / 2U;
		size_t cursor = 0;

		for (size_t k = 0; k < length; k++) {
			if (rng_below(10) < 9U) {
				seq[len++] = (uint16_t)rng_below(hot);
			} else {
				seq[len++] = (uint16_t)(hot + cursor);
				cursor = (cursor + 1U) % (n - hot);
			}
		}
	}
	return len;
}

static uint32_t fnv1a(size_t len)
{
	uint32_t h = 0x811C9DC5U;

	for (size_t k = 0; k < len; k++) {
		uint32_t p = seq[k];

		for (unsigned int shift = 0; shift < 32U; shift += 8U) {
			h = (h ^ ((p >> shift) & 0xFFU)) * 0x01000193U;
		}
	}
	return h;
}

/* Accesses seq[from, to) at base + page * stride (stride 0: the baseline, no fault). */
static void run(uint8_t *base, size_t stride, size_t from, size_t to, enum wl_access access)
{
	for (size_t k = from; k < to; k++) {
		volatile uint32_t *word = (volatile uint32_t *)(base + seq[k] * stride);

		if (access == READ) {
			(void)*word;
		} else if (access == WRITE) {
			*word = (uint32_t)k;
		} else {
			*word = *word + 1U;
		}
	}
}

/* The same, counting the faults on pages below hot. */
static unsigned long run_counting(uint8_t *base, size_t stride, size_t from, size_t to, size_t hot)
{
	unsigned long hot_faults = 0;

	for (size_t k = from; k < to; k++) {
		volatile uint32_t *word = (volatile uint32_t *)(base + seq[k] * stride);
		unsigned long before = k_mem_num_pagefaults_get();

		(void)*word;
		if (seq[k] < hot && k_mem_num_pagefaults_get() != before) {
			hot_faults++;
		}
	}
	return hot_faults;
}

static void one(const struct workload *w, size_t frames)
{
	size_t n = frames * w->ratio / 100U;
	size_t window = 0;
	size_t len = generate(w, frames, n, &window);
	size_t hot = (w->kind == HOTSET) ? frames / 2U : 0U;
	uint8_t *r = k_mem_map(n * PAGE, K_MEM_PERM_RW);
	struct k_mem_paging_stats_t s0, s1;

	if (r == NULL) {
		printk("BENCH error %s: k_mem_map of %zu pages\n", w->name, n);
		return;
	}

	unsigned int key = irq_lock();

	/* The first touch writes every page: the read workloads then page real data. */
	k_mem_paging_stats_get(&s0);
	run(r, PAGE, 0, n, WRITE);
	k_mem_paging_stats_get(&s1);
	unsigned long first_evictions =
		(s1.eviction.clean + s1.eviction.dirty) - (s0.eviction.clean + s0.eviction.dirty);

	run(r, PAGE, n, window, w->access);

	k_mem_paging_stats_get(&s0);
	unsigned long f0 = k_mem_num_pagefaults_get();
	unsigned long hot_faults = 0;
	uint64_t t0 = now();

	if (hot != 0U) {
		hot_faults = run_counting(r, PAGE, window, len, hot);
	} else {
		run(r, PAGE, window, len, w->access);
	}
	uint64_t t = elapsed(t0, now());
	unsigned long faults = k_mem_num_pagefaults_get() - f0;

	k_mem_paging_stats_get(&s1);
	/* Each fault reads its page back from the store; a dirty victim is written first. */
	uint64_t copies = faults + (s1.eviction.dirty - s0.eviction.dirty);

	t0 = now();
	if (hot != 0U) {
		(void)run_counting(resident_page, 0, window, len, hot);
	} else {
		run(resident_page, 0, window, len, w->access);
	}
	uint64_t base = elapsed(t0, now());

	irq_unlock(key);
	k_mem_unmap(r, n * PAGE);

	if (first_evictions != n - frames) {
		printk("BENCH warning %s: %lu evictions in the first touch of %zu pages, "
		       "not %zu: the arena does not have exactly %zu frames\n",
		       w->name, first_evictions, n, n - frames, frames);
	}
	report("wl_pages", w->name, n, "pages");
	report("wl_accesses", w->name, len - window, "accesses");
	report("wl_hash", w->name, fnv1a(len), "fnv1a");
	report("wl_faults", w->name, faults, "faults");
	uint64_t spent = t > base ? t - base : 0;

	report("wl_instr_per_fault", w->name, faults ? per(spent, faults) : 0, "instr/fault");
	report("wl_copies", w->name, copies, "copies");
	report("wl_overhead", w->name,
	       faults ? per(spent > copies * copy_cost ? spent - copies * copy_cost : 0, faults)
		      : 0,
	       "instr/fault");
	if (hot != 0U) {
		report("wl_hot_faults", w->name, hot_faults, "faults");
	}
}

void bench_workloads(void)
{
	size_t free_pages = k_mem_free_get() / PAGE;
	size_t keep = WL_FRAMES - CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE;
	void *locked = NULL;

	if (free_pages > keep) {
		locked = k_mem_map((free_pages - keep) * PAGE,
				   K_MEM_PERM_RW | K_MEM_MAP_LOCK | K_MEM_MAP_UNINIT);
		if (locked == NULL) {
			printk("BENCH error locking away the free frames\n");
			return;
		}
	}

	size_t frames = k_mem_free_get() / PAGE + CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE;

	if (frames > WL_FRAMES) {
		printk("BENCH error %zu frames for the workloads, more than %u\n", frames,
		       WL_FRAMES);
		frames = WL_FRAMES;
	}
	report("wl_frames", "-", frames, "frames");

	uint64_t t0 = now();

	for (unsigned int k = 0; k < 16U; k++) {
		memcpy(copy_page, resident_page, PAGE);
	}
	copy_cost = per(elapsed(t0, now()), 16);
	for (size_t k = 0; k < ARRAY_SIZE(workloads); k++) {
		one(&workloads[k], frames);
	}
	if (locked != NULL) {
		k_mem_unmap(locked, (free_pages - keep) * PAGE);
	}
}

#else /* the store has no room for the largest arena */

void bench_workloads(void)
{
}

#endif
