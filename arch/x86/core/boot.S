/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multiboot entry: 32-bit protected mode, paging off, interrupts off.
 *
 * This code and its GDT live in .boot, linked at the physical load address
 * and identity-mapped by the generated page tables, so execution continues
 * here after paging is turned on. It clears .bss, loads CR3 with the tables
 * gen_mmu.py generated, turns on paging with CR0.WP (plus PAE, NXE and, on
 * x86_64, long mode), and jumps to the kernel at its virtual address.
 */
#include <x86_cpu.h>
#include <x86_mmu_size.h>

#define PHYS(sym) ((sym) - Z_X86_KERNEL_VIRT_OFFSET)

/* Memory info (bit 1) and the a.out kludge (bit 16): QEMU loads the flat
 * pagoda.bin by the addresses below; it refuses 64-bit ELF files.
 */
#define MULTIBOOT_FLAGS ((1 << 1) | (1 << 16))

	.section .boot.header, "a"
	.balign 4
multiboot_header:
	.long X86_MULTIBOOT_MAGIC
	.long MULTIBOOT_FLAGS
	.long -(X86_MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
	.long multiboot_header	/* header_addr */
	.long __boot_start	/* load_addr */
	.long __load_end_phys	/* load_end_addr */
	.long __kernel_end_phys	/* bss_end_addr: QEMU zeroes up to here */
	.long __start		/* entry_addr */

	.section .boot.text, "ax"
	.code32
	.globl __start
__start:
	cli
	cld
	movl	%eax, %ebp		/* bootloader magic, for z_x86_prep_c */
	movl	%ebx, %esi		/* multiboot info, physical */

	lgdt	boot_gdt_desc
	ljmp	$X86_SEL_CODE32, $1f
1:	movw	$X86_SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs

#if defined(CONFIG_X86_PAE) || defined(CONFIG_X86_64)
	/* The tables set XD bits, reserved unless the CPU has NX. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_nx
	movl	$0x80000001, %eax
	cpuid
#ifdef CONFIG_X86_64
	testl	$X86_CPUID_EXT_LM, %edx
	jz	no_nx
#endif
	testl	$X86_CPUID_EXT_NX, %edx
	jz	no_nx
#endif

	/* Clear .bss through its physical address. */
	movl	$PHYS(__bss_start), %edi
	movl	$PHYS(__bss_end), %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

#if defined(CONFIG_X86_PAE) || defined(CONFIG_X86_64)
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$X86_MSR_EFER, %ecx
	rdmsr
#ifdef CONFIG_X86_64
	orl	$(X86_EFER_NXE | X86_EFER_LME), %eax
#else
	orl	$X86_EFER_NXE, %eax
#endif
	wrmsr
#endif
	movl	$PHYS(z_x86_pagetables_start), %eax
	movl	%eax, %cr3
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP), %eax
	movl	%eax, %cr0

#ifdef CONFIG_X86_64
	/* Paging on with LME set: compatibility mode until CS is 64-bit. */
	ljmp	$X86_SEL_CODE64, $boot64
	.code64
boot64:
	movabsq	$z_x86_start64, %rax
	jmp	*%rax
	.code32
#else
	movl	$z_x86_start32, %eax
	jmp	*%eax
#endif

#if defined(CONFIG_X86_PAE) || defined(CONFIG_X86_64)
/* No console yet: say why on COM1 by polling, then leave QEMU with status 2. */
no_nx:
	movl	$no_nx_msg, %esi
2:	lodsb
	testb	%al, %al
	jz	3f
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	2b
3:	movl	$2, %eax
	movw	$X86_DEBUG_EXIT_PORT, %dx
	outl	%eax, %dx
4:	hlt
	jmp	4b
#endif

	.section .boot.rodata, "a"
#if defined(CONFIG_X86_PAE) || defined(CONFIG_X86_64)
no_nx_msg:
#ifdef CONFIG_X86_64
	.asciz "FATAL: this board needs a CPU with long mode and NX (-cpu ...,+nx)\r\n"
#else
	.asciz "FATAL: PAE paging needs a CPU with NX (-cpu ...,+pae,+nx)\r\n"
#endif
#endif
	.balign 8
/* Accessed bits are preset: the CPU would otherwise write them, and this
 * page is read-only once paging is on.
 */
boot_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* X86_SEL_CODE32: 32-bit code, flat */
	.quad 0x00cf93000000ffff	/* X86_SEL_DATA: data, flat */
	.quad 0x00af9b000000ffff	/* X86_SEL_CODE64: 64-bit code */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .note.GNU-stack, "", @progbits
