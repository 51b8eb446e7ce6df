/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The disk backing store (kernel/mm/backing_store/disk.c) over a fake disk:
 * init checks (no disk, too small a disk: fatal), locations, the slot kept
 * for faults, the BACKED policy (keep the slot while more than a quarter of
 * the store is free), retries of failed transfers, misuse caught by
 * assertions, and random core-like sequences against a model.
 *
 * The store copies through ARCH_SCRATCH_PAGE, a fixed address in the kernel
 * window; the suite maps a page of host memory there.
 */
#include <arch/mm.h>
#include <errno.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <string.h>
#include <sys/mman.h>
#include <virt_region.h>
#include <ztest.h>

#include "fake_disk.h"

#define SLOTS   CONFIG_BACKING_STORE_DISK_PAGES
#define PAGE    CONFIG_MMU_PAGE_SIZE
#define SECTORS (SLOTS * (PAGE / DISK_SECTOR_SIZE))
#define FRAMES  24U /* frames the tests use */

BUILD_ASSERT(SECTORS <= FAKE_MAX_SECTORS);

/* The frame database the store indexes (page_frames.c is not linked). */
struct k_mem_page_frame k_mem_page_frames[K_MEM_NUM_PAGE_FRAMES];

static uint32_t *scratch;

static void *suite_setup(void)
{
	void *p = mmap(ARCH_SCRATCH_PAGE, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	zassert_equal_ptr(p, ARCH_SCRATCH_PAGE, "cannot map the scratch page at %p",
			  ARCH_SCRATCH_PAGE);
	scratch = p;
	return NULL;
}

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	fake_disk_reset(SECTORS);
	memset(k_mem_page_frames, 0, sizeof(k_mem_page_frames));
	k_mem_paging_backing_store_init();
}

ZTEST_SUITE(backing_store_disk, NULL, suite_setup, before, NULL, NULL);

static void scratch_fill(uint32_t tag)
{
	for (size_t i = 0; i < PAGE / 4; i++) {
		scratch[i] = tag * 2654435761U + (uint32_t)i;
	}
}

static bool scratch_is(uint32_t tag)
{
	for (size_t i = 0; i < PAGE / 4; i++) {
		if (scratch[i] != tag * 2654435761U + (uint32_t)i) {
			return false;
		}
	}
	return true;
}

static struct k_mem_page_frame *pf(size_t i)
{
	return &k_mem_page_frames[i];
}

static uintptr_t get(size_t frame, bool page_fault)
{
	uintptr_t location = 1;

	zassert_ok(k_mem_paging_backing_store_location_get(pf(frame), &location, page_fault));
	return location;
}

ZTEST(backing_store_disk, test_init_without_disk_is_fatal)
{
	fake.present = false;
	ztest_set_fault_valid(true);
	k_mem_paging_backing_store_init();
	zassert_unreachable("the store started without a disk");
}

ZTEST(backing_store_disk, test_init_with_small_disk_is_fatal)
{
	fake.sectors = SECTORS - 1U;
	ztest_set_fault_valid(true);
	k_mem_paging_backing_store_init();
	zassert_unreachable("the store started on a disk too small for it");
}

ZTEST(backing_store_disk, test_init_with_larger_disk)
{
	fake.sectors = SECTORS + 100U;
	k_mem_paging_backing_store_init();
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS);
}

ZTEST(backing_store_disk, test_locations_distinct_and_in_range)
{
	static bool seen[SLOTS];

	memset(seen, 0, sizeof(seen));
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS);
	for (size_t i = 0; i < SLOTS; i++) {
		uintptr_t loc = get(0, true);

		zassert_equal(loc % PAGE, 0, "location 0x%lx not page-aligned", (unsigned long)loc);
		zassert_true(loc / PAGE < SLOTS && loc <= ARCH_PAGE_LOCATION_MAX);
		zassert_false(seen[loc / PAGE], "slot %lu handed out twice", loc / PAGE);
		seen[loc / PAGE] = true;
		zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS - 1U - i);
	}
}

