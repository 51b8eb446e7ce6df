/* SPDX-License-Identifier: Apache-2.0 */
/* System time: the tick count the architecture's timer interrupt advances. */
#include <kernel.h>

static volatile int64_t uptime_ticks;

#ifdef CONFIG_ZTEST
static void (*volatile tick_hook)(void *arg);
static void *volatile tick_hook_arg;

void z_test_tick_hook_set(void (*hook)(void *arg), void *arg)
{
	unsigned int key = irq_lock();

	tick_hook = hook;
	tick_hook_arg = arg;
	irq_unlock(key);
}
#endif

void sys_clock_announce(int32_t ticks)
{
	uptime_ticks += ticks;
#ifdef CONFIG_ZTEST
	if (tick_hook != NULL) {
		tick_hook(tick_hook_arg);
	}
#endif
}

int64_t k_uptime_ticks(void)
{
	/* A 64-bit read is two loads on 32-bit CPUs: keep the tick out. */
	unsigned int key = irq_lock();
	int64_t ticks = uptime_ticks;

	irq_unlock(key);
	return ticks;
}

int64_t k_uptime_get(void)
{
	return k_uptime_ticks() * 1000 / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
}

void k_busy_wait(uint32_t usec_to_wait)
{
	uint64_t start = k_cycle_get_64();
	uint64_t cycles = k_us_to_cyc_ceil64(usec_to_wait);

	while (k_cycle_get_64() - start < cycles) {
		__asm__ volatile("" ::: "memory");
	}
}
