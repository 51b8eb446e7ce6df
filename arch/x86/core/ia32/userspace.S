/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User mode on ia32 (CONFIG_USERSPACE): the system-call gate's entry, the
 * user side of the trap, and the drop to ring 3.
 *
 * Calling convention of int $0x80: eax = call id; ebx, ecx, edx, esi, edi,
 * ebp = arguments 1-6; the result comes back in edx:eax. The CPU has
 * switched to the thread's privileged stack (TSS esp0) and pushed ss, esp,
 * eflags, cs, eip; the gate is a trap gate, so interrupts stay enabled.
 */
#include <x86_cpu.h>
#ifdef CONFIG_USERSPACE
#include <syscall_list.h>

	.text
	.globl z_x86_syscall_entry
z_x86_syscall_entry:
	pushl	%ebp			/* arguments 6..1, as the handlers take them */
	pushl	%edi
	pushl	%esi
	pushl	%edx
	pushl	%ecx
	pushl	%ebx
	cld
	/* User mode may have loaded anything into ds/es: flat data again
	 * (DPL 3, so the iret back keeps it valid).
	 */
	movl	$X86_SEL_USER_DATA, %ecx
	movw	%cx, %ds
	movw	%cx, %es
	/* An id past the table becomes the bad-call handler's, without a
	 * branch the CPU could speculate past.
	 */
	movl	$K_SYSCALL_BAD, %ecx
	cmpl	$K_SYSCALL_LIMIT, %eax
	cmovael	%ecx, %eax
	call	*z_syscall_table(, %eax, 4)
	addl	$24, %esp
	/* edx:eax is the result; ecx must not carry a kernel value out.
	 * ebx, esi, edi, ebp are callee-saved: the caller's own.
	 */
	xorl	%ecx, %ecx
#ifdef CONFIG_X86_KPTI
	cli				/* the trampoline stack is shared */
	jmp	z_x86_trampoline_exit
#else
	iret
#endif

/* uint64_t arch_syscall_invoke6(a1, a2, a3, a4, a5, a6, id), from user mode. */
	.globl arch_syscall_invoke6
arch_syscall_invoke6:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %ebx
	movl	24(%esp), %ecx
	movl	28(%esp), %edx
	movl	32(%esp), %esi
	movl	36(%esp), %edi
	movl	40(%esp), %ebp
	movl	44(%esp), %eax
	int	$X86_SYSCALL_VECTOR
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/*
 * void z_x86_userspace_enter(entry, p1, p2, p3, stack_start, stack_size, priv_top)
 * Moves to the privileged stack, zeroes the user stack (nothing of the
 * kernel's stays readable there), puts z_thread_user_entry()'s arguments
 * at its top and irets to ring 3 with every register cleared.
 */
	.globl z_x86_userspace_enter
z_x86_userspace_enter:
	cli
	movl	%esp, %esi
	movl	28(%esi), %esp		/* the privileged stack */
	pushl	16(%esi)		/* p3 */
	pushl	12(%esi)		/* p2 */
	pushl	8(%esi)			/* p1 */
	pushl	4(%esi)			/* entry */
	movl	20(%esi), %edi
	movl	24(%esi), %ecx
	xorl	%eax, %eax
	cld
	rep stosb			/* edi ends at the stack's top */
	/* A call's frame: return address 0, then the four arguments, with
	 * the arguments 16-byte aligned as the ABI wants.
	 */
	leal	-20(%edi), %edx
	popl	4(%edx)
	popl	8(%edx)
	popl	12(%edx)
	popl	16(%edx)
	pushl	$X86_SEL_USER_DATA	/* ss */
	pushl	%edx			/* esp */
	pushl	$0x202			/* eflags: IF */
	pushl	$X86_SEL_USER_CODE	/* cs */
	pushl	$z_thread_user_entry	/* eip */
	movl	$X86_SEL_USER_DATA, %eax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
#ifdef CONFIG_X86_KPTI
	jmp	z_x86_trampoline_exit	/* onto user mode's tables */
#else
	iret
#endif

#endif /* CONFIG_USERSPACE */
	.section .note.GNU-stack, "", @progbits
