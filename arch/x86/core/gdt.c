/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run-time GDT and the TSS that gives the double-fault handler a stack of
 * its own (x86_64: IST1 of the one TSS; ia32: a second task, entered
 * through a task gate, see ia32/df_task.c). Same selectors and descriptors
 * as the boot GDT in boot.S, so the loaded segment registers need no
 * reload.
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

static struct x86_tss tss Z_X86_TRAMPOLINE_DATA;
uint8_t z_x86_df_stack[CONFIG_X86_EXCEPTION_STACK_SIZE] __aligned(16) __section(".noinit.df_stack");
#define GDT_ENTRIES 8 /* the TSS descriptor takes two; user code, user data */
#else
#define GDT_ENTRIES 7 /* the kernel's task, the double-fault task; user code, user data */
#endif

/* Writable: ltr marks the TSS descriptor busy. Accessed bits preset. */
static uint64_t gdt[GDT_ENTRIES] __aligned(8) Z_X86_TRAMPOLINE_DATA = {
	0,
	0x00cf9b000000ffffULL, /* X86_SEL_CODE32 */
	0x00cf93000000ffffULL, /* X86_SEL_DATA */
#ifdef CONFIG_X86_64
	0x00af9b000000ffffULL, /* X86_SEL_CODE64 */
#endif
#ifdef CONFIG_USERSPACE
	/* DPL 3: only user threads load them; flat, as the kernel's. */
	[X86_SEL_USER_CODE / 8] = IS_ENABLED(CONFIG_X86_64) ? 0x00affb000000ffffULL
							    : 0x00cffb000000ffffULL,
	[X86_SEL_USER_DATA / 8] = 0x00cff3000000ffffULL,
#endif
};

#ifdef CONFIG_USERSPACE
void z_x86_tss_kernel_stack_set(uintptr_t top)
{
#ifdef CONFIG_X86_64
	tss.rsp[0] = top;
#else
	/* esp0 at offset 4, ss0 at 8 (struct x86_tss32 in ia32/df_task.c). */
	uint32_t esp0 = (uint32_t)top;
	uint16_t ss0 = X86_SEL_DATA;

	__builtin_memcpy(z_x86_main_tss + 4, &esp0, sizeof(esp0));
	__builtin_memcpy(z_x86_main_tss + 8, &ss0, sizeof(ss0));
#endif
}
#endif

/* An available TSS descriptor (type 9), present, DPL 0: its low 8 bytes. */
static uint64_t tss_descriptor(uintptr_t base, uint32_t limit)
{
	uint64_t b = base;

	return (limit & 0xffffU) | ((b & 0xffffffU) << 16) | (0x89ULL << 40) |
	       ((uint64_t)((limit >> 16) & 0xfU) << 48) | (((b >> 24) & 0xffU) << 56);
}

struct x86_pseudo_descriptor {
	uint16_t limit;
	uintptr_t base;
} __packed;

void z_x86_gdt_init(void)
{
	struct x86_pseudo_descriptor gdtr = {sizeof(gdt) - 1, (uintptr_t)gdt};

#ifdef CONFIG_X86_64
	tss.ist[0] = (uint64_t)(uintptr_t)(z_x86_df_stack + sizeof(z_x86_df_stack));
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */
	gdt[X86_SEL_TSS / 8] = tss_descriptor((uintptr_t)&tss, sizeof(tss) - 1);
	gdt[X86_SEL_TSS / 8 + 1] = (uint64_t)(uintptr_t)&tss >> 32;
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile("ltr %w0" : : "r"(X86_SEL_TSS));
#else
	z_x86_df_task_init();
	gdt[X86_SEL_TSS32 / 8] = tss_descriptor((uintptr_t)z_x86_main_tss, X86_TSS32_SIZE - 1);
	gdt[X86_SEL_TSS / 8] = tss_descriptor((uintptr_t)z_x86_df_tss, X86_TSS32_SIZE - 1);
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	/* The CPU saves the kernel's state here when the double fault switches tasks. */
	__asm__ volatile("ltr %w0" : : "r"(X86_SEL_TSS32));
#endif
}
