/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runtime statistics: a thread's cycles are at least what it measured
 * itself running alone (the same counter), none before it first runs; the
 * system's total is every thread's and the idle thread's.
 */
#include <kernel_internal.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define SPIN_CYCLES 2000000U

static K_THREAD_STACK_DEFINE(spin_stack, 4096);
static struct k_thread spinner;
static uint64_t spun;

static void spin(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	uint64_t start = k_cycle_get_64();

	while (k_cycle_get_64() - start < SPIN_CYCLES) {
	}
	spun = k_cycle_get_64() - start;
}

ZTEST(thread_tools_runtime_stats, test_thread_cycles)
{
	k_thread_runtime_stats_t s;

	zassert_equal(k_thread_runtime_stats_get(NULL, &s), -EINVAL);
	zassert_equal(k_thread_runtime_stats_get(k_current_get(), NULL), -EINVAL);

	k_thread_create(&spinner, spin_stack, K_THREAD_STACK_SIZEOF(spin_stack), spin, NULL, NULL,
			NULL, K_PRIO_COOP(1), 0, K_FOREVER);
	zassert_ok(k_thread_runtime_stats_get(&spinner, &s));
	zassert_equal(s.execution_cycles, 0U, "a thread not started has run");

	/* Cooperative and the best: nothing runs in its place until it ends. */
	k_thread_start(&spinner);
	zassert_ok(k_thread_join(&spinner, K_FOREVER));
	zassert_ok(k_thread_runtime_stats_get(&spinner, &s));
	zassert_true(s.execution_cycles >= spun, "%llu cycles counted, %llu spun",
		     (unsigned long long)s.execution_cycles, (unsigned long long)spun);
	zassert_equal(s.total_cycles, s.execution_cycles);

	/* The running thread's count grows while it runs. */
	k_thread_runtime_stats_t a, b;

	zassert_ok(k_thread_runtime_stats_get(k_current_get(), &a));
	k_busy_wait(1000);
	zassert_ok(k_thread_runtime_stats_get(k_current_get(), &b));
	zassert_true(b.execution_cycles > a.execution_cycles);
}

static void add(const struct k_thread *t, void *user_data)
{
	k_thread_runtime_stats_t s;

	zassert_ok(k_thread_runtime_stats_get((struct k_thread *)t, &s));
	*(uint64_t *)user_data += s.execution_cycles;
	if (z_is_idle_thread_object(t)) {
		*((uint64_t *)user_data + 1) = s.execution_cycles;
	}
}

ZTEST(thread_tools_runtime_stats, test_all_threads)
{
	k_thread_runtime_stats_t all;
	uint64_t sum[2] = {0, 0}; /* every live thread's, the idle thread's */

	zassert_equal(k_thread_runtime_stats_all_get(NULL), -EINVAL);
	k_msleep(20); /* the idle thread runs */
	k_thread_foreach(add, sum);
	zassert_ok(k_thread_runtime_stats_all_get(&all));
	zassert_true(sum[0] <= all.execution_cycles, "threads %llu > all %llu",
		     (unsigned long long)sum[0], (unsigned long long)all.execution_cycles);
	zassert_true(all.idle_cycles >= sum[1] && sum[1] > 0U, "idle %llu, idle thread %llu",
		     (unsigned long long)all.idle_cycles, (unsigned long long)sum[1]);
	zassert_equal(all.total_cycles + all.idle_cycles, all.execution_cycles);
}

ZTEST_SUITE(thread_tools_runtime_stats, NULL, NULL, NULL, NULL, NULL);
