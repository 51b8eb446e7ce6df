/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 walker (arch/x86/core/mmu.c, mmu_dump.c) on the host, over
 * in-memory tables, in the paging mode the including test folder defines
 * (tests/unit/x86_mmu_32, _pae, _64). What the CPU does cannot be checked
 * here (tests/arch/x86/mmu does that); what can: exact entry values for
 * every flag combination, which TLB invalidations are issued (the host hook
 * records each), range operations over several page tables laid out out of
 * order, the paged-out encoding for many locations, large pages and
 * non-present upper levels in the queries, and the assertions.
 *
 * The tables are built as gen_mmu.py builds them for the window (top table
 * first, every table of the window linked), except that the lower tables
 * are placed in reverse order: a walker that ran off the end of one page
 * table into the next, instead of walking again, would write the wrong
 * entries.
 */
#include <arch/mm.h>
#include <arch/syscall.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>
#include <sys/errno.h>
#include <x86_mmu.h>
#include <ztest.h>

#include "host_tables.h"

#define PAGE      ((uintptr_t)CONFIG_MMU_PAGE_SIZE)
#define VM_BASE   ((uintptr_t)CONFIG_KERNEL_VM_BASE)
#define VM_SIZE   ((uintptr_t)CONFIG_KERNEL_VM_SIZE)
#define VM_END    (VM_BASE + VM_SIZE)
#define NUM_PAGES (VM_SIZE / PAGE)
#define PT_SPAN   ((uintptr_t)Z_X86_PT_ENTRIES * PAGE) /* what one page table maps */
#define HW_BITS   (X86_MMU_A | X86_MMU_D)

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	host_tables_build();
	host_num_flushes = 0;
}

/* ---- expectations ---------------------------------------------------------- */

static const uint32_t caches[] = {K_MEM_CACHE_WB, K_MEM_CACHE_WT, K_MEM_CACHE_NONE};
static const uint32_t perms[] = {0, K_MEM_PERM_RW, K_MEM_PERM_EXEC,
				 K_MEM_PERM_RW | K_MEM_PERM_EXEC};

static pentry_t expected_bits(uint32_t flags)
{
	pentry_t bits = X86_MMU_P;

	switch (flags & K_MEM_CACHE_MASK) {
	case K_MEM_CACHE_NONE:
		bits |= X86_MMU_PCD | X86_MMU_PWT;
		break;
	case K_MEM_CACHE_WT:
		bits |= X86_MMU_PWT;
		break;
	default:
		break;
	}
	if ((flags & K_MEM_PERM_RW) != 0) {
		bits |= X86_MMU_RW;
	}
#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
	if ((flags & K_MEM_PERM_EXEC) == 0) {
		bits |= (pentry_t)1 << 63;
	}
#endif
	return bits;
}

static uint32_t reported_flags(uint32_t flags)
{
	return IS_ENABLED(CONFIG_X86_XD) ? flags : (flags | K_MEM_PERM_EXEC);
}

/* ---- tests ------------------------------------------------------------------- */

ZTEST(x86_walker, test_level_table)
{
#if defined(CONFIG_X86_64)
	static const char *const names[] = {"PML4", "PDPT", "PD", "PT"};
	static const unsigned int shifts[] = {39, 30, 21, 12};
	static const unsigned int entries[] = {512, 512, 512, 512};
	/* 0x0000_7fc0_3fe0_1000: every index different and non-zero. */
	uintptr_t va = (255ULL << 39) | (1ULL << 30) | (255ULL << 21) | (1ULL << 12);
	static const unsigned int index[] = {255, 1, 255, 1};
#elif defined(CONFIG_X86_PAE)
	static const char *const names[] = {"PDPT", "PD", "PT"};
	static const unsigned int shifts[] = {30, 21, 12};
	static const unsigned int entries[] = {4, 512, 512};
	uintptr_t va = 0xc0603000U;
	static const unsigned int index[] = {3, 3, 3};
#else
	static const char *const names[] = {"PD", "PT"};
	static const unsigned int shifts[] = {22, 12};
	static const unsigned int entries[] = {1024, 1024};
	uintptr_t va = 0xc0603000U;
	static const unsigned int index[] = {769, 515};
#endif

	zassert_equal(Z_X86_NUM_LEVELS, ARRAY_SIZE(names));
	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		zassert_str_equal(z_x86_paging_levels[i].name, names[i]);
		zassert_equal(z_x86_paging_levels[i].shift, shifts[i]);
		zassert_equal(z_x86_paging_levels[i].entries, entries[i]);
		zassert_equal(z_x86_entry_index(va, i), index[i], "%s index", names[i]);
	}
	zassert_equal(sizeof(pentry_t), IS_ENABLED(CONFIG_X86_XD) ? 8 : 4);
}

