/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CONFIG_SCHED_CPU_MASK: the CPUs a thread may run on. A mask changes only
 * while its thread cannot run, so the ready queue never holds a thread its
 * mask forbids (z_ready_thread() leaves such a thread out).
 */
#include <ksched.h>

#ifdef CONFIG_SCHED_CPU_MASK

#define ALL_CPUS ((uint16_t)(BIT(CONFIG_MP_MAX_NUM_CPUS) - 1U))

BUILD_ASSERT(CONFIG_MP_MAX_NUM_CPUS <= 16, "the mask is 16 bits, as the reference's");

static int cpu_mask_mod(k_tid_t thread, uint16_t enable, uint16_t disable)
{
	unsigned int key = irq_lock();
	int ret = 0;

	if (z_is_thread_ready(thread)) {
		ret = -EINVAL; /* runnable: as in the reference, its CPUs stay */
	} else {
		thread->base.cpu_mask = (uint16_t)((thread->base.cpu_mask | enable) & ~disable);
	}
	irq_unlock(key);
	return ret;
}

static inline bool is_cpu(int cpu)
{
	return cpu >= 0 && cpu < CONFIG_MP_MAX_NUM_CPUS;
}

int k_thread_cpu_mask_clear(k_tid_t thread)
{
	return cpu_mask_mod(thread, 0U, ALL_CPUS);
}

int k_thread_cpu_mask_enable_all(k_tid_t thread)
{
	return cpu_mask_mod(thread, ALL_CPUS, 0U);
}

int k_thread_cpu_mask_enable(k_tid_t thread, int cpu)
{
	return is_cpu(cpu) ? cpu_mask_mod(thread, (uint16_t)BIT(cpu), 0U) : -EINVAL;
}

int k_thread_cpu_mask_disable(k_tid_t thread, int cpu)
{
	return is_cpu(cpu) ? cpu_mask_mod(thread, 0U, (uint16_t)BIT(cpu)) : -EINVAL;
}

int k_thread_cpu_pin(k_tid_t thread, int cpu)
{
	if (!is_cpu(cpu)) {
		return -EINVAL;
	}
	/* One step, so that a refusal leaves the mask as it was. */
	return cpu_mask_mod(thread, (uint16_t)BIT(cpu), (uint16_t)(ALL_CPUS & ~BIT(cpu)));
}
#endif /* CONFIG_SCHED_CPU_MASK */
