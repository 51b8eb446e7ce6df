/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 walker through the memory-management arch interface, on the live
 * tables: entries at every level after map/unmap/update, cache bits,
 * accessed/dirty, the paged-out encoding, the scratch page, TLB
 * invalidation, and the faults that must happen.
 *
 * Virtual pages: TEST_PAGES pages of the kernel window that nothing else
 * uses during the suite. They straddle a 4 MiB boundary (a page-table
 * boundary in all three modes, so range operations cross two tables) lying
 * at least 64 pages below the scratch page. The kernel only allocates
 * virtual space for k_mem_map() and friends, top-down, and this suite never
 * calls them; setup checks the range is above the image and unmapped.
 *
 * Physical frames: only those of frames[], a page-aligned buffer of this
 * suite's .bss (physical addresses from arch_page_phys_get()), so no frame
 * anybody else owns is ever touched. The image is physically contiguous,
 * so frames[] is too.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>
#include <sys/errno.h>
#include <x86_mmu.h>
#include <ztest.h>

#define PAGE          ((uintptr_t)CONFIG_MMU_PAGE_SIZE)
#define TABLE_ALIGN   0x400000UL /* a page-table boundary in every mode */
#define TEST_PAGES    32
#define TEST_BOUNDARY ROUND_DOWN((uintptr_t)ARCH_SCRATCH_PAGE - 64 * PAGE, TABLE_ALIGN)
#define TEST_BASE     (TEST_BOUNDARY - (TEST_PAGES / 2) * PAGE)
#define TEST_SIZE     (TEST_PAGES * PAGE)
#define NUM_FRAMES    (TEST_PAGES + 1)
#define RAM_END       ((unsigned long long)CONFIG_SRAM_BASE_ADDRESS + CONFIG_SRAM_SIZE * 1024ULL)

/* Bits the CPU sets on its own. */
#define HW_BITS (X86_MMU_A | X86_MMU_D)

#define MARK(i) (0x5a000000U | (uint32_t)(i))

extern char __kernel_end[];

static uint8_t frames[NUM_FRAMES][CONFIG_MMU_PAGE_SIZE] __aligned(CONFIG_MMU_PAGE_SIZE);
static uintptr_t frame_phys[NUM_FRAMES];

static uintptr_t va(unsigned int page)
{
	return TEST_BASE + page * PAGE;
}

static uint32_t read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static void write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

/* The leaf entry of a window page (never a large page there). */
static pentry_t *leaf(uintptr_t addr)
{
	unsigned int level;
	pentry_t *entry = z_x86_entry_get((void *)addr, &level);

	zassert_equal(level, Z_X86_LEAF_LEVEL, "walk for %p stopped at level %u", (void *)addr,
		      level);
	return entry;
}

/* The present entry bits flags must give, restated from the contract. */
static pentry_t expected_bits(uint32_t flags)
{
	pentry_t bits = X86_MMU_P;

	if ((flags & K_MEM_CACHE_MASK) == K_MEM_CACHE_NONE) {
		bits |= X86_MMU_PCD | X86_MMU_PWT;
	} else if ((flags & K_MEM_CACHE_MASK) == K_MEM_CACHE_WT) {
		bits |= X86_MMU_PWT;
	}
	if ((flags & K_MEM_PERM_RW) != 0) {
		bits |= X86_MMU_RW;
	}
	if ((flags & K_MEM_PERM_EXEC) == 0) {
		bits |= X86_MMU_XD;
	}
	return bits;
}

/* What arch_page_flags_get() reports for a mapping made with flags. */
static uint32_t reported_flags(uint32_t flags)
{
	return IS_ENABLED(CONFIG_X86_XD) ? flags : (flags | K_MEM_PERM_EXEC);
}

static void check_leaf(uintptr_t addr, uintptr_t phys, uint32_t flags)
{
	pentry_t entry = *leaf(addr);

	zassert_equal(entry & ~HW_BITS, (pentry_t)phys | expected_bits(flags),
		      "%p: entry 0x%llx, expected 0x%llx", (void *)addr, (unsigned long long)entry,
		      (unsigned long long)((pentry_t)phys | expected_bits(flags)));
}

static void *suite_setup(void)
{
	for (unsigned int i = 0; i < NUM_FRAMES; i++) {
		zassert_ok(arch_page_phys_get(frames[i], &frame_phys[i]));
		zassert_equal(frame_phys[i], frame_phys[0] + i * PAGE, "frames[] not contiguous");
	}
	zassert_true(TEST_BASE >= (uintptr_t)__kernel_end,
		     "test range %p overlaps the image (ends %p): window too small",
		     (void *)TEST_BASE, (void *)__kernel_end);
	for (unsigned int i = 0; i < TEST_PAGES; i++) {
		zassert_equal(arch_page_location_get((void *)va(i), NULL), ARCH_PAGE_LOCATION_BAD,
			      "test page %p is in use", (void *)va(i));
	}
	return NULL;
}

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	for (unsigned int i = 0; i < NUM_FRAMES; i++) {
		memset(frames[i], 0, PAGE);
		*(uint32_t *)frames[i] = MARK(i);
	}
}

/* Also after a test that ended in an expected fault. */
static void after(void *fixture)
{
	ARG_UNUSED(fixture);
	arch_mem_unmap((void *)TEST_BASE, TEST_SIZE);
	arch_mem_unmap(ARCH_SCRATCH_PAGE, PAGE);
}

ZTEST(x86_mmu, test_map_unmap_entries_at_every_level)
{
	uintptr_t addr = va(3);
	pentry_t *table = z_x86_top_table();
	pentry_t *path[Z_X86_NUM_LEVELS];
	pentry_t upper[Z_X86_NUM_LEVELS];
	unsigned int level;

	arch_mem_map((void *)addr, frame_phys[0], PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WB);
	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		path[i] = &table[z_x86_entry_index(addr, i)];
		upper[i] = *path[i];
		if (i == Z_X86_LEAF_LEVEL) {
			break;
		}
		/* Tables link with P|RW (PAE PDPTEs: P only), never US, XD or PS. */
		pentry_t link =
			(IS_ENABLED(CONFIG_X86_PAE) && i == 0) ? X86_MMU_P : X86_MMU_P | X86_MMU_RW;

		zassert_equal(upper[i] & ~X86_MMU_ADDR_MASK & ~X86_MMU_A, link,
			      "%s entry 0x%llx: bad link flags", z_x86_paging_levels[i].name,
			      (unsigned long long)upper[i]);
		table = z_x86_next_table(upper[i]);
	}
	zassert_equal_ptr(z_x86_entry_get((void *)addr, &level), path[Z_X86_LEAF_LEVEL]);
	zassert_equal(level, Z_X86_LEAF_LEVEL);
	zassert_equal(*path[Z_X86_LEAF_LEVEL],
		      (pentry_t)frame_phys[0] | X86_MMU_P | X86_MMU_RW | X86_MMU_XD,
		      "fresh leaf 0x%llx (A/D must start clear, no US/G/PCD/PWT)",
		      (unsigned long long)*path[Z_X86_LEAF_LEVEL]);
	zassert_equal(read32(addr), MARK(0));

	arch_mem_unmap((void *)addr, PAGE);
	zassert_equal(*path[Z_X86_LEAF_LEVEL], 0, "unmapped leaf is not zero");
	for (unsigned int i = 0; i < Z_X86_LEAF_LEVEL; i++) {
		zassert_equal(*path[i] & ~X86_MMU_A, upper[i] & ~X86_MMU_A,
			      "unmap changed the %s entry", z_x86_paging_levels[i].name);
	}
	zassert_equal(arch_page_phys_get((void *)addr, NULL), -EFAULT);
}

