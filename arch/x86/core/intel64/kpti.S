/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The KPTI trampoline on x86_64 (CONFIG_X86_KPTI), on a page of its own that
 * user mode's tables keep (supervisor-only). From ring 3 the CPU enters on
 * the trampoline stack (TSS rsp0), with user mode's tables in CR3: the
 * trampoline loads the kernel's, copies the CPU's frame to the thread's
 * privileged stack (16-byte aligned, as the CPU would have left it there)
 * and goes on as before KPTI. The way out, for a frame that returns to
 * ring 3, is the reverse: the frame onto the trampoline stack, user mode's
 * CR3, iretq. Interrupts are off throughout (interrupt gates; cli on the
 * way out): the trampoline stack is shared.
 */
#include <x86_cpu.h>
#ifdef CONFIG_X86_KPTI

	.section .trampoline.text, "ax"

/* From ring 3: save rax on the trampoline stack, load the kernel's tables,
 * move to the privileged stack; rax then points at the saved rax.
 */
.macro TO_KERNEL
	pushq	%rax
	movq	z_x86_kpti_kcr3(%rip), %rax
	movq	%rax, %cr3
	movq	%rsp, %rax
	movq	z_x86_kpti_priv_top(%rip), %rsp
.endm

/* Push the words at rax + 8 * words down to rax + 8 (the frame above the
 * saved rax), so the new stack holds them in the same order.
 */
.macro COPY_FRAME words
	.set off, \words * 8
	.rept \words
	pushq	off(%rax)
	.set off, off - 8
	.endr
.endm

/* From every stub: vector, error code, rip, cs, rflags, rsp, ss. */
	.globl z_x86_trampoline_isr
z_x86_trampoline_isr:
	testb	$3, 24(%rsp)		/* cs */
	jz	1f
	TO_KERNEL
	COPY_FRAME 7			/* ss, rsp, rflags, cs, rip, error code, vector */
	movq	(%rax), %rax
	jmp	z_x86_isr_common	/* a user fault takes the full path anyway */
	/* From ring 0: on the kernel's tables already. */
1:
#ifdef CONFIG_DEMAND_PAGING
	cmpq	$14, (%rsp)
	je	z_x86_page_fault_common
#endif
	jmp	z_x86_isr_common

/* int $0x80 (an interrupt gate with KPTI): rip, cs, rflags, rsp, ss. */
	.globl z_x86_trampoline_syscall
z_x86_trampoline_syscall:
	TO_KERNEL			/* rax: the call id */
	COPY_FRAME 5			/* ss, rsp, rflags, cs, rip */
	movq	(%rax), %rax
	sti				/* as the trap gate without KPTI */
	jmp	z_x86_syscall_entry

/* Every iretq of the kernel's entry paths but the ring-0 page-fault fast
 * path: rip, cs, rflags, rsp, ss.
 */
	.globl z_x86_trampoline_exit
z_x86_trampoline_exit:
	testb	$3, 8(%rsp)		/* cs */
	jz	1f
	cli
	pushq	%rax
	movq	%rsp, %rax
	leaq	(z_x86_trampoline_stack + X86_TRAMPOLINE_STACK_SIZE)(%rip), %rsp
	COPY_FRAME 5			/* ss, rsp, rflags, cs, rip */
	pushq	(%rax)			/* rax */
	movq	z_x86_kpti_ucr3(%rip), %rax
	movq	%rax, %cr3
	popq	%rax
1:	iretq

#endif /* CONFIG_X86_KPTI */
	.section .note.GNU-stack, "", @progbits
