/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inline part of <arch/syscall.h> on x86: whether the caller runs in
 * user mode, and the SMAP brackets of the user copies. Every system call's public function asks it
 * before anything else, in kernel mode too, so it is one read of CS, not a call.
 */
#ifndef PAGODA_INCLUDE_ARCH_X86_SYSCALL_H
#define PAGODA_INCLUDE_ARCH_X86_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

/* CS's requested privilege level is the CPU's current one: 3 in user mode. */
static inline bool arch_is_user_context(void)
{
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return (cs & 3U) != 0U;
}

/* SMAP (CONFIG_X86_SMAP, set when the CPU has it): the kernel's own
 * accesses to user memory set EFLAGS.AC around them. stac and clac are
 * undefined instructions on a CPU without SMAP, hence the flag.
 */
#ifdef CONFIG_X86_SMAP
extern bool z_x86_smap_on;

static inline void arch_user_access_begin(void)
{
	if (z_x86_smap_on) {
		__asm__ volatile("stac" ::: "memory");
	}
}

static inline void arch_user_access_end(void)
{
	if (z_x86_smap_on) {
		__asm__ volatile("clac" ::: "memory");
	}
}
#else
static inline void arch_user_access_begin(void)
{
}

static inline void arch_user_access_end(void)
{
}
#endif

#endif /* PAGODA_INCLUDE_ARCH_X86_SYSCALL_H */