ZTEST(x86_walker, test_map_every_flag_combination)
{
	uintptr_t va = VM_BASE + 7 * PAGE;
	uintptr_t phys = 0x00345000;

	for (size_t c = 0; c < ARRAY_SIZE(caches); c++) {
		for (size_t p = 0; p < ARRAY_SIZE(perms); p++) {
			uint32_t flags = caches[c] | perms[p];
			uint32_t got = 0;

			host_num_flushes = 0;
			arch_mem_unmap((void *)va, PAGE);
			zassert_equal(host_num_flushes, c + p == 0 ? 0 : 1,
				      "unmap of a present page");
			host_num_flushes = 0;
			arch_mem_map((void *)va, phys, PAGE, flags);
			zassert_equal(*host_pte(va), (pentry_t)phys | expected_bits(flags),
				      "flags 0x%x: entry 0x%llx", flags,
				      (unsigned long long)*host_pte(va));
			zassert_equal(host_num_flushes, 0, "fresh mapping invalidated");
			zassert_ok(arch_page_flags_get((void *)va, &got));
			zassert_equal(got, reported_flags(flags));
			/* Remapping a present page invalidates it, once. */
			arch_mem_map((void *)va, phys, PAGE, flags);
			zassert_equal(host_num_flushes, 1);
			zassert_equal(host_flushes[0], va);
		}
	}
	/* Bits the CPU set and foreign bits go away with a remap. */
	*host_pte(va) |= HW_BITS;
	arch_mem_map((void *)va, phys + PAGE, PAGE, K_MEM_PERM_RW);
	zassert_equal(*host_pte(va), (pentry_t)(phys + PAGE) | expected_bits(K_MEM_PERM_RW));
}

/* A range over three page tables, starting and ending inside one. */
ZTEST(x86_walker, test_range_operations_walk_per_table)
{
	uintptr_t start = ROUND_UP(VM_BASE, PT_SPAN) + PT_SPAN - 5 * PAGE;
	size_t pages = 2 * Z_X86_PT_ENTRIES + 10;
	uintptr_t phys = 0x01000000;
	uint32_t flags = K_MEM_PERM_RW | K_MEM_CACHE_WT;
	pentry_t sentinel = z_x86_paged_out_entry(X86_MMU_RW, 0x5000);

	zassert_true(start + (pages + 1) * PAGE <= VM_END, "window too small for the test");
	/* Neighbours hold a value the range must not touch. */
	*host_pte(start - PAGE) = sentinel;
	*host_pte(start + pages * PAGE) = sentinel;

	arch_mem_map((void *)start, phys, pages * PAGE, flags);
	for (size_t i = 0; i < pages; i++) {
		zassert_equal(*host_pte(start + i * PAGE),
			      (pentry_t)(phys + i * PAGE) | expected_bits(flags), "page %zu", i);
	}
	zassert_equal(*host_pte(start - PAGE), sentinel, "page before the range written");
	zassert_equal(*host_pte(start + pages * PAGE), sentinel, "page after the range written");
	zassert_equal(host_num_flushes, 0, "fresh range invalidated");

	/* Remapped: every page invalidated, each once, in order. */
	arch_mem_map((void *)start, phys + PAGE, pages * PAGE, flags);
	zassert_equal(host_num_flushes, pages);
	for (size_t i = 0; i < pages; i++) {
		zassert_equal(host_flushes[i], start + i * PAGE);
		zassert_equal(*host_pte(start + i * PAGE) & X86_MMU_ADDR_MASK,
			      (pentry_t)(phys + (i + 1) * PAGE));
	}

	/* Unmap: only present entries are invalidated; paged-out ones are cleared too. */
	arch_mem_page_out((void *)(start + 3 * PAGE), 0);
	arch_mem_page_out((void *)(start + PT_SPAN), PAGE);
	host_num_flushes = 0;
	arch_mem_unmap((void *)start, pages * PAGE);
	zassert_equal(host_num_flushes, pages - 2);
	for (size_t i = 0; i < pages; i++) {
		zassert_equal(*host_pte(start + i * PAGE), 0, "page %zu not cleared", i);
	}
	zassert_equal(*host_pte(start - PAGE), sentinel);
	zassert_equal(*host_pte(start + pages * PAGE), sentinel);

	/* Size 0 changes nothing. */
	arch_mem_map((void *)start, phys, 0, flags);
	arch_mem_unmap((void *)start, 0);
	zassert_equal(*host_pte(start), 0);
	zassert_equal(host_num_flushes, pages - 2);
}

