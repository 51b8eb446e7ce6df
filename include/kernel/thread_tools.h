/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thread introspection with the reference's names and meanings (included
 * by <kernel/thread.h>): walking the threads (CONFIG_THREAD_MONITOR), a
 * pointer of the application's per thread (CONFIG_THREAD_CUSTOM_DATA),
 * and the cycles each thread ran (CONFIG_THREAD_RUNTIME_STATS).
 */
#ifndef PAGODA_INCLUDE_KERNEL_THREAD_TOOLS_H
#define PAGODA_INCLUDE_KERNEL_THREAD_TOOLS_H

#include <kernel/timeout.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/util.h>

struct k_thread;

typedef void (*k_thread_user_cb_t)(const struct k_thread *thread, void *user_data);

#ifdef CONFIG_THREAD_MONITOR
/*
 * user_cb(thread, user_data) for every thread that exists (created and not
 * ended, the idle thread included), with interrupts locked throughout: the
 * callback must not block, create or end threads. A NULL callback is
 * refused with a message (the reference asserts).
 */
void k_thread_foreach(k_thread_user_cb_t user_cb, void *user_data);
/*
 * The same with interrupts enabled during each callback, which may then
 * block and create threads; a thread created meanwhile may be missed, and
 * the callback must not end the thread it was given (as in the reference).
 */
void k_thread_foreach_unlocked(k_thread_user_cb_t user_cb, void *user_data);
#endif

/*
 * The ticks until thread's timeout (a delayed start, a sleep or a timed
 * wait) expires, 0 when it has none; and the tick at which it expires (the
 * current tick when it has none). From user mode: a thread it may use.
 */
__syscall k_ticks_t k_thread_timeout_remaining_ticks(const struct k_thread *thread);
__syscall k_ticks_t k_thread_timeout_expires_ticks(const struct k_thread *thread);

#ifdef CONFIG_THREAD_CUSTOM_DATA
/* The calling thread's own pointer: set, and read back (NULL until set). */
__syscall void k_thread_custom_data_set(void *value);
__syscall void *k_thread_custom_data_get(void);
#endif

/*
 * thread's state as text, written into buf (at most buf_size - 1 characters
 * and a NUL, truncated to fit): the reference's words joined by '+', in its
 * order: "dummy", "pending", "sleeping" (asleep, or created and not yet
 * started), "dead", "suspended", "aborting", "queued"; "" when it has none.
 * Returns buf, or "" when buf is NULL or buf_size is 0.
 */
const char *k_thread_state_str(struct k_thread *thread, char *buf, size_t buf_size);

#ifdef CONFIG_THREAD_RUNTIME_STATS
typedef struct k_thread_runtime_stats {
	/* A thread's: the cycles it ran. The system's (..._all_get()): every
	 * cycle since the scheduler started, the idle thread's included.
	 */
	uint64_t execution_cycles;
	/* A thread's: the same. The system's: the cycles of every thread but idle. */
	uint64_t total_cycles;
	/* The system's: the idle thread's cycles (0 for a thread's). */
	uint64_t idle_cycles;
} k_thread_runtime_stats_t;

/* 0, or -EINVAL for a NULL thread or output. The running thread's count
 * includes its time since it was last switched in.
 */
int k_thread_runtime_stats_get(struct k_thread *thread, k_thread_runtime_stats_t *stats);
/* 0, or -EINVAL for a NULL output. */
int k_thread_runtime_stats_all_get(k_thread_runtime_stats_t *stats);
#endif

#endif /* PAGODA_INCLUDE_KERNEL_THREAD_TOOLS_H */
