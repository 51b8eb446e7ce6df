/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Paging geometry and the size of the build-time page-table area (the
 * .pagetables placeholder), as constant expressions over the CONFIG_ macros
 * (from -imacros autoconf.h).
 *
 * The geometry (levels, shifts, entries per table, entry size) is the one C
 * spelling of it: the level table in x86_mmu.h is built from it, x86_mmu.h
 * asserts at build time that it forms a consistent chain, and
 * tests/scripts/test_gen_mmu.py checks that it equals gen_mmu.py's
 * PAGING_MODES.
 *
 * The first link reserves Z_X86_PAGETABLES_SIZE zero bytes; scripts/gen_mmu.py
 * then fills exactly that many bytes with tables, and fails the build if its
 * own computation differs. Keep this formula and pagetables_size() in
 * scripts/gen_mmu.py identical.
 *
 * Tables are preallocated for the kernel virtual window
 * [CONFIG_KERNEL_VM_BASE, +CONFIG_KERNEL_VM_SIZE) plus, when the kernel does
 * not run at its load address, the identity-mapped boot page
 * [CONFIG_SRAM_BASE_ADDRESS, +4096). The area holds one 4 KiB page for the
 * top-level table (the 32-byte PAE PDPT too) and one per distinct table each
 * lower level needs to cover that union of ranges.
 *
 * The size is usable as a static array size. Arithmetic is unsigned long long
 * so a 32-bit window ending at 4 GiB does not overflow. Nothing here expands
 * to C unless used, so assembly includes this header too (boot.S).
 */
#ifndef PAGODA_ARCH_X86_INCLUDE_X86_MMU_SIZE_H_
#define PAGODA_ARCH_X86_INCLUDE_X86_MMU_SIZE_H_

/* First and last byte of the window; "last" avoids overflow at the top. */
#define Z_X86_VM_FIRST  ((unsigned long long)(CONFIG_KERNEL_VM_BASE))
#define Z_X86_VM_LAST   (Z_X86_VM_FIRST + (unsigned long long)(CONFIG_KERNEL_VM_SIZE)-1ULL)
#define Z_X86_BOOT_PAGE ((unsigned long long)(CONFIG_SRAM_BASE_ADDRESS))

/*
 * Tables of a level whose tables each cover 2^s bytes (s = shift of the
 * parent level): those the window touches, plus one for the boot page when
 * it is mapped separately and falls outside them.
 */
#define Z_X86_BOOT_EXTRA(s)                                                                        \
	((Z_X86_VM_FIRST != Z_X86_BOOT_PAGE &&                                                     \
	  ((Z_X86_BOOT_PAGE >> (s)) < (Z_X86_VM_FIRST >> (s)) ||                                   \
	   (Z_X86_BOOT_PAGE >> (s)) > (Z_X86_VM_LAST >> (s))))                                     \
		 ? 1ULL                                                                            \
		 : 0ULL)
#define Z_X86_TABLES_BELOW(s)                                                                      \
	((Z_X86_VM_LAST >> (s)) - (Z_X86_VM_FIRST >> (s)) + 1ULL + Z_X86_BOOT_EXTRA(s))

/*
 * The levels, from the top (the table CR3 points at, level 0) down to the
 * page tables: Z_X86_LEVEL<n>_SHIFT is the lowest virtual-address bit of
 * level n's index, Z_X86_LEVEL<n>_ENTRIES the entries in one table of level
 * n; Z_X86_ENTRY_SIZE is the bytes per entry at every level and
 * Z_X86_VA_BITS the virtual-address bits the top level translates. The
 * shifts of the non-leaf levels select the tables below them, so they give
 * the count.
 */
#if defined(CONFIG_X86_64)
/* IA-32e: PML4 (39) -> PDPT (30) -> PD (21) -> PT (12) */
#define Z_X86_NUM_LEVELS     4
#define Z_X86_ENTRY_SIZE     8
#define Z_X86_VA_BITS        48
#define Z_X86_LEVEL0_SHIFT   39
#define Z_X86_LEVEL0_ENTRIES 512
#define Z_X86_LEVEL1_SHIFT   30
#define Z_X86_LEVEL1_ENTRIES 512
#define Z_X86_LEVEL2_SHIFT   21
#define Z_X86_LEVEL2_ENTRIES 512
#define Z_X86_LEVEL3_SHIFT   12
#define Z_X86_LEVEL3_ENTRIES 512
#define Z_X86_NUM_TABLES                                                                           \
	(1ULL + Z_X86_TABLES_BELOW(Z_X86_LEVEL0_SHIFT) + Z_X86_TABLES_BELOW(Z_X86_LEVEL1_SHIFT) +  \
	 Z_X86_TABLES_BELOW(Z_X86_LEVEL2_SHIFT))
#elif defined(CONFIG_X86_PAE)
/* PAE: PDPT (30) -> PD (21) -> PT (12) */
#define Z_X86_NUM_LEVELS     3
#define Z_X86_ENTRY_SIZE     8
#define Z_X86_VA_BITS        32
#define Z_X86_LEVEL0_SHIFT   30
#define Z_X86_LEVEL0_ENTRIES 4
#define Z_X86_LEVEL1_SHIFT   21
#define Z_X86_LEVEL1_ENTRIES 512
#define Z_X86_LEVEL2_SHIFT   12
#define Z_X86_LEVEL2_ENTRIES 512
#define Z_X86_NUM_TABLES                                                                           \
	(1ULL + Z_X86_TABLES_BELOW(Z_X86_LEVEL0_SHIFT) + Z_X86_TABLES_BELOW(Z_X86_LEVEL1_SHIFT))
#else
/* 32-bit: PD (22) -> PT (12) */
#define Z_X86_NUM_LEVELS     2
#define Z_X86_ENTRY_SIZE     4
#define Z_X86_VA_BITS        32
#define Z_X86_LEVEL0_SHIFT   22
#define Z_X86_LEVEL0_ENTRIES 1024
#define Z_X86_LEVEL1_SHIFT   12
#define Z_X86_LEVEL1_ENTRIES 1024
#define Z_X86_NUM_TABLES     (1ULL + Z_X86_TABLES_BELOW(Z_X86_LEVEL0_SHIFT))
#endif

/* Level n's shift and entries, n a literal (0 = top). */
#define Z_X86_LEVEL_SHIFT(n)   Z_X86_LEVEL##n##_SHIFT
#define Z_X86_LEVEL_ENTRIES(n) Z_X86_LEVEL##n##_ENTRIES

#define Z_X86_PAGETABLES_SIZE (Z_X86_NUM_TABLES * 4096ULL)

/*
 * Kernel virtual minus physical address: the image is linked at
 * CONFIG_KERNEL_VM_BASE and loaded at CONFIG_SRAM_BASE_ADDRESS (Kconfig keeps
 * the base at or above the load address). The one definition in arch/x86, for
 * assembly (boot.S) and C (Z_X86_VIRT_OFFSET in x86_mmu.h).
 */
#define Z_X86_KERNEL_VIRT_OFFSET (CONFIG_KERNEL_VM_BASE - CONFIG_SRAM_BASE_ADDRESS)

#endif /* PAGODA_ARCH_X86_INCLUDE_X86_MMU_SIZE_H_ */