ZTEST(x86_walker, test_unmap_collect_across_tables)
{
	uintptr_t start = ROUND_UP(VM_BASE, PT_SPAN) + PT_SPAN - 3 * PAGE;
	size_t pages = Z_X86_PT_ENTRIES + 6;
	uintptr_t phys = 0x01000000;
	static uintptr_t held[1024 + 6]; /* a table holds at most 1024 entries */
	pentry_t sentinel = z_x86_paged_out_entry(X86_MMU_RW, 0x5000);

	zassert_true(start + (pages + 1) * PAGE <= VM_END, "window too small for the test");
	arch_mem_map((void *)start, phys, pages * PAGE, K_MEM_PERM_RW);
	arch_mem_page_out((void *)(start + 2 * PAGE), 0x7000);
	arch_mem_page_out((void *)(start + 3 * PAGE), 0); /* location 0 is valid too */
	arch_mem_unmap((void *)(start + 4 * PAGE), PAGE);
	held[pages - 1] = 0; /* must not be written past count */
	*host_pte(start + (pages - 1) * PAGE) = sentinel;
	host_num_flushes = 0;

	arch_mem_unmap_collect((void *)start, pages - 1, held);
	zassert_equal(held[0], phys | ARCH_PAGE_LOCATION_PAGED_IN);
	zassert_equal(ARCH_PAGE_HELD_STATE(held[2]), ARCH_PAGE_LOCATION_PAGED_OUT);
	zassert_equal(ARCH_PAGE_HELD_LOCATION(held[2]), 0x7000);
	zassert_equal(held[3], ARCH_PAGE_LOCATION_PAGED_OUT);
	zassert_equal(held[4], ARCH_PAGE_LOCATION_BAD);
	zassert_equal(ARCH_PAGE_HELD_LOCATION(held[Z_X86_PT_ENTRIES]),
		      phys + Z_X86_PT_ENTRIES * PAGE, "first page of the second table");
	zassert_equal(held[pages - 1], 0, "wrote past count");
	for (size_t i = 0; i < pages - 1; i++) {
		zassert_equal(*host_pte(start + i * PAGE), 0, "page %zu not cleared", i);
	}
	zassert_equal(*host_pte(start + (pages - 1) * PAGE), sentinel,
		      "page after the range written");
	/* Only the pages that were present can be in a TLB. */
	zassert_equal(host_num_flushes, pages - 4);
	zassert_equal(host_flushes[0], start);
	zassert_equal(host_flushes[2], start + 5 * PAGE);
}

ZTEST(x86_walker, test_whole_window)
{
	arch_mem_map((void *)VM_BASE, 0, VM_SIZE, K_MEM_PERM_RW);
	for (uintptr_t i = 0; i < NUM_PAGES; i++) {
		zassert_equal(*host_pte(VM_BASE + i * PAGE) & X86_MMU_ADDR_MASK,
			      (pentry_t)(i * PAGE));
	}
	arch_mem_unmap((void *)VM_BASE, VM_SIZE);
	zassert_equal(host_num_flushes, NUM_PAGES);
	for (uintptr_t i = 0; i < NUM_PAGES; i++) {
		zassert_equal(*host_pte(VM_BASE + i * PAGE), 0);
	}
}

