/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler: one FIFO list per priority plus a bitmap of the non-empty
 * ones, so picking the next thread, readying and blocking cost the same
 * whatever the number of threads. The running thread stays in its list
 * while it is ready: a preempted thread resumes before the others of its
 * priority, and k_yield() or the end of a time slice moves it to the tail.
 * One CPU: interrupts locked are the scheduler's lock.
 */
#include <arch/thread.h>
#include <ksched.h>
#ifdef CONFIG_DEMAND_PAGING
#include <paging.h>
#endif
#include <syscall_handler.h>

#define NUM_PRIO        (CONFIG_NUM_COOP_PRIORITIES + CONFIG_NUM_PREEMPT_PRIORITIES + 1)
#define PRIO_WORDS      DIV_ROUND_UP(NUM_PRIO, 32)
#define PRIO_INDEX(p)   ((unsigned int)((p)-K_HIGHEST_THREAD_PRIO))
#define NOT_PREEMPTIBLE 0 /* a negative priority: cooperative */

BUILD_ASSERT(NUM_PRIO <= 128, "thread priorities must fit the int8_t fields");

struct k_thread *z_current;

static struct {
	sys_dlist_t runq[NUM_PRIO];
	uint32_t bitmap[PRIO_WORDS];
	bool started;
#ifdef CONFIG_TIMESLICING
	int32_t slice_ticks; /* 0: slicing off */
	int slice_prio;      /* threads of this priority or lower are sliced */
#endif
} sched;

/* ---- the ready queue ------------------------------------------------------------- */

static void runq_add(struct k_thread *t)
{
	unsigned int i = PRIO_INDEX(t->base.prio);

	sys_dlist_append(&sched.runq[i], &t->base.qnode);
	sched.bitmap[i / 32U] |= BIT(i % 32U);
	t->base.thread_state |= _THREAD_QUEUED;
}

static void runq_remove(struct k_thread *t)
{
	unsigned int i = PRIO_INDEX(t->base.prio);

	sys_dlist_remove(&t->base.qnode);
	if (sys_dlist_is_empty(&sched.runq[i])) {
		sched.bitmap[i / 32U] &= ~BIT(i % 32U);
	}
	t->base.thread_state &= ~_THREAD_QUEUED;
}

static struct k_thread *runq_best(void)
{
	for (unsigned int w = 0; w < PRIO_WORDS; w++) {
		if (sched.bitmap[w] != 0U) {
			unsigned int i = w * 32U + (unsigned int)__builtin_ctz(sched.bitmap[w]);

			return CONTAINER_OF(sys_dlist_peek_head(&sched.runq[i]), struct k_thread,
					    base.qnode);
		}
	}
	return NULL; /* only before the idle thread exists */
}

/* The current thread to the tail of its priority's list. */
static void move_current_to_tail(void)
{
	if ((z_current->base.thread_state & _THREAD_QUEUED) != 0U) {
		runq_remove(z_current);
		runq_add(z_current);
	}
}

/* Whether t's CPU mask lets it run on the one CPU. */
static inline bool may_run_here(const struct k_thread *t)
{
#ifdef CONFIG_SCHED_CPU_MASK
	return (t->base.cpu_mask & BIT(0)) != 0U;
#else
	ARG_UNUSED(t);
	return true;
#endif
}

void z_ready_thread(struct k_thread *t)
{
	if (z_is_thread_ready(t) && may_run_here(t) &&
	    (t->base.thread_state & _THREAD_QUEUED) == 0U) {
		runq_add(t);
	}
}

void z_unready_thread(struct k_thread *t)
{
	if ((t->base.thread_state & _THREAD_QUEUED) != 0U) {
		runq_remove(t);
	}
}

static bool is_preemptible(const struct k_thread *t)
{
	return t->base.prio >= NOT_PREEMPTIBLE && t->base.sched_locked == 0U;
}

/*
 * A backing-store transfer running with interrupts enabled
 * (CONFIG_DEMAND_PAGING_ALLOW_IRQ) must not be left for another thread:
 * the memory manager's nesting of transfers is last-in first-out, as
 * interrupts are. The reference RTOS locks the scheduler there too.
 */
static bool transfer_in_flight(void)
{
#ifdef CONFIG_DEMAND_PAGING
	return z_paging_transfer_depth() > 0U;
#else
	return false;
#endif
}

bool z_sched_may_block(bool irq_enabled)
{
	return sched.started && !k_is_in_isr() && irq_enabled &&
	       z_current->base.sched_locked == 0U &&
	       (z_current->base.thread_state & _THREAD_IDLE) == 0U && !transfer_in_flight();
}