ZTEST(backing_store_disk, test_last_slot_only_for_faults)
{
	uintptr_t loc, last;

	for (size_t i = 0; i < SLOTS - 1U; i++) {
		(void)get(0, false);
	}
	zassert_equal(k_mem_paging_backing_store_free_get(), 1U);
	zassert_equal(k_mem_paging_backing_store_location_get(pf(0), &loc, false), -ENOMEM);
	zassert_equal(k_mem_paging_backing_store_free_get(), 1U, "a failed get changed the count");
	last = get(0, true);
	zassert_equal(k_mem_paging_backing_store_location_get(pf(0), &loc, true), -ENOMEM);
	k_mem_paging_backing_store_location_free(last);
	zassert_equal(k_mem_paging_backing_store_free_get(), 1U);
	zassert_equal(get(0, true), last, "the freed slot was not reused");
}

ZTEST(backing_store_disk, test_page_out_in_round_trip)
{
	uintptr_t a = get(0, false);
	uintptr_t b = get(1, false);

	scratch_fill(1);
	zassert_ok(k_mem_paging_backing_store_page_out(a));
	zassert_equal(fake.last_sector, a / DISK_SECTOR_SIZE, "slot i is at sector 8 i");
	zassert_equal(fake.last_count, PAGE / DISK_SECTOR_SIZE);
	scratch_fill(2);
	zassert_ok(k_mem_paging_backing_store_page_out(b));
	memset(scratch, 0, PAGE);
	zassert_ok(k_mem_paging_backing_store_page_in(a));
	zassert_true(scratch_is(1));
	zassert_ok(k_mem_paging_backing_store_page_in(b));
	zassert_true(scratch_is(2));
	zassert_equal(fake.reads, 2U);
	zassert_equal(fake.writes, 2U);
}

ZTEST(backing_store_disk, test_finalize_keeps_slot_while_a_quarter_is_free)
{
	uintptr_t loc = get(0, false);
	uintptr_t again;

	k_mem_paging_backing_store_page_finalize(pf(3), loc);
	zassert_true(k_mem_page_frame_is(pf(3), K_MEM_PAGE_FRAME_BACKED));
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS - 1U, "the slot was freed");
	/* A BACKED frame gets its own slot back and costs nothing, even when full. */
	while (k_mem_paging_backing_store_free_get() > 0U) {
		(void)get(0, true);
	}
	zassert_ok(k_mem_paging_backing_store_location_get(pf(3), &again, false));
	zassert_equal(again, loc);
}

ZTEST(backing_store_disk, test_finalize_frees_slot_when_store_low)
{
	uintptr_t taken[SLOTS];
	size_t n = SLOTS - SLOTS / 4U;

	/* Exactly a quarter free is not more than a quarter: the slot goes. */
	for (size_t i = 0; i < n; i++) {
		taken[i] = get(0, false);
	}
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS / 4U);
	k_mem_paging_backing_store_page_finalize(pf(4), taken[--n]);
	zassert_false(k_mem_page_frame_is(pf(4), K_MEM_PAGE_FRAME_BACKED));
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS / 4U + 1U);

	/* One slot more free at page-in: the page keeps its slot. */
	k_mem_paging_backing_store_location_free(taken[--n]);
	taken[n] = get(0, false);
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS / 4U + 1U);
	k_mem_paging_backing_store_page_finalize(pf(5), taken[n]);
	zassert_true(k_mem_page_frame_is(pf(5), K_MEM_PAGE_FRAME_BACKED));
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS / 4U + 1U);
}

ZTEST(backing_store_disk, test_transient_errors_are_retried)
{
	uintptr_t loc = get(0, false);

	scratch_fill(7);
	fake.fail_writes = 2;
	zassert_ok(k_mem_paging_backing_store_page_out(loc), "two failures, third try good");
	zassert_equal(fake.writes, 3U);
	memset(scratch, 0, PAGE);
	fake.fail_reads = 2;
	zassert_ok(k_mem_paging_backing_store_page_in(loc));
	zassert_equal(fake.reads, 3U);
	zassert_true(scratch_is(7));
}

