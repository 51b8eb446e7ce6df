/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backing store fails on demand: full (location_get), write error
 * (page_out) or read error (page_in), on the nth call of an operation for
 * n = 0, 1, 2, ... until the operation no longer reaches the failure.
 * Each failure must be an error return with nothing lost, and once the
 * store works again the same operation must succeed.
 */
#include "harness.h"

static void page_out_with_store_failing(enum fi_op op, int expected)
{
	for (unsigned int n = 0;; n++) {
		zassert_true(n < INJECT_LIMIT, "the injected failure keeps firing");

		struct live *l = live_map(STEPS, K_MEM_PERM_RW);

		live_write_all(l); /* resident and dirty: each page needs a slot and a write */

		uint32_t digest = z_mm_state_digest();
		size_t used = fi_store_used();

		fi_store_fail_nth(op, n);

		int ret = k_mem_page_out(l->va, STEPS * PAGE);

		fi_store_clear();
		if (!fi_store_fired(op)) {
			zassert_ok(ret);
			zassert_equal(n, STEPS, "%u failure points, %d pages", n, STEPS);
			assert_states(l, 0, STEPS, PAGE_OUT);
			assert_data_quiet();
			live_unmap(l);
			break;
		}
		zassert_equal(ret, expected, "step %u: %d", n, ret);
		/* Pages before the failure went out; the failed one and the rest stay. */
		assert_states(l, 0, n, PAGE_OUT);
		assert_states(l, n, STEPS, PAGE_OWN);
		zassert_false(k_mem_page_frame_is(page_frame(live_page(l, n)),
						  K_MEM_PAGE_FRAME_BACKED | K_MEM_PAGE_FRAME_BUSY));
		zassert_equal(fi_store_used(), used + n, "the failed page's slot leaked");
		if (n == 0) {
			zassert_equal(z_mm_state_digest(), digest,
				      "a page-out that moved nothing changed the state");
		}
		assert_data_quiet();
		assert_slots();
		assert_invariants();

		/* Recovery. */
		zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));
		assert_states(l, 0, STEPS, PAGE_OUT);
		assert_data_quiet();
		zassert_equal(live_bad_access(), 0);
		live_unmap(l);
	}
}

ZTEST(fault_injection, test_store_full_at_each_page_out_step)
{
	page_out_with_store_failing(FI_LOCATION_GET, -ENOMEM);
}

ZTEST(fault_injection, test_store_write_error_at_each_page_out_step)
{
	page_out_with_store_failing(FI_PAGE_OUT, -EIO);
}

/*
 * A page that kept its slot (BACKED) and was written again: a failed
 * write-out leaves the slot torn, so the kernel must drop it and write the
 * page out in full next time, although the hardware dirty bit is clear.
 */
ZTEST(fault_injection, test_store_write_error_on_backed_page_drops_its_slot)
{
	struct live *l = live_map(1, K_MEM_PERM_RW);

	live_write(l, 0);
	zassert_ok(k_mem_page_out(l->va, PAGE));
	zassert_equal(live_bad_access(), 0);
	zassert_true(k_mem_page_frame_is(page_frame(l->va), K_MEM_PAGE_FRAME_BACKED),
		     "the page did not keep its slot");
	live_write(l, 0); /* new data, dirty */

	size_t used = fi_store_used();

	fi_store_fail_always(FI_PAGE_OUT);
	zassert_equal(k_mem_page_out(l->va, PAGE), -EIO);
	zassert_true(fi_store_fired(FI_PAGE_OUT));
	fi_store_clear();
	zassert_equal(page_state(l->va), PAGE_OWN);
	zassert_false(k_mem_page_frame_is(page_frame(l->va), K_MEM_PAGE_FRAME_BACKED),
		      "still BACKED by a torn slot");
	zassert_equal(fi_store_used(), used - 1, "the torn slot was not freed");
	assert_data_quiet();
	assert_invariants();

	/* Recovery: written out in full, not treated as a clean copy. */
	unsigned int writes = fi_store_calls(FI_PAGE_OUT);

	zassert_ok(k_mem_page_out(l->va, PAGE));
	zassert_equal(fi_store_calls(FI_PAGE_OUT), writes + 1, "the page was not written out");
	assert_data_quiet();
	zassert_equal(live_bad_access(), 0);
}

