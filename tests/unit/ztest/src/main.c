/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ztest framework tested with itself: passing checks of every kind (with
 * and without messages), fixtures and the order of setup/before/test/after/
 * teardown, predicates; then a child process runs the suites of outcomes.c
 * and its output and exit status are checked line by line against the
 * output contract (FAIL/SKIP/PASS verdicts, early ends, faults, summary).
 */
#include "selftest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <ztest.h>

const int selftest_child_marker = 1;

bool selftest_normal_run(const void *state)
{
	return state == NULL;
}

bool selftest_child_run(const void *state)
{
	return state == &selftest_child_marker;
}

/* ---- checks that pass ------------------------------------------------------------ */

static int evaluations;

static int counted(int v)
{
	evaluations++;
	return v;
}

ZTEST(ztest_checks, test_every_assert_passes)
{
	int x = 5;
	int *p = &x;
	int *null = NULL;
	static const char a[] = "abc";

	zassert_true(x == 5);
	zassert_true(x == 5, "with message");
	zassert_true(x == 5, "with message %d %s", x, "and args");
	zassert_false(x == 4);
	zassert_ok(0);
	zassert_not_ok(-22);
	zassert_is_null(null);
	zassert_not_null(p);
	zassert_equal(x, 5);
	zassert_not_equal(x, 6, "x is %d", x);
	zassert_equal_ptr(p, &x);
	zassert_within(x, 7, 2);
	zassert_within(x, 3, 2);
	zassert_between_inclusive(x, 5, 9);
	zassert_between_inclusive(x, 1, 5);
	zassert_mem_equal(a, "abc", 4);
	zassert_str_equal(a, "abc");
}

ZTEST(ztest_checks, test_assume_and_expect_pass)
{
	zassume_true(true);
	zassume_equal(2, 2, "msg");
	zassume_not_null("x");
	zexpect_true(true);
	zexpect_equal(3, 3);
	zexpect_false(false, "msg %d", 1);
	zexpect_within(10, 12, 2);
	zexpect_mem_equal("ab", "ab", 2);
}

ZTEST(ztest_checks, test_message_not_evaluated_on_success)
{
	evaluations = 0;
	zassert_true(true, "%d", counted(1));
	zexpect_equal(1, 1, "%d", counted(2));
	zassume_ok(0, "%d", counted(3));
	zassert_equal(evaluations, 0, "message arguments were evaluated");
	/* The condition itself is evaluated exactly once. */
	zassert_equal(counted(7), 7);
	zassert_equal(evaluations, 1);
}

ZTEST_USER(ztest_checks, test_user_alias)
{
	zassert_true(true);
}

ZTEST_SUITE(ztest_checks, selftest_normal_run, NULL, NULL, NULL, NULL);

/* ---- fixtures and call order --------------------------------------------------------- */

struct ztest_fixture_fixture {
	char log[64];
	int magic;
};

static struct ztest_fixture_fixture the_fixture;

static void log_event(struct ztest_fixture_fixture *f, char c)
{
	size_t n = strlen(f->log);

	if (n + 1 < sizeof(f->log)) {
		f->log[n] = c;
		f->log[n + 1] = '\0';
	}
}

static void *fixture_setup(void)
{
	memset(&the_fixture, 0, sizeof(the_fixture));
	the_fixture.magic = 0x600d;
	log_event(&the_fixture, 'S');
	return &the_fixture;
}

static void fixture_before(void *f)
{
	log_event(f, 'B');
}

static void fixture_after(void *f)
{
	log_event(f, 'A');
}

static void fixture_teardown(void *f)
{
	log_event(f, 'T');
}

ZTEST_F(ztest_fixture, test_1_first)
{
	zassert_equal_ptr(fixture, &the_fixture);
	zassert_equal(fixture->magic, 0x600d);
	zassert_str_equal(fixture->log, "SB");
	log_event(fixture, '1');
}

ZTEST_USER_F(ztest_fixture, test_2_second)
{
	zassert_str_equal(fixture->log, "SB1AB", "log is %s", fixture->log);
	log_event(fixture, '2');
}

ZTEST_SUITE(ztest_fixture, selftest_normal_run, fixture_setup, fixture_before, fixture_after,
	    fixture_teardown);

/* Suites run in name order, so this one sees the finished log. */
ZTEST(ztest_fixture_verify, test_teardown_ran_once_at_the_end)
{
	zassert_str_equal(the_fixture.log, "SB1AB2AT", "log is %s", the_fixture.log);
}

ZTEST_SUITE(ztest_fixture_verify, selftest_normal_run, NULL, NULL, NULL, NULL);

/* ---- the outcomes, in a child process --------------------------------------------- */

static char child_out[65536];

