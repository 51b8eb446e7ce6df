/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timers: expiry and stop functions run in the timer interrupt. With
 * CONFIG_USERSPACE a timer is a kernel object (K_OBJ_TIMER): user mode may
 * start, stop and read one it was granted, never set its functions.
 */
#include <ksched.h>
#include <syscall_handler.h>

static void timer_expired(struct _timeout *to)
{
	struct k_timer *timer = CONTAINER_OF(to, struct k_timer, timeout);

	if (!K_TIMEOUT_EQ(timer->period, K_NO_WAIT) && !K_TIMEOUT_EQ(timer->period, K_FOREVER)) {
		/* The next period counts from this tick: -1 undoes z_add_timeout()'s extra tick. */
		z_add_timeout(&timer->timeout, timer_expired, timer->period.ticks - 1);
	}
	timer->status++;
	if (timer->expiry_fn != NULL) {
		timer->expiry_fn(timer);
	}
	(void)z_wake_all(&timer->wait_q, 0);
}

void k_timer_init(struct k_timer *timer, k_timer_expiry_t expiry_fn, k_timer_stop_t stop_fn)
{
	sys_dnode_init(&timer->timeout.node);
	z_waitq_init(&timer->wait_q);
	timer->expiry_fn = expiry_fn;
	timer->stop_fn = stop_fn;
	timer->period = K_NO_WAIT;
	timer->status = 0;
	timer->user_data = NULL;
#ifdef CONFIG_USERSPACE
	k_object_init(timer, K_OBJ_TIMER);
#endif
}

void z_impl_k_timer_start(struct k_timer *timer, k_timeout_t duration, k_timeout_t period)
{
	if (K_TIMEOUT_EQ(duration, K_FOREVER)) {
		return;
	}

	unsigned int key = irq_lock();

	(void)z_abort_timeout(&timer->timeout);
	timer->period = period;
	timer->status = 0;
	z_add_timeout(&timer->timeout, timer_expired, duration.ticks);
	irq_unlock(key);
}

void z_impl_k_timer_stop(struct k_timer *timer)
{
	unsigned int key = irq_lock();
	bool was_running = z_abort_timeout(&timer->timeout) == 0;

	if (was_running) {
		if (timer->stop_fn != NULL) {
			timer->stop_fn(timer);
		}
		(void)z_wake_all(&timer->wait_q, 0);
	}
	z_reschedule(key);
}

uint32_t z_impl_k_timer_status_get(struct k_timer *timer)
{
	unsigned int key = irq_lock();
	uint32_t status = timer->status;

	timer->status = 0;
	irq_unlock(key);
	return status;
}

uint32_t z_impl_k_timer_status_sync(struct k_timer *timer)
{
	unsigned int key = irq_lock();

	if (timer->status == 0U && z_is_timeout_active(&timer->timeout) && !k_is_in_isr()) {
		(void)z_pend_curr(key, &timer->wait_q, K_FOREVER);
		key = irq_lock();
	}

	uint32_t status = timer->status;

	timer->status = 0;
	irq_unlock(key);
	return status;
}

k_ticks_t z_impl_k_timer_remaining_ticks(const struct k_timer *timer)
{
	return z_timeout_remaining(&timer->timeout);
}

void z_impl_k_timer_user_data_set(struct k_timer *timer, void *user_data)
{
	timer->user_data = user_data;
}

void *z_impl_k_timer_user_data_get(const struct k_timer *timer)
{
	return timer->user_data;
}

#ifdef CONFIG_USERSPACE
void z_vrfy_k_timer_start(struct k_timer *timer, k_timeout_t duration, k_timeout_t period)
{
	K_OOPS(K_SYSCALL_OBJ(timer, K_OBJ_TIMER));
	z_impl_k_timer_start(timer, duration, period);
}

void z_vrfy_k_timer_stop(struct k_timer *timer)
{
	K_OOPS(K_SYSCALL_OBJ(timer, K_OBJ_TIMER));
	z_impl_k_timer_stop(timer);
}

uint32_t z_vrfy_k_timer_status_get(struct k_timer *timer)
{
	K_OOPS(K_SYSCALL_OBJ(timer, K_OBJ_TIMER));
	return z_impl_k_timer_status_get(timer);
}

uint32_t z_vrfy_k_timer_status_sync(struct k_timer *timer)
{
	K_OOPS(K_SYSCALL_OBJ(timer, K_OBJ_TIMER));
	return z_impl_k_timer_status_sync(timer);
}

k_ticks_t z_vrfy_k_timer_remaining_ticks(const struct k_timer *timer)
{
	K_OOPS(K_SYSCALL_OBJ(timer, K_OBJ_TIMER));
	return z_impl_k_timer_remaining_ticks(timer);
}

void z_vrfy_k_timer_user_data_set(struct k_timer *timer, void *user_data)
{
	K_OOPS(K_SYSCALL_OBJ(timer, K_OBJ_TIMER));
	z_impl_k_timer_user_data_set(timer, user_data);
}

void *z_vrfy_k_timer_user_data_get(const struct k_timer *timer)
{
	K_OOPS(K_SYSCALL_OBJ(timer, K_OBJ_TIMER));
	return z_impl_k_timer_user_data_get(timer);
}
#endif /* CONFIG_USERSPACE */
