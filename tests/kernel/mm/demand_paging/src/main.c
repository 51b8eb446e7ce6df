/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Demand paging end to end: anonymous memory larger than the free frames,
 * page-out/in, pinning, eviction of a frame, slot accounting, statistics,
 * the copy-on-write zero page, and a long seeded stress run checked
 * against a shadow checksum per page.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <string.h>
#include <sys/errno.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE           CONFIG_MMU_PAGE_SIZE
#define WORDS_PER_PAGE (PAGE / sizeof(uint32_t))

static uint32_t pattern(size_t page, size_t word)
{
	return (uint32_t)(page * 2654435761U) ^ (uint32_t)(word * 40503U) ^ 0x5a5aa5a5U;
}

static void fill_page(uint8_t *base, size_t page)
{
	uint32_t *words = (uint32_t *)(base + page * PAGE);

	for (size_t w = 0; w < WORDS_PER_PAGE; w++) {
		words[w] = pattern(page, w);
	}
}

static size_t check_page(const uint8_t *base, size_t page)
{
	const volatile uint32_t *words = (const volatile uint32_t *)(base + page * PAGE);
	size_t bad = 0;

	for (size_t w = 0; w < WORDS_PER_PAGE; w++) {
		bad += words[w] != pattern(page, w);
	}
	return bad;
}

static struct k_mem_paging_stats_t stats_now(void)
{
	struct k_mem_paging_stats_t s;

	k_mem_paging_stats_get(&s);
	return s;
}

static bool is_resident(void *va)
{
	return arch_page_location_get(va, NULL) == ARCH_PAGE_LOCATION_PAGED_IN;
}

ZTEST(demand_paging, test_arena_larger_than_ram)
{
	size_t free_pages = k_mem_free_get() / PAGE;
	size_t pages = free_pages + k_mem_paging_backing_store_free_get() / 2;
	struct k_mem_paging_stats_t before = stats_now();
	uint8_t *arena = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	size_t bad = 0;

	zassert_not_null(arena, "could not map %zu pages", pages);
	zassert_true(pages > free_pages + 64, "arena does not exceed RAM");
	for (size_t p = 0; p < pages; p++) {
		zassert_equal(arena[p * PAGE + 7], 0, "page %zu not zero", p);
		fill_page(arena, p);
	}
	for (size_t p = 0; p < pages; p++) {
		bad += check_page(arena, p);
	}
	for (size_t i = 0; i < pages; i++) { /* zig-zag: 0, n-1, 1, n-2, ... */
		size_t p = (i % 2 == 0) ? i / 2 : pages - 1 - i / 2;

		bad += check_page(arena, p);
	}
	zassert_equal(bad, 0, "%zu words differ", bad);

	struct k_mem_paging_stats_t after = stats_now();
	unsigned long faults = after.pagefaults.cnt - before.pagefaults.cnt;
	unsigned long dirty = after.eviction.dirty - before.eviction.dirty;
	unsigned long clean = after.eviction.clean - before.eviction.clean;

	printk("arena %zu pages (free frames %zu): %lu faults, %lu dirty and %lu clean evictions\n",
	       pages, free_pages, faults, dirty, clean);
	/* Every page faulted at its first write; those beyond RAM were written out. */
	zassert_true(faults >= pages, "%lu faults for %zu pages", faults, pages);
	zassert_true(dirty >= pages - free_pages - CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE,
		     "%lu dirty evictions", dirty);
	/* Read-back evicts pages that were read but not written since their page-in. */
	zassert_true(clean > 0, "no clean eviction");
	zassert_true(faults >= dirty + clean - free_pages, "evictions without faults");
	zassert_equal(after.pagefaults.in_isr, before.pagefaults.in_isr);
	zassert_ok(k_mem_unmap(arena, pages * PAGE));
}