ZTEST(backing_store_disk, test_persistent_errors_are_reported)
{
	uintptr_t loc = get(0, false);
	size_t free = k_mem_paging_backing_store_free_get();

	scratch_fill(8);
	zassert_ok(k_mem_paging_backing_store_page_out(loc));
	scratch_fill(9);
	fake.fail_writes = 3;
	zassert_equal(k_mem_paging_backing_store_page_out(loc), -EIO);
	zassert_equal(fake.writes, 4U, "three tries, no more");
	zassert_equal(k_mem_paging_backing_store_free_get(), free, "a failure changed the count");
	fake.fail_reads = 3;
	memset(scratch, 0x55, PAGE);
	zassert_equal(k_mem_paging_backing_store_page_in(loc), -EIO);
	zassert_equal(fake.reads, 3U);
	/* The device works again: nothing was lost but what the failed write tore. */
	scratch_fill(9);
	zassert_ok(k_mem_paging_backing_store_page_out(loc));
	memset(scratch, 0, PAGE);
	zassert_ok(k_mem_paging_backing_store_page_in(loc));
	zassert_true(scratch_is(9));
}

ZTEST(backing_store_disk, test_double_free_asserts)
{
	uintptr_t loc = get(0, false);

	k_mem_paging_backing_store_location_free(loc);
	ztest_set_assert_valid(true);
	k_mem_paging_backing_store_location_free(loc);
	zassert_unreachable("a slot freed twice went unnoticed");
}

ZTEST(backing_store_disk, test_finalize_of_backed_frame_asserts)
{
	k_mem_paging_backing_store_page_finalize(pf(6), get(0, false));
	ztest_set_assert_valid(true);
	k_mem_paging_backing_store_page_finalize(pf(6), get(1, false));
	zassert_unreachable("a BACKED frame's slot was silently dropped");
}

/* ---- random core-like sequences against a model -------------------------------- */

static uint32_t rng;
static unsigned long failed_page_outs;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/*
 * The model: which slots are in use, which page (tag) each holds, the
 * frames (resident pages: tag, BACKED slot or none), and the paged-out
 * pages (slot). Each step is one thing the paging core does.
 */
#define MAX_OUT SLOTS

static struct {
	bool used[SLOTS];
	size_t used_count;
	uint32_t content[SLOTS]; /* tag on the disk, 0: undefined (torn) */
	struct {
		bool resident;
		uint32_t tag;
		bool dirty;
		long backed; /* slot, or -1 */
	} frame[FRAMES];
	struct {
		uint32_t tag;
		size_t slot;
	} out[MAX_OUT];
	size_t out_count;
	uint32_t next_tag;
} m;

static void model_check(void)
{
	zassert_equal(k_mem_paging_backing_store_free_get(), SLOTS - m.used_count);
	for (size_t f = 0; f < FRAMES; f++) {
		zassert_equal(k_mem_page_frame_is(pf(f), K_MEM_PAGE_FRAME_BACKED),
			      m.frame[f].resident && m.frame[f].backed >= 0, "frame %zu BACKED", f);
	}
}

static void model_take(size_t slot)
{
	zassert_false(m.used[slot], "slot %zu handed out while in use", slot);
	m.used[slot] = true;
	m.used_count++;
}

static void model_release(size_t slot)
{
	zassert_true(m.used[slot]);
	m.used[slot] = false;
	m.used_count--;
}

/* Evict resident frame f the way the core does, possibly failing the write. */
static void step_evict(size_t f, bool page_fault)
{
	bool backed = m.frame[f].backed >= 0;
	bool copy = m.frame[f].dirty || !backed;
	uintptr_t loc;
	int ret = k_mem_paging_backing_store_location_get(pf(f), &loc, page_fault);

	if (ret != 0) {
		zassert_false(backed, "a BACKED frame got no location");
		zassert_true(SLOTS - m.used_count <= (page_fault ? 0U : 1U),
			     "-ENOMEM with %zu free", SLOTS - m.used_count);
		return;
	}
	if (backed) {
		zassert_equal(loc / PAGE, (size_t)m.frame[f].backed, "not the frame's own slot");
	} else {
		model_take(loc / PAGE);
	}
	if (copy) {
		bool fail = next() % 32U == 0U;

		scratch_fill(m.frame[f].tag);
		fake.fail_writes = fail ? 3U : next() % 3U; /* fewer than 3 is retried */
		ret = k_mem_paging_backing_store_page_out(loc);
		zassert_equal(ret, fail ? -EIO : 0);
		fake.fail_writes = 0;
		if (fail) {
			failed_page_outs++;
			/* The core keeps the frame, drops the location, clears BACKED. */
			m.content[loc / PAGE] = 0;
			k_mem_paging_backing_store_location_free(loc);
			model_release(loc / PAGE);
			k_mem_page_frame_clear(pf(f), K_MEM_PAGE_FRAME_BACKED);
			m.frame[f].backed = -1;
			m.frame[f].dirty = true;
			return;
		}
		m.content[loc / PAGE] = m.frame[f].tag;
	} else {
		zassert_equal(m.content[loc / PAGE], m.frame[f].tag,
			      "a clean page's copy is stale");
	}
	m.out[m.out_count].tag = m.frame[f].tag;
	m.out[m.out_count].slot = loc / PAGE;
	m.out_count++;
	m.frame[f].resident = false;
	pf(f)->va_and_flags = 0;
}

