/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architecture's cache maintenance, behind <cache.h> (declarations only,
 * as the rest of include/arch/). Each returns 0 or a negative errno.
 * Defined in arch/x86/core/cache.c when CONFIG_CACHE_MANAGEMENT and
 * CONFIG_DCACHE are set; the instruction cache has no arch calls on x86
 * (it is coherent), so <cache.h> answers -ENOTSUP for it without asking.
 */
#ifndef PAGODA_INCLUDE_ARCH_CACHE_H
#define PAGODA_INCLUDE_ARCH_CACHE_H

#include <stddef.h>

/* Data cache: write back dirty lines (flush), drop lines (invalidate), both. */
int arch_dcache_flush_all(void);
int arch_dcache_invd_all(void);
int arch_dcache_flush_and_invd_all(void);
int arch_dcache_flush_range(void *addr, size_t size);
int arch_dcache_invd_range(void *addr, size_t size);
int arch_dcache_flush_and_invd_range(void *addr, size_t size);
/* Turn the data cache on or off (for the whole CPU). */
void arch_dcache_enable(void);
void arch_dcache_disable(void);
/* Line size in bytes, 0 when the CPU does not report it. */
size_t arch_dcache_line_size_get(void);

#endif /* PAGODA_INCLUDE_ARCH_CACHE_H */
