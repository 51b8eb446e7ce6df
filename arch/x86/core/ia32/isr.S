/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 32-bit kernel entry (after paging is on) and the exception/interrupt
 * entry stubs. Every stub pushes an error code (a zero when the CPU pushes
 * none) and its vector, so one common path builds a struct arch_esf.
 */
#include <x86_cpu.h>

	.text
	.globl z_x86_start32
z_x86_start32:
	movl	$(z_interrupt_stacks + CONFIG_ISR_STACK_SIZE), %esp
	pushl	%esi			/* multiboot info, physical */
	pushl	%ebp			/* bootloader magic */
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	call	z_x86_prep_c
1:	cli
	hlt
	jmp	1b

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v == 8) | ((v >= 10) & (v <= 14)) | (v == 17) | (v == 21) | (v == 29) | (v == 30))

/*
 * Exceptions run on the stack they interrupted. Interrupts move to the
 * interrupt stack when they are the outermost one (once the kernel has
 * set it up), and on the way out, back on the interrupted thread's stack,
 * the outermost one lets the scheduler switch threads.
 */
	.globl z_x86_isr_common
z_x86_isr_common:
isr_common:
	pushal
	cld
#ifdef CONFIG_USERSPACE
	/* From ring 3 ds/es may hold anything: flat data (DPL 3, so the
	 * iret back keeps it valid).
	 */
	movl	$X86_SEL_USER_DATA, %eax
	movw	%ax, %ds
	movw	%ax, %es
#endif
	movl	%esp, %eax		/* struct arch_esf * */
	cmpl	$X86_NUM_EXCEPTIONS, 32(%eax)	/* vector, above pushal */
	jae	1f
	pushl	%eax
	call	z_x86_exception
	addl	$4, %esp
	jmp	3f
1:	cmpl	$0, z_x86_irq_nesting
	jne	2f
	movl	z_x86_irq_stack_top, %edx
	testl	%edx, %edx
	jz	2f
	movl	%edx, %esp
2:	pushl	%eax			/* the interrupted stack, to return to */
	pushl	%eax
	call	z_x86_irq
	addl	$4, %esp
	popl	%esp
	cmpl	$0, z_x86_irq_nesting
	jne	3f
irq_exit_outermost:
	call	z_sched_irq_exit
3:	popal
	addl	$8, %esp		/* vector and error code */
#ifdef CONFIG_X86_KPTI
	jmp	z_x86_trampoline_exit	/* user mode's tables when back to ring 3 */
#else
	iret
#endif

/* arch_isr_abandon(): back to the interrupted stack the outermost interrupt
 * saved at the top of the interrupt stack, and out through its exit.
 */
	.globl arch_isr_abandon
arch_isr_abandon:
	cli
	movl	$0, z_x86_irq_nesting
	movl	z_x86_irq_stack_top, %eax
	movl	-4(%eax), %esp
	jmp	irq_exit_outermost

/*
 * The double-fault task (df_task.c) starts here with the error code (0) on
 * its stack. Each double fault switches to it afresh and resumes after its
 * last iret, hence the loop.
 */
	.globl z_x86_df_task_entry
z_x86_df_task_entry:
	addl	$4, %esp		/* error code */
	call	z_x86_df_task_handler
	iret				/* NT is set: back to the kernel's task */
	jmp	z_x86_df_task_entry

/* One stub per vector, 16 bytes apart: stub v is at z_x86_isr_stub_base + 16 * v.
 * Each is at most 9 bytes (two 2-byte pushes and a 5-byte jmp). With KPTI
 * they are on the trampoline page (the CPU may enter them on user mode's
 * tables) and go to the trampoline, which moves to the kernel's.
 */
#ifdef CONFIG_X86_KPTI
	.section .trampoline.text, "ax"
#define STUB_TARGET z_x86_trampoline_isr
#else
#define STUB_TARGET isr_common
#endif
	.balign 16
	.globl z_x86_isr_stub_base
z_x86_isr_stub_base:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48
	.balign 16
	.ifeq HAS_ERROR_CODE(\v)
	pushl	$0
	.endif
	pushl	$\v
	jmp	STUB_TARGET
.endr

	.section .note.GNU-stack, "", @progbits
