/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Demand paging over the disk backing store: pages survive the trip to the
 * disk and back, the store's slot accounting (one slot kept for faults, a
 * slot kept as a BACKED copy only while a quarter of the store is free),
 * and device errors injected into the ATA driver:
 *
 * - a failed write during k_mem_page_out() is reported (-EIO) and loses
 *   nothing: the frame stays mapped with the only good copy, the slot is
 *   given back, and a torn write into a BACKED frame's slot is never taken
 *   for a copy later;
 * - transient errors (fewer than the store's three tries) are retried
 *   inside the store, on the fault path too: the fault succeeds;
 * - with the disk store's sleeping transfers, a fault whose victim cannot
 *   be written in two slots evicts another victim instead;
 * - a read that keeps failing during a fault is a fatal error (the core
 *   cannot produce the page), with the page still intact on the disk for a
 *   later access.
 *
 * Patterns mix in a seed taken from the TSC at boot, so a stale disk image
 * cannot make a broken write path look right.
 */
#include <arch/mm.h>
#include <drivers/disk.h>
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

#include "page_pattern.h"

#define PAGE  CONFIG_MMU_PAGE_SIZE
#define SLOTS CONFIG_BACKING_STORE_DISK_PAGES
#define MANY  1000U /* injected errors: more than any retry budget */

static bool is_resident(void *va)
{
	return arch_page_location_get(va, NULL) == ARCH_PAGE_LOCATION_PAGED_IN;
}

static struct k_mem_page_frame *frame_of(void *va)
{
	uintptr_t phys;

	zassert_ok(arch_page_phys_get(va, &phys), "%p is not resident", va);
	return k_mem_phys_to_page_frame(phys);
}

static struct disk_stats disk_now(void)
{
	struct disk_stats s;

	disk_stats_get(&s);
	return s;
}

static struct k_mem_paging_stats_t paging_now(void)
{
	struct k_mem_paging_stats_t s;

	k_mem_paging_stats_get(&s);
	return s;
}

static size_t slots_free(void)
{
	return k_mem_paging_backing_store_free_get();
}

static void *suite_setup(void)
{
	seed = (uint32_t)k_cycle_get_64() | 1U;
	printk("pattern seed 0x%08x, %u slots, %zu free frames\n", seed, SLOTS,
	       k_mem_free_get() / PAGE);
	return NULL;
}

static void after_each(void *fixture)
{
	ARG_UNUSED(fixture);
	disk_inject_errors(DISK_OP_READ, 0);
	disk_inject_errors(DISK_OP_WRITE, 0);
}

ZTEST(backing_store_disk, test_disk_holds_the_store)
{
	zassert_true(disk_sector_count() >= SLOTS * (PAGE / DISK_SECTOR_SIZE),
		     "%u sectors for %u slots", disk_sector_count(), SLOTS);
	zassert_true(slots_free() <= SLOTS);
}

/* An arena larger than RAM: every page goes to the disk and comes back. */
ZTEST(backing_store_disk, test_pages_survive_eviction_to_disk)
{
	size_t free_pages = k_mem_free_get() / PAGE;
	size_t pages = free_pages + 128;
	size_t slots = slots_free();
	size_t free = k_mem_free_get();
	struct disk_stats d0 = disk_now();
	struct k_mem_paging_stats_t p0 = paging_now();
	uint8_t *arena = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	size_t bad = 0;

	zassert_not_null(arena);
	for (size_t p = 0; p < pages; p++) {
		fill_page(arena, p, 1);
	}
	for (size_t i = 0; i < pages; i++) { /* zig-zag, to fault both ways */
		size_t p = (i % 2 == 0) ? i / 2 : pages - 1 - i / 2;

		bad += check_page(arena, p, 1);
	}
	zassert_equal(bad, 0, "%zu words differ", bad);

	struct disk_stats d1 = disk_now();
	struct k_mem_paging_stats_t p1 = paging_now();

	printk("%zu pages over %zu free frames: %u pages written, %u read, %lu dirty and %lu "
	       "clean evictions\n",
	       pages, free_pages, (d1.sectors_written - d0.sectors_written) / 8U,
	       (d1.sectors_read - d0.sectors_read) / 8U, p1.eviction.dirty - p0.eviction.dirty,
	       p1.eviction.clean - p0.eviction.clean);
	/* Every dirty eviction is one page on the disk, every page-in one page read. */
	zassert_equal(d1.sectors_written - d0.sectors_written,
		      8U * (p1.eviction.dirty - p0.eviction.dirty));
	zassert_true(p1.eviction.dirty - p0.eviction.dirty >= 128U - 16U, "too few page-outs");
	zassert_true(d1.sectors_read - d0.sectors_read >= 8U * 128U, "too few page-ins");
	zassert_equal(d1.errors, d0.errors);
	zassert_ok(k_mem_unmap(arena, pages * PAGE));
	zassert_equal(slots_free(), slots, "slots leaked");
	zassert_equal(k_mem_free_get(), free, "frames leaked");
}

/* k_mem_page_out() writes each page once; a clean page's second trip is free. */
ZTEST(backing_store_disk, test_page_out_clean_and_dirty)
{
	size_t slots = slots_free();
	uint8_t *v = k_mem_map(32 * PAGE, K_MEM_PERM_RW);
	struct disk_stats d0, d1;
	struct k_mem_paging_stats_t p0, p1;

	zassert_not_null(v);
	zassert_true(slots > SLOTS / 4U + 32U, "the store is too full for this test");
	for (size_t p = 0; p < 32; p++) {
		fill_page(v, p, 2);
	}
	d0 = disk_now();
	zassert_ok(k_mem_page_out(v, 32 * PAGE));
	d1 = disk_now();
	for (size_t p = 0; p < 32; p++) {
		zassert_false(is_resident(v + p * PAGE), "page %zu still resident", p);
	}
	zassert_equal(d1.writes - d0.writes, 32U, "one write per page");
	zassert_equal(d1.sectors_written - d0.sectors_written, 32U * 8U);
	zassert_equal(slots_free(), slots - 32U);

	/* Back in: each page keeps its slot (plenty free) and its frame is BACKED. */
	for (size_t p = 0; p < 32; p++) {
		zassert_equal(check_page(v, p, 2), 0, "page %zu", p);
		zassert_true(k_mem_page_frame_is(frame_of(v + p * PAGE), K_MEM_PAGE_FRAME_BACKED),
			     "page %zu not BACKED", p);
	}
	zassert_equal(disk_now().reads - d1.reads, 32U, "one read per page");
	zassert_equal(slots_free(), slots - 32U, "BACKED pages gave their slots up");

	/* Unmodified: out again with no disk write at all. */
	d0 = disk_now();
	p0 = paging_now();
	zassert_ok(k_mem_page_out(v, 32 * PAGE));
	p1 = paging_now();
	zassert_equal(disk_now().writes, d0.writes, "a clean page was written again");
	zassert_equal(p1.eviction.clean - p0.eviction.clean, 32U);
	zassert_equal(slots_free(), slots - 32U);

	/* One page modified after coming back: exactly one write, to its own slot. */
	fill_page(v, 5, 3);
	zassert_true(k_mem_page_frame_is(frame_of(v + 5 * PAGE), K_MEM_PAGE_FRAME_BACKED));
	d0 = disk_now();
	zassert_ok(k_mem_page_out(v, 32 * PAGE));
	zassert_equal(disk_now().writes - d0.writes, 1U);
	zassert_equal(slots_free(), slots - 32U);
	for (size_t p = 0; p < 32; p++) {
		zassert_equal(check_page(v, p, p == 5 ? 3 : 2), 0, "page %zu", p);
	}
	zassert_ok(k_mem_unmap(v, 32 * PAGE));
	zassert_equal(slots_free(), slots, "slots leaked");
}

/* Filling the store: -ENOMEM with one slot left, which only a fault may take. */
ZTEST(backing_store_disk, test_store_full_keeps_one_slot_for_faults)
{
	size_t slots = slots_free();
	size_t pages = slots + 8;
	uint8_t *v = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	struct k_mem_page_frame spare = {0}; /* a frame record the store has never seen */
	uintptr_t location, second;
	size_t bad = 0;

	zassert_not_null(v);
	for (size_t p = 0; p < pages; p++) {
		fill_page(v, p, 4);
	}
	zassert_equal(k_mem_page_out(v, pages * PAGE), -ENOMEM);
	zassert_equal(slots_free(), 1U, "the fault path's slot was not kept");
	zassert_true(is_resident(v + (pages - 1) * PAGE), "pages past the store were evicted");

	zassert_equal(k_mem_paging_backing_store_location_get(&spare, &location, false), -ENOMEM);
	zassert_ok(k_mem_paging_backing_store_location_get(&spare, &location, true));
	zassert_equal(slots_free(), 0U);
	zassert_true(location % PAGE == 0 && location / PAGE < SLOTS &&
			     location <= ARCH_PAGE_LOCATION_MAX,
		     "bad location 0x%lx", (unsigned long)location);
	zassert_equal(k_mem_paging_backing_store_location_get(&spare, &second, true), -ENOMEM);
	k_mem_paging_backing_store_location_free(location);
	zassert_equal(slots_free(), 1U);

	/* Less than a quarter free: a page coming back gives its slot up. */
	zassert_false(is_resident(v));
	zassert_equal(check_page(v, 0, 4), 0);
	zassert_false(k_mem_page_frame_is(frame_of(v), K_MEM_PAGE_FRAME_BACKED),
		      "BACKED with the store nearly full");
	zassert_equal(slots_free(), 2U, "the slot was not freed at page-in");

	for (size_t p = 0; p < pages; p++) {
		bad += check_page(v, p, 4);
	}
	zassert_equal(bad, 0, "%zu words lost", bad);
	zassert_ok(k_mem_unmap(v, pages * PAGE));
	zassert_equal(slots_free(), slots, "slots leaked");
}

/* Writes that keep failing: -EIO, nothing lost, nothing leaked. */
ZTEST(backing_store_disk, test_write_error_during_page_out)
{
	size_t slots = slots_free();
	uint8_t *v = k_mem_map(8 * PAGE, K_MEM_PERM_RW);
	struct disk_stats d0;

	zassert_not_null(v);
	for (size_t p = 0; p < 8; p++) {
		fill_page(v, p, 5);
	}
	d0 = disk_now();
	disk_inject_errors(DISK_OP_WRITE, MANY);
	zassert_equal(k_mem_page_out(v, 8 * PAGE), -EIO);
	disk_inject_errors(DISK_OP_WRITE, 0);
	zassert_true(disk_now().errors - d0.errors >= 2U, "the store did not retry");
	zassert_true(is_resident(v), "the page whose write failed was unmapped");
	zassert_false(k_mem_page_frame_is(frame_of(v), K_MEM_PAGE_FRAME_BACKED));
	zassert_equal(slots_free(), slots, "the failed page-out kept its slot");
	for (size_t p = 0; p < 8; p++) {
		zassert_equal(check_page(v, p, 5), 0, "page %zu lost", p);
	}
	/* The device is fine afterwards. */
	zassert_ok(k_mem_page_out(v, 8 * PAGE));
	zassert_equal(slots_free(), slots - 8U);
	for (size_t p = 0; p < 8; p++) {
		zassert_equal(check_page(v, p, 5), 0, "page %zu lost", p);
	}

	/*
	 * A BACKED page modified, then a failed write into its own slot: the
	 * slot now holds a torn mix of two versions. The page must stay
	 * resident, stop being BACKED, and its next eviction must write again.
	 */
	zassert_true(k_mem_page_frame_is(frame_of(v + PAGE), K_MEM_PAGE_FRAME_BACKED));
	fill_page(v, 1, 6);
	disk_inject_errors(DISK_OP_WRITE, MANY);
	zassert_equal(k_mem_page_out(v + PAGE, PAGE), -EIO);
	disk_inject_errors(DISK_OP_WRITE, 0);
	zassert_true(is_resident(v + PAGE));
	zassert_false(k_mem_page_frame_is(frame_of(v + PAGE), K_MEM_PAGE_FRAME_BACKED),
		      "a torn slot is still taken for the page's copy");
	zassert_equal(check_page(v, 1, 6), 0, "the only good copy was lost");
	d0 = disk_now();
	zassert_ok(k_mem_page_out(v + PAGE, PAGE));
	zassert_equal(disk_now().writes - d0.writes, 1U, "the page was not written again");
	zassert_equal(check_page(v, 1, 6), 0, "page 1 after its retried page-out");

	/* A transient error costs a retry, not the page-out. */
	fill_page(v, 2, 7);
	d0 = disk_now();
	disk_inject_errors(DISK_OP_WRITE, 1);
	zassert_ok(k_mem_page_out(v + 2 * PAGE, PAGE));
	zassert_equal(disk_now().errors - d0.errors, 1U);
	zassert_false(is_resident(v + 2 * PAGE));
	zassert_equal(check_page(v, 2, 7), 0, "page 2 after a retried write");

	zassert_ok(k_mem_unmap(v, 8 * PAGE));
	zassert_equal(slots_free(), slots, "slots leaked");
}

/* A fault whose eviction meets a transient write error still succeeds. */
ZTEST(backing_store_disk, test_write_error_during_fault_eviction)
{
	size_t pages = k_mem_free_get() / PAGE + 64;
	size_t slots = slots_free();
	uint8_t *arena = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	struct disk_stats d0;
	size_t bad = 0;
	size_t touched = 0;

	zassert_not_null(arena);
	for (size_t p = 0; p < pages; p++) {
		fill_page(arena, p, 8);
	}
	d0 = disk_now();
	disk_inject_errors(DISK_OP_WRITE, 2);
	/* Rewrite pages from the start (long evicted) until both errors were hit. */
	for (size_t p = 0; p < pages && disk_now().errors - d0.errors < 2U; p++) {
		fill_page(arena, p, 9);
		touched = p + 1;
	}
	disk_inject_errors(DISK_OP_WRITE, 0);
	zassert_equal(disk_now().errors - d0.errors, 2U, "the faults never wrote a page out");
	for (size_t p = 0; p < pages; p++) {
		bad += check_page(arena, p, p < touched ? 9 : 8);
	}
	zassert_equal(bad, 0, "%zu words differ", bad);
	zassert_ok(k_mem_unmap(arena, pages * PAGE));
	zassert_equal(slots_free(), slots, "slots leaked");
}

#ifdef CONFIG_DEMAND_PAGING_SLEEP
/*
 * A fault whose first victim cannot be written at all (both slots fail,
 * each after the store's three tries) stays resident and dirty; the fault
 * evicts another victim and succeeds, and no page is lost.
 */
ZTEST(backing_store_disk, test_fault_picks_another_victim_when_a_write_fails)
{
	size_t pages = k_mem_free_get() / PAGE + 64;
	size_t slots = slots_free();
	uint8_t *arena = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	struct z_paging_sleep_stats s0, s1;
	struct disk_stats d0;
	size_t bad = 0;

	zassert_not_null(arena);
	for (size_t p = 0; p < pages; p++) {
		fill_page(arena, p, 10);
	}
	/* A page on the disk by now (which ones depends on the algorithm). */
	size_t out = 0;

	while (out < pages && is_resident(arena + out * PAGE)) {
		out++;
	}
	zassert_true(out < pages, "no page of the arena is on the disk");
	z_paging_sleep_stats_get(&s0);
	d0 = disk_now();
	disk_inject_errors(DISK_OP_WRITE, 6);
	bad += check_page(arena, out, 10); /* faults: the eviction meets the six errors */
	disk_inject_errors(DISK_OP_WRITE, 0);
	z_paging_sleep_stats_get(&s1);
	zassert_equal(disk_now().errors - d0.errors, 6U);
	zassert_equal(s1.write_retries - s0.write_retries, 1U, "no second slot tried");
	zassert_true(disk_now().writes - d0.writes >= 7U, "no second victim written");
	for (size_t p = 0; p < pages; p++) {
		bad += check_page(arena, p, 10);
	}
	zassert_equal(bad, 0, "%zu words differ", bad);
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(arena, pages * PAGE));
	zassert_equal(slots_free(), slots, "slots leaked");
}
#endif

