/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architecture interface for user mode (CONFIG_USERSPACE): entering
 * ring 3, the system-call trap, the privileged stack, buffer validation.
 * Declarations only, as the rest of include/arch/, but for
 * arch_is_user_context(), which every system call's public function runs
 * first, in kernel mode too: it is inline (<arch/x86/syscall.h>), as in
 * the reference. arch/x86/ implements the rest.
 */
#ifndef PAGODA_INCLUDE_ARCH_SYSCALL_H
#define PAGODA_INCLUDE_ARCH_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k_thread;
typedef void (*k_thread_entry_t)(void *p1, void *p2, void *p3);

/* True when the caller runs in user mode (x86: CS's privilege level is 3). */
#include <arch/x86/syscall.h>

/*
 * The system-call trap, from user mode: call id with six word arguments;
 * returns the handler's 64-bit result (x86: edx:eax on ia32, rax on x86_64).
 */
uint64_t arch_syscall_invoke6(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4, uintptr_t a5,
			      uintptr_t a6, uintptr_t id);

/* The reference's traps with fewer arguments (the rest are 0), result cut
 * to a word as there. An id the kernel does not know ends the caller
 * (K_ERR_KERNEL_OOPS).
 */
static inline uintptr_t arch_syscall_invoke0(uintptr_t id)
{
	return (uintptr_t)arch_syscall_invoke6(0, 0, 0, 0, 0, 0, id);
}

static inline uintptr_t arch_syscall_invoke1(uintptr_t a1, uintptr_t id)
{
	return (uintptr_t)arch_syscall_invoke6(a1, 0, 0, 0, 0, 0, id);
}

static inline uintptr_t arch_syscall_invoke2(uintptr_t a1, uintptr_t a2, uintptr_t id)
{
	return (uintptr_t)arch_syscall_invoke6(a1, a2, 0, 0, 0, 0, id);
}

static inline uintptr_t arch_syscall_invoke3(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t id)
{
	return (uintptr_t)arch_syscall_invoke6(a1, a2, a3, 0, 0, 0, id);
}

static inline uintptr_t arch_syscall_invoke4(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
					     uintptr_t id)
{
	return (uintptr_t)arch_syscall_invoke6(a1, a2, a3, a4, 0, 0, id);
}

static inline uintptr_t arch_syscall_invoke5(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
					     uintptr_t a5, uintptr_t id)
{
	return (uintptr_t)arch_syscall_invoke6(a1, a2, a3, a4, a5, 0, id);
}

/*
 * Drop the current thread to user mode for good: its stack
 * (stack_info.start up to start + size - delta, already user-accessible in its memory domain's
 * view, arch_mem_domain_thread_add()) is zeroed, system calls
 * and interrupts will use [priv_start, priv_start + priv_size), and
 * z_thread_user_entry(entry, p1, p2, p3) runs in user mode at the stack's top.
 */
__attribute__((noreturn)) void arch_user_mode_enter(k_thread_entry_t entry, void *p1, void *p2,
						    void *p3);

/*
 * 0 when user mode may read (write: and write) every byte of
 * [addr, addr + size) through the current page tables, else -1; a range
 * that wraps is refused. No speculation past the check uses a refused
 * range (a barrier before returning).
 */
int arch_buffer_validate(const void *addr, size_t size, bool write);

/*
 * arch_user_access_begin() ... arch_user_access_end(): the kernel reads or
 * writes user memory in between (a validated copy); outside, an access to
 * a user-accessible page faults where the CPU can check (x86 SMAP: stac
 * and clac, inline in <arch/x86/syscall.h>).
 */

/* The kernel is about to switch to next: interrupts and system calls taken
 * in its user mode must land on its privileged stack.
 */
void arch_user_switch(struct k_thread *next);

/* Provided by the kernel: the first user-mode code of a user thread (runs
 * entry, then ends the thread through system calls).
 */
__attribute__((noreturn)) void z_thread_user_entry(k_thread_entry_t entry, void *p1, void *p2,
						   void *p3);

#endif /* PAGODA_INCLUDE_ARCH_SYSCALL_H */
