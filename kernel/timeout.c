/* System time: the tick count the architecture's timer interrupt advances. */
#include <kernel.h>

static volatile int64_t uptime_ticks;

void sys_clock_announce(int32_t ticks)
{
	uptime_ticks += ticks;
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
