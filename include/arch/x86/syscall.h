/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inline part of <arch/syscall.h> on x86: whether the caller runs in
 * user mode. Every system call's public function asks it before anything
 * else, in kernel mode too, so it is one read of CS, not a call.
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

#endif /* PAGODA_INCLUDE_ARCH_X86_SYSCALL_H */
