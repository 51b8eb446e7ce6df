/* SPDX-License-Identifier: Apache-2.0 */
/* k_thread_custom_data_set()/_get(): the calling thread's own pointer. */
#include <ksched.h>
#include <syscall_handler.h>

#ifdef CONFIG_THREAD_CUSTOM_DATA
void z_impl_k_thread_custom_data_set(void *value)
{
	z_current->custom_data = value;
}

void *z_impl_k_thread_custom_data_get(void)
{
	return z_current->custom_data;
}

#ifdef CONFIG_USERSPACE
/* Nothing to check: a thread reaches only its own pointer, whatever it holds. */
void z_vrfy_k_thread_custom_data_set(void *value)
{
	z_impl_k_thread_custom_data_set(value);
}

void *z_vrfy_k_thread_custom_data_get(void)
{
	return z_impl_k_thread_custom_data_get();
}
#endif
#endif