/* k_mem_page_in() or k_mem_pin() of paged-out pages, the store failing reads. */
static void page_in_with_read_error(bool pin)
{
	for (unsigned int n = 0;; n++) {
		zassert_true(n < INJECT_LIMIT, "the injected failure keeps firing");

		struct live *l = live_map(STEPS, K_MEM_PERM_RW);

		live_write_all(l);
		zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));

		size_t free = z_free_page_frame_count();

		fi_store_fail_nth(FI_PAGE_IN, n);
		if (pin) {
			k_mem_pin(l->va, STEPS * PAGE);
		} else {
			k_mem_page_in(l->va, STEPS * PAGE);
		}
		fi_store_clear();
		if (!fi_store_fired(FI_PAGE_IN)) {
			zassert_equal(n, STEPS);
			assert_states(l, 0, STEPS, PAGE_OWN);
			assert_data_quiet();
			if (pin) {
				k_mem_unpin(l->va, STEPS * PAGE);
			}
			live_unmap(l);
			break;
		}
		assert_states(l, 0, n, PAGE_OWN);
		assert_states(l, n, STEPS, PAGE_OUT);
		for (size_t p = 0; p < n; p++) {
			zassert_equal(k_mem_page_frame_is(page_frame(live_page(l, p)),
							  K_MEM_PAGE_FRAME_PINNED),
				      pin, "page %zu", p);
		}
		zassert_equal(z_free_page_frame_count(), free - n,
			      "the frame of the failed read leaked");
		assert_data_quiet();
		assert_slots();
		assert_invariants();

		/* Recovery. */
		if (pin) {
			k_mem_pin(l->va, STEPS * PAGE);
		} else {
			k_mem_page_in(l->va, STEPS * PAGE);
		}
		assert_states(l, 0, STEPS, PAGE_OWN);
		zassert_equal(live_bad_access(), 0);
		if (pin) {
			k_mem_unpin(l->va, STEPS * PAGE);
		}
		live_unmap(l);
	}
}

ZTEST(fault_injection, test_store_read_error_at_each_page_in_step)
{
	page_in_with_read_error(false);
}

ZTEST(fault_injection, test_store_read_error_at_each_pin_step)
{
	page_in_with_read_error(true);
}

/*
 * k_mem_update_flags() pages paged-out pages in first; a failed read must
 * leave every page's permissions as they were.
 */
ZTEST(fault_injection, test_store_read_error_at_each_update_flags_step)
{
	for (unsigned int n = 0;; n++) {
		zassert_true(n < INJECT_LIMIT, "the injected failure keeps firing");

		struct live *l = live_map(STEPS, K_MEM_PERM_RW);
		uint32_t flags;

		live_write_all(l);
		zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));
		fi_store_fail_nth(FI_PAGE_IN, n);

		int ret = k_mem_update_flags(l->va, STEPS * PAGE, K_MEM_CACHE_WB);

		fi_store_clear();
		if (!fi_store_fired(FI_PAGE_IN)) {
			zassert_ok(ret);
			zassert_equal(n, STEPS);
			for (size_t p = 0; p < STEPS; p++) {
				zassert_ok(k_mem_page_flags_get(live_page(l, p), &flags));
				zassert_equal(flags & K_MEM_PERM_RW, 0, "page %zu writable", p);
			}
			zassert_equal(live_bad_access(), 0);
			live_unmap(l);
			break;
		}
		zassert_equal(ret, -EIO, "step %u: %d", n, ret);
		assert_states(l, 0, n, PAGE_OWN);
		assert_states(l, n, STEPS, PAGE_OUT);
		for (size_t p = 0; p < n; p++) {
			zassert_ok(k_mem_page_flags_get(live_page(l, p), &flags));
			zassert_true((flags & K_MEM_PERM_RW) != 0, "page %zu changed", p);
		}
		assert_data_quiet();
		assert_slots();
		assert_invariants();

		/* Recovery. */
		zassert_ok(k_mem_update_flags(l->va, STEPS * PAGE, K_MEM_CACHE_WB));
		for (size_t p = 0; p < STEPS; p++) {
			zassert_ok(k_mem_page_flags_get(live_page(l, p), &flags));
			zassert_equal(flags & K_MEM_PERM_RW, 0, "page %zu writable", p);
		}
		zassert_equal(live_bad_access(), 0);
		live_unmap(l);
	}
}

