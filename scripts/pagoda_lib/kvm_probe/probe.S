/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The --kvm capability probe (scripts/pagoda_lib/kvm_probe/__init__.py): a
 * multiboot guest that turns on one paging mode the way Pagoda's boot does
 * (PROBE_MODE_32, PROBE_MODE_PAE or PROBE_MODE_LONG), then runs the kind of
 * work the memory manager's suites are made of: rewrite a page-table entry,
 * invalidate it with invlpg, read through it, lock and unlock interrupts.
 * It exits through isa-debug-exit with PROBE_OK when every read saw the
 * frame the entry named, PROBE_STALE when one saw the old one (a missed
 * invalidation).
 *
 * Before it exits it prints the loop's length in TSC cycles on COM1,
 * "PAGODA-KVM-PROBE cycles=<16 hex digits>": under TCG and KVM alike the
 * guest TSC runs at the host's rate, so the runner compares the two. A KVM
 * that cannot run the mode resets the guest instead (kvm-pvm refuses CR0.PG
 * outside long mode); one that traps each of these instructions (shadow
 * paging, privileged instructions emulated) runs the loop far slower.
 */
#define DEBUG_EXIT_PORT 0xf4
#define COM1 0x3f8
#define PROBE_OK 0x10
#define PROBE_STALE 0x11
#ifndef ROUNDS
#define ROUNDS 20000
#endif

#define PTE_PW 0x3		/* present, writable */
#define FRAME_A 0x180000	/* two frames of the identity map ... */
#define FRAME_B 0x181000
#define TEST_VA 0x1ff000	/* ... and the page the loop remaps between them */
#define TEST_PTE_INDEX ((TEST_VA >> 12) & 0x1ff)

	.section .text
	.code32
	.balign 4
multiboot_header:		/* an ELF kernel: no load addresses needed */
	.long 0x1badb002
	.long 0
	.long -0x1badb002

	.globl _start
_start:
	cli
	movl	$stack_top, %esp
	movl	$0xaaaaaaaa, FRAME_A
	movl	$0xbbbbbbbb, FRAME_B

	/* Identity-map the first 2 MiB (4 MiB in 32-bit paging) with 4 KiB pages. */
	movl	$page_table, %edi
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	orl	$PTE_PW, %eax
#ifdef PROBE_MODE_32
	movl	%eax, (%edi, %ecx, 4)
	incl	%ecx
	cmpl	$1024, %ecx
#else
	movl	%eax, (%edi, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
#endif
	jb	1b

#if defined(PROBE_MODE_32)
	movl	$page_table + PTE_PW, page_dir
	movl	$page_dir, %eax
#elif defined(PROBE_MODE_PAE)
	movl	$page_table + PTE_PW, page_dir
	movl	$page_dir + 1, pdpt	/* PDPTEs: present only */
	movl	%cr4, %eax
	orl	$(1 << 5), %eax		/* CR4.PAE */
	movl	%eax, %cr4
	movl	$pdpt, %eax
#elif defined(PROBE_MODE_LONG)
	movl	$page_table + PTE_PW, page_dir
	movl	$page_dir + PTE_PW, pdpt
	movl	$pdpt + PTE_PW, pml4
	movl	%cr4, %eax
	orl	$(1 << 5), %eax		/* CR4.PAE */
	movl	%eax, %cr4
	movl	$0xc0000080, %ecx	/* EFER.LME */
	rdmsr
	orl	$(1 << 8), %eax
	wrmsr
	movl	$pml4, %eax
#else
#error "define PROBE_MODE_32, PROBE_MODE_PAE or PROBE_MODE_LONG"
#endif
	movl	%eax, %cr3
	movl	%cr0, %eax
	orl	$0x80010000, %eax	/* CR0.PG | CR0.WP: here a KVM may refuse the mode */
	movl	%eax, %cr0

	/* The loop: odd rounds map FRAME_A at TEST_VA, even rounds FRAME_B. */
	rdtsc
	movl	%eax, tsc_start
	movl	%edx, tsc_start + 4
	movl	$ROUNDS, %ecx
2:	movl	$FRAME_A + PTE_PW, %eax
	movl	$0xaaaaaaaa, %edx
	testl	$1, %ecx
	jnz	3f
	movl	$FRAME_B + PTE_PW, %eax
	movl	$0xbbbbbbbb, %edx
#ifdef PROBE_MODE_32
3:	movl	%eax, page_table + 4 * TEST_PTE_INDEX
#else
3:	movl	%eax, page_table + 8 * TEST_PTE_INDEX
#endif
#ifndef PROBE_SKIP_INVLPG	/* the runner's tests: a missed invalidation must show */
	invlpg	TEST_VA
#endif
	cmpl	TEST_VA, %edx
	jne	stale
	sti
	cli
	decl	%ecx
	jnz	2b
	rdtsc
	subl	tsc_start, %eax
	sbbl	tsc_start + 4, %edx
	movl	%eax, %ebx		/* cycles: edx:ebx */
	movl	$banner, %esi
4:	movb	(%esi), %al
	testb	%al, %al
	jz	5f
	call	putc
	incl	%esi
	jmp	4b
5:	movl	%edx, %eax
	call	put_hex32
	movl	%ebx, %eax
	call	put_hex32
	movb	$'\n', %al
	call	putc

	movb	$PROBE_OK, %al
	outb	%al, $DEBUG_EXIT_PORT
	hlt
stale:
	movb	$PROBE_STALE, %al
	outb	%al, $DEBUG_EXIT_PORT
	hlt

/* %al to COM1 (QEMU's UART needs no setup to transmit); keeps %edx. */
putc:
	pushl	%edx
	movw	$COM1, %dx
	outb	%al, %dx
	popl	%edx
	ret

/* %eax as 8 hex digits; keeps %ebx and %edx. */
put_hex32:
	movl	%eax, %edi
	movl	$8, %ecx
6:	roll	$4, %edi
	movl	%edi, %eax
	andl	$0xf, %eax
	movb	hex_digits(%eax), %al
	call	putc
	decl	%ecx
	jnz	6b
	ret

	.section .rodata
banner:
	.asciz "PAGODA-KVM-PROBE cycles="
hex_digits:
	.ascii "0123456789abcdef"

	.section .bss
	.balign 8
tsc_start:
	.skip 8
	.balign 4096
page_table:
	.skip 4096
page_dir:
	.skip 4096
pdpt:
	.skip 4096
pml4:
	.skip 4096
	.skip 4096
stack_top:
