/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Eager maps past RAM (CONFIG_DEMAND_MAPPING=n): an unlocked k_mem_map() of
 * more anonymous memory than the free frames succeeds up to the documented
 * capacity, the free frames + the free backing-store locations + those
 * resident pages' copies hold (droppable) - 1 (the location kept for page
 * faults) - CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE (left to locked maps);
 * with no copy held that is k_mem_free_get() + the free locations - 1, the
 * reference's rule. It costs exactly one eviction per page beyond the free
 * frames and no page fault; one page more fails with nothing changed.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <sys/errno.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE CONFIG_MMU_PAGE_SIZE

static struct k_mem_paging_stats_t stats_now(void)
{
	struct k_mem_paging_stats_t s;

	k_mem_paging_stats_get(&s);
	return s;
}

/* Store locations that resident pages' copies hold (BACKED frames). */
static size_t droppable_copies(void)
{
	size_t n = 0;

	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES; i++) {
		n += k_mem_page_frame_is(&k_mem_page_frames[i], K_MEM_PAGE_FRAME_BACKED) ? 1U : 0U;
	}
	return n;
}

static size_t capacity(void)
{
	return z_free_page_frame_count() + k_mem_paging_backing_store_free_get() +
	       droppable_copies() - 1U - CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE;
}

static void check_zeroed(const uint8_t *v, size_t pages)
{
	for (size_t p = 0; p < pages; p++) {
		const volatile uint8_t *page = v + p * PAGE;

		zassert_true(page[0] == 0 && page[PAGE / 2] == 0 && page[PAGE - 1] == 0,
			     "page %zu of the map is not zero", p);
	}
}

ZTEST_SUITE(eager_paging, NULL, NULL, NULL, NULL, NULL);

static void map_at_capacity(uint32_t flags)
{
	size_t free_frames = z_free_page_frame_count();
	size_t pages = capacity();
	struct k_mem_paging_stats_t before = stats_now();

	zassert_true(pages > free_frames, "the store has no room: nothing to test");

	uint8_t *v = k_mem_map(pages * PAGE, flags);
	struct k_mem_paging_stats_t after = stats_now();
	unsigned long evictions = (after.eviction.clean + after.eviction.dirty) -
				  (before.eviction.clean + before.eviction.dirty);

	zassert_not_null(v, "the last page that fits: %zu pages (%zu frames free) refused", pages,
			 free_frames);
	zassert_equal(evictions, pages - free_frames,
		      "%lu evictions for %zu pages beyond the free frames", evictions,
		      pages - free_frames);
	zassert_equal(after.pagefaults.cnt, before.pagefaults.cnt,
		      "%lu page faults inside k_mem_map",
		      after.pagefaults.cnt - before.pagefaults.cnt);
	if ((flags & K_MEM_PERM_RW) != 0U) {
		v[0] = 1; /* writable, and still there after the check below */
	}
	check_zeroed(v + PAGE, pages - 1);
	zassert_ok(k_mem_unmap(v, pages * PAGE));
}

ZTEST(eager_paging, test_map_up_to_capacity_rw)
{
	map_at_capacity(K_MEM_PERM_RW);
}

ZTEST(eager_paging, test_map_up_to_capacity_read_only)
{
	map_at_capacity(0);
}

ZTEST(eager_paging, test_map_one_page_beyond_capacity_fails_cleanly)
{
	size_t pages = capacity() + 1U;
	uint32_t digest = z_mm_state_digest();
	size_t slots = k_mem_paging_backing_store_free_get();
	struct k_mem_paging_stats_t before = stats_now();

	zassert_is_null(k_mem_map(pages * PAGE, K_MEM_PERM_RW), "%zu pages mapped", pages);

	struct k_mem_paging_stats_t after = stats_now();

	zassert_equal(z_mm_state_digest(), digest, "the failed map changed the state");
	zassert_equal(k_mem_paging_backing_store_free_get(), slots);
	zassert_equal(after.eviction.dirty + after.eviction.clean,
		      before.eviction.dirty + before.eviction.clean,
		      "the failed map evicted pages");
}

