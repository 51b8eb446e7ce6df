/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_mem_check_invariants() finds each kind of corruption it claims to: each
 * case breaks one record behind the memory manager's back, expects the
 * checker to report it, repairs it and expects a clean bill again.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE CONFIG_MMU_PAGE_SIZE

static struct k_mem_page_frame *frame_of(void *va)
{
	uintptr_t phys;

	zassert_ok(arch_page_phys_get(va, &phys));
	return k_mem_phys_to_page_frame(phys);
}

ZTEST(mm_invariants, test_hold_at_rest)
{
	uint8_t *mem = k_mem_map(4 * PAGE, K_MEM_PERM_RW);

	zassert_not_null(mem);
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(mem, 4 * PAGE));
	zassert_equal(k_mem_check_invariants(), 0);
}

ZTEST(mm_invariants, test_frame_recording_another_page_is_caught)
{
	uint8_t *mem = k_mem_map(2 * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	struct k_mem_page_frame *pf;

	zassert_not_null(mem);
	pf = frame_of(mem);
	uintptr_t saved = pf->va_and_flags;

	pf->va_and_flags = saved + PAGE; /* names the region's second page */
	zassert_true(k_mem_check_invariants() >= 2, "frame and page disagree both ways");
	pf->va_and_flags = saved;
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(mem, 2 * PAGE));
}

ZTEST(mm_invariants, test_leaked_frame_is_caught)
{
	struct k_mem_page_frame *pf = z_page_frame_alloc();

	zassert_not_null(pf);
	zassert_true(k_mem_check_invariants() >= 1, "a frame off the free list, owned by nobody");
	z_page_frame_free(pf); /* back on top: the list order is restored */
	zassert_equal(k_mem_check_invariants(), 0);
}

ZTEST(mm_invariants, test_free_list_cycle_is_caught)
{
	struct k_mem_page_frame *pf = z_page_frame_alloc();

	zassert_not_null(pf);
	z_page_frame_free(pf); /* pf now heads the free list */

	uintptr_t saved = pf->va_and_flags;
	size_t self = (size_t)(pf - k_mem_page_frames) + 1U;

	pf->va_and_flags = (self << 12) | K_MEM_PAGE_FRAME_FREE; /* links to itself */
	zassert_true(k_mem_check_invariants() >= 1, "the free list loops");
	pf->va_and_flags = saved;
	zassert_equal(k_mem_check_invariants(), 0);
}

ZTEST(mm_invariants, test_mapping_outside_any_region_is_caught)
{
	uint8_t *mem = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	zassert_not_null(mem);
	uintptr_t phys = k_mem_page_frame_to_phys(frame_of(mem));

	zassert_ok(k_mem_unmap(mem, PAGE));
	/* mem is free virtual space again: a mapping there belongs to nobody. */
	unsigned int key = irq_lock();

	arch_mem_map(mem, phys, PAGE, K_MEM_PERM_RW);
	int found = k_mem_check_invariants();

	arch_mem_unmap(mem, PAGE);
	irq_unlock(key);
	zassert_true(found >= 1, "a free page is mapped");
	zassert_equal(k_mem_check_invariants(), 0);
}

ZTEST(mm_invariants, test_mapped_guard_page_is_caught)
{
	uint8_t *mem = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	zassert_not_null(mem);
	uintptr_t phys = k_mem_page_frame_to_phys(frame_of(mem));
	unsigned int key = irq_lock();

	arch_mem_map(mem + PAGE, phys, PAGE, K_MEM_PERM_RW); /* the guard after */
	int found = k_mem_check_invariants();

	arch_mem_unmap(mem + PAGE, PAGE);
	irq_unlock(key);
	zassert_true(found >= 1, "a guard page is mapped");
	zassert_ok(k_mem_unmap(mem, PAGE));
}

ZTEST_SUITE(mm_invariants, NULL, NULL, NULL, NULL, NULL);
