/*
 * Memory-management API. Flag names and values follow the widely used RTOS
 * API (k_mem_map() and friends), so applications port unchanged.
 */
#ifndef PAGODA_INCLUDE_KERNEL_MM_H
#define PAGODA_INCLUDE_KERNEL_MM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/util.h>

/* Cache modes (a value, not bits: exactly one applies). */
#define K_MEM_CACHE_NONE 2
#define K_MEM_CACHE_WT   1
#define K_MEM_CACHE_WB   0
#define K_MEM_CACHE_MASK (BIT(3) - 1)

/* Permissions; a mapping without K_MEM_PERM_RW is read-only. */
#define K_MEM_PERM_RW   BIT(3)
#define K_MEM_PERM_EXEC BIT(4)
#define K_MEM_PERM_USER BIT(5)

/* k_mem_map() options. */
#define K_MEM_MAP_UNINIT BIT(16)
#define K_MEM_MAP_LOCK   BIT(17)

/*
 * Pagoda extension: the K_MEM_PERM_* and K_MEM_CACHE_* flags of the page
 * mapped at addr, in *flags. Returns 0, or -EFAULT if addr is not mapped.
 */
int k_mem_page_flags_get(const void *addr, uint32_t *flags);

/*
 * Pagoda extension: print the kernel image's memory map (each region's
 * virtual and physical range, size and live permissions) and how much of
 * the build-time page-table area is in use.
 */
void k_mem_layout_dump(void);

#endif /* PAGODA_INCLUDE_KERNEL_MM_H */
