/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inline forms of <arch/cpu.h>'s interrupt lock on x86, reached only
 * through that header (ARCH_HAS_INLINE_IRQ_LOCK). Every kernel lock is one
 * (irq_lock()), and as calls into cpu.c they cost a call, a return and the
 * key's round trip through the stack at each use: a few instructions of
 * every fault, semaphore give and mutex lock. The contracts are
 * <arch/cpu.h>'s.
 */
#ifndef PAGODA_INCLUDE_ARCH_X86_CPU_INLINE_H
#define PAGODA_INCLUDE_ARCH_X86_CPU_INLINE_H

#include <stdbool.h>
#include <sys/util.h>

/* Host programs that build x86 code (the page-table unit tests) keep the calls. */
#ifndef Z_X86_MMU_HOST_TEST
#define ARCH_HAS_INLINE_IRQ_LOCK 1

/* EFLAGS.IF, the bit of the key that says interrupts were enabled. */
#define Z_X86_IRQ_KEY_IF 0x200U

static ALWAYS_INLINE unsigned int arch_irq_lock(void)
{
	unsigned long flags;

	__asm__ volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
	return (unsigned int)flags;
}

static ALWAYS_INLINE bool arch_irq_unlocked(unsigned int key)
{
	return (key & Z_X86_IRQ_KEY_IF) != 0U;
}

static ALWAYS_INLINE void arch_irq_unlock(unsigned int key)
{
	if (arch_irq_unlocked(key)) {
		__asm__ volatile("sti" : : : "memory");
	}
}

#endif /* !Z_X86_MMU_HOST_TEST */

#endif /* PAGODA_INCLUDE_ARCH_X86_CPU_INLINE_H */
