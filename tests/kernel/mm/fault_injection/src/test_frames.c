/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page frames run out for real: a locked mapping consumes all but k free
 * frames, and nothing else is evictable (the bystanders are paged out),
 * for k = 0, 1, 2, ... at each step of a multi-page operation. Where
 * eviction could still make room, the store is made full as well.
 */
#include "harness.h"

static void assert_pinned(const struct live *l, size_t first, size_t last)
{
	for (size_t p = first; p < last; p++) {
		zassert_true(
			k_mem_page_frame_is(page_frame(live_page(l, p)), K_MEM_PAGE_FRAME_PINNED),
			"page %zu is not pinned", p);
	}
}

static void skip_without_demand_mapping(void)
{
	if (!IS_ENABLED(CONFIG_DEMAND_MAPPING)) {
		ztest_test_skip(); /* every page takes its frame at k_mem_map() */
	}
}

static void map_with_frames_exhausted(uint32_t flags, bool store_full)
{
	bystanders_evict();
	for (size_t k = 0; k <= STEPS; k++) {
		frames_leave(k);
		if (store_full) {
			fi_store_fail_always(FI_LOCATION_GET);
		}

		uint32_t digest = z_mm_state_digest();
		void *m = k_mem_map(STEPS * PAGE, flags);

		fi_store_clear();
		if (k < STEPS) {
			zassert_is_null(m, "%d pages mapped with %zu frames", STEPS, k);
			zassert_equal(z_mm_state_digest(), digest,
				      "a failed k_mem_map changed the state");
			zassert_equal(z_free_page_frame_count(), k);
			assert_data_quiet();
			assert_slots();
			assert_invariants();
			/* Recovery: a frame per page. */
			frames_leave(STEPS);
			m = k_mem_map(STEPS * PAGE, flags);
		}
		zassert_not_null(m, "no map with %d frames", STEPS);

		struct live *l = live_add(m, STEPS);

		zassert_equal(z_free_page_frame_count(), 0);
		assert_states(l, 0, STEPS, PAGE_OWN);
		if ((flags & K_MEM_PERM_RW) != 0U) {
			live_write_all(l);
		}
		assert_data_quiet(); /* read-only: zeroed page by page */
		live_unmap(l);
	}
}

/* Read-write, read-only (each page zeroed on its own) and uninitialized maps. */
static const uint32_t map_flags[] = {
	K_MEM_PERM_RW,
	0,
	K_MEM_PERM_RW | K_MEM_MAP_UNINIT,
};

ZTEST(fault_injection, test_frames_exhausted_at_each_step_of_locked_map)
{
	for (size_t i = 0; i < ARRAY_SIZE(map_flags); i++) {
		map_with_frames_exhausted(map_flags[i] | K_MEM_MAP_LOCK, false);
	}
}

/* Eager pages become evictable as they are mapped, so the store is full too. */
ZTEST(fault_injection, test_frames_and_store_exhausted_at_each_step_of_eager_map)
{
	if (IS_ENABLED(CONFIG_DEMAND_MAPPING)) {
		ztest_test_skip(); /* k_mem_map() takes no frame */
	}
	for (size_t i = 0; i < ARRAY_SIZE(map_flags); i++) {
		map_with_frames_exhausted(map_flags[i], true);
	}
}

/*
 * Demand-mapped pages take no frame at k_mem_map(); touching them does.
 * Touched pages could be evicted for the next, so the store is full too.
 */
ZTEST(fault_injection, test_frames_and_store_exhausted_at_each_touch_of_demand_mapped_pages)
{
	skip_without_demand_mapping();
	for (size_t k = 0; k <= STEPS; k++) {
		bystanders_evict();
		frames_leave(k);

		struct live *l = live_map(STEPS, K_MEM_PERM_RW);

		zassert_equal(z_free_page_frame_count(), k, "a demand mapping took frames");
		fi_store_fail_always(FI_LOCATION_GET);
		for (size_t p = 0; p < k && p < STEPS; p++) {
			live_write(l, p);
		}
		if (k == STEPS) {
			fi_store_clear();
			assert_states(l, 0, STEPS, PAGE_OWN);
			assert_data_quiet();
			live_unmap(l);
			break;
		}

		uint32_t digest = z_mm_state_digest();

		zassert_false(k_mem_page_fault(live_page(l, k)), "touch %zu served", k);
		fi_store_clear();
		zassert_equal(z_mm_state_digest(), digest, "a failed fault changed the state");
		assert_states(l, 0, k, PAGE_OWN);
		assert_states(l, k, STEPS, PAGE_ZERO);
		assert_data_quiet();
		assert_slots();
		assert_invariants();

		/* Recovery: with the store back, a touched page makes room. */
		if (k == 0) {
			frames_leave(1);
		}
		zassert_true(k_mem_page_fault(live_page(l, k)), "touch %zu not served", k);
		live_write(l, k);
		assert_data_quiet();
		frames_release();
		zassert_equal(live_bad_access(), 0);
		live_unmap(l);
	}
}

