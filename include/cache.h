/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cache maintenance, Zephyr's sys_cache_*() API (the reference's
 * <zephyr/cache.h>). Every call returns 0 on success and -ENOTSUP when the
 * operation is not available: without CONFIG_CACHE_MANAGEMENT, without
 * CONFIG_DCACHE for the data calls, without CONFIG_ICACHE for the
 * instruction calls (never set on x86, whose instruction cache snoops
 * memory: the sys_cache_instr_*() calls always return -ENOTSUP there).
 *
 * x86 notes (arch/x86/core/cache.c):
 * - a range is widened to whole cache lines; each line is written back and
 *   invalidated with clflushopt when CPUID has it, clflush otherwise, then
 *   mfence; a CPU with neither gets wbinvd (the whole cache: a superset);
 * - x86 has no instruction that only invalidates a line (clflush always
 *   writes it back first), so the *_invd_range() calls also write back:
 *   the data in memory is kept, never lost;
 * - the *_all() calls are wbinvd: the invalidate-only instruction (invd)
 *   would throw away the kernel's own dirty lines, so sys_cache_data_invd_all()
 *   writes back too.
 */
#ifndef PAGODA_INCLUDE_CACHE_H
#define PAGODA_INCLUDE_CACHE_H

#include <arch/cache.h>
#include <errno.h>
#include <stddef.h>
#include <sys/util.h>

#if defined(CONFIG_CACHE_MANAGEMENT) && defined(CONFIG_DCACHE)
#define Z_DCACHE_CALL(call) return call
#else
#define Z_DCACHE_CALL(call) return -ENOTSUP
#endif

/* The instruction cache has no arch calls (see above). */
#define Z_ICACHE_CALL() return -ENOTSUP

static ALWAYS_INLINE void sys_cache_data_enable(void)
{
#if defined(CONFIG_CACHE_MANAGEMENT) && defined(CONFIG_DCACHE)
	arch_dcache_enable();
#endif
}

static ALWAYS_INLINE void sys_cache_data_disable(void)
{
#if defined(CONFIG_CACHE_MANAGEMENT) && defined(CONFIG_DCACHE)
	arch_dcache_disable();
#endif
}

static ALWAYS_INLINE void sys_cache_instr_enable(void)
{
}

static ALWAYS_INLINE void sys_cache_instr_disable(void)
{
}

static ALWAYS_INLINE int sys_cache_data_flush_all(void)
{
	Z_DCACHE_CALL(arch_dcache_flush_all());
}

static ALWAYS_INLINE int sys_cache_data_invd_all(void)
{
	Z_DCACHE_CALL(arch_dcache_invd_all());
}

static ALWAYS_INLINE int sys_cache_data_flush_and_invd_all(void)
{
	Z_DCACHE_CALL(arch_dcache_flush_and_invd_all());
}

static ALWAYS_INLINE int sys_cache_data_flush_range(void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	Z_DCACHE_CALL(arch_dcache_flush_range(addr, size));
}

static ALWAYS_INLINE int sys_cache_data_invd_range(void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	Z_DCACHE_CALL(arch_dcache_invd_range(addr, size));
}

static ALWAYS_INLINE int sys_cache_data_flush_and_invd_range(void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	Z_DCACHE_CALL(arch_dcache_flush_and_invd_range(addr, size));
}

static ALWAYS_INLINE int sys_cache_instr_flush_all(void)
{
	Z_ICACHE_CALL();
}

static ALWAYS_INLINE int sys_cache_instr_invd_all(void)
{
	Z_ICACHE_CALL();
}

static ALWAYS_INLINE int sys_cache_instr_flush_and_invd_all(void)
{
	Z_ICACHE_CALL();
}

static ALWAYS_INLINE int sys_cache_instr_flush_range(void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	Z_ICACHE_CALL();
}

static ALWAYS_INLINE int sys_cache_instr_invd_range(void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	Z_ICACHE_CALL();
}

static ALWAYS_INLINE int sys_cache_instr_flush_and_invd_range(void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	Z_ICACHE_CALL();
}

/* Data-cache line size in bytes; 0 when unknown or without the d-cache API. */
static ALWAYS_INLINE size_t sys_cache_data_line_size_get(void)
{
#if defined(CONFIG_CACHE_MANAGEMENT) && defined(CONFIG_DCACHE)
	return arch_dcache_line_size_get();
#else
	return 0;
#endif
}

/* No instruction-cache line to report on x86. */
static ALWAYS_INLINE size_t sys_cache_instr_line_size_get(void)
{
	return 0;
}

#endif /* PAGODA_INCLUDE_CACHE_H */