/* A transient read error during a fault is retried inside the store. */
ZTEST(backing_store_disk, test_read_error_during_fault_retried)
{
	uint8_t *v = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	struct disk_stats d0;

	zassert_not_null(v);
	fill_page(v, 0, 10);
	fill_page(v, 1, 10);
	zassert_ok(k_mem_page_out(v, 2 * PAGE));
	d0 = disk_now();
	disk_inject_errors(DISK_OP_READ, 2);
	zassert_equal(check_page(v, 0, 10), 0, "page read after two failed tries");
	zassert_equal(disk_now().errors - d0.errors, 2U);
	zassert_equal(disk_now().reads - d0.reads, 3U, "two failed tries and a good one");
	zassert_equal(check_page(v, 1, 10), 0);
	zassert_ok(k_mem_unmap(v, 2 * PAGE));
}

/*
 * A read that keeps failing: the page cannot be produced, so the fault is
 * fatal (the full fault dump is printed). The next test, which runs after
 * this one (ztest orders by name), checks that the page survived it.
 */
static uint8_t *fatal_page;
static size_t fatal_slots;

ZTEST(backing_store_disk, test_read_error_fault_fatal)
{
	fatal_slots = slots_free();
	fatal_page = k_mem_map(PAGE, K_MEM_PERM_RW);
	zassert_not_null(fatal_page);
	fill_page(fatal_page, 0, 11);
	zassert_ok(k_mem_page_out(fatal_page, PAGE));
	disk_inject_errors(DISK_OP_READ, MANY);
	ztest_set_fault_valid(true);
	(void)*(volatile uint8_t *)fatal_page;
	zassert_unreachable("a page that cannot be read was mapped");
}

