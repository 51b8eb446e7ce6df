/* SPDX-License-Identifier: Apache-2.0 */
/* Condition variables over k_mutex. */
#include <ksched.h>
#include <syscall_handler.h>

int z_impl_k_condvar_init(struct k_condvar *condvar)
{
	z_waitq_init(&condvar->wait_q);
#ifdef CONFIG_USERSPACE
	k_object_init(condvar, K_OBJ_CONDVAR);
#endif
	return 0;
}

int z_impl_k_condvar_signal(struct k_condvar *condvar)
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

int z_impl_k_condvar_broadcast(struct k_condvar *condvar)
{
	unsigned int key = irq_lock();
	int woken = z_wake_all(&condvar->wait_q, 0);

	z_reschedule(key);
	return woken;
}

int z_impl_k_condvar_wait(struct k_condvar *condvar, struct k_mutex *mutex, k_timeout_t timeout)
{
	/* Unlock and wait as one step: no signal can fall between them. */
	unsigned int key = irq_lock();

	(void)z_mutex_unlock_locked(mutex);

	int ret = z_pend_curr(key, &condvar->wait_q, timeout);

	(void)k_mutex_lock(mutex, K_FOREVER);
	return ret;
}

#ifdef CONFIG_USERSPACE
int z_vrfy_k_condvar_init(struct k_condvar *condvar)
{
	K_OOPS(K_SYSCALL_OBJ_INIT(condvar, K_OBJ_CONDVAR));
	return z_impl_k_condvar_init(condvar);
}

int z_vrfy_k_condvar_signal(struct k_condvar *condvar)
{
	K_OOPS(K_SYSCALL_OBJ(condvar, K_OBJ_CONDVAR));
	return z_impl_k_condvar_signal(condvar);
}

int z_vrfy_k_condvar_broadcast(struct k_condvar *condvar)
{
	K_OOPS(K_SYSCALL_OBJ(condvar, K_OBJ_CONDVAR));
	return z_impl_k_condvar_broadcast(condvar);
}

int z_vrfy_k_condvar_wait(struct k_condvar *condvar, struct k_mutex *mutex, k_timeout_t timeout)
{
	K_OOPS(K_SYSCALL_OBJ(condvar, K_OBJ_CONDVAR));
	K_OOPS(K_SYSCALL_OBJ(mutex, K_OBJ_MUTEX));
	return z_impl_k_condvar_wait(condvar, mutex, timeout);
}
#endif /* CONFIG_USERSPACE */