ZTEST(x86_walker, test_page_out_encoding)
{
	static const uintptr_t fixed[] = {0,
					  PAGE,
					  2 * PAGE,
					  0x7ffff000 & X86_MMU_LOCATION_MAX,
					  X86_MMU_LOCATION_MAX - PAGE,
					  X86_MMU_LOCATION_MAX};
	uint32_t rng = 0x2545f491;
	uintptr_t va = VM_BASE + 3 * PAGE;

	for (size_t n = 0; n < ARRAY_SIZE(fixed) + 200; n++) {
		uintptr_t location;
		uint32_t flags = caches[n % 3] | perms[(n / 3) % 4];
		pentry_t entry;
		pentry_t address;

		if (n < ARRAY_SIZE(fixed)) {
			location = fixed[n];
		} else {
			rng ^= rng << 13;
			rng ^= rng >> 17;
			rng ^= rng << 5;
			location = (uintptr_t)rng & X86_MMU_LOCATION_MAX;
		}
		arch_mem_map((void *)va, 0x00777000, PAGE, flags);
		*host_pte(va) |= HW_BITS;
		host_num_flushes = 0;
		arch_mem_page_out((void *)va, location);
		zassert_equal(host_num_flushes, 1, "page-out must invalidate");

		entry = *host_pte(va);
		address = entry & X86_MMU_ADDR_MASK;
		zassert_not_equal(entry, 0, "location 0x%lx: looks unmapped",
				  (unsigned long)location);
		zassert_equal(entry & X86_MMU_P, 0);
		zassert_equal(address, ~(pentry_t)location & X86_MMU_ADDR_MASK);
		zassert_equal(entry & ~X86_MMU_ADDR_MASK,
			      X86_MMU_PAGED_OUT | (expected_bits(flags) & ~X86_MMU_P));
#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
		zassert_equal(address >> 32, 0xfffff, "entry 0x%llx", (unsigned long long)entry);
#else
		zassert_true(address >= 0x80000000U, "entry 0x%llx", (unsigned long long)entry);
#endif
		zassert_equal(z_x86_paged_out_location(entry), location);

		uintptr_t where = 1;

		zassert_equal(arch_page_location_get((void *)va, &where),
			      ARCH_PAGE_LOCATION_PAGED_OUT);
		zassert_equal(where, location);
		where = 1;
		zassert_equal(arch_page_info_get((void *)va, &where, false), 0);
		zassert_equal(where, location);
		zassert_equal(arch_page_phys_get((void *)va, NULL), -EFAULT);

		host_num_flushes = 0;
		arch_mem_page_in((void *)va, 0x00888000);
		zassert_equal(host_num_flushes, 0, "page-in of a non-present entry invalidated");
		zassert_equal(*host_pte(va), (pentry_t)0x00888000 | expected_bits(flags),
			      "page-in: 0x%llx", (unsigned long long)*host_pte(va));
		zassert_equal(arch_page_location_get((void *)va, &where),
			      ARCH_PAGE_LOCATION_PAGED_IN);
		zassert_equal(where, 0x00888000);
	}
}

ZTEST(x86_walker, test_info_accessed_dirty)
{
	uintptr_t va = VM_BASE + 9 * PAGE;
	uintptr_t where = 0;

	arch_mem_map((void *)va, 0x00123000, PAGE, K_MEM_PERM_RW);
	zassert_equal(arch_page_info_get((void *)va, &where, true), ARCH_DATA_PAGE_LOADED);
	zassert_equal(where, 0x00123000);
	zassert_equal(host_num_flushes, 0, "A was clear: no TLB entry to drop");

	*host_pte(va) |= X86_MMU_A; /* what the CPU does on a read */
	zassert_equal(arch_page_info_get((void *)va, NULL, false),
		      ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_ACCESSED);
	*host_pte(va) |= X86_MMU_D;
	zassert_equal(arch_page_info_get((void *)va, NULL, true),
		      ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_ACCESSED | ARCH_DATA_PAGE_DIRTY);
	zassert_equal(host_num_flushes, 1);
	zassert_equal(host_flushes[0], va);
	zassert_equal(*host_pte(va),
		      (pentry_t)0x00123000 | expected_bits(K_MEM_PERM_RW) | X86_MMU_D);
	zassert_equal(arch_page_info_get((void *)va, NULL, false),
		      ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_DIRTY);

	/* Not mapped: *location untouched. */
	where = 77;
	zassert_equal(arch_page_info_get((void *)(va + PAGE), &where, false),
		      ARCH_DATA_PAGE_NOT_MAPPED);
	zassert_equal(where, 77);
}