/* A fault whose page-in fails with a frame free: nothing may change. */
ZTEST(fault_injection, test_store_read_error_in_fault_changes_nothing)
{
	struct live *l = live_map(1, K_MEM_PERM_RW);

	live_write(l, 0);
	zassert_ok(k_mem_page_out(l->va, PAGE));

	uint32_t digest = z_mm_state_digest();

	fi_store_fail_always(FI_PAGE_IN);
	zassert_false(k_mem_page_fault(l->va), "a failed read was served");
	zassert_true(fi_store_fired(FI_PAGE_IN));
	fi_store_clear();
	zassert_equal(z_mm_state_digest(), digest, "a failed fault changed the state");
	zassert_equal(page_state(l->va), PAGE_OUT);
	assert_data_quiet();
	assert_invariants();

	zassert_true(k_mem_page_fault(l->va));
	zassert_equal(page_state(l->va), PAGE_OWN);
	zassert_equal(live_bad_access(), 0);
}

/*
 * A fault with no free frame: each store step of evicting the one
 * evictable page (and, for a paged-out page, of reading it in) fails in
 * turn. zero_page: the fault is the first write to a demand-mapped page.
 */
static void fault_with_eviction_failing(bool zero_page)
{
	enum page_state before = zero_page ? PAGE_ZERO : PAGE_OUT;

	for (enum fi_op op = 0; op < (zero_page ? FI_PAGE_IN : FI_NUM_OPS); op++) {
		for (unsigned int n = 0;; n++) {
			zassert_true(n < INJECT_LIMIT, "the injected failure keeps firing");
			bystanders_evict();

			struct live *f = live_map(1, K_MEM_PERM_RW);
			struct live *v = live_map(1, K_MEM_PERM_RW);

			if (!zero_page) {
				live_write(f, 0);
				zassert_ok(k_mem_page_out(f->va, PAGE));
			}
			live_write(v, 0); /* the only evictable page, dirty */
			frames_leave(0);

			uint32_t digest = z_mm_state_digest();

			fi_store_fail_nth(op, n);

			bool served = k_mem_page_fault(f->va);

			fi_store_clear();
			if (!fi_store_fired(op)) {
				zassert_true(served, "%s: not served", fi_op_name(op));
				zassert_equal(n, 1);
				zassert_equal(page_state(f->va), PAGE_OWN);
				zassert_equal(page_state(v->va), PAGE_OUT);
				assert_data_quiet();
				frames_release();
				live_unmap(f);
				live_unmap(v);
				break;
			}
			zassert_false(served, "%s failed, yet the fault was served",
				      fi_op_name(op));
			zassert_equal(page_state(f->va), before);
			if (op == FI_PAGE_IN) {
				/* The victim went out; its frame is free again. */
				zassert_equal(page_state(v->va), PAGE_OUT);
				zassert_equal(z_free_page_frame_count(), 1);
			} else {
				zassert_equal(page_state(v->va), PAGE_OWN);
				zassert_equal(z_mm_state_digest(), digest,
					      "a failed eviction changed the state");
			}
			assert_data_quiet();
			assert_slots();
			assert_invariants();

			/* Recovery. */
			zassert_true(k_mem_page_fault(f->va), "%s: no recovery", fi_op_name(op));
			zassert_equal(page_state(f->va), PAGE_OWN);
			live_write(f, 0);
			assert_data_quiet();
			frames_release();
			zassert_equal(live_bad_access(), 0);
			live_unmap(f);
			live_unmap(v);
		}
	}
}

ZTEST(fault_injection, test_store_failure_at_each_step_of_fault_with_eviction)
{
	fault_with_eviction_failing(false);
}

ZTEST(fault_injection, test_store_failure_at_each_step_of_first_write_with_eviction)
{
	if (!IS_ENABLED(CONFIG_DEMAND_MAPPING)) {
		ztest_test_skip(); /* no zero pages */
	}
	fault_with_eviction_failing(true);
}

/*
 * A locked k_mem_map() with no free frame takes each frame by evicting a
 * page; the store fails at each of those evictions in turn.
 */
