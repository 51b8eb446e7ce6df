/* SPDX-License-Identifier: Apache-2.0 */
/* Interrupt descriptor table: exceptions 0-31, the PIC's IRQs 32-47, irq_offload() 48. */
#include <kernel.h>
#include <x86_cpu.h>

#define IDT_ENTRIES            256
#define GATE_INTERRUPT_PRESENT 0x8E /* present, DPL 0, interrupt gate: IF cleared on entry */
#define GATE_TASK_PRESENT      0x85 /* present, DPL 0, task gate (ia32) */
#define VECTOR_DOUBLE_FAULT    8

#ifdef CONFIG_X86_64
struct x86_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
#define CODE_SELECTOR X86_SEL_CODE64
#else
struct x86_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_high;
} __packed;
#define CODE_SELECTOR X86_SEL_CODE32
#endif

static struct x86_gate idt[IDT_ENTRIES] __aligned(16) Z_X86_TRAMPOLINE_DATA;

struct x86_pseudo_descriptor {
	uint16_t limit;
	uintptr_t base;
} __packed;

static void set_gate(unsigned int vector, uintptr_t handler)
{
	struct x86_gate *gate = &idt[vector];

	gate->offset_low = handler & 0xffff;
	gate->selector = CODE_SELECTOR;
	gate->type_attr = GATE_INTERRUPT_PRESENT;
#ifdef CONFIG_X86_64
	gate->offset_mid = (handler >> 16) & 0xffff;
	gate->offset_high = (uint32_t)(handler >> 32);
	/* A double fault often means the stack is gone: use IST1. */
	gate->ist = (vector == VECTOR_DOUBLE_FAULT) ? 1 : 0;
#else
	gate->offset_high = (handler >> 16) & 0xffff;
	/* A double fault often means the stack is gone: switch to a task
	 * with a stack of its own (ia32 has no IST).
	 */
	if (vector == VECTOR_DOUBLE_FAULT) {
		gate->offset_low = 0;
		gate->offset_high = 0;
		gate->selector = X86_SEL_TSS;
		gate->type_attr = GATE_TASK_PRESENT;
	}
#endif
}

void z_x86_idt_init(void)
{
	struct x86_pseudo_descriptor idtr = {sizeof(idt) - 1, (uintptr_t)idt};

	for (unsigned int vector = 0; vector < X86_NUM_STUBS; vector++) {
		set_gate(vector, (uintptr_t)z_x86_isr_stub_base + vector * X86_ISR_STUB_SIZE);
	}
#ifdef CONFIG_USERSPACE
	/* The system-call gate: DPL 3 so ring 3 may use int $0x80; a trap gate
	 * (0xEF: present, DPL 3, type 0xF), so interrupts stay enabled as they
	 * were in user mode.
	 */
#ifdef CONFIG_X86_KPTI
	/* With KPTI an interrupt gate (0xEE): the trampoline runs with
	 * interrupts off until it has left the trampoline stack, then sets IF.
	 */
	set_gate(X86_SYSCALL_VECTOR, (uintptr_t)z_x86_trampoline_syscall);
	idt[X86_SYSCALL_VECTOR].type_attr = 0xEE;
#else
	set_gate(X86_SYSCALL_VECTOR, (uintptr_t)z_x86_syscall_entry);
	idt[X86_SYSCALL_VECTOR].type_attr = 0xEF;
#endif
#endif
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
