/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A page fault that cannot be served is a fatal error, and its message
 * must say why. Each case sets up one reason, then really touches the page;
 * after() checks the console and that the page comes back once the
 * resource is given back.
 */
#include "harness.h"

/* A written page, paged out. */
static struct live *paged_out_page(void)
{
	struct live *l = live_map(1, K_MEM_PERM_RW);

	live_write(l, 0);
	zassert_ok(k_mem_page_out(l->va, PAGE));
	return l;
}

/* No free frame; the only evictable page is a dirty one of the case's. */
static void one_dirty_victim(void)
{
	bystanders_evict();
	live_write(live_map(1, K_MEM_PERM_RW), 0);
	frames_leave(0);
}

static void read_page(const struct live *l)
{
	(void)*(volatile uint32_t *)l->va;
	zassert_unreachable("the access was served");
}

ZTEST(fault_injection, test_fault_with_every_frame_pinned_is_fatal_with_reason)
{
	struct live *l = paged_out_page();

	bystanders_evict();
	frames_leave(0);
	expect_fatal_fault("every frame in use is pinned");
	read_page(l);
}

ZTEST(fault_injection, test_first_write_with_every_frame_pinned_is_fatal_with_reason)
{
	if (!IS_ENABLED(CONFIG_DEMAND_MAPPING)) {
		ztest_test_skip(); /* no zero pages */
	}

	struct live *l = live_map(1, K_MEM_PERM_RW);

	bystanders_evict();
	frames_leave(0);
	expect_fatal_fault("every frame in use is pinned");
	*(volatile uint32_t *)l->va = 1;
	zassert_unreachable("the write was served");
}

ZTEST(fault_injection, test_fault_with_store_full_is_fatal_with_reason)
{
	struct live *l = paged_out_page();

	one_dirty_victim();
	fi_store_fail_always(FI_LOCATION_GET);
	expect_fatal_fault("the backing store is full");
	read_page(l);
}

ZTEST(fault_injection, test_fault_with_store_write_error_is_fatal_with_reason)
{
	struct live *l = paged_out_page();

	one_dirty_victim();
	fi_store_fail_always(FI_PAGE_OUT);
	expect_fatal_fault("writing it to the backing store failed");
	read_page(l);
}

ZTEST(fault_injection, test_fault_with_store_read_error_is_fatal_with_reason)
{
	struct live *l = paged_out_page();

	fi_store_fail_always(FI_PAGE_IN);
	expect_fatal_fault("reading the page from the backing store failed");
	read_page(l);
}
