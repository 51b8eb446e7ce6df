/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semaphores, mutexes (recursion, ownership, priority inheritance over
 * three priorities), condition variables and timers, with their timeouts
 * and their use from an interrupt handler (a timer's expiry function).
 */
#include <kernel.h>
#include <ztest.h>

#define STACK_SIZE 4096

K_THREAD_STACK_ARRAY_DEFINE(stacks, 3, STACK_SIZE);
static struct k_thread threads[3];

static k_tid_t spawn(int i, k_thread_entry_t fn, void *p1, void *p2, int prio)
{
	return k_thread_create(&threads[i], stacks[i], STACK_SIZE, fn, p1, p2, NULL, prio, 0,
			       K_NO_WAIT);
}

/* ---- semaphores ---- */

K_SEM_DEFINE(static_sem, 2, 3);

ZTEST(threads_sync, test_sem_counts_and_limits)
{
	struct k_sem sem;

	zassert_equal(k_sem_init(&sem, 1, 0), -EINVAL);
	zassert_equal(k_sem_init(&sem, 4, 3), -EINVAL);
	zassert_equal(k_sem_count_get(&static_sem), 2);
	zassert_ok(k_sem_init(&sem, 0, 2));
	zassert_equal(k_sem_take(&sem, K_NO_WAIT), -EBUSY);
	k_sem_give(&sem);
	k_sem_give(&sem);
	k_sem_give(&sem); /* beyond the limit: stays at 2 */
	zassert_equal(k_sem_count_get(&sem), 2);
	zassert_ok(k_sem_take(&sem, K_NO_WAIT));
	zassert_ok(k_sem_take(&sem, K_FOREVER));
	zassert_equal(k_sem_count_get(&sem), 0);

	int64_t start = k_uptime_get();

	zassert_equal(k_sem_take(&sem, K_MSEC(50)), -EAGAIN);
	zassert_true(k_uptime_get() - start >= 50, "waited the whole timeout");
	k_sem_give(&sem);
	k_sem_reset(&sem);
	zassert_equal(k_sem_count_get(&sem), 0);
}

static struct k_sem handoff;
static volatile int taken_by;

static void taker(void *id, void *sem, void *unused)
{
	ARG_UNUSED(unused);
	if (k_sem_take(sem, K_SECONDS(2)) == 0) {
		taken_by = POINTER_TO_INT(id);
	}
}

ZTEST(threads_sync, test_sem_wakes_best_waiter)
{
	k_sem_init(&handoff, 0, 1);
	taken_by = -1;
	spawn(0, taker, INT_TO_POINTER(0), &handoff, K_PRIO_PREEMPT(6));
	spawn(1, taker, INT_TO_POINTER(1), &handoff, K_PRIO_PREEMPT(2));
	k_msleep(10); /* both wait now */
	k_sem_give(&handoff);
	k_msleep(10);
	zassert_equal(taken_by, 1, "the better waiter got it");
	k_sem_give(&handoff);
	k_msleep(10);
	zassert_equal(taken_by, 0);
	zassert_ok(k_thread_join(&threads[0], K_NO_WAIT));
	zassert_ok(k_thread_join(&threads[1], K_NO_WAIT));
}

static void give_from_isr(struct k_timer *timer)
{
	k_sem_give(k_timer_user_data_get(timer));
}

ZTEST(threads_sync, test_sem_give_from_isr)
{
	struct k_timer timer;
	struct k_sem sem;

	k_sem_init(&sem, 0, 1);
	k_timer_init(&timer, give_from_isr, NULL);
	k_timer_user_data_set(&timer, &sem);
	k_timer_start(&timer, K_MSEC(20), K_NO_WAIT);
	zassert_ok(k_sem_take(&sem, K_SECONDS(1)), "given by the timer's interrupt");
}

static void resetter(struct k_timer *timer)
{
	k_sem_reset(k_timer_user_data_get(timer));
}

ZTEST(threads_sync, test_sem_reset_wakes_waiters_with_eagain)
{
	struct k_timer timer;
	struct k_sem sem;

	k_sem_init(&sem, 0, 1);
	k_timer_init(&timer, resetter, NULL);
	k_timer_user_data_set(&timer, &sem);
	k_timer_start(&timer, K_MSEC(20), K_NO_WAIT);

	int64_t start = k_uptime_get();

	zassert_equal(k_sem_take(&sem, K_SECONDS(5)), -EAGAIN);
	zassert_true(k_uptime_get() - start < 1000, "woken by the reset, not the timeout");
}

/* ---- mutexes ---- */

K_MUTEX_DEFINE(static_mutex);

ZTEST(threads_sync, test_mutex_recursive_and_owner_only)
{
	struct k_mutex m;

	zassert_ok(k_mutex_init(&m));
	zassert_equal(k_mutex_unlock(&m), -EINVAL, "not locked");
	zassert_ok(k_mutex_lock(&m, K_NO_WAIT));
	zassert_ok(k_mutex_lock(&m, K_NO_WAIT), "recursive");
	zassert_ok(k_mutex_unlock(&m));
	zassert_equal(m.owner, k_current_get(), "still held once");
	zassert_ok(k_mutex_unlock(&m));
	zassert_is_null(m.owner);
	zassert_ok(k_mutex_lock(&static_mutex, K_FOREVER));
	zassert_ok(k_mutex_unlock(&static_mutex));
}

static struct k_mutex shared;
static volatile int result[3];

static void try_unlock(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	result[0] = k_mutex_unlock(&shared);
	result[1] = k_mutex_lock(&shared, K_NO_WAIT);
	result[2] = k_mutex_lock(&shared, K_MSEC(30));
}

ZTEST(threads_sync, test_mutex_other_thread_cannot_unlock_or_take)
{
	k_mutex_init(&shared);
	zassert_ok(k_mutex_lock(&shared, K_FOREVER));
	spawn(0, try_unlock, NULL, NULL, K_PRIO_PREEMPT(1));
	zassert_ok(k_thread_join(&threads[0], K_SECONDS(1)));
	zassert_equal(result[0], -EPERM);
	zassert_equal(result[1], -EBUSY);
	zassert_equal(result[2], -EAGAIN);
	zassert_ok(k_mutex_unlock(&shared));
}

/*
 * Priority inheritance over three priorities: a low thread holds the
 * mutex; a middle one and then a high one wait with timeouts. The owner's
 * priority follows the best waiter up, and back down as each gives up.
 */
static void low_owner(void *locked, void *release, void *unused)
{
	ARG_UNUSED(unused);
	k_mutex_lock(&shared, K_FOREVER);
	k_sem_give(locked);
	k_sem_take(release, K_FOREVER);
	k_mutex_unlock(&shared);
}

static void waiter(void *timeout_ms, void *out, void *unused)
{
	ARG_UNUSED(unused);
	*(volatile int *)out = k_mutex_lock(&shared, K_MSEC(POINTER_TO_INT(timeout_ms)));
	if (*(volatile int *)out == 0) {
		k_mutex_unlock(&shared);
	}
}

ZTEST(threads_sync, test_mutex_priority_inheritance)
{
	static struct k_sem locked, release;
	static volatile int mid_ret = 1, high_ret = 1;
	const int low = K_PRIO_PREEMPT(10), mid = K_PRIO_PREEMPT(6), high = K_PRIO_PREEMPT(2);

	k_mutex_init(&shared);
	k_sem_init(&locked, 0, 1);
	k_sem_init(&release, 0, 1);
	spawn(0, low_owner, &locked, &release, low);
	zassert_ok(k_sem_take(&locked, K_SECONDS(1)));
	zassert_equal(threads[0].base.prio, low);

	spawn(1, waiter, INT_TO_POINTER(200), (void *)&mid_ret, mid);
	k_msleep(10);
	zassert_equal(threads[0].base.prio, mid, "raised to the middle waiter's");
	zassert_equal(k_thread_priority_get(&threads[0]), low, "its own priority is unchanged");

	spawn(2, waiter, INT_TO_POINTER(100), (void *)&high_ret, high);
	k_msleep(10);
	zassert_equal(threads[0].base.prio, high, "raised to the high waiter's");

	k_msleep(120); /* the high waiter times out */
	zassert_equal(high_ret, -EAGAIN);
	zassert_equal(threads[0].base.prio, mid, "back to the remaining waiter's");

	k_msleep(100); /* the middle one too */
	zassert_equal(mid_ret, -EAGAIN);
	zassert_equal(threads[0].base.prio, low, "back to its own");

	/* With a waiter again, the unlock hands over and restores the owner. */
	spawn(1, waiter, INT_TO_POINTER(1000), (void *)&mid_ret, mid);
	k_msleep(10);
	zassert_equal(threads[0].base.prio, mid);
	k_sem_give(&release);
	zassert_ok(k_thread_join(&threads[1], K_SECONDS(1)));
	zassert_equal(mid_ret, 0, "the waiter got the mutex at the unlock");
	zassert_ok(k_thread_join(&threads[0], K_SECONDS(1)));
	zassert_equal(threads[0].base.prio, low);
	zassert_is_null(shared.owner);
}

/*
 * Threads of one priority, time-sliced every tick, hammer one mutex: the
 * slices end anywhere, including between an unlock's lock-free release and
 * its look for waiters. The count it guards comes out exact.
 */
#define HAMMER_ROUNDS 20000
static volatile uint32_t guarded;

static void hammer(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		k_mutex_lock(&shared, K_FOREVER);
		uint32_t v = guarded;

		if ((i & 63) == 0) {
			k_yield(); /* hold it across a switch now and then */
		}
		guarded = v + 1U;
		k_mutex_unlock(&shared);
	}
}

