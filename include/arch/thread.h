/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architecture interface for threads (the memory-management part is
 * <arch/mm.h>, the rest of the CPU <arch/cpu.h>). arch/x86/ implements it
 * for ia32 and x86_64.
 *
 * Every switch is voluntary from the architecture's point of view: the
 * kernel calls arch_switch() with interrupts locked, from a thread or from
 * the tail of the outermost interrupt handler, and the thread switched out
 * resumes in that same call with interrupts still locked. So the interrupt
 * flag travels with the lock key each context holds, and an interrupted
 * thread returns through its own interrupt epilogue.
 */
#ifndef PAGODA_INCLUDE_ARCH_THREAD_H
#define PAGODA_INCLUDE_ARCH_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k_thread;
typedef void (*k_thread_entry_t)(void *p1, void *p2, void *p3);

/*
 * Prepare thread's first switch: build a frame below stack_top (the top of
 * its usable stack, 16-byte aligned) so that arch_switch() to
 * thread->switch_sp enters z_thread_entry(entry, p1, p2, p3) with
 * interrupts locked.
 */
void arch_new_thread(struct k_thread *thread, uintptr_t stack_top, k_thread_entry_t entry, void *p1,
		     void *p2, void *p3);

/* Save the callee-saved state on the current stack, store the stack
 * pointer in *switched_from, and resume the context saved at switch_to.
 */
void arch_switch(void **switched_from, void *switch_to);

/*
 * Leave every interrupt handler running now as if it had returned: the
 * interrupted thread resumes through the outermost interrupt's exit, where
 * the scheduler may switch away from it (it may have been aborted). For a
 * test that ends, or a fault that was expected, in an interrupt handler.
 */
__attribute__((noreturn)) void arch_isr_abandon(void);

/* Wait for an interrupt with interrupts enabled (the idle thread). */
void arch_cpu_idle(void);

/*
 * Called by the kernel once its interrupt stack is mapped: the
 * architecture's handlers run there from the outermost interrupt on.
 */
void arch_irq_stack_set(uintptr_t stack_top);

/* Provided by the kernel. */
/* The first code of every thread: unlocks interrupts, runs entry, ends the thread. */
__attribute__((noreturn)) void z_thread_entry(k_thread_entry_t entry, void *p1, void *p2, void *p3);
/* The tail of the outermost interrupt handler, on the interrupted thread's
 * stack with interrupts locked: switches to a better thread if one is ready.
 */
void z_sched_irq_exit(void);
/*
 * The thread whose stack guard holds addr, or NULL: for the fault handlers
 * to name a stack overflow (K_ERR_STACK_CHK_FAIL) rather than a bad access.
 */
struct k_thread *z_thread_stack_guard_owner(uintptr_t addr);
/* True when addr is in a guard page of the interrupt stack. */
bool z_isr_stack_guard_hit(uintptr_t addr);
/* A thread's name for diagnostics, "(unnamed)" when it has none. */
const char *z_thread_name(const struct k_thread *t);

#endif /* PAGODA_INCLUDE_ARCH_THREAD_H */
