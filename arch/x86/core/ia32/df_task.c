/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ia32 double-fault task. A thread that runs into its stack's guard
 * page faults again while the CPU pushes the page fault's frame there, and
 * ia32 has no IST to give the handler another stack: without a task switch
 * that is a triple fault (a reset). So vector 8 is a task gate to a task
 * with a stack of its own. The CPU saves the kernel's state in the main
 * TSS; the handler points that state at a recovery function on the
 * interrupt stack (idle at that point: the fault came from a thread) and
 * returns to it with iret, which switches tasks back. The recovery reports
 * the fault as the kernel reports any exception, and the kernel aborts the
 * thread.
 */
#include <arch/thread.h>
#include <kernel.h>
#include <x86_cpu.h>

struct x86_tss32 {
	uint16_t backlink, reserved0;
	uint32_t esp0;
	uint16_t ss0, reserved1;
	uint32_t esp1;
	uint16_t ss1, reserved2;
	uint32_t esp2;
	uint16_t ss2, reserved3;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, reserved4, cs, reserved5, ss, reserved6, ds, reserved7;
	uint16_t fs, reserved8, gs, reserved9, ldt, reserved10, trap, iomap_base;
} __packed;

BUILD_ASSERT(sizeof(struct x86_tss32) == X86_TSS32_SIZE, "TSS layout");

/* Both on the trampoline's data pages with KPTI: the CPU reads the main
 * TSS on every entry from ring 3 (esp0) and writes it on a task switch.
 */
uint8_t z_x86_main_tss[X86_TSS32_SIZE] __aligned(16) Z_X86_TRAMPOLINE_DATA;
uint8_t z_x86_df_tss[X86_TSS32_SIZE] __aligned(16) Z_X86_TRAMPOLINE_DATA;
static uint8_t df_stack[CONFIG_X86_EXCEPTION_STACK_SIZE] __aligned(16)
	__section(".noinit.df_stack");

#define MAIN_TSS ((struct x86_tss32 *)z_x86_main_tss)
#define DF_TSS   ((struct x86_tss32 *)z_x86_df_tss)

/* The faulting context, kept for the recovery function. */
static struct x86_tss32 fault_ctx;

/* isr.S: the task's entry, a loop around z_x86_df_task_handler() and iret. */
void z_x86_df_task_entry(void);
void z_x86_df_task_handler(void);
FUNC_NORETURN void z_x86_df_recover(void);

void z_x86_df_task_init(void)
{
	struct x86_tss32 *df = DF_TSS;

	df->cr3 = (uint32_t)z_x86_cr3_get(); /* the kernel never changes CR3 */
	df->eip = (uint32_t)(uintptr_t)z_x86_df_task_entry;
	df->eflags = 0x2; /* interrupts off */
	df->esp = (uint32_t)(uintptr_t)(df_stack + sizeof(df_stack));
	df->cs = X86_SEL_CODE32;
	df->ds = df->es = df->ss = df->fs = df->gs = X86_SEL_DATA;
	df->iomap_base = X86_TSS32_SIZE; /* no I/O permission bitmap */
	MAIN_TSS->iomap_base = X86_TSS32_SIZE;
	/* A task switch saves every register of the old task but CR3: the
	 * iret back would load whatever the field holds.
	 */
	MAIN_TSS->cr3 = df->cr3;
}

void z_x86_df_task_handler(void)
{
	struct x86_tss32 *m = MAIN_TSS;

	fault_ctx = *m;
	if (z_x86_irq_nesting > 0U || z_x86_irq_stack_top == 0U) {
		/* No idle stack to resume on: report from here and stop. */
		printk("\n*** CPU exception 8: double fault at IP 0x%08x, ESP 0x%08x, CR2 %p%s "
		       "***\n",
		       m->eip, m->esp, (void *)z_x86_cr2_get(),
		       z_x86_irq_nesting > 0U ? ", in an interrupt handler" : ", during boot");
		if (z_isr_stack_guard_hit(z_x86_cr2_get())) {
			printk("***** stack overflow: the interrupt stack ran into its guard page "
			       "*****\n");
		}
		k_fatal_halt(K_ERR_STACK_CHK_FAIL);
	}
	/* Resume the kernel's task in z_x86_df_recover() on the interrupt stack. */
	uint32_t *sp = (uint32_t *)(z_x86_irq_stack_top - 16U);

	*sp = 0; /* a return address nobody uses */
	m->esp = (uint32_t)(uintptr_t)sp;
	m->ebp = 0;
	m->eip = (uint32_t)(uintptr_t)z_x86_df_recover;
	m->eflags = 0x2;
}

FUNC_NORETURN void z_x86_df_recover(void)
{
	struct arch_esf esf = {
		.edi = fault_ctx.edi,
		.esi = fault_ctx.esi,
		.ebp = fault_ctx.ebp,
		.esp_at_pusha = fault_ctx.esp,
		.ebx = fault_ctx.ebx,
		.edx = fault_ctx.edx,
		.ecx = fault_ctx.ecx,
		.eax = fault_ctx.eax,
		.vector = 8,
		.error_code = 0,
		.eip = fault_ctx.eip,
		.cs = fault_ctx.cs,
		.eflags = fault_ctx.eflags,
	};

	z_x86_exception_fatal(&esf, fault_ctx.esp);
	CODE_UNREACHABLE;
}
