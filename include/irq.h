/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device interrupts with the reference RTOS's (Zephyr's) names: a handler
 * connected at run time (Zephyr's CONFIG_DYNAMIC_INTERRUPTS call; there is
 * no static IRQ_CONNECT table yet), and masking per line. On x86 the lines
 * are the legacy 8259 PIC's 0-15; 0 is the system timer's.
 */
#ifndef PAGODA_INCLUDE_IRQ_H
#define PAGODA_INCLUDE_IRQ_H

#include <arch/cpu.h>

/* The vector, or -EINVAL (no such line, the timer's, or no routine). */
static inline int irq_connect_dynamic(unsigned int irq, unsigned int priority,
				      void (*routine)(const void *parameter), const void *parameter,
				      uint32_t flags)
{
	return arch_irq_connect_dynamic(irq, priority, routine, parameter, flags);
}

static inline void irq_enable(unsigned int irq)
{
	arch_irq_enable(irq);
}

static inline void irq_disable(unsigned int irq)
{
	arch_irq_disable(irq);
}

#endif /* PAGODA_INCLUDE_IRQ_H */