ZTEST(demand_paging, test_page_in_then_no_faults)
{
	uint8_t *v = k_mem_map(16 * PAGE, K_MEM_PERM_RW);

	zassert_not_null(v);
	for (size_t p = 0; p < 16; p++) {
		fill_page(v, p);
	}
	zassert_ok(k_mem_page_out(v, 16 * PAGE));
	zassert_false(is_resident(v), "page-out left the page resident");
	k_mem_page_in(v, 16 * PAGE);

	unsigned long faults = stats_now().pagefaults.cnt;

	for (size_t p = 0; p < 16; p++) {
		zassert_equal(check_page(v, p), 0, "page %zu wrong", p);
	}
	zassert_equal(stats_now().pagefaults.cnt, faults, "faults after k_mem_page_in");
	zassert_ok(k_mem_unmap(v, 16 * PAGE));
}

ZTEST(demand_paging, test_pin_and_unpin)
{
	uint8_t *v = k_mem_map(4 * PAGE, K_MEM_PERM_RW);
	uintptr_t phys;

	zassert_not_null(v);
	fill_page(v, 0);
	zassert_ok(k_mem_page_out(v, 4 * PAGE));
	k_mem_pin(v, 4 * PAGE);

	unsigned long faults = stats_now().pagefaults.cnt;

	zassert_equal(check_page(v, 0), 0);
	v[3 * PAGE] = 1; /* a zero page pinned takes its frame now: no fault */
	zassert_equal(stats_now().pagefaults.cnt, faults, "a pinned page faulted");
	zassert_ok(arch_page_phys_get(v, &phys));
	zassert_true(k_mem_page_frame_is(k_mem_phys_to_page_frame(phys), K_MEM_PAGE_FRAME_PINNED));
	zassert_equal(k_mem_page_out(v, PAGE), -EFAULT, "a pinned page was paged out");
	zassert_equal(k_mem_page_frame_evict(phys), -EBUSY, "a pinned frame was evicted");
	zassert_true(is_resident(v));
	k_mem_unpin(v, 4 * PAGE);
	zassert_ok(k_mem_page_out(v, 4 * PAGE));
	zassert_false(is_resident(v));
	zassert_equal(check_page(v, 0), 0);
	zassert_ok(k_mem_unmap(v, 4 * PAGE));
}

ZTEST(demand_paging, test_page_out_beyond_store_loses_nothing)
{
	size_t slots = k_mem_paging_backing_store_free_get();
	size_t pages = slots + 16;
	uint8_t *v = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	size_t bad = 0;

	zassert_not_null(v);
	for (size_t p = 0; p < pages; p++) {
		fill_page(v, p);
	}
	zassert_equal(k_mem_page_out(v, pages * PAGE), -ENOMEM);
	for (size_t p = 0; p < pages; p++) {
		bad += check_page(v, p);
	}
	zassert_equal(bad, 0, "%zu words lost", bad);
	zassert_ok(k_mem_unmap(v, pages * PAGE));
	zassert_equal(k_mem_paging_backing_store_free_get(), slots, "slots leaked");
}

ZTEST(demand_paging, test_frame_evict)
{
	uint8_t *v = k_mem_map(PAGE, K_MEM_PERM_RW);
	uintptr_t phys;

	zassert_not_null(v);
	fill_page(v - 9 * PAGE, 9); /* page 9's pattern, in v */
	zassert_ok(arch_page_phys_get(v, &phys));
	zassert_ok(k_mem_page_frame_evict(phys));
	zassert_false(is_resident(v), "the page is still resident");
	zassert_true(k_mem_page_frame_is(k_mem_phys_to_page_frame(phys), K_MEM_PAGE_FRAME_FREE),
		     "the frame did not return to the free list");
	zassert_equal(check_page(v - 9 * PAGE, 9), 0);
	zassert_equal(k_mem_page_frame_evict(0x10), -EINVAL);
	zassert_ok(k_mem_unmap(v, PAGE));
}

/*
 * The software access hint, k_mem_paging_eviction_accessed(): LRU moves the
 * frame to the tail of its queue, so the victim it would have been is not
 * the next one; CLOCK, CLOCK-2Q and NRU read the hardware's accessed bits
 * only, so the hint changes nothing: CLOCK's hand stays on the same victim,
 * and CLOCK-2Q's and NRU's view of the frame (its page's accessed bit)
 * stays "not accessed".
 */