/* A large page in the level above the page tables (never made by the
 * walker, but the queries must read it right), and an upper level that
 * is not present.
 */
ZTEST(x86_walker, test_queries_on_large_and_missing_levels)
{
	unsigned int level = Z_X86_LEAF_LEVEL - 1; /* the PD: large pages in every mode */
	uintptr_t span = (uintptr_t)1 << z_x86_paging_levels[level].shift;
	uintptr_t va = ROUND_DOWN(VM_BASE, span) + 100 * span; /* same PD, unused entry */
	uintptr_t phys;
	uint32_t flags;
	unsigned int got_level;
	pentry_t *upper;

	zassert_true(va >= VM_END, "window covers the test entry");
	upper = z_x86_entry_get((void *)va, &got_level);
	zassert_equal(got_level, level, "walk should stop at the unused entry");
	zassert_equal(*upper, 0);
	zassert_equal(arch_page_location_get((void *)va, NULL), ARCH_PAGE_LOCATION_BAD);
	zassert_equal(arch_page_info_get((void *)va, NULL, false), ARCH_DATA_PAGE_NOT_MAPPED);
	zassert_equal(arch_page_phys_get((void *)va, NULL), -EFAULT);
	zassert_equal(arch_page_flags_get((void *)va, &flags), -EFAULT);

	/* Large page at 0x40000000, with the PAT bit (12) set. */
	*upper = (pentry_t)0x40000000 | X86_MMU_P | X86_MMU_RW | X86_MMU_PS | ((pentry_t)1 << 12);
	zassert_ok(arch_page_phys_get((void *)(va + 0x12345), &phys));
	zassert_equal(phys, 0x40012345);
	zassert_equal(arch_page_location_get((void *)(va + span - PAGE), &phys),
		      ARCH_PAGE_LOCATION_PAGED_IN);
	zassert_equal(phys, 0x40000000 + span - PAGE);
	zassert_ok(arch_page_flags_get((void *)va, &flags));
	zassert_equal(flags, reported_flags(K_MEM_PERM_RW | K_MEM_PERM_EXEC));
	z_x86_dump_walk((void *)va);
	*upper = 0;

	/* The top level not present: every query says not mapped. */
	va = IS_ENABLED(CONFIG_X86_64) ? (uintptr_t)0x7f0000000000ULL : (uintptr_t)0xfff00000U;
	upper = z_x86_entry_get((void *)va, &got_level);
	zassert_equal(got_level, 0);
	zassert_equal(arch_page_location_get((void *)va, NULL), ARCH_PAGE_LOCATION_BAD);
	zassert_equal(arch_page_phys_get((void *)va, NULL), -EFAULT);
	z_x86_dump_walk((void *)va);
}

ZTEST(x86_walker, test_scratch_mapping)
{
	uintptr_t scratch = (uintptr_t)ARCH_SCRATCH_PAGE;

	zassert_equal(scratch, VM_END - PAGE);
	arch_mem_scratch(0x00042000);
	zassert_equal(*host_pte(scratch), (pentry_t)0x00042000 | expected_bits(K_MEM_PERM_RW));
	zassert_equal(host_num_flushes, 0);
	arch_mem_scratch(0x00043000);
	zassert_equal(*host_pte(scratch) & X86_MMU_ADDR_MASK, 0x00043000);
	zassert_equal(host_num_flushes, 1);
	zassert_equal(host_flushes[0], scratch);
}

