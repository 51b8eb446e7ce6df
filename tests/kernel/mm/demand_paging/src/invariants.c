/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The paging half of k_mem_check_invariants(): a zero frame mapped
 * writable, two pages claiming one backing-store location, a frame left
 * busy. Each case breaks one record, expects a report, repairs it.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE CONFIG_MMU_PAGE_SIZE

ZTEST(paging_invariants, test_writable_zero_frame_is_caught)
{
	uint8_t *mem = k_mem_map(PAGE, K_MEM_PERM_RW); /* demand-mapped: the zero frame */
	uintptr_t zero;
	uint32_t flags;

	zassert_not_null(mem);
	zassert_ok(arch_page_phys_get(mem, &zero));
	zassert_ok(arch_page_flags_get(mem, &flags));
	zassert_equal(flags & K_MEM_PERM_RW, 0, "a zero-frame page must start read-only");

	unsigned int key = irq_lock();

	arch_mem_map(mem, zero, PAGE, flags | K_MEM_PERM_RW);
	int found = k_mem_check_invariants();

	arch_mem_map(mem, zero, PAGE, flags);
	irq_unlock(key);
	zassert_true(found >= 1, "a write would reach every zero page");
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(mem, PAGE));
}

ZTEST(paging_invariants, test_shared_store_location_is_caught)
{
	uint8_t *mem = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	uintptr_t first;
	uintptr_t second;

	zassert_not_null(mem);
	mem[0] = 1;
	mem[PAGE] = 2;
	zassert_ok(k_mem_page_out(mem, 2 * PAGE));
	zassert_equal(arch_page_location_get(mem, &first), ARCH_PAGE_LOCATION_PAGED_OUT);
	zassert_equal(arch_page_location_get(mem + PAGE, &second), ARCH_PAGE_LOCATION_PAGED_OUT);

	/* Re-point the second page's entry at the first page's location. */
	unsigned int key = irq_lock();
	uintptr_t any_frame = K_MEM_PHYS_RAM_START;

	arch_mem_unmap(mem + PAGE, PAGE);
	arch_mem_map(mem + PAGE, any_frame, PAGE, K_MEM_PERM_RW);
	arch_mem_page_out(mem + PAGE, first);
	int found = k_mem_check_invariants();

	arch_mem_unmap(mem + PAGE, PAGE);
	arch_mem_map(mem + PAGE, any_frame, PAGE, K_MEM_PERM_RW);
	arch_mem_page_out(mem + PAGE, second);
	irq_unlock(key);

	zassert_true(found >= 1, "two pages in one store location");
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_equal(mem[0], 1);
	zassert_equal(mem[PAGE], 2, "the repaired page must still read back");
	zassert_ok(k_mem_unmap(mem, 2 * PAGE));
}

ZTEST(paging_invariants, test_busy_frame_at_rest_is_caught)
{
	uint8_t *mem = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uintptr_t phys;

	zassert_not_null(mem);
	zassert_ok(arch_page_phys_get(mem, &phys));

	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);

	k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BUSY);
	int found = k_mem_check_invariants();

	k_mem_page_frame_clear(pf, K_MEM_PAGE_FRAME_BUSY);
	zassert_true(found >= 1, "no transfer is under way");
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(mem, PAGE));
}

ZTEST_SUITE(paging_invariants, NULL, NULL, NULL, NULL, NULL);