ZTEST(demand_paging, test_eviction_accessed_hint)
{
	uint8_t *v = k_mem_map(4 * PAGE, K_MEM_PERM_RW);
	struct k_mem_page_frame *first, *second;
	unsigned int key;
	bool dirty;

	zassert_not_null(v);
	for (size_t p = 0; p < 4; p++) {
		fill_page(v, p);
	}
	key = arch_irq_lock();
	/* Untouched from here: LRU has frames left whose pages were not used. */
	for (size_t p = 0; p < 4; p++) {
		(void)arch_page_info_get(v + p * PAGE, NULL, true);
	}
	first = k_mem_paging_eviction_select(&dirty);
	zassert_not_null(first);
	k_mem_paging_eviction_accessed(k_mem_page_frame_to_phys(first));
	second = k_mem_paging_eviction_select(&dirty);
	if (IS_ENABLED(CONFIG_EVICTION_LRU)) {
		zassert_not_equal(first, second, "LRU chose the frame just reported used");
	} else if (IS_ENABLED(CONFIG_EVICTION_CLOCK)) {
		zassert_equal(first, second, "the hint moved CLOCK's hand");
	} else {
		zassert_equal(arch_page_info_get(k_mem_page_frame_to_virt(first), NULL, false) &
				      ARCH_DATA_PAGE_ACCESSED,
			      0, "the hint marked the page accessed for NRU");
	}
	arch_irq_unlock(key);
	for (size_t p = 0; p < 4; p++) {
		zassert_equal(check_page(v, p), 0);
	}
	zassert_ok(k_mem_unmap(v, 4 * PAGE));
}

ZTEST(demand_paging, test_unmap_frees_backing_store_slots)
{
	size_t slots = k_mem_paging_backing_store_free_get();
	size_t free = k_mem_free_get();
	uint8_t *v = k_mem_map(32 * PAGE, K_MEM_PERM_RW);

	zassert_not_null(v);
	for (size_t p = 0; p < 32; p++) {
		fill_page(v, p);
	}
	zassert_ok(k_mem_page_out(v, 16 * PAGE));
	zassert_equal(k_mem_paging_backing_store_free_get(), slots - 16);
	(void)check_page(v, 3); /* one comes back, keeping its slot or not */
	zassert_ok(k_mem_unmap(v, 32 * PAGE));
	zassert_equal(k_mem_paging_backing_store_free_get(), slots, "slots leaked");
	zassert_equal(k_mem_free_get(), free, "frames leaked");
}

ZTEST(demand_paging, test_zero_page_copy_on_write)
{
	size_t ram_pages = (size_t)CONFIG_SRAM_SIZE * 1024 / PAGE;
	size_t pages = 4 * ram_pages;
	size_t free = k_mem_free_get();
	uint8_t *v = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	unsigned long faults = stats_now().pagefaults.cnt;
	uint32_t sum = 0;

	zassert_not_null(v, "could not map 4x RAM");
	zassert_equal(k_mem_free_get(), free, "mapping took frames");
	for (size_t i = 0; i < pages * PAGE; i += 64) {
		sum |= v[i];
	}
	zassert_equal(sum, 0, "fresh memory is not zero");
	zassert_equal(k_mem_free_get(), free, "reading took frames");
	zassert_equal(stats_now().pagefaults.cnt, faults, "reading faulted");

	v[5 * PAGE + 17] = 0xab;
	zassert_equal(k_mem_free_get(), free - PAGE, "the first write did not take one frame");
	zassert_equal(stats_now().pagefaults.cnt, faults + 1);
	for (size_t i = 4 * PAGE; i < 7 * PAGE; i++) {
		zassert_equal(v[i], (i == 5 * PAGE + 17) ? 0xab : 0, "byte %zu changed", i);
	}
	zassert_ok(k_mem_unmap(v, pages * PAGE));
	zassert_equal(k_mem_free_get(), free);
}

