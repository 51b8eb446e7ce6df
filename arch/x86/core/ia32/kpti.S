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

/* From every stub: vector, error code, eip, cs, eflags (+ esp, ss from ring 3). */
	.globl z_x86_trampoline_isr
z_x86_trampoline_isr:
	testb	$3, 12(%esp)		/* cs */
	jz	z_x86_isr_common	/* from ring 0: on the kernel's tables already */
	pushl	%eax
	movl	z_x86_kpti_kcr3, %eax
	movl	%eax, %cr3
	movl	%esp, %eax
	movl	z_x86_kpti_priv_top, %esp
	pushl	28(%eax)		/* ss */
	pushl	24(%eax)		/* esp */
	pushl	20(%eax)		/* eflags */
	pushl	16(%eax)		/* cs */
	pushl	12(%eax)		/* eip */
	pushl	8(%eax)			/* error code */
	pushl	4(%eax)			/* vector */
	movl	(%eax), %eax
	jmp	z_x86_isr_common

/* int $0x80 (an interrupt gate with KPTI): eip, cs, eflags, esp, ss. */
	.globl z_x86_trampoline_syscall
z_x86_trampoline_syscall:
	pushl	%eax			/* the call id */
	movl	z_x86_kpti_kcr3, %eax
	movl	%eax, %cr3
	movl	%esp, %eax
	movl	z_x86_kpti_priv_top, %esp
	pushl	20(%eax)		/* ss */
	pushl	16(%eax)		/* esp */
	pushl	12(%eax)		/* eflags */
	pushl	8(%eax)			/* cs */
	pushl	4(%eax)			/* eip */
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
	pushl	20(%eax)		/* ss */
	pushl	16(%eax)		/* esp */
	pushl	12(%eax)		/* eflags */
	pushl	8(%eax)			/* cs */
	pushl	4(%eax)			/* eip */
	pushl	(%eax)			/* eax */
	movl	z_x86_kpti_ucr3, %eax
	movl	%eax, %cr3
	popl	%eax
1:	iret

#endif /* CONFIG_X86_KPTI */
	.section .note.GNU-stack, "", @progbits