ZTEST(threads_sync, test_mutex_under_time_slicing)
{
	k_mutex_init(&shared);
	guarded = 0;
	k_sched_time_slice_set(1000 / CONFIG_SYS_CLOCK_TICKS_PER_SEC, K_PRIO_PREEMPT(0));
	for (int i = 0; i < 3; i++) {
		spawn(i, hammer, NULL, NULL, K_PRIO_PREEMPT(5));
	}
	for (int i = 0; i < 3; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(60)));
	}
	k_sched_time_slice_set(0, 0);
	zassert_equal(guarded, 3U * HAMMER_ROUNDS);
	zassert_is_null(shared.owner);
	zassert_is_null(shared.held_by, "no stale priority-inheritance link");
	zassert_equal(k_thread_priority_get(&threads[0]), K_PRIO_PREEMPT(5));
}

/* ---- condition variables ---- */

static struct k_condvar cv;
static volatile int ready_count;
static volatile int cv_ret[3];

static void cv_waiter(void *id, void *timeout_ms, void *unused)
{
	ARG_UNUSED(unused);
	k_mutex_lock(&shared, K_FOREVER);
	ready_count++;
	cv_ret[POINTER_TO_INT(id)] =
		k_condvar_wait(&cv, &shared, K_MSEC(POINTER_TO_INT(timeout_ms)));
	zassert_equal(shared.owner, k_current_get(), "the mutex is held again after the wait");
	k_mutex_unlock(&shared);
}