ZTEST(demand_paging, test_read_only_zero_page_write_faults)
{
	uint8_t *v = k_mem_map(PAGE, 0);

	zassert_not_null(v);
	zassert_equal(v[0], 0);
	ztest_set_fault_valid(true);
	v[0] = 1;
	zassert_unreachable("write to a read-only demand-mapped page did not fault");
}

ZTEST(demand_paging, test_update_flags_on_paged_out_page)
{
	uint8_t *v = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	uint32_t flags;

	zassert_not_null(v);
	fill_page(v, 1);
	zassert_ok(k_mem_page_out(v, 2 * PAGE));
	zassert_ok(k_mem_update_flags(v, 2 * PAGE, K_MEM_CACHE_WB));
	zassert_ok(k_mem_page_flags_get(v + PAGE, &flags));
	zassert_equal(flags & K_MEM_PERM_RW, 0, "still writable");
	zassert_equal(check_page(v, 1), 0, "contents lost");
	zassert_ok(k_mem_unmap(v, 2 * PAGE));
}

ZTEST(demand_paging, test_stats_and_histograms)
{
	struct k_mem_paging_stats_t s = stats_now();
	struct k_mem_paging_histogram_t hist;
	unsigned long total = 0;

	zassert_true(s.pagefaults.cnt > 0);
	zassert_equal(s.pagefaults.cnt, s.pagefaults.irq_locked + s.pagefaults.irq_unlocked);
	k_mem_paging_histogram_backing_store_page_in_get(&hist);
	for (int i = 0; i < CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS; i++) {
		total += hist.counts[i];
		if (i > 0) {
			zassert_true(hist.bounds[i] > hist.bounds[i - 1], "bounds not increasing");
		}
	}
	zassert_true(total > 0, "no page-in recorded");
	k_mem_paging_histogram_backing_store_page_out_get(&hist);
	total = 0;
	for (int i = 0; i < CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS; i++) {
		total += hist.counts[i];
	}
	zassert_true(total >= s.eviction.dirty, "%lu page-outs recorded, %lu dirty evictions",
		     total, s.eviction.dirty);
}

/*
 * With ALLOW_IRQ the timer keeps ticking inside backing-store transfers;
 * without it, never (interrupts stay locked for the whole operation).
 */
ZTEST(demand_paging, test_ticks_during_paging)
{
	uint8_t *v = k_mem_map(64 * PAGE, K_MEM_PERM_RW);
	int64_t start = k_uptime_ticks();
	int64_t inside = z_paging_ticks_in_transfers();

	zassert_not_null(v);
	zassert_true(arch_irq_enabled());
	while (k_uptime_ticks() < start + 20) {
		for (size_t p = 0; p < 64; p++) {
			v[p * PAGE] = (uint8_t)p;
		}
		zassert_ok(k_mem_page_out(v, 64 * PAGE));
	}
	inside = z_paging_ticks_in_transfers() - inside;
	printk("%lld of %lld ticks arrived during transfers\n", (long long)inside,
	       (long long)(k_uptime_ticks() - start));
	if (IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ)) {
		zassert_true(inside > 0, "no tick arrived during a transfer");
	} else {
		zassert_equal(inside, 0, "a tick arrived with interrupts locked");
	}
	zassert_ok(k_mem_unmap(v, 64 * PAGE));
}

