/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thread helpers with the reference's internal names (its kernel/include/
 * kthread.h), for the kernel and for tests that include the kernel's
 * internal headers as the reference's own do.
 */
#ifndef PAGODA_KERNEL_INCLUDE_KTHREAD_H
#define PAGODA_KERNEL_INCLUDE_KTHREAD_H

#include <ksched.h>

/* The main thread (thread.c). */
extern struct k_thread z_main_thread;

/* An essential thread's end is a kernel panic. */
static inline bool z_is_thread_essential(const struct k_thread *thread)
{
	return (thread->base.user_options & K_ESSENTIAL) != 0U;
}

static inline void z_thread_essential_set(struct k_thread *thread)
{
	thread->base.user_options |= K_ESSENTIAL;
}

static inline void z_thread_essential_clear(struct k_thread *thread)
{
	thread->base.user_options &= (uint8_t)~K_ESSENTIAL;
}

/* Whether obj is the idle thread. */
static inline bool z_is_idle_thread_object(const void *obj)
{
	const struct k_thread *t = obj;

	return t != NULL && (t->base.thread_state & _THREAD_IDLE) != 0U;
}

#endif /* PAGODA_KERNEL_INCLUDE_KTHREAD_H */