ZTEST(fault_injection, test_frames_exhausted_at_first_write_to_zero_page)
{
	skip_without_demand_mapping();
	for (size_t k = 0; k <= 1; k++) {
		bystanders_evict();

		struct live *l = live_map(1, K_MEM_PERM_RW);

		frames_leave(k);

		uint32_t digest = z_mm_state_digest();
		bool served = k_mem_page_fault(l->va);

		if (k == 0) {
			zassert_false(served, "served without a frame");
			zassert_equal(z_mm_state_digest(), digest,
				      "a failed fault changed the state");
			zassert_equal(page_state(l->va), PAGE_ZERO);
			assert_data_quiet();
			assert_invariants();
			frames_leave(1);
			served = k_mem_page_fault(l->va);
		}
		zassert_true(served, "not served with a frame free");
		zassert_equal(page_state(l->va), PAGE_OWN);
		live_write(l, 0);
		assert_data_quiet();
		frames_release();
		live_unmap(l);
	}
}

ZTEST(fault_injection, test_frames_exhausted_at_fault_on_paged_out_page)
{
	for (size_t k = 0; k <= 1; k++) {
		bystanders_evict();

		struct live *l = live_map(1, K_MEM_PERM_RW);

		live_write(l, 0);
		zassert_ok(k_mem_page_out(l->va, PAGE));
		frames_leave(k);

		uint32_t digest = z_mm_state_digest();
		bool served = k_mem_page_fault(l->va);

		if (k == 0) {
			zassert_false(served, "served without a frame");
			zassert_equal(z_mm_state_digest(), digest,
				      "a failed fault changed the state");
			zassert_equal(page_state(l->va), PAGE_OUT);
			assert_data_quiet();
			assert_slots();
			assert_invariants();
			frames_leave(1);
			served = k_mem_page_fault(l->va);
		}
		zassert_true(served, "not served with a frame free");
		zassert_equal(page_state(l->va), PAGE_OWN);
		assert_data_quiet();
		frames_release();
		live_unmap(l);
	}
}

/* k_mem_pin() of demand-mapped pages: each pinned page takes a frame for good. */
ZTEST(fault_injection, test_frames_exhausted_at_each_step_of_pinning_zero_pages)
{
	skip_without_demand_mapping();
	for (size_t k = 0; k <= STEPS; k++) {
		bystanders_evict();

		struct live *l = live_map(STEPS, K_MEM_PERM_RW);

		frames_leave(k);
		k_mem_pin(l->va, STEPS * PAGE);
		assert_states(l, 0, k, PAGE_OWN);
		assert_pinned(l, 0, k);
		zassert_equal(z_free_page_frame_count(), 0);
		if (k < STEPS) {
			assert_states(l, k, STEPS, PAGE_ZERO);
			assert_data_quiet();
			assert_slots();
			assert_invariants();
			/* Recovery. */
			frames_release();
			k_mem_pin(l->va, STEPS * PAGE);
			assert_states(l, 0, STEPS, PAGE_OWN);
			assert_pinned(l, 0, STEPS);
		}
		live_write_all(l);
		assert_data_quiet();
		k_mem_unpin(l->va, STEPS * PAGE);
		frames_release();
		live_unmap(l);
	}
}

