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

/*
 * Memory-partition attributes (<app_memory/mem_domain.h>), the reference's
 * x86 values: the entry bits a partition's pages get in its domain's page
 * tables. A partition never gives more than the kernel's own mapping of
 * the page has (RW only where the kernel maps it writable, XD wherever the
 * kernel has it); US is what it adds.
 */
#ifndef _ASMLANGUAGE
#include <stdint.h>

#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
typedef uint64_t k_mem_partition_attr_t;
#else
typedef uint32_t k_mem_partition_attr_t;
#endif

/* Always true with 32-bit paging, which has no XD. */
#define K_MEM_PARTITION_IS_EXECUTABLE(attr) (((attr)&Z_X86_MMU_XD) == 0)
#define K_MEM_PARTITION_IS_WRITABLE(attr)   (((attr)&Z_X86_MMU_RW) != 0)

#define K_MEM_PARTITION_P_RW_U_RW                                                                  \
	((k_mem_partition_attr_t)(Z_X86_MMU_RW | Z_X86_MMU_US | Z_X86_MMU_XD))
#define K_MEM_PARTITION_P_RW_U_NA   ((k_mem_partition_attr_t)(Z_X86_MMU_RW | Z_X86_MMU_XD))
#define K_MEM_PARTITION_P_RO_U_RO   ((k_mem_partition_attr_t)(Z_X86_MMU_US | Z_X86_MMU_XD))
#define K_MEM_PARTITION_P_RO_U_NA   ((k_mem_partition_attr_t)Z_X86_MMU_XD)
#define K_MEM_PARTITION_P_RWX_U_RWX ((k_mem_partition_attr_t)(Z_X86_MMU_RW | Z_X86_MMU_US))
#define K_MEM_PARTITION_P_RWX_U_NA  ((k_mem_partition_attr_t)Z_X86_MMU_RW)
#define K_MEM_PARTITION_P_RX_U_RX   ((k_mem_partition_attr_t)Z_X86_MMU_US)
#define K_MEM_PARTITION_P_RX_U_NA   ((k_mem_partition_attr_t)0)
#define K_MEM_PARTITION_PERM_MASK                                                                  \
	((k_mem_partition_attr_t)(Z_X86_MMU_RW | Z_X86_MMU_US | Z_X86_MMU_XD))

/* A domain's page tables (arch/x86/core/mem_domain.c). */
struct arch_mem_domain {
	void *ptables; /* its top-level table (the PDPT with PAE); CR3 of its threads */
	uint8_t slot;  /* its set in the table pool */
};
#endif /* !_ASMLANGUAGE */

#endif /* PAGODA_INCLUDE_ARCH_X86_MMUSTRUCTS_H */