/* The thread to run now instead of the current one, or NULL to go on. */
static struct k_thread *should_switch(void)
{
	struct k_thread *next = runq_best();

	if (next == z_current) {
		return NULL;
	}
	if (z_is_thread_ready(z_current) && (!is_preemptible(z_current) || transfer_in_flight())) {
		return NULL;
	}
	return next;
}

static void switch_to(struct k_thread *next)
{
	struct k_thread *old = z_current;

#ifdef CONFIG_TIMESLICING
	next->slice_ticks = sched.slice_ticks;
#endif
	z_current = next;
#ifdef CONFIG_SCHED_THREAD_USAGE
	z_sched_usage_switch(old, next);
#endif
#ifdef CONFIG_USERSPACE
	/* Only a thread that has been in user mode has a privileged stack to
	 * point the CPU at; a supervisor thread never leaves ring 0.
	 */
	if (next->priv_stack_start != 0U) {
		arch_user_switch(next);
	}
#endif
	arch_switch(&old->switch_sp, next->switch_sp);
}

int z_swap(unsigned int key)
{
	struct k_thread *next = runq_best();

	if (next != z_current) {
		switch_to(next);
	}
	irq_unlock(key);
	return z_current->swap_retval;
}

void z_reschedule(unsigned int key)
{
	if (sched.started && !k_is_in_isr()) {
		struct k_thread *next = should_switch();

		if (next != NULL) {
			switch_to(next);
		}
	}
	irq_unlock(key);
}

void z_sched_irq_exit(void)
{
	if (sched.started) {
		struct k_thread *next = should_switch();

		if (next != NULL) {
			switch_to(next);
		}
	}
}

void z_sched_init(void)
{
	for (unsigned int i = 0; i < NUM_PRIO; i++) {
		sys_dlist_init(&sched.runq[i]);
	}
#ifdef CONFIG_TIMESLICING
	k_sched_time_slice_set(CONFIG_TIMESLICE_SIZE, CONFIG_TIMESLICE_PRIORITY);
#endif
}

/*
 * Not a thread (_THREAD_DUMMY, never ready): what a context no thread owns
 * is saved into at its last switch, and never resumed. The boot context's
 * at the first switch; and, as in the reference, the context an interrupt
 * leaves when its handler ended the thread it interrupted: the handler may
 * already reuse that thread's object, which the exit must not write.
 */
static struct k_thread dummy_thread;

void z_sched_dummify_current(void)
{
	dummy_thread.base.thread_state = _THREAD_DUMMY;
	z_current = &dummy_thread;
}

FUNC_NORETURN void z_sched_start(void)
{
	(void)arch_irq_lock();
	z_sched_dummify_current();
	sched.started = true;
	switch_to(runq_best());
	CODE_UNREACHABLE;
}

/* ---- wait queues ------------------------------------------------------------------ */

/* Best priority first, FIFO among equals. */
static void waitq_insert(_wait_q_t *wait_q, struct k_thread *t)
{
	sys_dnode_t *node;

	SYS_DLIST_FOR_EACH_NODE (&wait_q->waitq, node) {
		struct k_thread *other = CONTAINER_OF(node, struct k_thread, base.qnode);

		if (t->base.prio < other->base.prio) {
			sys_dlist_insert(node, &t->base.qnode);
			t->base.pended_on = wait_q;
			return;
		}
	}
	sys_dlist_append(&wait_q->waitq, &t->base.qnode);
	t->base.pended_on = wait_q;
}

static void unpend(struct k_thread *t)
{
	if ((t->base.thread_state & _THREAD_PENDING) != 0U) {
		sys_dlist_remove(&t->base.qnode);
		t->base.pended_on = NULL;
		t->base.thread_state &= ~_THREAD_PENDING;
	}
}

/* A wait (or sleep) timed out: the thread goes on with -EAGAIN (set when it blocked). */
static void wait_timeout_expired(struct _timeout *to)
{
	struct k_thread *t = CONTAINER_OF(to, struct k_thread, base.timeout);

	unpend(t);
	t->base.thread_state &= ~_THREAD_SLEEPING;
	z_ready_thread(t);
}

/* What a wait returns unless something ends it first; in rodata under the
 * reference's name, which its suites use as a known read-only kernel variable.
 */
const int _errno_neg_eagain = -EAGAIN;

int z_pend_curr(unsigned int key, _wait_q_t *wait_q, k_timeout_t timeout)
{
	struct k_thread *t = z_current;

	z_unready_thread(t);
	t->swap_retval = _errno_neg_eagain;
	if (wait_q != NULL) {
		t->base.thread_state |= _THREAD_PENDING;
		waitq_insert(wait_q, t);
	} else {
		t->base.thread_state |= _THREAD_SLEEPING;
	}
	if (!K_TIMEOUT_EQ(timeout, K_FOREVER)) {
		z_add_timeout(&t->base.timeout, wait_timeout_expired, timeout.ticks);
	}
	return z_swap(key);
}

