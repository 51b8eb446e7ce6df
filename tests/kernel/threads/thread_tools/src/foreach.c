/* SPDX-License-Identifier: Apache-2.0 */
/* k_thread_foreach() and k_thread_foreach_unlocked() visit every thread that exists, once. */
#include <arch/cpu.h>
#include <kernel_internal.h>
#include <zephyr/kernel.h>
#include <zephyr/kernel_structs.h>
#include <zephyr/ztest.h>

#define N 3

static K_THREAD_STACK_ARRAY_DEFINE(stacks, N, 4096);
static struct k_thread threads[N];

struct census {
	int seen[N];
	int idle;
	int self;
	int total;
	bool slept;
};

static void note(const struct k_thread *t, struct census *c)
{
	c->total++;
	for (int i = 0; i < N; i++) {
		c->seen[i] += (t == &threads[i]) ? 1 : 0;
	}
	c->idle += z_is_idle_thread_object(t) ? 1 : 0;
	c->self += (t == k_current_get()) ? 1 : 0;
}

static void count_locked(const struct k_thread *t, void *user_data)
{
	zassert_false(arch_irq_enabled(), "k_thread_foreach() called back with interrupts on");
	note(t, user_data);
}

static void count_unlocked(const struct k_thread *t, void *user_data)
{
	struct census *c = user_data;

	zassert_true(arch_irq_enabled(), "k_thread_foreach_unlocked() kept interrupts off");
	note(t, c);
	if (!c->slept) {
		c->slept = true;
		k_msleep(1); /* the unlocked walk may block */
	}
}

static void sleeper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sleep(K_FOREVER);
}

static void check(const struct census *c, bool created)
{
	for (int i = 0; i < N; i++) {
		zassert_equal(c->seen[i], created ? 1 : 0, "thread %d seen %d times", i,
			      c->seen[i]);
	}
	zassert_equal(c->idle, 1, "the idle thread seen %d times", c->idle);
	zassert_equal(c->self, 1, "the caller seen %d times", c->self);
}

ZTEST(thread_tools_foreach, test_every_thread_once)
{
	struct census before = {0}, during = {0}, unlocked = {0}, after = {0};

	k_thread_foreach(count_locked, &before);
	check(&before, false);
	for (int i = 0; i < N; i++) {
		k_thread_create(&threads[i], stacks[i], K_THREAD_STACK_SIZEOF(stacks[i]), sleeper,
				NULL, NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	}
	k_thread_foreach(count_locked, &during);
	check(&during, true);
	zassert_equal(during.total, before.total + N);
	k_thread_foreach_unlocked(count_unlocked, &unlocked);
	check(&unlocked, true);
	zassert_equal(unlocked.total, during.total);
	for (int i = 0; i < N; i++) {
		k_thread_abort(&threads[i]);
		zassert_ok(k_thread_join(&threads[i], K_FOREVER));
	}
	k_thread_foreach(count_locked, &after);
	check(&after, false);
	zassert_equal(after.total, before.total, "ended threads still visited");
}

ZTEST(thread_tools_foreach, test_null_callback_refused)
{
	/* Returns without calling anything (a NULL call would fault the test). */
	k_thread_foreach(NULL, NULL);
	k_thread_foreach_unlocked(NULL, NULL);
}

/* The callback may end the thread it was given: the walk stops there, nothing breaks. */
static void end_it(const struct k_thread *t, void *user_data)
{
	int *calls = user_data;

	(*calls)++;
	if (t == &threads[0]) {
		k_thread_abort((struct k_thread *)t);
	}
}

ZTEST(thread_tools_foreach, test_unlocked_callback_ends_its_thread)
{
	int calls = 0;
	struct census after = {0};

	k_thread_create(&threads[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]), sleeper, NULL,
			NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	k_thread_foreach_unlocked(end_it, &calls);
	zassert_true(calls >= 1);
	zassert_ok(k_thread_join(&threads[0], K_FOREVER));
	k_thread_foreach(count_locked, &after);
	zassert_equal(after.seen[0], 0, "the ended thread is still listed");
}

ZTEST(thread_tools_foreach, test_internal_helpers)
{
	zassert_true(z_is_thread_essential(&z_main_thread), "main is essential");
	zassert_false(z_is_thread_essential(k_current_get()));
	z_thread_essential_set(k_current_get());
	zassert_true(z_is_thread_essential(k_current_get()));
	z_thread_essential_clear(k_current_get());
	zassert_false(z_is_thread_essential(k_current_get()));
	zassert_false(z_is_idle_thread_object(k_current_get()));
	zassert_false(z_is_idle_thread_object(NULL));
	zassert_equal(_current, k_current_get(), "_current is not the running thread");
}

ZTEST_SUITE(thread_tools_foreach, NULL, NULL, NULL, NULL, NULL);
