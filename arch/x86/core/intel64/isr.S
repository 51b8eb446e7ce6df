/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 64-bit kernel entry (after the switch to long mode) and the
 * exception/interrupt entry stubs. Every stub pushes an error code (a zero
 * when the CPU pushes none) and its vector, so one common path builds a
 * struct arch_esf.
 */
#include <x86_cpu.h>

	.text
	.globl z_x86_start64
z_x86_start64:
	movq	$(z_interrupt_stacks + CONFIG_ISR_STACK_SIZE), %rsp
	movl	%ebp, %edi		/* bootloader magic */
	movl	%esi, %esi		/* multiboot info, physical (zero-extended) */
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	call	z_x86_prep_c
1:	cli
	hlt
	jmp	1b

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v == 8) | ((v >= 10) & (v <= 14)) | (v == 17) | (v == 21) | (v == 29) | (v == 30))

/* The CPU aligns RSP to 16 before pushing its 5-word frame; with the error
 * code, the vector and 15 registers the frame is 22 words, so RSP is
 * 16-byte aligned at the call, as the ABI wants.
 */
.macro SAVE_ALL
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi		/* struct arch_esf * */
.endm

#ifdef CONFIG_DEMAND_PAGING
/*
 * Page faults (vector 14, after its stub pushed the vector): demand paging
 * resolves nearly all of them, and z_mem_page_fault() is an ordinary C
 * call, which keeps the callee-saved registers. So only the 9 registers a
 * call may clobber are saved for it (with the vector and error code, the
 * frame is 16 words: RSP stays 16-byte aligned). A fault it cannot serve
 * leaves with those registers as they were, and is entered again with the
 * full struct arch_esf for the fatal path (no second attempt).
 */
	.globl z_x86_page_fault_common
z_x86_page_fault_common:
page_fault_common:
#ifdef CONFIG_USERSPACE
	/* A fault from user mode (error code bit U, above the vector) is
	 * served only where the thread's domain lets it touch the page:
	 * z_x86_exception() decides, with the full frame.
	 */
	testb	$4, 8(%rsp)
	jnz	isr_common
#endif
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	cld
	movq	%cr2, %rdi		/* the address */
	movl	104(%rsp), %esi		/* RFLAGS, above the 9 registers, vector, error code, RIP, CS */
	shrl	$9, %esi		/* IF: interrupts were enabled */
	andl	$1, %esi
	xorl	%edx, %edx
	cmpl	$0, z_x86_irq_nesting(%rip)
	setne	%dl			/* in an interrupt handler */
	call	z_mem_page_fault
	movl	%eax, %ecx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	testb	%cl, %cl
	popq	%rcx
	popq	%rax
	jz	page_fault_unresolved
	addq	$16, %rsp		/* vector and error code */
	iretq

page_fault_unresolved:
	SAVE_ALL
	call	z_x86_exception_unresolved
	jmp	isr_restore
#endif

	.globl z_x86_isr_common
z_x86_isr_common:
isr_common:
	SAVE_ALL
	cmpq	$X86_NUM_EXCEPTIONS, 120(%rsp)	/* vector, above the 15 registers */
	jae	1f
	call	z_x86_exception
	jmp	2f
	/* Interrupts: onto the interrupt stack when outermost (once there is
	 * one); on the way out, back on the thread's stack, the outermost one
	 * lets the scheduler switch threads.
	 */
1:	cmpl	$0, z_x86_irq_nesting(%rip)
	jne	3f
	movq	z_x86_irq_stack_top(%rip), %rax
	testq	%rax, %rax
	jz	3f
	movq	%rax, %rsp
3:	pushq	%rdi			/* the interrupted stack, to return to */
	subq	$8, %rsp		/* keep the call 16-byte aligned */
	call	z_x86_irq
	addq	$8, %rsp
	popq	%rsp
	cmpl	$0, z_x86_irq_nesting(%rip)
	jne	2f
irq_exit_outermost:
	call	z_sched_irq_exit
2:
isr_restore:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector and error code */
#ifdef CONFIG_X86_KPTI
	jmp	z_x86_trampoline_exit	/* user mode's tables when back to ring 3 */
#else
	iretq
#endif

/* arch_isr_abandon(): back to the interrupted stack the outermost interrupt
 * saved at the top of the interrupt stack, and out through its exit.
 */
	.globl arch_isr_abandon
arch_isr_abandon:
	cli
	movl	$0, z_x86_irq_nesting(%rip)
	movq	z_x86_irq_stack_top(%rip), %rax
	movq	-8(%rax), %rsp
	jmp	irq_exit_outermost

/* One stub per vector, 16 bytes apart: stub v is at z_x86_isr_stub_base + 16 * v.
 * Each is at most 9 bytes (two 2-byte pushes and a 5-byte jmp). With KPTI
 * they are on the trampoline page (the CPU may enter them on user mode's
 * tables) and all go to the trampoline, which moves to the kernel's tables
 * and sends page faults taken in ring 0 to page_fault_common.
 */
#ifdef CONFIG_X86_KPTI
	.section .trampoline.text, "ax"
#endif
	.balign 16
	.globl z_x86_isr_stub_base
z_x86_isr_stub_base:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48
	.balign 16
	.ifeq HAS_ERROR_CODE(\v)
	pushq	$0
	.endif
	pushq	$\v
#if defined(CONFIG_X86_KPTI)
	jmp	z_x86_trampoline_isr
#elif defined(CONFIG_DEMAND_PAGING)
	.if \v == 14
	jmp	page_fault_common
	.else
	jmp	isr_common
	.endif
#else
	jmp	isr_common
#endif
.endr

	.section .note.GNU-stack, "", @progbits