static uint32_t xorshift(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* A long seeded random run over a region 8x the free frames. */
ZTEST(demand_paging, test_stress_integrity)
{
	static uint32_t shadow[2048];
	size_t free_pages = k_mem_free_get() / PAGE;
	/* Pin frames away until few are left, so the region is 8x the rest. */
	size_t keep = 96;
	size_t locked_pages = free_pages > keep ? free_pages - keep : 0;
	uint8_t *locked = locked_pages
				  ? k_mem_map(locked_pages * PAGE,
					      K_MEM_PERM_RW | K_MEM_MAP_LOCK | K_MEM_MAP_UNINIT)
				  : NULL;
	size_t frames = k_mem_free_get() / PAGE;
	size_t pages = 8 * frames;
	uint32_t rng = 0x12345678;
	struct k_mem_paging_stats_t before = stats_now();

	zassert_true(pages <= ARRAY_SIZE(shadow) &&
			     pages < frames + k_mem_paging_backing_store_free_get(),
		     "%zu pages do not fit", pages);

	uint32_t *region = k_mem_map(pages * PAGE, K_MEM_PERM_RW);

	zassert_not_null(region);
	memset(shadow, 0, sizeof(shadow));
	for (long op = 0; op < 1000000; op++) {
		size_t page = xorshift(&rng) % pages;
		size_t word = xorshift(&rng) % WORDS_PER_PAGE;
		uint32_t value = xorshift(&rng);
		uint32_t *cell = &region[page * WORDS_PER_PAGE + word];

		if (value % 4U == 0U) { /* one write in four */
			shadow[page] += value - *cell;
			*cell = value;
		} else {
			(void)*(volatile uint32_t *)cell;
		}
	}

	size_t mismatches = 0;

	for (size_t p = 0; p < pages; p++) {
		uint32_t sum = 0;

		for (size_t w = 0; w < WORDS_PER_PAGE; w++) {
			sum += region[p * WORDS_PER_PAGE + w];
		}
		mismatches += sum != shadow[p];
	}

	struct k_mem_paging_stats_t after = stats_now();

	printk("stress: %zu pages over %zu frames, 1000000 ops: %zu mismatches, %lu faults, "
	       "%lu clean and %lu dirty evictions\n",
	       pages, frames, mismatches, after.pagefaults.cnt - before.pagefaults.cnt,
	       after.eviction.clean - before.eviction.clean,
	       after.eviction.dirty - before.eviction.dirty);
	zassert_equal(mismatches, 0, "%zu pages differ from their shadow checksum", mismatches);
	zassert_ok(k_mem_unmap(region, pages * PAGE));
	if (locked != NULL) {
		zassert_ok(k_mem_unmap(locked, locked_pages * PAGE));
	}
}

ZTEST_SUITE(demand_paging, NULL, NULL, NULL, NULL, NULL);

/* The flags a page was mapped with, whether resident, still demand-zero or paged out. */
ZTEST(demand_paging, test_flags_of_demand_mapped_and_paged_out_pages)
{
	uint8_t *rw = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	uint8_t *ro = k_mem_map(PAGE, 0);
	uint8_t *x = k_mem_map(PAGE, K_MEM_PERM_EXEC);
	uint32_t flags;

	zassert_not_null(rw);
	zassert_not_null(ro);
	zassert_not_null(x);
	zassert_ok(k_mem_page_flags_get(rw, &flags), "demand-zero page");
	zassert_equal(flags & (K_MEM_PERM_RW | K_MEM_CACHE_MASK), K_MEM_PERM_RW | K_MEM_CACHE_WB,
		      "demand-zero RW page reports 0x%x", flags);
	zassert_ok(k_mem_page_flags_get(ro, &flags));
	zassert_equal(flags & K_MEM_PERM_RW, 0, "read-only page reports RW");
	rw[PAGE] = 1;
	zassert_ok(k_mem_page_out(rw, 2 * PAGE));
	zassert_ok(k_mem_page_out(x, PAGE));
	zassert_false(is_resident(rw + PAGE));
	zassert_ok(k_mem_page_flags_get(rw + PAGE, &flags), "paged-out page");
	zassert_equal(flags & (K_MEM_PERM_RW | K_MEM_CACHE_MASK), K_MEM_PERM_RW | K_MEM_CACHE_WB,
		      "paged-out RW page reports 0x%x", flags);
	zassert_ok(k_mem_page_flags_get(x, &flags));
	zassert_true((flags & K_MEM_PERM_EXEC) != 0, "EXEC lost when paged out");
	zassert_equal(flags & K_MEM_PERM_RW, 0);
	zassert_equal(k_mem_page_flags_get(rw - PAGE, &flags), -EFAULT, "guard page");
	zassert_ok(k_mem_unmap(rw, 2 * PAGE));
	zassert_ok(k_mem_unmap(ro, PAGE));
	zassert_ok(k_mem_unmap(x, PAGE));
}