ZTEST(backing_store_disk, test_read_error_fault_fatal_then_page_intact)
{
	zassume_not_null(fatal_page, "test_read_error_fault_fatal did not run first");
	zassert_false(is_resident(fatal_page), "a page that could not be read is mapped");
	zassert_equal(check_page(fatal_page, 0, 11), 0, "the page was lost");
	zassert_ok(k_mem_unmap(fatal_page, PAGE));
	zassert_equal(slots_free(), fatal_slots, "slots leaked");
	fatal_page = NULL;
}

/* TSC cycles per microsecond, against the timer over 100 ms. */
static uint64_t cycles_per_us(void)
{
	int64_t t0 = k_uptime_get();
	uint64_t c0;

	while (k_uptime_get() == t0) {
	}
	c0 = k_cycle_get_64();
	t0 = k_uptime_get();
	while (k_uptime_get() - t0 < 100) {
	}
	return MAX((k_cycle_get_64() - c0) / 100000U, 1U);
}

ZTEST(backing_store_disk, test_timing_per_page)
{
	enum { N = 64 };
	uint64_t rate = cycles_per_us();
	uint8_t *v = k_mem_map(N * PAGE, K_MEM_PERM_RW);
	uint64_t t, out_dirty, in, out_clean;

	zassert_not_null(v);
	for (size_t p = 0; p < N; p++) {
		fill_page(v, p, 12);
	}
	t = k_cycle_get_64();
	zassert_ok(k_mem_page_out(v, N * PAGE));
	out_dirty = (k_cycle_get_64() - t) / N;
	t = k_cycle_get_64();
	k_mem_page_in(v, N * PAGE);
	in = (k_cycle_get_64() - t) / N;
	t = k_cycle_get_64();
	zassert_ok(k_mem_page_out(v, N * PAGE));
	out_clean = (k_cycle_get_64() - t) / N;
	printk("per page: page-out (write+flush) %llu us, page-in %llu us, clean eviction "
	       "%llu us (%llu cycles/us)\n",
	       (unsigned long long)(out_dirty / rate), (unsigned long long)(in / rate),
	       (unsigned long long)(out_clean / rate), (unsigned long long)rate);
	for (size_t p = 0; p < N; p++) {
		zassert_equal(check_page(v, p, 12), 0, "page %zu", p);
	}
	zassert_ok(k_mem_unmap(v, N * PAGE));
}

ZTEST_SUITE(backing_store_disk, NULL, suite_setup, NULL, after_each, NULL);
