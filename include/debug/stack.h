/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log_stack_usage() (<zephyr/debug/stack.h>): one line, at the INF level,
 * naming a thread and how much of its stack it has used, as the reference
 * logs it: "<thread> (<name>):\tunused U\tusage N / S (P %)". It needs
 * CONFIG_INIT_STACKS and CONFIG_THREAD_STACK_INFO (the stack is measured by
 * its untouched fill), otherwise it logs nothing, as in the reference.
 */
#ifndef PAGODA_INCLUDE_DEBUG_STACK_H
#define PAGODA_INCLUDE_DEBUG_STACK_H

#include <kernel.h>
#include <logging/log.h>

static inline void log_stack_usage(const struct k_thread *thread)
{
#if defined(CONFIG_INIT_STACKS) && defined(CONFIG_THREAD_STACK_INFO)
	size_t unused;
	size_t size = thread->stack_info.size;

	LOG_MODULE_DECLARE(os);

	if (size != 0U && k_thread_stack_space_get(thread, &unused) == 0) {
		const char *name = k_thread_name_get((k_tid_t)thread);

		LOG_INF("%p (%s):\tunused %zu\tusage %zu / %zu (%u %%)", (void *)thread,
			name != NULL ? name : "unknown", unused, size - unused, size,
			(unsigned int)(((size - unused) * 100U) / size));
	}
#else
	ARG_UNUSED(thread);
#endif
}

#endif /* PAGODA_INCLUDE_DEBUG_STACK_H */
