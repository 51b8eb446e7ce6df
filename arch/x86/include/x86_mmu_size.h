/*
 * Size of the build-time page-table area (the .pagetables placeholder).
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
 * Pure constant expressions over the CONFIG_ macros (from -imacros
 * autoconf.h), so the result can size a static array. Arithmetic is unsigned
 * long long so a 32-bit window ending at 4 GiB does not overflow.
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

/* Shifts of the non-leaf levels: their entries select the tables below. */
#if defined(CONFIG_X86_64)
/* IA-32e: PML4 (39) -> PDPT (30) -> PD (21) -> PT */
#define Z_X86_NUM_LEVELS 4
#define Z_X86_NUM_TABLES                                                                           \
	(1ULL + Z_X86_TABLES_BELOW(39) + Z_X86_TABLES_BELOW(30) + Z_X86_TABLES_BELOW(21))
#elif defined(CONFIG_X86_PAE)
/* PAE: PDPT (30) -> PD (21) -> PT */
#define Z_X86_NUM_LEVELS 3
#define Z_X86_NUM_TABLES (1ULL + Z_X86_TABLES_BELOW(30) + Z_X86_TABLES_BELOW(21))
#else
/* 32-bit: PD (22) -> PT */
#define Z_X86_NUM_LEVELS 2
#define Z_X86_NUM_TABLES (1ULL + Z_X86_TABLES_BELOW(22))
#endif

#define Z_X86_PAGETABLES_SIZE (Z_X86_NUM_TABLES * 4096ULL)

#endif /* PAGODA_ARCH_X86_INCLUDE_X86_MMU_SIZE_H_ */
