/* SPDX-License-Identifier: Apache-2.0 */
/* A thread's timeout: the ticks left and the tick it expires at. */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define DELAY_MS 500

static K_THREAD_STACK_DEFINE(late_stack, 4096);
static struct k_thread late;

static void nothing(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
}

ZTEST(thread_tools_timeout, test_delayed_start)
{
	k_ticks_t ticks = k_ms_to_ticks_ceil32(DELAY_MS);
	unsigned int key = irq_lock(); /* no tick from the creation to the last read */
	k_ticks_t created = k_uptime_ticks();

	k_thread_create(&late, late_stack, K_THREAD_STACK_SIZEOF(late_stack), nothing, NULL, NULL,
			NULL, K_PRIO_PREEMPT(1), 0, K_MSEC(DELAY_MS));

	k_ticks_t now = k_uptime_ticks();
	k_ticks_t left = k_thread_timeout_remaining_ticks(&late);
	k_ticks_t at = k_thread_timeout_expires_ticks(&late);

	irq_unlock(key);
	/* One tick more than asked: the tick under way has partly elapsed. */
	zassert_equal(left, ticks + 1, "%lld ticks left of %lld", (long long)left,
		      (long long)ticks);
	zassert_equal(at, now + left, "expires at %lld, now %lld + %lld", (long long)at,
		      (long long)now, (long long)left);
	zassert_true(at >= created + ticks, "expires at %lld, created at %lld", (long long)at,
		     (long long)created);

	k_msleep(20);
	zassert_true(k_thread_timeout_remaining_ticks(&late) < left, "the count did not go down");

	k_thread_abort(&late);
	zassert_equal(k_thread_timeout_remaining_ticks(&late), 0, "an ended thread has a timeout");
}

ZTEST_USER(thread_tools_timeout, test_no_timeout)
{
	/* The running thread waits for nothing: expires "now". */
	k_ticks_t before = k_uptime_ticks();
	k_ticks_t at = k_thread_timeout_expires_ticks(k_current_get());
	k_ticks_t after = k_uptime_ticks();

	zassert_equal(k_thread_timeout_remaining_ticks(k_current_get()), 0);
	zassert_true(before <= at && at <= after, "%lld not in [%lld, %lld]", (long long)at,
		     (long long)before, (long long)after);
}

ZTEST_SUITE(thread_tools_timeout, NULL, NULL, NULL, NULL, NULL);