ZTEST(fault_injection, test_frames_exhausted_at_each_step_of_pinning_paged_out_pages)
{
	for (size_t k = 0; k <= STEPS; k++) {
		bystanders_evict();

		struct live *l = live_map(STEPS, K_MEM_PERM_RW);

		live_write_all(l);
		zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));
		frames_leave(k);
		k_mem_pin(l->va, STEPS * PAGE);
		assert_states(l, 0, k, PAGE_OWN);
		assert_pinned(l, 0, k);
		zassert_equal(z_free_page_frame_count(), 0);
		if (k < STEPS) {
			assert_states(l, k, STEPS, PAGE_OUT);
			assert_data_quiet();
			assert_slots();
			assert_invariants();
			/* Recovery. */
			frames_release();
			k_mem_pin(l->va, STEPS * PAGE);
			assert_states(l, 0, STEPS, PAGE_OWN);
			assert_pinned(l, 0, STEPS);
		}
		assert_data_quiet();
		k_mem_unpin(l->va, STEPS * PAGE);
		frames_release();
		zassert_equal(live_bad_access(), 0);
		live_unmap(l);
	}
}

/*
 * k_mem_page_in() can evict the pages it brought in for the next one; the
 * store keeps no slot for paged-in pages, and is full or fails its writes,
 * so it cannot.
 */
ZTEST(fault_injection, test_frames_and_store_exhausted_at_each_step_of_page_in)
{
	fi_store_keep_slots(false);
	for (enum fi_op op = FI_LOCATION_GET; op <= FI_PAGE_OUT; op++) {
		for (size_t k = 0; k <= STEPS; k++) {
			bystanders_evict();

			struct live *l = live_map(STEPS, K_MEM_PERM_RW);

			live_write_all(l);
			zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));
			frames_leave(k);
			fi_store_fail_always(op);
			k_mem_page_in(l->va, STEPS * PAGE);
			fi_store_clear();
			assert_states(l, 0, k, PAGE_OWN);
			zassert_equal(z_free_page_frame_count(), 0);
			if (k < STEPS) {
				assert_states(l, k, STEPS, PAGE_OUT);
				assert_data_quiet();
				assert_slots();
				assert_invariants();
				/* Recovery. */
				frames_release();
				k_mem_page_in(l->va, STEPS * PAGE);
				assert_states(l, 0, STEPS, PAGE_OWN);
			}
			assert_data_quiet();
			frames_release();
			zassert_equal(live_bad_access(), 0);
			live_unmap(l);
		}
	}
}

/*
 * k_mem_update_flags() pages paged-out pages in before it changes any: with
 * k frames, each page-in may evict a page of the same range. Either every
 * page gets the new permissions or, on an error, none does; no page may
 * lose its data or its mapping.
 */
ZTEST(fault_injection, test_frames_exhausted_at_each_step_of_update_flags)
{
	for (size_t k = 0; k <= STEPS; k++) {
		bystanders_evict();

		struct live *l = live_map(STEPS, K_MEM_PERM_RW);

		live_write_all(l);
		zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));
		frames_leave(k);

		int ret = k_mem_update_flags(l->va, STEPS * PAGE, K_MEM_CACHE_WB);
		size_t read_only = 0;

		for (size_t p = 0; p < STEPS; p++) {
			uint8_t *va = live_page(l, p);
			uint32_t flags;
			enum page_state s = page_state(va);

			zassert_true(s == PAGE_OWN || s == PAGE_OUT, "page %zu: state %d", p, s);
			if (s == PAGE_OWN) {
				zassert_ok(k_mem_page_flags_get(va, &flags));
				read_only += (flags & K_MEM_PERM_RW) == 0U;
			}
		}
		assert_data_quiet();
		assert_slots();
		assert_invariants();
		if (ret != 0) {
			zassert_equal(ret, -ENOMEM, "%zu frames: %d", k, ret);
			zassert_equal(read_only, 0, "a failed update changed %zu pages", read_only);
			/* Recovery. */
			frames_release();
			zassert_ok(k_mem_update_flags(l->va, STEPS * PAGE, K_MEM_CACHE_WB));
		}
		frames_release();
		for (size_t p = 0; p < STEPS; p++) {
			uint32_t flags;

			zassert_equal(live_bad_access(), 0);
			zassert_ok(k_mem_page_flags_get(live_page(l, p), &flags));
			zassert_equal(flags & K_MEM_PERM_RW, 0, "page %zu still writable", p);
		}
		live_unmap(l);
	}
}