struct k_thread *z_waitq_head(_wait_q_t *wait_q)
{
	sys_dnode_t *node = sys_dlist_peek_head(&wait_q->waitq);

	return (node == NULL) ? NULL : CONTAINER_OF(node, struct k_thread, base.qnode);
}

struct k_thread *z_unpend_first(_wait_q_t *wait_q)
{
	struct k_thread *t = z_waitq_head(wait_q);

	if (t != NULL) {
		unpend(t);
		(void)z_abort_timeout(&t->base.timeout);
	}
	return t;
}

int z_wake_all(_wait_q_t *wait_q, int retval)
{
	int woken = 0;

	for (struct k_thread *t = z_unpend_first(wait_q); t != NULL; t = z_unpend_first(wait_q)) {
		t->swap_retval = retval;
		z_ready_thread(t);
		woken++;
	}
	return woken;
}

void z_thread_prio_set_effective(struct k_thread *t, int prio)
{
	if (t->base.prio == prio) {
		return;
	}
	if ((t->base.thread_state & _THREAD_QUEUED) != 0U) {
		runq_remove(t);
		t->base.prio = (int8_t)prio;
		runq_add(t);
	} else if ((t->base.thread_state & _THREAD_PENDING) != 0U) {
		_wait_q_t *wait_q = t->base.pended_on;

		sys_dlist_remove(&t->base.qnode);
		t->base.prio = (int8_t)prio;
		waitq_insert(wait_q, t);
	} else {
		t->base.prio = (int8_t)prio;
	}
}

void z_thread_abort(struct k_thread *t)
{
	unpend(t);
	(void)z_abort_timeout(&t->base.timeout);
	z_unready_thread(t);
	t->base.thread_state |= _THREAD_DEAD;
}

/* ---- the public scheduling calls ---------------------------------------------------- */

k_tid_t z_impl_k_current_get(void)
{
	return z_current;
}

void z_impl_k_yield(void)
{
	unsigned int key = irq_lock();

	move_current_to_tail();
	(void)z_swap(key);
}

/* Sleep ticks ticks (0: just yield); the ticks left when woken early. */
static int32_t sleep_ticks(k_ticks_t ticks)
{
	if (ticks == 0) {
		k_yield();
		return 0;
	}

	unsigned int key = irq_lock();
	int64_t deadline = k_uptime_ticks() + ticks + 1;

	(void)z_pend_curr(key, NULL, Z_TIMEOUT_TICKS(ticks));

	int64_t left = deadline - k_uptime_ticks();

	return (left > 0) ? (int32_t)MIN(left, (int64_t)INT32_MAX) : 0;
}

int32_t z_impl_k_sleep(k_timeout_t timeout)
{
	if (K_TIMEOUT_EQ(timeout, K_FOREVER)) {
		k_thread_suspend(z_current);
		return (int32_t)K_TICKS_FOREVER;
	}
	/* The conversion is a macro that evaluates its argument more than once. */
	int32_t left = sleep_ticks(timeout.ticks);

	return (int32_t)k_ticks_to_ms_ceil64(left);
}

int32_t k_msleep(int32_t ms)
{
	return k_sleep(K_MSEC(ms));
}

int32_t z_impl_k_usleep(int32_t us)
{
	int32_t left = sleep_ticks(K_USEC(us).ticks);

	return (int32_t)k_ticks_to_us_ceil64(left);
}

void k_wakeup(k_tid_t thread)
{
	unsigned int key = irq_lock();

	if ((thread->base.thread_state & _THREAD_SLEEPING) == 0U) {
		irq_unlock(key);
		return;
	}
	(void)z_abort_timeout(&thread->base.timeout);
	thread->base.thread_state &= ~_THREAD_SLEEPING;
	z_ready_thread(thread);
	z_reschedule(key);
}

void z_impl_k_thread_suspend(k_tid_t thread)
{
	unsigned int key = irq_lock();

	if ((thread->base.thread_state & (_THREAD_DEAD | _THREAD_SUSPENDED)) != 0U) {
		irq_unlock(key);
		return;
	}
	/* A sleep's timeout is cancelled (the reference does the same); a wait keeps its own. */
	if ((thread->base.thread_state & _THREAD_SLEEPING) != 0U) {
		(void)z_abort_timeout(&thread->base.timeout);
		thread->base.thread_state &= ~_THREAD_SLEEPING;
	}
	thread->base.thread_state |= _THREAD_SUSPENDED;
	z_unready_thread(thread);
	if (thread == z_current && !k_is_in_isr()) {
		(void)z_swap(key);
		return;
	}
	irq_unlock(key);
}