ZTEST(threads_sync, test_condvar_signal_broadcast_timeout)
{
	k_mutex_init(&shared);
	k_condvar_init(&cv);
	ready_count = 0;
	for (int i = 0; i < 3; i++) {
		cv_ret[i] = 1;
		spawn(i, cv_waiter, INT_TO_POINTER(i), INT_TO_POINTER(i == 2 ? 50 : 5000),
		      K_PRIO_PREEMPT(1));
	}
	k_msleep(10);
	zassert_equal(ready_count, 3);
	zassert_ok(k_condvar_signal(&cv));
	k_msleep(10);
	zassert_equal(cv_ret[0], 0, "the first waiter was signalled");
	zassert_equal(cv_ret[1], 1, "the second still waits");
	k_msleep(60);
	zassert_equal(cv_ret[2], -EAGAIN, "the third timed out");
	zassert_equal(k_condvar_broadcast(&cv), 1, "one left to wake");
	for (int i = 0; i < 3; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(1)));
	}
	zassert_equal(cv_ret[1], 0);
	zassert_equal(k_condvar_broadcast(&cv), 0);
}

/* ---- timers ---- */

static volatile int expiries, stops;

static void count_expiry(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	expiries++;
}

static void count_stop(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	stops++;
}

K_TIMER_DEFINE(periodic, count_expiry, count_stop);

ZTEST(threads_sync, test_timer_periodic_status_and_stop)
{
	expiries = stops = 0;
	k_timer_start(&periodic, K_MSEC(20), K_MSEC(20));
	k_msleep(105);
	k_timer_stop(&periodic);
	zassert_true(expiries >= 4 && expiries <= 5, "%d expiries in 105 ms of 20 ms periods",
		     expiries);
	zassert_equal(stops, 1);
	zassert_equal(k_timer_status_get(&periodic), (uint32_t)expiries);
	zassert_equal(k_timer_status_get(&periodic), 0, "read resets the count");
	k_msleep(50);
	zassert_equal(expiries, expiries, "stopped");
	k_timer_stop(&periodic);
	zassert_equal(stops, 1, "stopping a stopped timer calls nothing");
	zassert_equal(k_timer_remaining_ticks(&periodic), 0);

	k_timer_start(&periodic, K_MSEC(30), K_NO_WAIT);
	zassert_true(k_timer_remaining_ticks(&periodic) > 0);
	zassert_equal(k_timer_status_sync(&periodic), 1, "waited for the one expiry");
	zassert_equal(k_timer_status_sync(&periodic), 0, "a stopped timer does not block");
}

static void after(void *fixture)
{
	ARG_UNUSED(fixture);
	for (int i = 0; i < 3; i++) {
		k_thread_abort(&threads[i]);
		(void)k_thread_join(&threads[i], K_FOREVER);
	}
}

ZTEST_SUITE(threads_sync, NULL, NULL, NULL, after, NULL);
