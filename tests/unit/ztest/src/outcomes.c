/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Suites whose tests fail, skip, end early and fault on purpose. Their
 * predicate is false in the normal run (so they are reported as skipped
 * there, which also shows the predicate at work); main.c runs them in a
 * child process and checks what they printed.
 */
#include "selftest.h"
#include <ztest.h>

static bool never(const void *state)
{
	ARG_UNUSED(state);
	return false;
}

/* ---- outcome_a: one test per way of ending ------------------------------------ */

ZTEST(outcome_a, t_assert_fail)
{
	zassert_equal(1, 2, "one is %d", 1);
	printk("UNREACHED after assert\n");
}

static void nested_helper(int depth)
{
	if (depth > 0) {
		nested_helper(depth - 1);
		return;
	}
	zassert_true(depth != 0, "failed %d calls deep", 3);
}

ZTEST(outcome_a, t_assert_nested)
{
	nested_helper(3);
	printk("UNREACHED after nested assert\n");
}

ZTEST(outcome_a, t_assume)
{
	zassume_true(false, "assumption %s", "unmet");
	printk("UNREACHED after assume\n");
}

ZTEST(outcome_a, t_expect)
{
	zexpect_equal(1, 2, "expectation %d", 2);
	zexpect_true(true);
	printk("continued after expect\n");
}

ZTEST(outcome_a, t_fail_call)
{
	ztest_test_fail();
}

ZTEST(outcome_a, t_fault_unexpected)
{
	k_oops();
}

ZTEST(outcome_a, t_fault_valid)
{
	ztest_set_fault_valid(true);
	k_panic();
	printk("UNREACHED after panic\n");
}

ZTEST(outcome_a, t_kernel_assert)
{
	__ASSERT(1 + 1 == 3, "arithmetic is %s", "broken");
}

ZTEST(outcome_a, t_pass_early)
{
	ztest_test_pass();
	zassert_unreachable("test went on after ztest_test_pass()");
}

ZTEST(outcome_a, t_skip)
{
	ztest_test_skip();
}

ZTEST(outcome_a, t_zz_last)
{
	/* Runs after all of the above: the suite carried on. */
	printk("last test ran\n");
}

ZTEST_SUITE(outcome_a, selftest_child_run, NULL, NULL, NULL, NULL);

/* ---- outcome_b: setup fails, so no test runs ---------------------------------- */

static void *failing_setup(void)
{
	zassert_unreachable("setup gives up");
	return NULL;
}

ZTEST(outcome_b, t_one)
{
	printk("UNREACHED test of failed setup\n");
}

ZTEST(outcome_b, t_two)
{
	printk("UNREACHED test of failed setup\n");
}

ZTEST_SUITE(outcome_b, selftest_child_run, failing_setup, NULL, NULL, NULL);

/* ---- outcome_c: before() skips, after() still runs ---------------------------- */

static void skipping_before(void *fixture)
{
	ARG_UNUSED(fixture);
	zassume_equal(1, 0);
}

static void reporting_after(void *fixture)
{
	ARG_UNUSED(fixture);
	printk("after ran in outcome_c\n");
}

ZTEST(outcome_c, t_one)
{
	printk("UNREACHED test after skipping before\n");
}

ZTEST_SUITE(outcome_c, selftest_child_run, NULL, skipping_before, reporting_after, NULL);

/* ---- outcome_d: predicate false ------------------------------------------------ */

ZTEST(outcome_d, t_one)
{
	printk("UNREACHED test of disabled suite\n");
}

ZTEST_SUITE(outcome_d, never, NULL, NULL, NULL, NULL);
