/* SPDX-License-Identifier: Apache-2.0 */
/* Condition variables over k_mutex. */
#include <ksched.h>

int k_condvar_init(struct k_condvar *condvar)
{
	z_waitq_init(&condvar->wait_q);
	return 0;
}

int k_condvar_signal(struct k_condvar *condvar)
{
	unsigned int key = irq_lock();
	struct k_thread *waiter = z_unpend_first(&condvar->wait_q);

	if (waiter != NULL) {
		waiter->swap_retval = 0;
		z_ready_thread(waiter);
		z_reschedule(key);
		return 0;
	}
	irq_unlock(key);
	return 0;
}

int k_condvar_broadcast(struct k_condvar *condvar)
{
	unsigned int key = irq_lock();
	int woken = z_wake_all(&condvar->wait_q, 0);

	z_reschedule(key);
	return woken;
}

int k_condvar_wait(struct k_condvar *condvar, struct k_mutex *mutex, k_timeout_t timeout)
{
	/* Unlock and wait as one step: no signal can fall between them. */
	unsigned int key = irq_lock();

	(void)z_mutex_unlock_locked(mutex);

	int ret = z_pend_curr(key, &condvar->wait_q, timeout);

	(void)k_mutex_lock(mutex, K_FOREVER);
	return ret;
}
