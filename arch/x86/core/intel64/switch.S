/* SPDX-License-Identifier: Apache-2.0 */
/* Thread switch on x86_64 (see <arch/thread.h>). */

	.text
/* void arch_switch(void **switched_from, void *switch_to) */
	.globl arch_switch
arch_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* A new thread's first return from arch_switch(): r12 = entry, r13/r14/r15 = p1/p2/p3. */
	.globl z_x86_thread_trampoline
z_x86_thread_trampoline:
	movq	%r12, %rdi
	movq	%r13, %rsi
	movq	%r14, %rdx
	movq	%r15, %rcx
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	call	z_thread_entry

	.section .note.GNU-stack, "", @progbits