ZTEST(x86_mmu, test_range_across_page_tables)
{
	uint32_t flags = K_MEM_PERM_RW | K_MEM_CACHE_WB;
	uintptr_t phys;

	/* The range really crosses into another table. */
	zassert_equal(z_x86_entry_index(TEST_BOUNDARY, Z_X86_LEAF_LEVEL), 0);

	arch_mem_map((void *)TEST_BASE, frame_phys[0], TEST_SIZE, flags);
	for (unsigned int i = 0; i < TEST_PAGES; i++) {
		check_leaf(va(i), frame_phys[i], flags);
		zassert_equal(read32(va(i)), MARK(i), "page %u reads the wrong frame", i);
		zassert_ok(arch_page_phys_get((void *)(va(i) + 0x123), &phys));
		zassert_equal(phys, frame_phys[i] + 0x123);
	}
	zassert_equal(*leaf(TEST_BASE - PAGE), 0, "page before the range touched");
	zassert_equal(*leaf(TEST_BASE + TEST_SIZE), 0, "page after the range touched");

	/* Unmap a part that spans the boundary: exactly it goes. */
	arch_mem_unmap((void *)va(8), 16 * PAGE);
	for (unsigned int i = 0; i < TEST_PAGES; i++) {
		if (i >= 8 && i < 24) {
			zassert_equal(*leaf(va(i)), 0, "page %u still mapped", i);
		} else {
			check_leaf(va(i), frame_phys[i], flags);
		}
	}
}

ZTEST(x86_mmu, test_remap_updates_flags_in_place)
{
	uintptr_t addr = va(1);
	uint32_t got;

	arch_mem_map((void *)addr, frame_phys[2], PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WB);
	write32(addr + 8, 0x1234);
	arch_mem_map((void *)addr, frame_phys[2], PAGE, K_MEM_PERM_EXEC | K_MEM_CACHE_WT);
	check_leaf(addr, frame_phys[2], K_MEM_PERM_EXEC | K_MEM_CACHE_WT);
	zassert_ok(arch_page_flags_get((void *)addr, &got));
	zassert_equal(got, K_MEM_PERM_EXEC | K_MEM_CACHE_WT);
	zassert_equal(read32(addr + 8), 0x1234);
	arch_mem_map((void *)addr, frame_phys[2], PAGE, K_MEM_PERM_RW | K_MEM_CACHE_NONE);
	check_leaf(addr, frame_phys[2], K_MEM_PERM_RW | K_MEM_CACHE_NONE);
}

ZTEST(x86_mmu, test_cache_modes_and_permissions)
{
	static const uint32_t caches[] = {K_MEM_CACHE_WB, K_MEM_CACHE_WT, K_MEM_CACHE_NONE};
	static const uint32_t perms[] = {0, K_MEM_PERM_RW, K_MEM_PERM_EXEC,
					 K_MEM_PERM_RW | K_MEM_PERM_EXEC};
	uintptr_t addr = va(5);

	for (size_t c = 0; c < ARRAY_SIZE(caches); c++) {
		for (size_t p = 0; p < ARRAY_SIZE(perms); p++) {
			uint32_t flags = caches[c] | perms[p];
			uint32_t got;
			pentry_t entry;

			arch_mem_map((void *)addr, frame_phys[4], PAGE, flags);
			entry = *leaf(addr);
			check_leaf(addr, frame_phys[4], flags);
			zassert_equal((entry & X86_MMU_PCD) != 0, caches[c] == K_MEM_CACHE_NONE);
			zassert_equal((entry & X86_MMU_PWT) != 0, caches[c] != K_MEM_CACHE_WB);
			zassert_false((entry & (X86_MMU_US | X86_MMU_G)) != 0);
			zassert_ok(arch_page_flags_get((void *)addr, &got));
			zassert_equal(got, reported_flags(flags), "flags 0x%x reported as 0x%x",
				      flags, got);
			zassert_equal(read32(addr), MARK(4), "read with cache mode %u", caches[c]);
		}
	}
}

