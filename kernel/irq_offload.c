/* SPDX-License-Identifier: Apache-2.0 */
/* irq_offload(): the routine runs in interrupt context, through the architecture. */
#include <irq_offload.h>
#include <kernel.h>

#ifdef CONFIG_IRQ_OFFLOAD
/*
 * One offload at a time, as in the reference, whose name this keeps: a
 * thread that the routine aborts (itself, say) leaves it taken, and the
 * caller that knows gives it back.
 */
K_SEM_DEFINE(offload_sem, 1, 1);

void irq_offload(irq_offload_routine_t routine, const void *parameter)
{
	/* From interrupt context (a nested offload) it cannot wait: it runs at once. */
	bool serialise = !k_is_in_isr();

	if (serialise) {
		(void)k_sem_take(&offload_sem, K_FOREVER);
	}
	arch_irq_offload(routine, parameter);
	if (serialise) {
		k_sem_give(&offload_sem);
	}
}
#endif
