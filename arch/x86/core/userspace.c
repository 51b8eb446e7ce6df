/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User mode on x86 (<arch/syscall.h>): the privileged stack in the TSS,
 * the drop to ring 3, user-accessible stacks. The trap itself is in ia32/
 * and intel64/userspace.S, buffer validation in buffer_validate.c.
 */
#include <arch/syscall.h>
#include <kernel.h>
#include <x86_cpu.h>
#include <x86_mmu.h>

#ifdef CONFIG_USERSPACE

/* userspace.S */
FUNC_NORETURN void z_x86_userspace_enter(k_thread_entry_t entry, void *p1, void *p2, void *p3,
					 uintptr_t stack_start, size_t stack_size,
					 uintptr_t priv_top);

static uintptr_t priv_top(const struct k_thread *t)
{
	return t->priv_stack_start + K_THREAD_STACK_LEN(CONFIG_PRIVILEGED_STACK_SIZE);
}

/* CR3 for thread: its domain's tables (the kernel's before it has one). */
static ALWAYS_INLINE void tables_load(const struct k_thread *thread)
{
	const struct k_mem_domain *domain = thread->mem_domain_info.mem_domain;
	pentry_t *top = domain != NULL ? (pentry_t *)domain->arch.ptables : z_x86_top_table();

	if (top != z_x86_current_ptables) {
		z_x86_current_ptables = top;
#ifdef CONFIG_X86_KPTI
		/* The kernel stays on its own tables; the trampoline loads these. */
		z_x86_kpti_ucr3 = z_x86_table_phys(top);
#else
		z_x86_cr3_set(z_x86_table_phys(top));
#endif
	}
}

/* Where interrupts and system calls from t's user mode land: with KPTI the
 * CPU uses the trampoline stack, which copies its frame to z_x86_kpti_priv_top.
 */
static ALWAYS_INLINE void kernel_stack_set(const struct k_thread *t)
{
#ifdef CONFIG_X86_KPTI
	z_x86_kpti_priv_top = priv_top(t);
#else
	z_x86_tss_kernel_stack_set(priv_top(t));
#endif
}

void z_x86_tables_load(const struct k_thread *thread)
{
	tables_load(thread);
}

void arch_user_switch(struct k_thread *next)
{
	tables_load(next);
	/* A supervisor thread never leaves ring 0, so its TSS value is never used. */
	if (next->priv_stack_start != 0U) {
		kernel_stack_set(next);
	}
}

FUNC_NORETURN void arch_user_mode_enter(k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	struct k_thread *t = k_current_get();

	(void)arch_irq_lock(); /* z_x86_userspace_enter's iret enables them again */
	kernel_stack_set(t);
	z_x86_userspace_enter(entry, p1, p2, p3, t->stack_info.start,
			      t->stack_info.size - t->stack_info.delta, priv_top(t));
}

#endif /* CONFIG_USERSPACE */