/* Run the outcome suites in a child; return its exit status, output in child_out. */
static int run_child(void)
{
	int fds[2];

	fflush(stdout);
	zassert_ok(pipe(fds));

	pid_t pid = fork();

	zassert_true(pid >= 0, "fork failed");
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		ztest_run_all(&selftest_child_marker);
		int r = ztest_report();

		printk("report returned %d\n", r);
		/* No test is running now: a fatal error powers off with 2. */
		k_oops();
	}
	close(fds[1]);

	size_t len = 0;
	ssize_t got;

	while ((got = read(fds[0], child_out + len, sizeof(child_out) - 1 - len)) > 0) {
		len += (size_t)got;
	}
	close(fds[0]);
	child_out[len] = '\0';

	int status = 0;

	zassert_equal(waitpid(pid, &status, 0), pid);
	zassert_true(WIFEXITED(status), "child did not exit normally");
	return WEXITSTATUS(status);
}

/* Each expected piece must appear, in this order. */
static void expect_in_order(const char *const *pieces, size_t n)
{
	const char *at = child_out;

	for (size_t i = 0; i < n; i++) {
		const char *found = strstr(at, pieces[i]);

		if (found == NULL) {
			printk("---- child output ----\n%s---- end ----\n", child_out);
		}
		zassert_not_null(found, "missing (in order): \"%s\"", pieces[i]);
		at = found + strlen(pieces[i]);
	}
}

#define SEP "===================================================================\n"

ZTEST(ztest_selftest, test_outcomes_in_child)
{
	int status = run_child();

	zassert_equal(status, 2, "child exit status %d", status);
	zassert_is_null(strstr(child_out, "UNREACHED"), "code after an ending call ran");

	static const char *const expected[] = {
		"Running TESTSUITE outcome_a\n" SEP "START - t_assert_fail\n"
		"    ASSERTION FAIL [1 not equal to 2] @ ",
		"outcomes.c:",
		"\n    one is 1\n FAIL - t_assert_fail in ",
		" seconds\n" SEP
		"START - t_assert_nested\n    ASSERTION FAIL [depth != 0 is false]",
		"\n    failed 3 calls deep\n FAIL - t_assert_nested in ",
		"START - t_assume\n    ASSUMPTION FAIL [false is false]",
		"\n    assumption unmet\n SKIP - t_assume in ",
		"START - t_expect\n    EXPECTATION FAIL [1 not equal to 2]",
		"\n    expectation 2\ncontinued after expect\n FAIL - t_expect in ",
		"START - t_fail_call\n FAIL - t_fail_call in ",
		"START - t_fault_unexpected\n",
		"    Unexpected fatal error -- reason 3\n FAIL - t_fault_unexpected in ",
		"START - t_fault_valid\n",
		"Caught system error -- reason 4\n PASS - t_fault_valid in ",
		"START - t_kernel_assert\n",
		" FAIL - t_kernel_assert in ",
		"START - t_pass_early\n PASS - t_pass_early in ",
		"START - t_skip\n SKIP - t_skip in ",
		"START - t_zz_last\nlast test ran\n PASS - t_zz_last in ",
		" seconds\n" SEP "TESTSUITE outcome_a failed.\n",
		"Running TESTSUITE outcome_b\n" SEP "    ASSERTION FAIL [Reached unreachable code]",
		"\n    setup gives up\nSTART - t_one\n FAIL - t_one in 0.000 seconds\n" SEP
		"START - t_two\n FAIL - t_two in 0.000 seconds\n" SEP
		"TESTSUITE outcome_b failed.\n",
		"Running TESTSUITE outcome_c\n" SEP
		"START - t_one\n    ASSUMPTION FAIL [1 not equal to 0]",
		"\nafter ran in outcome_c\n SKIP - t_one in ",
		"TESTSUITE outcome_c succeeded.\n",
		"Running TESTSUITE outcome_d\n" SEP
		"START - t_one\n SKIP - t_one in 0.000 seconds\n" SEP
		"TESTSUITE outcome_d succeeded.\n",
		"------ TESTSUITE SUMMARY START ------\n",
		"SUITE FAIL -  45.45% [outcome_a]: pass = 3, fail = 6, skip = 2, total = 11 "
		"duration = ",
		" - FAIL - [outcome_a.t_assert_fail] duration = ",
		" - SKIP - [outcome_a.t_assume] duration = ",
		" - PASS - [outcome_a.t_fault_valid] duration = ",
		" - PASS - [outcome_a.t_zz_last] duration = ",
		"SUITE FAIL -   0.00% [outcome_b]: pass = 0, fail = 2, skip = 0, total = 2 "
		"duration = ",
		"SUITE SKIP - 100.00% [outcome_c]: pass = 0, fail = 0, skip = 1, total = 1 "
		"duration = ",
		"SUITE SKIP - 100.00% [outcome_d]: pass = 0, fail = 0, skip = 1, total = 1 "
		"duration = ",
		" - SKIP - [outcome_d.t_one] duration = 0.000 seconds\n",
		"------ TESTSUITE SUMMARY END ------\n" SEP "PROJECT EXECUTION FAILED\n",
		"report returned 1\n",
		"fatal error outside of a test -- reason 3\n",
	};

	expect_in_order(expected, ARRAY_SIZE(expected));
}

ZTEST(ztest_selftest, test_runner_state_after_child)
{
	/* The child's failures do not leak into this process's verdict. */
	zassert_true(true);
}

ZTEST_SUITE(ztest_selftest, selftest_normal_run, NULL, NULL, NULL, NULL);
