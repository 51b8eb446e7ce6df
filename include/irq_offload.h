/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run a function in interrupt context, synchronously (the reference's
 * <zephyr/irq_offload.h>, CONFIG_IRQ_OFFLOAD): for tests of what an
 * interrupt handler may do. In the routine k_is_in_isr() is true; a
 * thread it readies runs when the interrupt returns, if it is better than
 * the caller. On x86 a software interrupt (vector 48) through the
 * ordinary interrupt path. Not from user mode (the gate is supervisor-only:
 * the caller faults).
 */
#ifndef PAGODA_INCLUDE_IRQ_OFFLOAD_H
#define PAGODA_INCLUDE_IRQ_OFFLOAD_H

typedef void (*irq_offload_routine_t)(const void *parameter);

void irq_offload(irq_offload_routine_t routine, const void *parameter);

#endif /* PAGODA_INCLUDE_IRQ_OFFLOAD_H */
