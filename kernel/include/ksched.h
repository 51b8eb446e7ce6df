/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel-internal scheduler interface: thread states, the ready queue, wait
 * queues and timeouts, for the kernel objects built on them. Every function
 * here expects interrupts locked unless it takes a key to release.
 */
#ifndef PAGODA_KERNEL_INCLUDE_KSCHED_H
#define PAGODA_KERNEL_INCLUDE_KSCHED_H

#include <arch/thread.h>
#include <kernel.h>

/* The _THREAD_* state bits are public, in <kernel/thread.h>, as the reference's
 * are in <kernel_structs.h>.
 */
#define Z_THREAD_NOT_READY                                                                         \
	(_THREAD_PENDING | _THREAD_PRESTART | _THREAD_DEAD | _THREAD_SUSPENDED |                   \
	 _THREAD_SLEEPING | _THREAD_DUMMY)

extern struct k_thread *z_current;

/* The threads created and not ended, linked through reap_node (thread.c). */
sys_dlist_t *z_thread_live_list(void);
#ifdef CONFIG_SCHED_THREAD_USAGE
/* At a switch from old to next: old's cycles since it was switched in (thread_usage.c). */
void z_sched_usage_switch(struct k_thread *old, struct k_thread *next);
#endif

static inline bool z_is_thread_ready(const struct k_thread *t)
{
	return (t->base.thread_state & Z_THREAD_NOT_READY) == 0U;
}

static inline bool z_is_valid_app_prio(int prio)
{
	return prio >= K_HIGHEST_APPLICATION_THREAD_PRIO &&
	       prio <= K_LOWEST_APPLICATION_THREAD_PRIO;
}

/* Map the interrupt stack, create the idle and main threads and the
 * K_THREAD_DEFINE() ones, and switch to the first (kernel/thread.c).
 */
FUNC_NORETURN void z_threads_start(void);
/* CONFIG_STACK_CANARIES: __stack_chk_guard from sys_rand_get(), first thing at boot. */
void z_stack_canary_init(void);
/* Scheduler set-up, before the first thread runs. */
void z_sched_init(void);
/* Switch from the boot context to the best ready thread, for good. */
FUNC_NORETURN void z_sched_start(void);

/*
 * Whether the caller may block now: a thread (not an interrupt handler)
 * whose interrupts are enabled (irq_enabled: the caller says, as a fault
 * handler knows it of the code it interrupted), the scheduler not locked,
 * not the idle thread, no memory-manager transfer held the CPU
 * (CONFIG_DEMAND_PAGING_ALLOW_IRQ), and the scheduler started.
 */
bool z_sched_may_block(bool irq_enabled);
/* Put t in the ready queue if nothing else holds it back. */
void z_ready_thread(struct k_thread *t);
/* Take t out of the ready queue (it is about to block or end). */
void z_unready_thread(struct k_thread *t);
/*
 * Block the current thread on wait_q (NULL: on nothing, as a sleep) for
 * timeout; switch away; release key. Returns what the waker left in
 * swap_retval: 0 when woken, -EAGAIN on timeout (the default).
 */
int z_pend_curr(unsigned int key, _wait_q_t *wait_q, k_timeout_t timeout);
/* The best waiter of wait_q, taken off it and its timeout cancelled (not yet ready), or NULL. */
struct k_thread *z_unpend_first(_wait_q_t *wait_q);
/* Make every waiter of wait_q ready with retval: how many there were. */
int z_wake_all(_wait_q_t *wait_q, int retval);
/* The best waiter, without taking it off. */
struct k_thread *z_waitq_head(_wait_q_t *wait_q);
/* Switch to a better ready thread if the caller may be preempted; release key. */
void z_reschedule(unsigned int key);
/* Give up the CPU unconditionally (the caller is blocked, dead or yielding); release key. */
int z_swap(unsigned int key);
/* In an interrupt handler that ended the thread it interrupted: the exit
 * saves what it leaves into a dummy, not into the ended thread.
 */
void z_sched_dummify_current(void);
/* Set t's effective priority (mutex inheritance), keeping the queues ordered. */
void z_thread_prio_set_effective(struct k_thread *t, int prio);
/* Abort t: out of every queue, joiners woken; switches away when t is the caller. */
void z_thread_abort(struct k_thread *t);

/* k_mutex_unlock() without the reschedule, interrupts locked (k_condvar_wait()):
 * 1 when it handed the mutex to a waiter, else as k_mutex_unlock().
 */
int z_mutex_unlock_locked(struct k_mutex *mutex);
/* t's own priority, or a better one lent by a thread it holds up (a mutex
 * it holds, a page it moves): what its effective priority must be.
 */
int z_thread_inherited_prio(struct k_thread *t);

#ifdef CONFIG_USERSPACE
/* t's privileged stack (kernel/userspace.c): 0 or -ENOMEM; freed once t is dead. */
int z_thread_priv_stack_alloc(struct k_thread *t);
void z_thread_priv_stack_free(uintptr_t start);
/* Whether t was created and has not died (kernel/thread.c). */
bool z_thread_is_live(const struct k_thread *t);
/* Whether [start, start + size) meets a thread's privileged stack or a
 * k_thread_stack_alloc() stack, the k_mem_map() regions the kernel takes
 * for itself (kernel/thread.c).
 */
bool z_thread_stacks_overlap(uintptr_t start, size_t size);
#endif

static inline void z_waitq_init(_wait_q_t *w)
{
	sys_dlist_init(&w->waitq);
}

/* ---- timeouts (kernel/timeout.c) ---- */

/* Call fn(to) from the timer interrupt after ticks ticks (at least ticks full ticks). */
void z_add_timeout(struct _timeout *to, _timeout_func_t fn, k_ticks_t ticks);
/* 0 when it was pending and is now cancelled, -EINVAL when it was not pending. */
int z_abort_timeout(struct _timeout *to);
/* Ticks until to expires, 0 when not pending. */
k_ticks_t z_timeout_remaining(const struct _timeout *to);
static inline bool z_is_timeout_active(const struct _timeout *to)
{
	return sys_dnode_is_linked(&to->node);
}

/* Once per tick, from the timer interrupt: time slicing. */
void z_sched_tick(void);

#endif /* PAGODA_KERNEL_INCLUDE_KSCHED_H */