ZTEST(x86_mmu, test_accessed_and_dirty)
{
	uintptr_t addr = va(2);
	uintptr_t location = 0;
	uintptr_t info;

	arch_mem_map((void *)addr, frame_phys[1], PAGE, K_MEM_PERM_RW);
	info = arch_page_info_get((void *)addr, &location, false);
	zassert_equal(info, ARCH_DATA_PAGE_LOADED, "fresh mapping: info 0x%lx",
		      (unsigned long)info);
	zassert_equal(location, frame_phys[1]);

	(void)read32(addr);
	info = arch_page_info_get((void *)addr, NULL, false);
	zassert_equal(info, ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_ACCESSED,
		      "after a read: info 0x%lx", (unsigned long)info);

	write32(addr, 1);
	info = arch_page_info_get((void *)addr, NULL, false);
	zassert_equal(info, ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_ACCESSED | ARCH_DATA_PAGE_DIRTY,
		      "after a write: info 0x%lx", (unsigned long)info);

	/* clear_accessed reports the prior state, then A is clear and D stays. */
	info = arch_page_info_get((void *)addr, NULL, true);
	zassert_equal(info, ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_ACCESSED | ARCH_DATA_PAGE_DIRTY);
	zassert_equal(*leaf(addr) & HW_BITS, X86_MMU_D);
	info = arch_page_info_get((void *)addr, NULL, false);
	zassert_equal(info, ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_DIRTY);

	/* The TLB entry went with A: the next read walks and sets A again. */
	(void)read32(addr);
	info = arch_page_info_get((void *)addr, NULL, false);
	zassert_equal(info, ARCH_DATA_PAGE_LOADED | ARCH_DATA_PAGE_ACCESSED | ARCH_DATA_PAGE_DIRTY,
		      "read after clearing A did not set it: stale TLB entry (info 0x%lx)",
		      (unsigned long)info);
}

/* One page-out/page-in round trip with these flags and this location. */
static void page_out_in(uint32_t flags, uintptr_t location)
{
	uintptr_t addr = va(6);
	uintptr_t where = 1;
	pentry_t entry;
	pentry_t address;
	uint32_t got;

	arch_mem_map((void *)addr, frame_phys[0], PAGE, flags);
	(void)read32(addr); /* set A: page-out must drop it */
	arch_mem_page_out((void *)addr, location);

	entry = *leaf(addr);
	address = entry & X86_MMU_ADDR_MASK;
	zassert_not_equal(entry, 0, "location 0x%lx: paged out looks unmapped",
			  (unsigned long)location);
	zassert_equal(entry & X86_MMU_P, 0);
	zassert_equal(entry & ~X86_MMU_ADDR_MASK,
		      X86_MMU_PAGED_OUT | (expected_bits(flags) & ~X86_MMU_P),
		      "location 0x%lx: flag bits of 0x%llx", (unsigned long)location,
		      (unsigned long long)entry);
	zassert_equal(address, ~(pentry_t)location & X86_MMU_ADDR_MASK,
		      "address bits not inverted");
	/* L1TF: the named frame is nowhere near RAM. */
	zassert_true((unsigned long long)address >= RAM_END, "entry 0x%llx names RAM",
		     (unsigned long long)entry);
#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
	zassert_equal(entry & 0x000FFFFF00000000ULL, 0x000FFFFF00000000ULL,
		      "bits 32-51 not all set: 0x%llx", (unsigned long long)entry);
#else
	zassert_true((entry & 0x80000000U) != 0, "bit 31 clear: 0x%llx", (unsigned long long)entry);
#endif

	zassert_equal(arch_page_location_get((void *)addr, &where), ARCH_PAGE_LOCATION_PAGED_OUT);
	zassert_equal(where, location);
	where = 1;
	zassert_equal(arch_page_info_get((void *)addr, &where, false), 0,
		      "paged out: neither LOADED nor NOT_MAPPED");
	zassert_equal(where, location);
	zassert_equal(arch_page_phys_get((void *)addr, NULL), -EFAULT);
	/* The paged-out entry keeps the permissions and cache mode. */
	zassert_ok(arch_page_flags_get((void *)addr, &got));
	zassert_equal(got, reported_flags(flags));

	arch_mem_page_in((void *)addr, frame_phys[1]);
	zassert_equal(*leaf(addr), (pentry_t)frame_phys[1] | expected_bits(flags),
		      "paged in: 0x%llx (A/D must be clear)", (unsigned long long)*leaf(addr));
	zassert_equal(arch_page_location_get((void *)addr, &where), ARCH_PAGE_LOCATION_PAGED_IN);
	zassert_equal(where, frame_phys[1]);
	zassert_ok(arch_page_flags_get((void *)addr, &got));
	zassert_equal(got, reported_flags(flags));
	zassert_equal(read32(addr), MARK(1), "page-in maps the wrong frame");
	arch_mem_unmap((void *)addr, PAGE);
}