void z_impl_k_thread_resume(k_tid_t thread)
{
	unsigned int key = irq_lock();

	if ((thread->base.thread_state & _THREAD_SUSPENDED) == 0U) {
		irq_unlock(key);
		return;
	}
	thread->base.thread_state &= ~_THREAD_SUSPENDED;
	z_ready_thread(thread);
	z_reschedule(key);
}

int z_impl_k_thread_priority_get(k_tid_t thread)
{
	return thread->base.own_prio;
}

void z_impl_k_thread_priority_set(k_tid_t thread, int prio)
{
	if (!z_is_valid_app_prio(prio) || (thread->base.thread_state & _THREAD_IDLE) != 0U) {
		printk("k_thread_priority_set: priority %d is outside %d..%d: ignored\n", prio,
		       K_HIGHEST_APPLICATION_THREAD_PRIO, K_LOWEST_APPLICATION_THREAD_PRIO);
		return;
	}

	unsigned int key = irq_lock();
	/* A mutex owner keeps an inherited priority better than its new own one. */
	bool inherited = thread->base.prio < thread->base.own_prio;

	thread->base.own_prio = (int8_t)prio;
	if (!inherited || prio < thread->base.prio) {
		z_thread_prio_set_effective(thread, prio);
	}
	z_reschedule(key);
}

void k_sched_lock(void)
{
	unsigned int key = irq_lock();

	z_current->base.sched_locked++;
	irq_unlock(key);
}

void k_sched_unlock(void)
{
	unsigned int key = irq_lock();

	if (z_current->base.sched_locked == 0U) {
		irq_unlock(key);
		return; /* unbalanced: nothing to undo */
	}
	z_current->base.sched_locked--;
	z_reschedule(key);
}

bool k_is_preempt_thread(void)
{
	return !k_is_in_isr() && is_preemptible(z_current);
}

/* ---- time slicing -------------------------------------------------------------------- */

void k_sched_time_slice_set(int32_t slice_ms, int prio)
{
#ifdef CONFIG_TIMESLICING
	unsigned int key = irq_lock();

	sched.slice_ticks = (slice_ms <= 0) ? 0 : (int32_t)k_ms_to_ticks_ceil32(slice_ms);
	sched.slice_prio = prio;
	if (z_current != NULL) {
		z_current->slice_ticks = sched.slice_ticks;
	}
	irq_unlock(key);
#else
	ARG_UNUSED(slice_ms);
	ARG_UNUSED(prio);
#endif
}

void z_sched_tick(void)
{
#ifdef CONFIG_TIMESLICING
	struct k_thread *t = z_current;

	if (!sched.started || sched.slice_ticks == 0 || !is_preemptible(t) ||
	    t->base.prio < sched.slice_prio || (t->base.thread_state & _THREAD_IDLE) != 0U) {
		return;
	}
	if (--t->slice_ticks <= 0) {
		t->slice_ticks = sched.slice_ticks;
		move_current_to_tail(); /* the interrupt's exit switches */
	}
#endif
}

#ifdef CONFIG_USERSPACE
/* ---- system calls: verification ----------------------------------------------------- */

k_tid_t z_vrfy_k_current_get(void)
{
	return z_impl_k_current_get();
}

void z_vrfy_k_yield(void)
{
	z_impl_k_yield();
}

int32_t z_vrfy_k_sleep(k_timeout_t timeout)
{
	return z_impl_k_sleep(timeout);
}

int32_t z_vrfy_k_usleep(int32_t us)
{
	return z_impl_k_usleep(us);
}

int z_vrfy_k_thread_priority_get(k_tid_t thread)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	return z_impl_k_thread_priority_get(thread);
}

/* A user thread may lower a priority, never raise one (so never above the
 * one a thread was created with).
 */
void z_vrfy_k_thread_priority_set(k_tid_t thread, int prio)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	K_OOPS(K_SYSCALL_VERIFY_MSG(z_is_valid_app_prio(prio), "invalid thread priority %d", prio));
	K_OOPS(K_SYSCALL_VERIFY_MSG(prio >= thread->base.own_prio,
				    "thread priority may only be lowered (%d -> %d)",
				    thread->base.own_prio, prio));
	z_impl_k_thread_priority_set(thread, prio);
}

void z_vrfy_k_thread_suspend(k_tid_t thread)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	z_impl_k_thread_suspend(thread);
}

void z_vrfy_k_thread_resume(k_tid_t thread)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	z_impl_k_thread_resume(thread);
}
#endif /* CONFIG_USERSPACE */