ZTEST(x86_walker, test_virt_region_align)
{
	zassert_equal(arch_virt_region_align(0x200000, 0x400000), PAGE);
	zassert_equal(arch_virt_region_align(0x1000, 0x1000), PAGE);
}

ZTEST(x86_walker, test_dump_and_usage)
{
	size_t used;
	size_t size;
	size_t page_tables = (VM_END - 1) / PT_SPAN - VM_BASE / PT_SPAN + 1;
	size_t upper_tables = (size_t)(Z_X86_PAGETABLES_SIZE / PAGE) - page_tables;

	arch_pagetables_usage(&used, &size);
	zassert_equal(size, (size_t)Z_X86_PAGETABLES_SIZE);
	zassert_equal(used, upper_tables * PAGE, "empty page tables count as unused");

	arch_mem_map((void *)(VM_BASE + PAGE), 0x1000, 2 * PAGE, 0);
	arch_mem_map((void *)(VM_BASE + 3 * PAGE), 0x3000, 2 * PAGE, K_MEM_PERM_RW);
	arch_mem_map((void *)(VM_BASE + 5 * PAGE), 0x5000, 2 * PAGE, K_MEM_PERM_EXEC);
	arch_mem_map((void *)(VM_BASE + 7 * PAGE), 0x7000, 2 * PAGE,
		     K_MEM_PERM_RW | K_MEM_PERM_EXEC);
	arch_mem_map((void *)(VM_BASE + 9 * PAGE), 0x9000, PAGE, 0);
	arch_mem_page_out((void *)(VM_BASE + 9 * PAGE), 0);
	arch_mem_map((void *)(VM_END - 70 * PAGE), 0x9000, PAGE, 0);
	arch_page_tables_dump();
	z_x86_dump_walk((void *)(VM_BASE + 9 * PAGE));
	z_x86_dump_walk((void *)(VM_BASE + 3 * PAGE));

	arch_pagetables_usage(&used, &size);
	zassert_true(used > upper_tables * PAGE);
}

/* ---- assertions: each ends its test ----------------------------------------------- */

ZTEST(x86_walker, test_assert_unaligned_address)
{
	ztest_set_assert_valid(true);
	arch_mem_map((void *)(VM_BASE + 0x10), 0x1000, PAGE, 0);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_unaligned_size)
{
	ztest_set_assert_valid(true);
	arch_mem_unmap((void *)VM_BASE, PAGE + 1);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_unaligned_phys)
{
	ztest_set_assert_valid(true);
	arch_mem_map((void *)VM_BASE, 0x1001, PAGE, 0);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_below_window)
{
	ztest_set_assert_valid(true);
	arch_mem_map((void *)(VM_BASE - PAGE), 0x1000, PAGE, 0);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_past_window_end)
{
	ztest_set_assert_valid(true);
	arch_mem_unmap((void *)(VM_END - PAGE), 2 * PAGE);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_unknown_cache_mode)
{
	ztest_set_assert_valid(true);
	arch_mem_map((void *)VM_BASE, 0x1000, PAGE, 5);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_map_user_kept_by_page_out)
{
	uintptr_t va = VM_BASE + 9 * PAGE;
	uint32_t flags;

	/* K_MEM_PERM_USER gives US; a page-out keeps it (and RW) for the
	 * page-in, and the page reads back with the same permissions.
	 */
	arch_mem_map((void *)va, 0x1000, PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER);
	zassert_true((*host_pte(va) & X86_MMU_US) != 0);
	arch_mem_page_out((void *)va, 0x5000);
	zassert_true((*host_pte(va) & (X86_MMU_US | X86_MMU_RW)) == (X86_MMU_US | X86_MMU_RW));
	zassert_ok(arch_page_flags_get((void *)va, &flags));
	zassert_equal(flags & (K_MEM_PERM_USER | K_MEM_PERM_RW), K_MEM_PERM_USER | K_MEM_PERM_RW);
	arch_mem_page_in((void *)va, 0x2000);
	zassert_true((*host_pte(va) & (X86_MMU_P | X86_MMU_US | X86_MMU_RW)) ==
		     (X86_MMU_P | X86_MMU_US | X86_MMU_RW));
	/* Without the flag: supervisor-only, paged out or not. */
	arch_mem_map((void *)va, 0x1000, PAGE, K_MEM_PERM_RW);
	arch_mem_page_out((void *)va, 0x5000);
	zassert_true((*host_pte(va) & X86_MMU_US) == 0);
}

