/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User mode on x86_64 (CONFIG_USERSPACE): the system-call gate's entry,
 * the user side of the trap, and the drop to ring 3.
 *
 * int $0x80, not syscall (docs/ARCHITECTURE.md, "User mode"): rax = call
 * id, rdi, rsi, rdx, rcx, r8, r9 = arguments 1-6 (the C ABI's registers,
 * so the handler is called as they are); the result in rax. The CPU has
 * switched to the thread's privileged stack (TSS rsp0) and pushed ss, rsp,
 * rflags, cs, rip; the gate is a trap gate, so interrupts stay enabled.
 */
#include <x86_cpu.h>
#ifdef CONFIG_USERSPACE
#include <syscall_list.h>

	.text
	.globl z_x86_syscall_entry
z_x86_syscall_entry:
	cld
	/* An id past the table becomes the bad-call handler's, without a
	 * branch the CPU could speculate past.
	 */
	movl	$K_SYSCALL_BAD, %r11d
	cmpq	$K_SYSCALL_LIMIT, %rax
	cmovaeq	%r11, %rax
	/* The CPU's 5-word frame left rsp 8 bytes off 16-byte alignment. */
	subq	$8, %rsp
	leaq	z_syscall_table(%rip), %r11
	call	*(%r11, %rax, 8)
	addq	$8, %rsp
	/* rax is the result; no other caller-saved register may carry a
	 * kernel value out. rbx, rbp, r12-r15 are callee-saved: the caller's.
	 */
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
#ifdef CONFIG_X86_KPTI
	cli				/* the trampoline stack is shared */
	jmp	z_x86_trampoline_exit
#else
	iretq
#endif

/* uint64_t arch_syscall_invoke6(a1, a2, a3, a4, a5, a6, id), from user mode:
 * the arguments are already where the trap wants them.
 */
	.globl arch_syscall_invoke6
arch_syscall_invoke6:
	movq	8(%rsp), %rax
	int	$X86_SYSCALL_VECTOR
	ret

/*
 * void z_x86_userspace_enter(entry, p1, p2, p3, stack_start, stack_size, priv_top)
 * Moves to the privileged stack, zeroes the user stack (nothing of the
 * kernel's stays readable there) and iretqs to z_thread_user_entry(entry,
 * p1, p2, p3) in ring 3 with every other register cleared.
 */
	.globl z_x86_userspace_enter
z_x86_userspace_enter:
	cli
	movq	8(%rsp), %rax
	movq	%rax, %rsp		/* the privileged stack */
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	movq	%r8, %rdi
	movq	%r9, %rcx
	xorl	%eax, %eax
	cld
	rep stosb			/* rdi ends at the stack's top */
	leaq	-8(%rdi), %r8		/* as after a call: rsp + 8 16-byte aligned */
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	pushq	$X86_SEL_USER_DATA	/* ss */
	pushq	%r8			/* rsp */
	pushq	$0x202			/* rflags: IF */
	pushq	$X86_SEL_USER_CODE	/* cs */
	leaq	z_thread_user_entry(%rip), %rax
	pushq	%rax			/* rip */
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
#ifdef CONFIG_X86_KPTI
	jmp	z_x86_trampoline_exit	/* onto user mode's tables */
#else
	iretq
#endif

#endif /* CONFIG_USERSPACE */
	.section .note.GNU-stack, "", @progbits
