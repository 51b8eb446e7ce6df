/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's memory barriers (<zephyr/sys/barrier.h>), on x86: a full
 * data fence is mfence; instruction fetch needs no fence after a store on
 * x86 (self-modifying code is detected by the CPU), so the instruction
 * barrier only keeps the compiler from moving accesses across it.
 */
#ifndef PAGODA_INCLUDE_SYS_BARRIER_H
#define PAGODA_INCLUDE_SYS_BARRIER_H

#include <sys/util.h>

static inline void barrier_dmem_fence_full(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

static inline void barrier_dsync_fence_full(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

static inline void barrier_isync_fence_full(void)
{
	compiler_barrier();
}

#endif /* PAGODA_INCLUDE_SYS_BARRIER_H */
