/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel window runs out for real: physical mappings fill it, so
 * every map call fails at the region allocation. Nothing may change, live
 * memory keeps working, and once space is freed every call works again.
 */
#include "harness.h"

#define PHYS K_MEM_PHYS_RAM_END /* past RAM: aliases of RAM the memory manager owns are refused */

ZTEST(fault_injection, test_virtual_space_exhausted_every_map_fails_then_works)
{
	struct live *l = live_map(2, K_MEM_PERM_RW);
	uint8_t *v = (uint8_t *)1;

	live_write_all(l);
	vspace_fill();

	uint32_t digest = z_mm_state_digest();

	zassert_is_null(k_mem_map(PAGE, K_MEM_PERM_RW));
	zassert_is_null(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK));
	zassert_is_null(k_mem_map_phys_guard(PHYS, PAGE, K_MEM_PERM_RW, false));
	zassert_equal(k_mem_map_phys_bare(&v, PHYS, PAGE, K_MEM_CACHE_WB), -ENOMEM);
	zassert_is_null(v, "*virt_ptr not cleared");
	zassert_equal(z_mm_state_digest(), digest, "a map that found no space changed the state");
	assert_data_quiet();
	assert_invariants();

	/* Paging needs no virtual space of its own. */
	zassert_ok(k_mem_page_out(l->va, 2 * PAGE));
	zassert_equal(live_bad_access(), 0);

	/* Recovery. */
	vspace_release();

	void *anon = k_mem_map(PAGE, K_MEM_PERM_RW);
	void *locked = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	void *guarded = k_mem_map_phys_guard(PHYS, PAGE, K_MEM_PERM_RW, false);

	zassert_not_null(anon);
	live_write(live_add(anon, 1), 0);
	zassert_not_null(locked);
	live_write(live_add(locked, 1), 0);
	zassert_not_null(guarded);
	zassert_ok(k_mem_map_phys_bare(&v, PHYS, PAGE, K_MEM_CACHE_WB));
	zassert_ok(k_mem_unmap_phys_bare(v, PAGE));
	zassert_ok(k_mem_unmap_phys_guard(guarded, PAGE, false));
	assert_data_quiet();
}

/* A hole of exactly h free pages: a mapping one page too big fails, an exact one fits. */
ZTEST(fault_injection, test_virtual_space_exhausted_by_one_page_at_each_size)
{
	for (size_t hole = 3; hole <= 6; hole++) {
		uint8_t *h = NULL;
		uint8_t *v = (uint8_t *)1;

		zassert_ok(k_mem_map_phys_bare(&h, PHYS, hole * PAGE, K_MEM_CACHE_WB));
		vspace_fill();
		zassert_ok(k_mem_unmap_phys_bare(h, hole * PAGE));

		uint32_t digest = z_mm_state_digest();

		/* With its two guard pages, hole - 1 pages is one page too many. */
		zassert_is_null(k_mem_map((hole - 1) * PAGE, K_MEM_PERM_RW), "hole %zu", hole);
		zassert_is_null(k_mem_map((hole - 1) * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK));
		zassert_equal(k_mem_map_phys_bare(&v, PHYS, (hole + 1) * PAGE, K_MEM_CACHE_WB),
			      -ENOMEM);
		zassert_is_null(v);
		zassert_equal(z_mm_state_digest(), digest, "a failed map changed the state");
		assert_data_quiet();
		assert_invariants();

		void *m = k_mem_map((hole - 2) * PAGE, K_MEM_PERM_RW);

		zassert_not_null(m, "an exact fit of %zu pages failed", hole - 2);

		struct live *l = live_add(m, hole - 2);

		live_write_all(l);
		zassert_is_null(k_mem_map(PAGE, K_MEM_PERM_RW), "the window is not full");
		assert_data_quiet();
		live_unmap(l);
		zassert_ok(k_mem_map_phys_bare(&v, PHYS, hole * PAGE, K_MEM_CACHE_WB));
		zassert_ok(k_mem_unmap_phys_bare(v, hole * PAGE));
		vspace_release();
	}
}
