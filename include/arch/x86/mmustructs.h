/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 paging-entry bits under the reference's names (Z_X86_MMU_*), for
 * code outside the arch layer; arch/x86/include/x86_mmu.h checks that they
 * are its own and adds the short MMU_* names. Bit 63 (XD) exists only in
 * the PAE and IA-32e modes; in 32-bit two-level paging it is 0.
 */
#ifndef PAGODA_INCLUDE_ARCH_X86_MMUSTRUCTS_H
#define PAGODA_INCLUDE_ARCH_X86_MMUSTRUCTS_H

#define Z_X86_MMU_P   (1ULL << 0) /* present */
#define Z_X86_MMU_RW  (1ULL << 1) /* writable */
#define Z_X86_MMU_US  (1ULL << 2) /* user access */
#define Z_X86_MMU_PWT (1ULL << 3) /* write-through */
#define Z_X86_MMU_PCD (1ULL << 4) /* cache disabled */
#define Z_X86_MMU_A   (1ULL << 5) /* accessed */
#define Z_X86_MMU_D   (1ULL << 6) /* dirty */
#define Z_X86_MMU_PS  (1ULL << 7) /* large page (upper levels); PAT in a page table */
#define Z_X86_MMU_G   (1ULL << 8) /* global */
#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
#define Z_X86_MMU_XD (1ULL << 63) /* execute disable */
#else
#define Z_X86_MMU_XD 0ULL
#endif

#endif /* PAGODA_INCLUDE_ARCH_X86_MMUSTRUCTS_H */
