/*
 * The memory-management architecture interface: the contract between the
 * generic memory manager (kernel/mm/) and the page-table code of an
 * architecture (arch/x86/core/paging.c and mmu.c). The generic layer never
 * touches a page-table entry; it only calls these.
 *
 * Every function takes page-aligned addresses; callers serialize calls.
 */
#ifndef PAGODA_INCLUDE_ARCH_MM_H
#define PAGODA_INCLUDE_ARCH_MM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Physical address the page at virt is mapped to, in *phys (may be NULL).
 * Returns 0 when mapped, -EFAULT when not. A page-table walk; never a scan.
 */
int arch_page_phys_get(void *virt, uintptr_t *phys);

/*
 * Pagoda extension: the K_MEM_PERM_* and K_MEM_CACHE_* flags the live page
 * tables give the page at virt. Returns 0 when mapped, -EFAULT when not.
 */
int arch_page_flags_get(void *virt, uint32_t *flags);

/*
 * Pagoda extension: bytes of the preallocated page-table area that hold a
 * paging structure (*used) and its total size (*size).
 */
void arch_pagetables_usage(size_t *used, size_t *size);

#endif /* PAGODA_INCLUDE_ARCH_MM_H */