ZTEST(x86_walker, test_assert_page_out_not_present)
{
	ztest_set_assert_valid(true);
	arch_mem_page_out((void *)VM_BASE, 0);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_page_out_location_too_large)
{
	arch_mem_map((void *)VM_BASE, 0x1000, PAGE, 0);
	ztest_set_assert_valid(true);
	arch_mem_page_out((void *)VM_BASE, X86_MMU_LOCATION_MAX + PAGE);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_page_in_present)
{
	arch_mem_map((void *)VM_BASE, 0x1000, PAGE, 0);
	ztest_set_assert_valid(true);
	arch_mem_page_in((void *)VM_BASE, 0x2000);
	zassert_unreachable("no assertion");
}

ZTEST(x86_walker, test_assert_missing_table)
{
	/* A corrupted upper level: the walker refuses to write through it. */
	(z_x86_top_table())[z_x86_entry_index(VM_BASE, 0)] = 0;
	ztest_set_assert_valid(true);
	arch_mem_map((void *)VM_BASE, 0x1000, PAGE, 0);
	zassert_unreachable("no assertion");
}

/* ---- arch_buffer_validate() -------------------------------------------------------- */

/* bits on every upper-level entry on the way to va (PAE PDPTEs have no US/RW). */
static void path_bits(uintptr_t va, pentry_t bits, bool set)
{
	pentry_t *table = (pentry_t *)z_x86_pagetables_start;

	for (unsigned int level = 0; level < Z_X86_LEAF_LEVEL; level++) {
		const struct x86_paging_level *info = &z_x86_paging_levels[level];
		pentry_t *entry = &table[(va >> info->shift) & (info->entries - 1U)];

		if (!(IS_ENABLED(CONFIG_X86_PAE) && level == 0)) {
			*entry = set ? (*entry | bits) : (*entry & ~bits);
		}
		table = (pentry_t *)((uintptr_t)(*entry & X86_MMU_ADDR_MASK) +
				     z_x86_host_virt_offset);
	}
}

/* pages pages from va mapped with flags, user-accessible when user. */
static void map_user(uintptr_t va, size_t pages, uint32_t flags, bool user)
{
	arch_mem_map((void *)va, 0x00400000, pages * PAGE, flags);
	for (size_t i = 0; i < pages; i++) {
		path_bits(va + i * PAGE, X86_MMU_US, true);
		if (user) {
			*host_pte(va + i * PAGE) |= X86_MMU_US;
		}
	}
}

ZTEST(x86_walker, test_buffer_validate_pages)
{
	uintptr_t rw = VM_BASE + 16 * PAGE; /* user RW, then user RO, then supervisor RW */
	uintptr_t ro = rw + PAGE;
	uintptr_t sv = ro + PAGE;

	map_user(rw, 1, K_MEM_PERM_RW, true);
	map_user(ro, 1, 0, true);
	map_user(sv, 1, K_MEM_PERM_RW, false);
	zassert_equal(arch_buffer_validate((void *)rw, PAGE, true), 0);
	zassert_equal(arch_buffer_validate((void *)(rw + 5), 1, false), 0);
	zassert_equal(arch_buffer_validate((void *)ro, PAGE, false), 0);
	zassert_equal(arch_buffer_validate((void *)ro, 1, true), -1, "read-only page written");
	/* Straddling: each page counts. */
	zassert_equal(arch_buffer_validate((void *)(ro - 2), 4, false), 0);
	zassert_equal(arch_buffer_validate((void *)(ro - 2), 4, true), -1);
	zassert_equal(arch_buffer_validate((void *)(sv - 1), 2, false), -1, "into supervisor");
	zassert_equal(arch_buffer_validate((void *)sv, 1, false), -1);
	zassert_equal(arch_buffer_validate((void *)(sv + PAGE), 1, false), -1, "unmapped");
	zassert_equal(arch_buffer_validate((void *)sv, 0, true), 0, "nothing to access");
}

