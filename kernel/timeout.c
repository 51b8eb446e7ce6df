/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System time and timeouts. The architecture's timer interrupt announces
 * each tick; pending timeouts wait on one list ordered by expiry, each
 * holding its distance in ticks from the one before (a delta list), so a
 * tick touches only the entries that expire.
 */
#include <ksched.h>
#include <syscall_handler.h>

static volatile int64_t uptime_ticks;
static sys_dlist_t timeout_list = SYS_DLIST_STATIC_INIT(&timeout_list);

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

static struct _timeout *first(void)
{
	sys_dnode_t *node = sys_dlist_peek_head(&timeout_list);

	return (node == NULL) ? NULL : CONTAINER_OF(node, struct _timeout, node);
}

static struct _timeout *next(struct _timeout *to)
{
	sys_dnode_t *node = sys_dlist_peek_next(&timeout_list, &to->node);

	return (node == NULL) ? NULL : CONTAINER_OF(node, struct _timeout, node);
}

void z_add_timeout(struct _timeout *to, _timeout_func_t fn, k_ticks_t ticks)
{
	unsigned int key = irq_lock();

	__ASSERT(!z_is_timeout_active(to), "timeout added twice");
	to->fn = fn;
	/* The tick under way has partly elapsed: one more makes "at least ticks". */
	to->dticks = MAX(ticks, 0) + 1;
	for (struct _timeout *t = first(); t != NULL; t = next(t)) {
		if (to->dticks < t->dticks) {
			t->dticks -= to->dticks;
			sys_dlist_insert(&t->node, &to->node);
			irq_unlock(key);
			return;
		}
		to->dticks -= t->dticks;
	}
	sys_dlist_append(&timeout_list, &to->node);
	irq_unlock(key);
}

int z_abort_timeout(struct _timeout *to)
{
	unsigned int key = irq_lock();
	int ret = -EINVAL;

	if (z_is_timeout_active(to)) {
		struct _timeout *after = next(to);

		if (after != NULL) {
			after->dticks += to->dticks;
		}
		sys_dlist_remove(&to->node);
		ret = 0;
	}
	irq_unlock(key);
	return ret;
}

k_ticks_t z_timeout_remaining(const struct _timeout *to)
{
	unsigned int key = irq_lock();
	k_ticks_t ticks = 0;

	if (z_is_timeout_active(to)) {
		for (struct _timeout *t = first(); t != NULL; t = next(t)) {
			ticks += t->dticks;
			if (t == to) {
				break;
			}
		}
	}
	irq_unlock(key);
	return ticks;
}

void sys_clock_announce(int32_t ticks)
{
	for (int32_t i = 0; i < ticks; i++) {
		uptime_ticks++;

		struct _timeout *t = first();

		if (t != NULL) {
			t->dticks--;
		}
		/* A handler may add timeouts (a periodic timer): they land after now. */
		while ((t = first()) != NULL && t->dticks <= 0) {
			sys_dlist_remove(&t->node);
			t->fn(t);
		}
		z_sched_tick();
	}
#ifdef CONFIG_ZTEST
	if (tick_hook != NULL) {
		tick_hook(tick_hook_arg);
	}
#endif
}

int64_t z_impl_k_uptime_ticks(void)
{
	/* A 64-bit read is two loads on 32-bit CPUs: keep the tick out. */
	unsigned int key = irq_lock();
	int64_t ticks = uptime_ticks;

	irq_unlock(key);
	return ticks;
}

int64_t z_impl_k_uptime_get(void)
{
	return z_impl_k_uptime_ticks() * 1000 / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
}

void k_busy_wait(uint32_t usec_to_wait)
{
	uint64_t start = k_cycle_get_64();
	uint64_t cycles = k_us_to_cyc_ceil64(usec_to_wait);

	while (k_cycle_get_64() - start < cycles) {
		__asm__ volatile("" ::: "memory");
	}
}

#ifdef CONFIG_USERSPACE
int64_t z_vrfy_k_uptime_ticks(void)
{
	return z_impl_k_uptime_ticks();
}

int64_t z_vrfy_k_uptime_get(void)
{
	return z_impl_k_uptime_get();
}
#endif /* CONFIG_USERSPACE */