ZTEST(x86_mmu, test_page_out_in_round_trip)
{
	static const uintptr_t locations[] = {0, PAGE, 0x12345000 & X86_MMU_LOCATION_MAX,
					      X86_MMU_LOCATION_MAX - PAGE, X86_MMU_LOCATION_MAX};
	static const uint32_t flag_sets[] = {
		K_MEM_PERM_RW | K_MEM_CACHE_WB,
		K_MEM_PERM_RW | K_MEM_CACHE_NONE,
		K_MEM_PERM_EXEC | K_MEM_CACHE_WT,
		K_MEM_CACHE_WB,
	};

	for (size_t f = 0; f < ARRAY_SIZE(flag_sets); f++) {
		for (size_t l = 0; l < ARRAY_SIZE(locations); l++) {
			page_out_in(flag_sets[f], locations[l]);
		}
	}
}

ZTEST(x86_mmu, test_unmap_of_paged_out_page)
{
	arch_mem_map((void *)va(0), frame_phys[0], PAGE, K_MEM_PERM_RW);
	arch_mem_page_out((void *)va(0), 0);
	arch_mem_unmap((void *)va(0), PAGE);
	zassert_equal(*leaf(va(0)), 0);
	zassert_equal(arch_page_location_get((void *)va(0), NULL), ARCH_PAGE_LOCATION_BAD);
}

ZTEST(x86_mmu, test_location_get_all_cases)
{
	extern char __text_start[];
	uintptr_t where = 0xdead000;
	uintptr_t outside = IS_ENABLED(CONFIG_X86_64) ? (uintptr_t)0x7f0000000000ULL : 0xfff00000U;

	/* Unmapped: BAD, *location untouched. */
	zassert_equal(arch_page_location_get((void *)va(0), &where), ARCH_PAGE_LOCATION_BAD);
	zassert_equal(where, 0xdead000);
	zassert_equal(arch_page_location_get(NULL, &where), ARCH_PAGE_LOCATION_BAD);
	zassert_equal(arch_page_info_get((void *)va(0), &where, false), ARCH_DATA_PAGE_NOT_MAPPED);
	zassert_equal(where, 0xdead000);
	/* An address whose walk stops above the last level. */
	zassert_equal(arch_page_location_get((void *)outside, &where), ARCH_PAGE_LOCATION_BAD);
	zassert_equal(arch_page_info_get((void *)outside, &where, false),
		      ARCH_DATA_PAGE_NOT_MAPPED);

	/* Paged in: the image. */
	zassert_equal(arch_page_location_get(__text_start, &where), ARCH_PAGE_LOCATION_PAGED_IN);
	zassert_equal(where, K_MEM_PHYS_ADDR(__text_start));
	zassert_equal(arch_page_location_get(__text_start, NULL), ARCH_PAGE_LOCATION_PAGED_IN);

	/* Paged out. */
	arch_mem_map((void *)va(0), frame_phys[0], PAGE, K_MEM_PERM_RW);
	arch_mem_page_out((void *)va(0), 0x7000);
	zassert_equal(arch_page_location_get((void *)va(0), &where), ARCH_PAGE_LOCATION_PAGED_OUT);
	zassert_equal(where, 0x7000);
	zassert_equal(arch_page_location_get((void *)va(0), NULL), ARCH_PAGE_LOCATION_PAGED_OUT);
}

