/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_thread_state_str(): the reference's words for a thread's states, in its
 * order, joined by '+', truncated to the buffer; and the states real
 * threads are in as they are created, started, suspended, asleep, pending
 * and ended.
 */
#include <ksched.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)

static K_THREAD_STACK_DEFINE(stack, STACK_SIZE);
static struct k_thread thread;
static struct k_thread fake;
static K_SEM_DEFINE(never, 0, 1);

static const char *state(struct k_thread *t)
{
	static char buf[64];

	return k_thread_state_str(t, buf, sizeof(buf));
}

ZTEST(thread_tools_state_str, test_words_order_and_truncation)
{
	char buf[32];

	fake.base.thread_state = 0;
	zassert_str_equal(k_thread_state_str(&fake, buf, sizeof(buf)), "");
	fake.base.thread_state = _THREAD_DUMMY;
	zassert_str_equal(k_thread_state_str(&fake, NULL, sizeof(buf)), "");
	zassert_str_equal(k_thread_state_str(&fake, buf, 0), "");
	zassert_equal_ptr(k_thread_state_str(&fake, buf, sizeof(buf)), buf);
	zassert_str_equal(buf, "dummy");

	/* The reference's order whatever the bits' values. */
	fake.base.thread_state = _THREAD_QUEUED | _THREAD_SUSPENDED | _THREAD_PENDING;
	zassert_str_equal(state(&fake), "pending+suspended+queued");
	fake.base.thread_state = _THREAD_ABORTING | _THREAD_DEAD | _THREAD_SLEEPING;
	zassert_str_equal(state(&fake), "sleeping+dead+aborting");
	fake.base.thread_state = _THREAD_PRESTART;
	zassert_str_equal(state(&fake), "sleeping");

	/* Cut to buf_size - 1 characters, always terminated. */
	fake.base.thread_state = _THREAD_PENDING | _THREAD_SUSPENDED;
	zassert_str_equal(k_thread_state_str(&fake, buf, 5), "pend");
	zassert_str_equal(k_thread_state_str(&fake, buf, 11), "pending+su");
	zassert_str_equal(k_thread_state_str(&fake, buf, 9), "pending+");
	zassert_str_equal(k_thread_state_str(&fake, buf, 1), "");
}

static void sleeper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sleep(K_SECONDS(100)); /* K_FOREVER would suspend it */
}

static void waiter(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	(void)k_sem_take(&never, K_FOREVER);
}

ZTEST(thread_tools_state_str, test_live_threads)
{
	k_tid_t tid;

	/* Lower priority than this thread: it waits in the ready queue. */
	tid = k_thread_create(&thread, stack, STACK_SIZE, sleeper, NULL, NULL, NULL,
			      K_PRIO_PREEMPT(10), 0, K_FOREVER);
	zassert_str_equal(state(tid), "sleeping", "not started");
	k_thread_start(tid);
	zassert_str_equal(state(tid), "queued");
	k_thread_suspend(tid);
	zassert_str_equal(state(tid), "suspended");
	k_thread_resume(tid);
	zassert_str_equal(state(tid), "queued");
	k_thread_priority_set(tid, K_PRIO_COOP(0));
	k_msleep(10); /* it runs and sleeps */
	zassert_str_equal(state(tid), "sleeping", "in k_sleep()");
	k_thread_abort(tid);
	/* As the reference's: an abort only adds "dead" to what stopped it. */
	zassert_str_equal(state(tid), "sleeping+dead", "%s", state(tid));

	tid = k_thread_create(&thread, stack, STACK_SIZE, waiter, NULL, NULL, NULL, K_PRIO_COOP(0),
			      0, K_NO_WAIT);
	k_msleep(10); /* it runs and waits */
	zassert_str_equal(state(tid), "pending");
	k_thread_suspend(tid);
	zassert_str_equal(state(tid), "pending+suspended");
	k_thread_abort(tid);
	zassert_str_equal(state(tid), "dead+suspended", "%s", state(tid));

	zassert_str_equal(state(k_current_get()), "queued", "the running thread");
}

ZTEST_SUITE(thread_tools_state_str, NULL, NULL, NULL, NULL, NULL);
