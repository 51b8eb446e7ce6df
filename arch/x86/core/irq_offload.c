/* SPDX-License-Identifier: Apache-2.0 */
/*
 * irq_offload() on x86: `int $X86_IRQ_OFFLOAD_VECTOR` enters the common
 * interrupt path (interrupt stack, nesting count, the scheduler at the
 * outermost exit), whose dispatch calls z_x86_irq_offload_isr().
 */
#include <kernel.h>
#include <x86_cpu.h>

#ifdef CONFIG_IRQ_OFFLOAD
static void (*offload_routine)(const void *parameter);
static const void *offload_parameter;

void z_x86_irq_offload_isr(void)
{
	offload_routine(offload_parameter);
}

void arch_irq_offload(void (*routine)(const void *parameter), const void *parameter)
{
	/* Locked so that an interrupt handler's own offload cannot overwrite
	 * the pair between the stores and the trap (a software interrupt is
	 * taken even with interrupts disabled).
	 */
	unsigned int key = irq_lock();

	offload_routine = routine;
	offload_parameter = parameter;
	__asm__ volatile("int %0" : : "i"(X86_IRQ_OFFLOAD_VECTOR) : "memory");
	irq_unlock(key);
}
#endif
