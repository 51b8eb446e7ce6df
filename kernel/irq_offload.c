/* SPDX-License-Identifier: Apache-2.0 */
/* irq_offload(): the routine runs in interrupt context, through the architecture. */
#include <irq_offload.h>
#include <kernel.h>

#ifdef CONFIG_IRQ_OFFLOAD
void irq_offload(irq_offload_routine_t routine, const void *parameter)
{
	arch_irq_offload(routine, parameter);
}
#endif