ZTEST(x86_mmu, test_scratch_page)
{
	uintptr_t scratch = (uintptr_t)ARCH_SCRATCH_PAGE;
	uint8_t bytes[16];

	arch_mem_scratch(frame_phys[0]);
	zassert_equal(*leaf(scratch) & ~HW_BITS,
		      (pentry_t)frame_phys[0] | X86_MMU_P | X86_MMU_RW | X86_MMU_XD);
	zassert_equal(read32(scratch), MARK(0));
	write32(scratch + 4, 0xfeed);
	zassert_equal(((volatile uint32_t *)frames[0])[1], 0xfeed, "write through scratch lost");

	/* Remapped: the new frame, never the stale translation. */
	arch_mem_scratch(frame_phys[1]);
	zassert_equal(read32(scratch), MARK(1));

	/* Reads of physical memory across a page boundary. */
	memcpy(frames[2] + PAGE - 8, "01234567", 8);
	memcpy(frames[3], "89abcdef", 8);
	z_x86_scratch_read(bytes, frame_phys[2] + PAGE - 8, sizeof(bytes));
	zassert_mem_equal(bytes, "0123456789abcdef", sizeof(bytes));
}

ZTEST(x86_mmu, test_remap_never_uses_stale_translation)
{
	/* One page: map A, read (fills the TLB), map B over it, read. */
	arch_mem_map((void *)va(4), frame_phys[0], PAGE, K_MEM_PERM_RW);
	zassert_equal(read32(va(4)), MARK(0));
	arch_mem_map((void *)va(4), frame_phys[1], PAGE, K_MEM_PERM_RW);
	zassert_equal(read32(va(4)), MARK(1), "read through a stale translation");

	/* A range over two tables, every page cached, shifted by one frame. */
	arch_mem_map((void *)TEST_BASE, frame_phys[0], TEST_SIZE, K_MEM_PERM_RW);
	for (unsigned int i = 0; i < TEST_PAGES; i++) {
		zassert_equal(read32(va(i)), MARK(i));
	}
	arch_mem_map((void *)TEST_BASE, frame_phys[1], TEST_SIZE, K_MEM_PERM_RW);
	for (unsigned int i = 0; i < TEST_PAGES; i++) {
		zassert_equal(read32(va(i)), MARK(i + 1), "page %u: stale translation", i);
	}
}

ZTEST(x86_mmu, test_write_after_downgrade_to_read_only_faults)
{
	arch_mem_map((void *)va(7), frame_phys[0], PAGE, K_MEM_PERM_RW);
	write32(va(7), 1); /* the TLB now holds a writable translation */
	arch_mem_map((void *)va(7), frame_phys[0], PAGE, 0);
	zassert_equal(read32(va(7)), 1);
	ztest_set_fault_valid(true);
	write32(va(7), 2);
	zassert_unreachable("write through a stale writable translation");
}

ZTEST(x86_mmu, test_access_after_unmap_faults)
{
	arch_mem_map((void *)va(9), frame_phys[0], PAGE, K_MEM_PERM_RW);
	zassert_equal(read32(va(9)), MARK(0)); /* cached */
	arch_mem_unmap((void *)va(9), PAGE);
	ztest_set_fault_valid(true);
	(void)read32(va(9));
	zassert_unreachable("read after unmap did not fault");
}

