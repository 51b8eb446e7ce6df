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
	movl	$(z_main_stack + CONFIG_MAIN_STACK_SIZE), %esp
	pushl	%esi			/* multiboot info, physical */
	pushl	%ebp			/* bootloader magic */
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	call	z_x86_prep_c
1:	cli
	hlt
	jmp	1b

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v == 8) | ((v >= 10) & (v <= 14)) | (v == 17) | (v == 21) | (v == 29) | (v == 30))

isr_common:
	pushal
	cld
	movl	%esp, %eax
	pushl	%eax			/* struct arch_esf * */
	cmpl	$X86_NUM_EXCEPTIONS, 36(%esp)	/* vector: above the argument and pushal */
	jae	1f
	call	z_x86_exception
	jmp	2f
1:	call	z_x86_irq
2:	addl	$4, %esp
	popal
	addl	$8, %esp		/* vector and error code */
	iret

/* One stub per vector, 16 bytes apart: stub v is at z_x86_isr_stub_base + 16 * v.
 * Each is at most 9 bytes (two 2-byte pushes and a 5-byte jmp).
 */
	.balign 16
	.globl z_x86_isr_stub_base
z_x86_isr_stub_base:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.balign 16
	.ifeq HAS_ERROR_CODE(\v)
	pushl	$0
	.endif
	pushl	$\v
	jmp	isr_common
.endr

	.section .note.GNU-stack, "", @progbits