ZTEST(fault_injection, test_store_failure_at_each_eviction_step_of_locked_map)
{
	for (enum fi_op op = FI_LOCATION_GET; op <= FI_PAGE_OUT; op++) {
		for (unsigned int n = 0;; n++) {
			zassert_true(n < INJECT_LIMIT, "the injected failure keeps firing");
			frames_release();
			bystanders_evict();

			struct live *victims = live_map(STEPS, K_MEM_PERM_RW);

			live_write_all(victims);
			frames_leave(0);
			fi_store_fail_nth(op, n);

			void *m = k_mem_map(STEPS * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

			fi_store_clear();
			if (!fi_store_fired(op)) {
				zassert_not_null(m, "%s", fi_op_name(op));
				live_add(m, STEPS);
				zassert_equal(n, STEPS);
				assert_states(victims, 0, STEPS, PAGE_OUT);
				assert_data_quiet();
				frames_release();
				live_unmap(live_find(m));
				live_unmap(victims);
				break;
			}
			zassert_is_null(m, "%s failed at step %u, yet the map worked",
					fi_op_name(op), n);

			size_t out = 0;

			for (size_t p = 0; p < STEPS; p++) {
				out += page_state(live_page(victims, p)) == PAGE_OUT;
			}
			zassert_equal(out, n, "%zu pages evicted before step %u", out, n);
			zassert_equal(z_free_page_frame_count(), n,
				      "the rollback did not free the frames it took");
			assert_data_quiet();
			assert_slots();
			assert_invariants();

			/* Recovery. */
			m = k_mem_map(STEPS * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
			zassert_not_null(m);
			live_add(m, STEPS);
			assert_states(victims, 0, STEPS, PAGE_OUT);
			assert_data_quiet();
			frames_release();
			zassert_equal(live_bad_access(), 0);
			live_unmap(live_find(m));
			live_unmap(victims);
		}
	}
}

/*
 * An eager k_mem_map() with no free frame evicts for every page, victims
 * or its own pages already mapped; the store fails at each eviction in
 * turn. Whatever was evicted, the rollback must return every frame it took.
 */
ZTEST(fault_injection, test_store_failure_at_each_eviction_step_of_eager_map)
{
	if (IS_ENABLED(CONFIG_DEMAND_MAPPING)) {
		ztest_test_skip(); /* k_mem_map() takes no frame */
	}
	for (enum fi_op op = FI_LOCATION_GET; op <= FI_PAGE_OUT; op++) {
		for (unsigned int n = 0;; n++) {
			zassert_true(n < INJECT_LIMIT, "the injected failure keeps firing");
			frames_release();
			bystanders_evict();

			struct live *victims = live_map(STEPS, K_MEM_PERM_RW);

			live_write_all(victims);
			frames_leave(0);
			fi_store_fail_nth(op, n);

			void *m = k_mem_map(STEPS * PAGE, K_MEM_PERM_RW);

			fi_store_clear();

			size_t resident = 0;

			for (size_t p = 0; p < STEPS; p++) {
				resident += page_state(live_page(victims, p)) == PAGE_OWN;
			}
			if (!fi_store_fired(op)) {
				zassert_not_null(m, "%s", fi_op_name(op));
				live_unmap(live_add(m, STEPS));
				assert_data_quiet();
				frames_release();
				live_unmap(victims);
				break;
			}
			zassert_is_null(m, "%s failed at step %u, yet the map worked",
					fi_op_name(op), n);
			zassert_equal(z_free_page_frame_count() + resident, STEPS,
				      "the rollback did not free the frames it took");
			assert_data_quiet();
			assert_slots();
			assert_invariants();

			/* Recovery. */
			m = k_mem_map(STEPS * PAGE, K_MEM_PERM_RW);
			zassert_not_null(m);
			live_write_all(live_add(m, STEPS));
			assert_data_quiet();
			frames_release();
			zassert_equal(live_bad_access(), 0);
			live_unmap(live_find(m));
			live_unmap(victims);
		}
	}
}

/* A full or failing store does not stop pages whose slot holds a good copy. */
ZTEST(fault_injection, test_store_failing_still_evicts_clean_backed_pages)
{
	struct live *l = live_map(STEPS, K_MEM_PERM_RW);
	unsigned int calls[FI_NUM_OPS];

	live_write_all(l);
	zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));
	k_mem_page_in(l->va, STEPS * PAGE);
	for (enum fi_op op = 0; op < FI_NUM_OPS; op++) {
		calls[op] = fi_store_calls(op);
		fi_store_fail_always(op);
	}
	zassert_ok(k_mem_page_out(l->va, STEPS * PAGE));
	for (enum fi_op op = 0; op < FI_NUM_OPS; op++) {
		zassert_equal(fi_store_calls(op), calls[op], "a clean eviction called %s",
			      fi_op_name(op));
	}
	fi_store_clear();
	assert_states(l, 0, STEPS, PAGE_OUT);
	assert_data_quiet();
	assert_slots();
	zassert_equal(live_bad_access(), 0);
}