/* Page paged-out page k into free frame f. */
static void step_page_in(size_t k, size_t f)
{
	size_t slot = m.out[k].slot;
	uintptr_t loc = (uintptr_t)slot * PAGE;
	bool keep = SLOTS - m.used_count > SLOTS / 4U;

	zassert_equal(m.content[slot], m.out[k].tag, "model: slot %zu does not hold its page",
		      slot);
	memset(scratch, 0, PAGE);
	zassert_ok(k_mem_paging_backing_store_page_in(loc));
	zassert_true(scratch_is(m.out[k].tag), "slot %zu came back wrong", slot);
	k_mem_paging_backing_store_page_finalize(pf(f), loc);
	m.frame[f].resident = true;
	m.frame[f].tag = m.out[k].tag;
	m.frame[f].dirty = false;
	m.frame[f].backed = keep ? (long)slot : -1;
	if (!keep) {
		model_release(slot);
	}
	m.out[k] = m.out[--m.out_count];
}

/* Unmap resident frame f (the core frees a BACKED frame's slot through location_get). */
static void step_unmap_resident(size_t f)
{
	if (m.frame[f].backed >= 0) {
		uintptr_t loc = get(f, false);

		zassert_equal(loc / PAGE, (size_t)m.frame[f].backed);
		k_mem_paging_backing_store_location_free(loc);
		model_release(loc / PAGE);
	}
	m.frame[f].resident = false;
	pf(f)->va_and_flags = 0;
}

ZTEST(backing_store_disk, test_random_sequences_against_model)
{
	unsigned long evictions = 0, ins = 0;

	memset(&m, 0, sizeof(m));
	for (size_t f = 0; f < FRAMES; f++) {
		m.frame[f].backed = -1;
	}
	rng = 0x2545F491U;
	failed_page_outs = 0;
	m.next_tag = 1;
	for (long op = 0; op < 60000; op++) {
		size_t f = next() % FRAMES;
		uint32_t what = next() % 16U;

		if (!m.frame[f].resident) {
			if (m.out_count > 0U && what < 10U) {
				step_page_in(next() % m.out_count, f);
				ins++;
			} else { /* a fresh page written into the frame */
				m.frame[f].resident = true;
				m.frame[f].tag = m.next_tag++;
				m.frame[f].dirty = true;
				m.frame[f].backed = -1;
			}
		} else if (what < 9U) {
			size_t before = m.out_count;

			step_evict(f, next() % 4U == 0U);
			evictions += m.out_count > before;
		} else if (what < 12U) {
			m.frame[f].dirty = true; /* written again */
			m.frame[f].tag = m.next_tag++;
		} else if (what < 14U) {
			step_unmap_resident(f);
		} else if (m.out_count > 0U) { /* unmap a paged-out page */
			size_t k = next() % m.out_count;

			k_mem_paging_backing_store_location_free((uintptr_t)m.out[k].slot * PAGE);
			model_release(m.out[k].slot);
			m.out[k] = m.out[--m.out_count];
		}
		model_check();
	}
	printk("%lu evictions, %lu page-ins, %lu failed page-outs, %zu pages out at the end\n",
	       evictions, ins, failed_page_outs, m.out_count);
	zassert_true(evictions > 1000 && ins > 1000 && failed_page_outs > 100);
}
