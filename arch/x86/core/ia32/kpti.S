/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The KPTI trampoline on ia32 (CONFIG_X86_KPTI), on a page of its own that
 * user mode's tables keep (supervisor-only). From ring 3 the CPU enters on
 * the trampoline stack (TSS esp0), with user mode's tables in CR3: the
 * trampoline loads the kernel's, copies the CPU's frame to the thread's
 * privileged stack and goes on there as before KPTI. The way out, for a
 * frame that returns to ring 3, is the reverse: the frame onto the
 * trampoline stack, user mode's CR3, iret. Interrupts are off throughout
 * (interrupt gates; cli on the way out): the trampoline stack is shared.
 */
#include <x86_cpu.h>
#ifdef CONFIG_X86_KPTI

	.section .trampoline.text, "ax"

/* From ring 3: save eax on the trampoline stack, load the kernel's tables,
 * move to the privileged stack; eax then points at the saved eax.
 */
.macro TO_KERNEL
	pushl	%eax
	movl	z_x86_kpti_kcr3, %eax
	movl	%eax, %cr3
	movl	%esp, %eax
	movl	z_x86_kpti_priv_top, %esp
.endm

/* Push the words at eax + 4 * words down to eax + 4 (the frame above the
 * saved eax), so the new stack holds them in the same order.
 */
.macro COPY_FRAME words
	.set off, \words * 4
	.rept \words
	pushl	off(%eax)
	.set off, off - 4
	.endr
.endm

/* From every stub: vector, error code, eip, cs, eflags (+ esp, ss from ring 3). */
	.globl z_x86_trampoline_isr
z_x86_trampoline_isr:
	testb	$3, 12(%esp)		/* cs */
	jz	z_x86_isr_common	/* from ring 0: on the kernel's tables already */
	TO_KERNEL
	COPY_FRAME 7			/* ss, esp, eflags, cs, eip, error code, vector */
	movl	(%eax), %eax
	jmp	z_x86_isr_common

/* int $0x80 (an interrupt gate with KPTI): eip, cs, eflags, esp, ss. */
	.globl z_x86_trampoline_syscall
z_x86_trampoline_syscall:
	TO_KERNEL			/* eax: the call id */
	COPY_FRAME 5			/* ss, esp, eflags, cs, eip */
	movl	(%eax), %eax
	sti				/* as the trap gate without KPTI */
	jmp	z_x86_syscall_entry

/* Every iret of the kernel's entry paths: eip, cs, eflags (+ esp, ss). */
	.globl z_x86_trampoline_exit
z_x86_trampoline_exit:
	testb	$3, 4(%esp)		/* cs */
	jz	1f
	cli
	pushl	%eax
	movl	%esp, %eax
	movl	$(z_x86_trampoline_stack + X86_TRAMPOLINE_STACK_SIZE), %esp
	COPY_FRAME 5			/* ss, esp, eflags, cs, eip */
	pushl	(%eax)			/* eax */
	movl	z_x86_kpti_ucr3, %eax
	movl	%eax, %cr3
	popl	%eax
1:	iret

#endif /* CONFIG_X86_KPTI */
	.section .note.GNU-stack, "", @progbits
