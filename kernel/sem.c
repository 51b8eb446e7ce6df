/* SPDX-License-Identifier: Apache-2.0 */
/* Counting semaphores (give works from interrupt handlers too). */
#include <ksched.h>
#include <syscall_handler.h>

int z_impl_k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit)
{
	if (limit == 0U || initial_count > limit) {
		return -EINVAL;
	}
	z_waitq_init(&sem->wait_q);
	sem->count = initial_count;
	sem->limit = limit;
#ifdef CONFIG_USERSPACE
	k_object_init(sem, K_OBJ_SEM);
#endif
	return 0;
}

int z_impl_k_sem_take(struct k_sem *sem, k_timeout_t timeout)
{
	unsigned int key = irq_lock();

	if (sem->count > 0U) {
		sem->count--;
		irq_unlock(key);
		return 0;
	}
	if (K_TIMEOUT_EQ(timeout, K_NO_WAIT) || k_is_in_isr()) {
		irq_unlock(key);
		return -EBUSY;
	}
	return z_pend_curr(key, &sem->wait_q, timeout);
}

void z_impl_k_sem_give(struct k_sem *sem)
{
	unsigned int key = irq_lock();
	struct k_thread *waiter = z_unpend_first(&sem->wait_q);

	if (waiter != NULL) {
		waiter->swap_retval = 0;
		z_ready_thread(waiter);
		z_reschedule(key);
		return;
	}
	if (sem->count < sem->limit) {
		sem->count++;
	}
	irq_unlock(key);
}

void z_impl_k_sem_reset(struct k_sem *sem)
{
	unsigned int key = irq_lock();

	(void)z_wake_all(&sem->wait_q, -EAGAIN);
	sem->count = 0;
	z_reschedule(key);
}

unsigned int z_impl_k_sem_count_get(struct k_sem *sem)
{
	return sem->count;
}

#ifdef CONFIG_USERSPACE
int z_vrfy_k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit)
{
	K_OOPS(K_SYSCALL_OBJ_INIT(sem, K_OBJ_SEM));
	return z_impl_k_sem_init(sem, initial_count, limit);
}

int z_vrfy_k_sem_take(struct k_sem *sem, k_timeout_t timeout)
{
	K_OOPS(K_SYSCALL_OBJ(sem, K_OBJ_SEM));
	return z_impl_k_sem_take(sem, timeout);
}

void z_vrfy_k_sem_give(struct k_sem *sem)
{
	K_OOPS(K_SYSCALL_OBJ(sem, K_OBJ_SEM));
	z_impl_k_sem_give(sem);
}

void z_vrfy_k_sem_reset(struct k_sem *sem)
{
	K_OOPS(K_SYSCALL_OBJ(sem, K_OBJ_SEM));
	z_impl_k_sem_reset(sem);
}

unsigned int z_vrfy_k_sem_count_get(struct k_sem *sem)
{
	K_OOPS(K_SYSCALL_OBJ(sem, K_OBJ_SEM));
	return z_impl_k_sem_count_get(sem);
}
#endif /* CONFIG_USERSPACE */