ZTEST(x86_walker, test_buffer_validate_paged_out)
{
	/* A paged-out user page counts by the permissions it keeps for the
	 * page-in: the copy then faults it in.
	 */
	uintptr_t rw = VM_BASE + 40 * PAGE;
	uintptr_t ro = rw + PAGE;
	uintptr_t sv = ro + PAGE;

	map_user(rw, 1, K_MEM_PERM_RW | K_MEM_PERM_USER, true);
	map_user(ro, 1, K_MEM_PERM_USER, true);
	map_user(sv, 1, K_MEM_PERM_RW, false);
	arch_mem_page_out((void *)rw, 0x1000);
	arch_mem_page_out((void *)ro, 0x2000);
	arch_mem_page_out((void *)sv, 0x3000);
	zassert_equal(arch_buffer_validate((void *)rw, PAGE, true), 0);
	zassert_equal(arch_buffer_validate((void *)ro, PAGE, false), 0);
	zassert_equal(arch_buffer_validate((void *)ro, 1, true), -1, "read-only, paged out");
	zassert_equal(arch_buffer_validate((void *)sv, 1, false), -1, "supervisor, paged out");
	zassert_equal(arch_buffer_validate((void *)rw, 2 * PAGE, false), 0);
	zassert_equal(arch_buffer_validate((void *)rw, 3 * PAGE, false), -1);
}

ZTEST(x86_walker, test_buffer_validate_upper_levels)
{
	uintptr_t va = VM_BASE + 32 * PAGE;

	map_user(va, 1, K_MEM_PERM_RW, true);
	zassert_equal(arch_buffer_validate((void *)va, 8, true), 0);
	/* RW cleared above the leaf: read still allowed, write not (no RW at
	 * all in a PAE PDPTE, which path_bits() skips).
	 */
	path_bits(va, X86_MMU_RW, false);
	zassert_equal(arch_buffer_validate((void *)va, 8, false), 0);
	zassert_equal(arch_buffer_validate((void *)va, 8, true), -1);
	path_bits(va, X86_MMU_RW, true);
	/* US cleared above the leaf: nothing. */
	path_bits(va, X86_MMU_US, false);
	zassert_equal(arch_buffer_validate((void *)va, 8, false), -1);
}

ZTEST(x86_walker, test_buffer_validate_ranges)
{
	/* A range over more than one page table, all user: the walk reaches its end. */
	uintptr_t start = ROUND_UP(VM_BASE, PT_SPAN) + PT_SPAN - 3 * PAGE;
	size_t pages = Z_X86_PT_ENTRIES + 6;

	zassert_true(start + pages * PAGE <= VM_END, "window too small for the test");
	map_user(start, pages, K_MEM_PERM_RW, true);
	zassert_equal(arch_buffer_validate((void *)start, pages * PAGE, true), 0);
	/* Only the last page not user: refused. */
	*host_pte(start + (pages - 1) * PAGE) &= ~X86_MMU_US;
	zassert_equal(arch_buffer_validate((void *)start, pages * PAGE, false), -1);
	zassert_equal(arch_buffer_validate((void *)start, (pages - 1) * PAGE, false), 0);
	/* Sizes that wrap, or end where the walk cannot decode, are refused
	 * before any walk.
	 */
	zassert_equal(arch_buffer_validate((void *)start, SIZE_MAX, false), -1);
	zassert_equal(arch_buffer_validate((void *)(UINTPTR_MAX - 1), 4, false), -1);
	zassert_equal(arch_buffer_validate((void *)start, (size_t)1 << 48, false), -1);
#ifdef CONFIG_X86_64
	/* The non-canonical alias of a user page (bit 47 set). */
	zassert_equal(arch_buffer_validate((void *)(start | ((uintptr_t)1 << 47)), 1, false), -1);
#endif
}

ZTEST_SUITE(x86_walker, NULL, NULL, before, NULL, NULL);
