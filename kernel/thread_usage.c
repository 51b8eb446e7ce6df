/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cycles each thread runs (CONFIG_SCHED_THREAD_USAGE): every switch adds
 * the cycles since the previous one to the thread switched out; an
 * interrupt handler's time counts for the thread it interrupted.
 */
#include <ksched.h>

#ifdef CONFIG_SCHED_THREAD_USAGE
/* When the running thread was switched in; the scheduler's first switch sets it. */
static uint64_t switched_in;
#ifdef CONFIG_SCHED_THREAD_USAGE_ALL
static uint64_t all_cycles, idle_cycles;
#endif

static bool is_idle(const struct k_thread *t)
{
	return (t->base.thread_state & _THREAD_IDLE) != 0U;
}

void z_sched_usage_switch(struct k_thread *old, struct k_thread *next)
{
	uint64_t now = arch_cycle_get_64();
	uint64_t ran = now - switched_in;

	ARG_UNUSED(next);
	if (switched_in != 0U) { /* not the boot context's first switch */
		old->base.usage.total += ran;
#ifdef CONFIG_SCHED_THREAD_USAGE_ALL
		all_cycles += ran;
		idle_cycles += is_idle(old) ? ran : 0U;
#endif
	}
	switched_in = now;
}

#ifdef CONFIG_THREAD_RUNTIME_STATS
/* The running thread's cycles since it was switched in (interrupts locked). */
static uint64_t running_now(void)
{
	return switched_in != 0U ? arch_cycle_get_64() - switched_in : 0U;
}

int k_thread_runtime_stats_get(struct k_thread *thread, k_thread_runtime_stats_t *stats)
{
	if (thread == NULL || stats == NULL) {
		return -EINVAL;
	}

	unsigned int key = irq_lock();
	uint64_t cycles = thread->base.usage.total + (thread == z_current ? running_now() : 0U);

	irq_unlock(key);
	*stats = (k_thread_runtime_stats_t){.execution_cycles = cycles, .total_cycles = cycles};
	return 0;
}

int k_thread_runtime_stats_all_get(k_thread_runtime_stats_t *stats)
{
	if (stats == NULL) {
		return -EINVAL;
	}
	unsigned int key = irq_lock();
	uint64_t now = running_now();
	uint64_t all = all_cycles + now;
	uint64_t idle = idle_cycles + (is_idle(z_current) ? now : 0U);

	irq_unlock(key);
	*stats = (k_thread_runtime_stats_t){
		.execution_cycles = all, .total_cycles = all - idle, .idle_cycles = idle};
	return 0;
}
#endif /* CONFIG_THREAD_RUNTIME_STATS */
#endif /* CONFIG_SCHED_THREAD_USAGE */
