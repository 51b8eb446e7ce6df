/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semaphores, mutexes, condition variables and timers, with the reference
 * RTOS's (Zephyr's) names, signatures and return codes. Included by
 * <kernel.h>. A take or lock with K_NO_WAIT that cannot succeed returns
 * -EBUSY, one that times out -EAGAIN.
 */
#ifndef PAGODA_INCLUDE_KERNEL_SYNC_H
#define PAGODA_INCLUDE_KERNEL_SYNC_H

#include <kernel/thread.h>

/*
 * Objects defined with K_*_DEFINE() go to one linker run per type
 * (linker/common.ld), so that with CONFIG_USERSPACE the kernel knows them
 * as initialised kernel objects from boot (kernel/kobject.c). The explicit
 * alignment keeps the compiler from aligning larger objects further (an
 * array of them, with no gaps, is what the run is walked as).
 */
#define Z_KOBJ_STATIC(type, name)                                                                  \
	__attribute__((__section__("._" #type ".static." #name),                                   \
		       __aligned__(__alignof__(struct type))))

/* ---- semaphores (give: threads and ISRs) ---------------------------------------- */

struct k_sem {
	_wait_q_t wait_q;
	unsigned int count;
	unsigned int limit;
};

#define K_SEM_MAX_LIMIT UINT32_MAX

#define Z_SEM_INITIALIZER(obj, initial_count, count_limit)                                         \
	{                                                                                          \
		.wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .count = (initial_count),                  \
		.limit = (count_limit)                                                             \
	}

/* The definition first, so that `static K_SEM_DEFINE(...)` works, as in the reference. */
#define K_SEM_DEFINE(name, initial_count, count_limit)                                             \
	struct k_sem name Z_KOBJ_STATIC(k_sem, name) =                                             \
		Z_SEM_INITIALIZER(name, initial_count, count_limit);                               \
	BUILD_ASSERT((count_limit) != 0 && (initial_count) <= (count_limit))

/* 0; -EINVAL for a limit of 0 or a count above it. */
__syscall int k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit);
/* 0; -EBUSY (K_NO_WAIT, count 0); -EAGAIN (timed out or reset while waiting). */
__syscall int k_sem_take(struct k_sem *sem, k_timeout_t timeout);
/* Wake the best waiter, or count up to the limit. Callable from an ISR. */
__syscall void k_sem_give(struct k_sem *sem);
/* Count to 0; every waiter returns -EAGAIN. */
__syscall void k_sem_reset(struct k_sem *sem);
__syscall unsigned int k_sem_count_get(struct k_sem *sem);

/* ---- mutexes (threads only; recursive; priority inheritance) -------------------- */

struct k_mutex {
	_wait_q_t wait_q;
	struct k_thread *owner;
	uint32_t lock_count;
	int owner_orig_prio;
	/* While threads wait: on the owner's list of such mutexes (priority inheritance). */
	struct k_mutex *next_held;
	struct k_thread *held_by;
};

#define Z_MUTEX_INITIALIZER(obj)                                                                   \
	{                                                                                          \
		.wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .owner = NULL, .lock_count = 0,            \
		.owner_orig_prio = K_LOWEST_APPLICATION_THREAD_PRIO, .next_held = NULL,            \
		.held_by = NULL                                                                    \
	}

#define K_MUTEX_DEFINE(name)                                                                       \
	struct k_mutex name Z_KOBJ_STATIC(k_mutex, name) = Z_MUTEX_INITIALIZER(name)

__syscall int k_mutex_init(struct k_mutex *mutex);
/*
 * 0 (also when the caller holds it already: it nests); -EBUSY (K_NO_WAIT);
 * -EAGAIN (timed out). While threads wait, the owner runs at the best
 * waiter's priority if that is better than its own.
 */
__syscall int k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout);
/* 0; -EINVAL when not locked; -EPERM when the caller is not the owner. */
__syscall int k_mutex_unlock(struct k_mutex *mutex);

/* ---- condition variables -------------------------------------------------------- */

struct k_condvar {
	_wait_q_t wait_q;
};

#define Z_CONDVAR_INITIALIZER(obj)                                                                 \
	{                                                                                          \
		.wait_q = Z_WAIT_Q_INIT(&(obj).wait_q)                                             \
	}
#define K_CONDVAR_DEFINE(name)                                                                     \
	struct k_condvar name Z_KOBJ_STATIC(k_condvar, name) = Z_CONDVAR_INITIALIZER(name)

__syscall int k_condvar_init(struct k_condvar *condvar);
/* Wake the best waiter: 0. */
__syscall int k_condvar_signal(struct k_condvar *condvar);
/* Wake every waiter: how many were woken. */
__syscall int k_condvar_broadcast(struct k_condvar *condvar);
/* Unlock mutex, wait, lock it again: 0, or -EAGAIN when timed out (locked again either way). */
__syscall int k_condvar_wait(struct k_condvar *condvar, struct k_mutex *mutex, k_timeout_t timeout);

/* ---- timers (expiry and stop functions run in interrupt context) ----------------- */

struct k_timer;
typedef void (*k_timer_expiry_t)(struct k_timer *timer);
typedef void (*k_timer_stop_t)(struct k_timer *timer);

struct k_timer {
	struct _timeout timeout;
	_wait_q_t wait_q; /* threads in k_timer_status_sync() */
	k_timer_expiry_t expiry_fn;
	k_timer_stop_t stop_fn;
	k_timeout_t period;
	uint32_t status; /* expiries since the last status read */
	void *user_data;
};

#define Z_TIMER_INITIALIZER(obj, expiry, stop)                                                     \
	{                                                                                          \
		.timeout = {.node = {{NULL}, {NULL}}, .dticks = 0, .fn = NULL},                    \
		.wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .expiry_fn = (expiry), .stop_fn = (stop),  \
		.period = {0}, .status = 0, .user_data = NULL                                      \
	}

#define K_TIMER_DEFINE(name, expiry_fn, stop_fn)                                                   \
	struct k_timer name Z_KOBJ_STATIC(k_timer, name) =                                         \
		Z_TIMER_INITIALIZER(name, expiry_fn, stop_fn)

/* Supervisor mode only, as in the reference: the functions run in the kernel. */
void k_timer_init(struct k_timer *timer, k_timer_expiry_t expiry_fn, k_timer_stop_t stop_fn);
/* First expiry after duration, then every period (K_NO_WAIT or K_FOREVER: once). */
__syscall void k_timer_start(struct k_timer *timer, k_timeout_t duration, k_timeout_t period);
__syscall void k_timer_stop(struct k_timer *timer);
/* Expiries since the last read, and resets the count. */
__syscall uint32_t k_timer_status_get(struct k_timer *timer);
/* Wait for the next expiry unless one happened since the last read (or the
 * timer is stopped); returns and resets the count.
 */
__syscall uint32_t k_timer_status_sync(struct k_timer *timer);
/* Ticks until the next expiry (0 when not running). */
__syscall k_ticks_t k_timer_remaining_ticks(const struct k_timer *timer);
__syscall void k_timer_user_data_set(struct k_timer *timer, void *user_data);
__syscall void *k_timer_user_data_get(const struct k_timer *timer);

#endif /* PAGODA_INCLUDE_KERNEL_SYNC_H */