/* After a map past RAM, the store still has the room the map did not use. */
ZTEST(eager_paging, test_page_out_after_a_map_past_ram)
{
	size_t free_frames = z_free_page_frame_count();
	size_t slots = k_mem_paging_backing_store_free_get();
	size_t beyond = (slots - 1U) / 2U;
	size_t pages = free_frames + beyond;
	uint8_t *v = k_mem_map(pages * PAGE, K_MEM_PERM_RW | K_MEM_MAP_UNINIT);
	size_t out = slots - 1U - beyond; /* what is left, less the fault reserve */

	zassert_not_null(v);
	zassert_equal(k_mem_paging_backing_store_free_get(), slots - beyond,
		      "the map took %zu locations for %zu pages beyond RAM",
		      slots - k_mem_paging_backing_store_free_get(), beyond);
	/* The last pages mapped are the resident ones. */
	zassert_ok(k_mem_page_out(v + (pages - out) * PAGE, out * PAGE),
		   "paging out %zu pages with %zu locations free", out,
		   k_mem_paging_backing_store_free_get());
	for (size_t p = 0; p < pages; p += 7) {
		v[p * PAGE] = (uint8_t)p;
	}
	for (size_t p = 0; p < pages; p += 7) {
		zassert_equal(v[p * PAGE], (uint8_t)p, "page %zu lost its contents", p);
	}
	zassert_ok(k_mem_unmap(v, pages * PAGE));
}

/*
 * The reference's rule, as its demand-paging suite checks it: with no copy
 * held, k_mem_free_get() and the free locations less one is exactly what
 * unlocked eager maps can take, here in two maps; the reserve stays for a
 * locked map.
 */
ZTEST(eager_paging, test_free_get_plus_store_is_the_limit)
{
	size_t free_pages = k_mem_free_get() / PAGE;
	size_t slots = k_mem_paging_backing_store_free_get();
	size_t half = (slots - 1U) / 2U;

	zassert_equal(droppable_copies(), 0U, "a copy is held at the start");
	zassert_equal(free_pages + CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE,
		      z_free_page_frame_count(), "fewer frames free than the reserve");

	uint8_t *a = k_mem_map((free_pages + half) * PAGE, K_MEM_PERM_RW);
	uint8_t *b = k_mem_map((slots - 1U - half) * PAGE, K_MEM_PERM_RW);

	zassert_not_null(a);
	zassert_not_null(b, "the rest of the store less one refused");
	zassert_is_null(k_mem_map(PAGE, K_MEM_PERM_RW), "a page past the limit was mapped");
	if (CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE > 0) {
		uint8_t *c = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

		zassert_not_null(c, "a locked page refused the reserve");
		zassert_ok(k_mem_unmap(c, PAGE));
	}
	zassert_ok(k_mem_unmap(b, (slots - 1U - half) * PAGE));
	zassert_ok(k_mem_unmap(a, (free_pages + half) * PAGE));
	zassert_equal(k_mem_paging_backing_store_free_get(), slots, "locations leaked");
}

/*
 * Pages paged back in keep their store copy (BACKED) while the store has
 * room; an eager map counts those locations and gives the copies up as it
 * needs them, still one eviction per page beyond the free frames.
 */
ZTEST(eager_paging, test_map_takes_the_locations_of_droppable_copies)
{
	size_t slots = k_mem_paging_backing_store_free_get();
	size_t n = 4;
	uint8_t *v = k_mem_map(n * PAGE, K_MEM_PERM_RW);

	zassert_not_null(v);
	for (size_t p = 0; p < n; p++) {
		v[p * PAGE] = (uint8_t)(p + 1U);
	}
	zassert_ok(k_mem_page_out(v, n * PAGE));
	for (size_t p = 0; p < n; p++) {
		zassert_equal(v[p * PAGE], (uint8_t)(p + 1U)); /* back in, its copy kept */
	}
	zassert_equal(droppable_copies(), n, "the pages paged in hold no copy");
	zassert_equal(k_mem_paging_backing_store_free_get(), slots - n);

	size_t pages = capacity();
	size_t free_frames = z_free_page_frame_count();
	struct k_mem_paging_stats_t before = stats_now();
	uint8_t *w = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	struct k_mem_paging_stats_t after = stats_now();

	zassert_not_null(w, "%zu pages, counting %zu droppable copies, refused", pages, n);
	zassert_equal((after.eviction.clean + after.eviction.dirty) -
			      (before.eviction.clean + before.eviction.dirty),
		      pages - free_frames);
	zassert_is_null(k_mem_map(PAGE, K_MEM_PERM_RW), "a page past the limit was mapped");
	for (size_t p = 0; p < n; p++) {
		zassert_equal(v[p * PAGE], (uint8_t)(p + 1U), "page %zu lost its contents", p);
	}
	zassert_ok(k_mem_unmap(w, pages * PAGE));
	zassert_ok(k_mem_unmap(v, n * PAGE));
	zassert_equal(k_mem_paging_backing_store_free_get(), slots, "locations leaked");
}
