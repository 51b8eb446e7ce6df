/* SPDX-License-Identifier: Apache-2.0 */
/* k_thread_timeout_remaining_ticks() and k_thread_timeout_expires_ticks(). */
#include <ksched.h>
#include <syscall_handler.h>

k_ticks_t z_impl_k_thread_timeout_remaining_ticks(const struct k_thread *thread)
{
	return z_timeout_remaining(&thread->base.timeout);
}

k_ticks_t z_impl_k_thread_timeout_expires_ticks(const struct k_thread *thread)
{
	/* Locked, so that no tick falls between the two reads. */
	unsigned int key = irq_lock();
	k_ticks_t at = z_impl_k_uptime_ticks() + z_timeout_remaining(&thread->base.timeout);

	irq_unlock(key);
	return at;
}

#ifdef CONFIG_USERSPACE
k_ticks_t z_vrfy_k_thread_timeout_remaining_ticks(const struct k_thread *thread)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	return z_impl_k_thread_timeout_remaining_ticks(thread);
}

k_ticks_t z_vrfy_k_thread_timeout_expires_ticks(const struct k_thread *thread)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	return z_impl_k_thread_timeout_expires_ticks(thread);
}
#endif