ZTEST(x86_mmu, test_unmapped_access_faults)
{
	ztest_set_fault_valid(true);
	(void)read32(va(10));
	zassert_unreachable("read of an unmapped page did not fault");
}

ZTEST(x86_mmu, test_paged_out_access_faults)
{
	arch_mem_map((void *)va(11), frame_phys[0], PAGE, K_MEM_PERM_RW);
	zassert_equal(read32(va(11)), MARK(0));
	arch_mem_page_out((void *)va(11), 0);
	ztest_set_fault_valid(true);
	(void)read32(va(11));
	zassert_unreachable("read of a paged-out page did not fault");
}

ZTEST(x86_mmu, test_read_only_write_faults)
{
	arch_mem_map((void *)va(12), frame_phys[0], PAGE, K_MEM_CACHE_WB);
	zassert_equal(read32(va(12)), MARK(0));
	ztest_set_fault_valid(true);
	write32(va(12), 0);
	zassert_unreachable("write to a read-only mapping did not fault");
}

static void put_ret(unsigned int frame)
{
	frames[frame][0] = 0xc3; /* ret */
}

ZTEST(x86_mmu, test_exec_mapping_runs)
{
	put_ret(0);
	arch_mem_map((void *)va(13), frame_phys[0], PAGE, K_MEM_PERM_EXEC);
	((void (*)(void))va(13))();
}

ZTEST(x86_mmu, test_non_exec_mapping_faults)
{
	if (!IS_ENABLED(CONFIG_X86_XD)) {
		ztest_test_skip(); /* 32-bit paging cannot forbid execution */
	}
	put_ret(0);
	arch_mem_map((void *)va(14), frame_phys[0], PAGE, K_MEM_PERM_RW);
	ztest_set_fault_valid(true);
	((void (*)(void))va(14))();
	zassert_unreachable("executing a non-EXEC mapping did not fault");
}

ZTEST(x86_mmu, test_map_outside_window_asserts)
{
	if (!IS_ENABLED(CONFIG_ASSERT)) {
		ztest_test_skip();
	}
	ztest_set_assert_valid(true);
	arch_mem_map((void *)((uintptr_t)CONFIG_KERNEL_VM_BASE - PAGE), frame_phys[0], PAGE,
		     K_MEM_PERM_RW);
	zassert_unreachable("mapping below the window did not assert");
}

ZTEST(x86_mmu, test_virt_region_align)
{
	zassert_equal(arch_virt_region_align(0, PAGE), PAGE);
	zassert_equal(arch_virt_region_align(0x200000, 0x200000), PAGE, "only 4 KiB pages");
	zassert_equal(arch_virt_region_align(0x40000000, 0x40000000), PAGE);
}

ZTEST(x86_mmu, test_dumps_run)
{
	size_t used;
	size_t size;

	arch_mem_map((void *)va(0), frame_phys[0], 4 * PAGE, K_MEM_CACHE_WB);
	arch_mem_map((void *)va(4), frame_phys[4], 4 * PAGE, K_MEM_PERM_RW);
	arch_mem_map((void *)va(8), frame_phys[8], 4 * PAGE, K_MEM_PERM_EXEC);
	arch_mem_map((void *)va(12), frame_phys[12], 4 * PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC);
	arch_mem_map((void *)va(16), frame_phys[16], PAGE, K_MEM_PERM_RW);
	arch_mem_page_out((void *)va(16), 0);
	arch_page_tables_dump();
	z_x86_dump_walk((void *)va(16));
	z_x86_dump_walk((void *)va(17));
	z_x86_dump_walk((void *)va(4));

	arch_pagetables_usage(&used, &size);
	zassert_equal(size, (size_t)Z_X86_PAGETABLES_SIZE);
	zassert_true(used > 0 && used <= size, "used %zu of %zu", used, size);
}

ZTEST_SUITE(x86_mmu, NULL, suite_setup, before, after, NULL);
