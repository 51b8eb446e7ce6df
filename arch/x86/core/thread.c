/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Threads on x86: the first frame of a new thread, the idle wait, the
 * interrupt stack. The switch itself is arch_switch() in switch.S.
 */
#include <arch/thread.h>
#include <kernel.h>
#include <x86_cpu.h>

/* The top of the interrupt stack (isr.S switches to it); 0 until the kernel sets one. */
uintptr_t z_x86_irq_stack_top;

/* Enters z_thread_entry() with the arguments arch_new_thread() left in callee-saved registers. */
void z_x86_thread_trampoline(void);

/*
 * The frame arch_switch() pops: the callee-saved registers, then the
 * trampoline as return address; after the return the stack pointer is 16
 * bytes below the top, so the trampoline's call is 16-byte aligned.
 */
#ifdef CONFIG_X86_64
struct init_frame {
	uintptr_t r15, r14, r13, r12, rbx, rbp; /* p3, p2, p1, entry, -, - */
	uintptr_t ret;
	uintptr_t pad; /* the top 16 bytes, minus this word */
};
#else
struct init_frame {
	uintptr_t edi, esi, ebx, ebp; /* entry, p1, p2, p3 */
	uintptr_t ret;
	uintptr_t pad[3];
};
#endif

void arch_new_thread(struct k_thread *thread, uintptr_t stack_top, k_thread_entry_t entry, void *p1,
		     void *p2, void *p3)
{
	struct init_frame *f = (struct init_frame *)(ROUND_DOWN(stack_top, 16) - 16U -
						     offsetof(struct init_frame, pad));

#ifdef CONFIG_X86_64
	*f = (struct init_frame){.r12 = (uintptr_t)entry,
				 .r13 = (uintptr_t)p1,
				 .r14 = (uintptr_t)p2,
				 .r15 = (uintptr_t)p3,
				 .ret = (uintptr_t)z_x86_thread_trampoline};
#else
	*f = (struct init_frame){.edi = (uintptr_t)entry,
				 .esi = (uintptr_t)p1,
				 .ebx = (uintptr_t)p2,
				 .ebp = (uintptr_t)p3,
				 .ret = (uintptr_t)z_x86_thread_trampoline};
#endif
	thread->switch_sp = f;
}

void arch_cpu_idle(void)
{
	/* sti takes effect after hlt starts: no interrupt slips in between. */
	__asm__ volatile("sti; hlt" : : : "memory");
}

void arch_irq_stack_set(uintptr_t stack_top)
{
	z_x86_irq_stack_top = ROUND_DOWN(stack_top, 16);
}
