/*
 * x86 paging structures: entry bits, and the one table of paging levels
 * that drives every walk in all three modes (32-bit, PAE, IA-32e).
 */
#ifndef PAGODA_ARCH_X86_MMU_H
#define PAGODA_ARCH_X86_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
typedef uint64_t pentry_t;
#define X86_MMU_ADDR_MASK 0x000FFFFFFFFFF000ULL /* bits 12-51 */
#define X86_MMU_XD        (1ULL << 63)
#else
typedef uint32_t pentry_t;
#define X86_MMU_ADDR_MASK 0xFFFFF000U
#define X86_MMU_XD        0 /* no execute-disable in 32-bit paging */
#endif

#define X86_MMU_P   ((pentry_t)1 << 0)
#define X86_MMU_RW  ((pentry_t)1 << 1)
#define X86_MMU_US  ((pentry_t)1 << 2)
#define X86_MMU_PWT ((pentry_t)1 << 3)
#define X86_MMU_PCD ((pentry_t)1 << 4)
#define X86_MMU_A   ((pentry_t)1 << 5)
#define X86_MMU_D   ((pentry_t)1 << 6)
#define X86_MMU_PS  ((pentry_t)1 << 7) /* large page, in non-leaf levels */
#define X86_MMU_G   ((pentry_t)1 << 8)

struct x86_paging_level {
	const char *name;
	uint8_t shift;    /* virtual-address bits below this level's index */
	uint16_t entries; /* entries in one table of this level */
};

/* Levels from the top (the table CR3 points at) to the page tables. */
extern const struct x86_paging_level z_x86_paging_levels[];
extern const unsigned int z_x86_num_levels;

/* Kernel virtual address of a paging structure from its physical address.
 * Every paging structure lives in the image's .pagetables area.
 */
pentry_t *z_x86_table_virt(uintptr_t phys);

/* Walk the live tables for virt. Returns the entry where the walk stopped:
 * the page-table entry, a large-page entry, or the first non-present entry;
 * its level index (0 = top) goes to *level.
 */
pentry_t *z_x86_entry_get(const void *virt, unsigned int *level);

/* Print the entry at every level for virt, with its flags decoded. */
void z_x86_dump_walk(const void *virt);

#endif /* PAGODA_ARCH_X86_MMU_H */
