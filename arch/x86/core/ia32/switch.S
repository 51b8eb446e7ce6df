/* SPDX-License-Identifier: Apache-2.0 */
/* Thread switch on ia32 (see <arch/thread.h>). */

	.text
/* void arch_switch(void **switched_from, void *switch_to) */
	.globl arch_switch
arch_switch:
	movl	4(%esp), %eax
	movl	8(%esp), %edx
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, (%eax)
	movl	%edx, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/* A new thread's first return from arch_switch(): edi = entry, esi/ebx/ebp = p1/p2/p3. */
	.globl z_x86_thread_trampoline
z_x86_thread_trampoline:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	call	z_thread_entry

	.section .note.GNU-stack, "", @progbits
