/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run-time GDT (and, on x86_64, the TSS that gives the double-fault handler
 * its own stack). Same selectors and descriptors as the boot GDT in boot.S,
 * so the loaded segment registers need no reload.
 */
#include <kernel.h>
#include <x86_cpu.h>

#ifdef CONFIG_X86_64
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

static struct x86_tss tss;
uint8_t z_x86_df_stack[CONFIG_X86_EXCEPTION_STACK_SIZE] __aligned(16) __section(".noinit.df_stack");
#define GDT_ENTRIES 6 /* the TSS descriptor takes two */
#else
#define GDT_ENTRIES 3
#endif

/* Writable: ltr marks the TSS descriptor busy. Accessed bits preset. */
static uint64_t gdt[GDT_ENTRIES] __aligned(8) = {
	0, 0x00cf9b000000ffffULL, /* X86_SEL_CODE32 */
	0x00cf93000000ffffULL,    /* X86_SEL_DATA */
#ifdef CONFIG_X86_64
	0x00af9b000000ffffULL, /* X86_SEL_CODE64 */
#endif
};

struct x86_pseudo_descriptor {
	uint16_t limit;
	uintptr_t base;
} __packed;

void z_x86_gdt_init(void)
{
	struct x86_pseudo_descriptor gdtr = {sizeof(gdt) - 1, (uintptr_t)gdt};

#ifdef CONFIG_X86_64
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	tss.ist[0] = (uint64_t)(uintptr_t)(z_x86_df_stack + sizeof(z_x86_df_stack));
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */
	/* 64-bit available TSS (type 9), present. */
	gdt[X86_SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
			       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[X86_SEL_TSS / 8 + 1] = base >> 32;
#endif
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
#ifdef CONFIG_X86_64
	__asm__ volatile("ltr %w0" : : "r"(X86_SEL_TSS));
#endif
}