/* k_mem_page_frame_evict(): full store or write error, nothing changes. */
ZTEST(fault_injection, test_store_failure_in_frame_evict_changes_nothing)
{
	static const int expected[] = {[FI_LOCATION_GET] = -ENOMEM, [FI_PAGE_OUT] = -EIO};

	for (enum fi_op op = FI_LOCATION_GET; op <= FI_PAGE_OUT; op++) {
		struct live *l = live_map(1, K_MEM_PERM_RW);

		live_write(l, 0);

		uintptr_t phys = k_mem_page_frame_to_phys(page_frame(l->va));
		uint32_t digest = z_mm_state_digest();

		fi_store_fail_always(op);
		zassert_equal(k_mem_page_frame_evict(phys), expected[op], "%s", fi_op_name(op));
		zassert_true(fi_store_fired(op));
		fi_store_clear();
		zassert_equal(z_mm_state_digest(), digest, "%s changed the state", fi_op_name(op));
		zassert_equal(page_state(l->va), PAGE_OWN);
		assert_data_quiet();
		assert_invariants();

		zassert_ok(k_mem_page_frame_evict(phys));
		zassert_equal(page_state(l->va), PAGE_OUT);
		assert_data_quiet();
		zassert_equal(live_bad_access(), 0);
		live_unmap(l);
	}
}

/*
 * Unmapping needs no store transfer and no new slot: with every store
 * operation failing, pages in every state still go, frames and slots with
 * them.
 */
ZTEST(fault_injection, test_unmap_with_every_store_operation_failing)
{
	size_t free = z_free_page_frame_count();
	size_t used = fi_store_used();
	struct live *l = live_map(6, K_MEM_PERM_RW);

	/* 0: resident dirty; 1: paged out; 2: BACKED clean; 3: pinned; 4: BACKED pinned;
	 * 5: zero (with demand mapping; else resident).
	 */
	for (size_t p = 0; p < 5; p++) {
		live_write(l, p);
	}
	zassert_ok(k_mem_page_out(live_page(l, 1), 2 * PAGE));
	zassert_ok(k_mem_page_out(live_page(l, 4), PAGE));
	k_mem_page_in(live_page(l, 2), PAGE);
	k_mem_pin(live_page(l, 3), 2 * PAGE);
	zassert_true(k_mem_page_frame_is(page_frame(live_page(l, 2)), K_MEM_PAGE_FRAME_BACKED));
	zassert_true(k_mem_page_frame_is(page_frame(live_page(l, 4)), K_MEM_PAGE_FRAME_BACKED));
	assert_data_quiet();

	unsigned int calls[FI_NUM_OPS];

	for (enum fi_op op = 0; op < FI_NUM_OPS; op++) {
		calls[op] = fi_store_calls(op);
		fi_store_fail_always(op);
	}
	zassert_ok(k_mem_unmap(l->va, 6 * PAGE));
	l->va = NULL;
	for (enum fi_op op = 0; op < FI_NUM_OPS; op++) {
		zassert_equal(fi_store_calls(op), calls[op], "unmap called %s", fi_op_name(op));
	}
	fi_store_clear();
	zassert_equal(z_free_page_frame_count(), free, "frames leaked");
	zassert_equal(fi_store_used(), used, "slots leaked");
	assert_invariants();
}

/*
 * k_mem_update_flags() rewrites the entry of a resident page, which clears
 * its hardware dirty bit. A page whose store slot holds an older copy must
 * still be written out at its next eviction, not dropped as clean.
 */
ZTEST(fault_injection, test_update_flags_of_dirty_backed_page_keeps_new_data)
{
	struct live *l = live_map(1, K_MEM_PERM_RW);

	live_write(l, 0);
	zassert_ok(k_mem_page_out(l->va, PAGE));
	zassert_equal(live_bad_access(), 0);
	zassert_true(k_mem_page_frame_is(page_frame(l->va), K_MEM_PAGE_FRAME_BACKED));
	live_write(l, 0); /* newer than the slot */
	zassert_ok(k_mem_update_flags(l->va, PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WB));
	zassert_ok(k_mem_page_out(l->va, PAGE));
	assert_data_quiet();
	zassert_equal(live_bad_access(), 0);
}
