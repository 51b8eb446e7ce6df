/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: ztest runner (API in <ztest.h>).
 *
 * Each phase of a test (setup, before + test body, after, teardown) runs in
 * a thread of its own (CONFIG_ZTEST_STACK_SIZE, CONFIG_ZTEST_THREAD_PRIORITY,
 * named after the test), which the runner joins: a failed assertion,
 * ztest_test_skip()/_pass()/_fail() or a fatal error ends the phase by
 * ending that thread, from any call depth, and the runner carries on with
 * the next phase or test. Host builds, which have no threads, run each
 * phase under the C library's setjmp instead (AddressSanitizer sees the
 * stack unwind).
 *
 * Output is the contract the test runner parses; do not change its shape.
 */
#include <stdarg.h>
#include <ztest.h>
#ifdef CONFIG_MM_INVARIANTS
#include <kernel/mm.h>
#endif

#ifdef ZTEST_HOST
#include <setjmp.h>
/* The host has no system calls: the implementation is the API. */
#define z_impl_ztest_set_fault_valid ztest_set_fault_valid
#else
#include <arch/thread.h>
#include <syscall_handler.h>
#endif

#define SEPARATOR "==================================================================="

/* Weak: a program without any suite or test still links. */
extern struct ztest_suite_node __start_ztest_suite_node[] __weak;
extern struct ztest_suite_node __stop_ztest_suite_node[] __weak;
extern const struct ztest_unit_test __start_ztest_unit_test[] __weak;
extern const struct ztest_unit_test __stop_ztest_unit_test[] __weak;

/* State of the phase being run. Volatile: written by the phase's thread (or after a longjmp). */
static struct {
	volatile bool armed;               /* a phase is running */
	volatile bool completed;           /* its function returned */
	volatile enum ztest_result result; /* worst outcome so far */
	volatile bool fault_valid;
	volatile bool assert_valid;
	/* The test thread was ended after the suite's k_sys_fatal_error_handler() returned. */
	volatile bool ended_by_handler;
	volatile bool ended_itself; /* z_ztest_thread_ended_itself() */
	const char *name;           /* of the test, for its thread */
#ifdef ZTEST_HOST
	jmp_buf jmp;
#endif
} cur;

static bool run_failed; /* anything failed in the last ztest_run_all() */

static const char *const result_names[] = {
	[ZTEST_RESULT_PENDING] = "????",
	[ZTEST_RESULT_PASS] = "PASS",
	[ZTEST_RESULT_SKIP] = "SKIP",
	[ZTEST_RESULT_FAIL] = "FAIL",
};

/* FAIL outranks SKIP outranks PASS: a test's result only gets worse. */
static void record(enum ztest_result r)
{
	if (r > cur.result) {
		cur.result = r;
	}
}

#ifndef ZTEST_HOST
static struct k_thread *runner_thread; /* the thread that runs the suites */
#endif
static bool in_setup; /* the suite's setup is running (in ztest_thread) */

/*
 * The reference runs setup in the runner's own thread: what setup gave
 * k_current_get() stays the runner's when it returns or ends early.
 */
static void setup_hand_over(void)
{
#ifndef ZTEST_HOST
	/* As for permissions below: the resource pool setup assigned
	 * k_current_get() (k_thread_heap_assign()) becomes the runner's, so
	 * every test thread inherits it.
	 */
	runner_thread->resource_pool = k_current_get()->resource_pool;
#endif
#ifdef CONFIG_USERSPACE
	/* What setup grants k_current_get() reaches every test thread
	 * (K_INHERIT_PERMS): the runner takes this thread's permissions
	 * before it ends.
	 */
	z_thread_perms_inherit(k_current_get(), runner_thread);
#endif
}

#ifdef ZTEST_HOST
/* Run fn(arg) as one phase: true if it returned, false if it was ended early. */
static __noinline bool run_phase(void (*fn)(void *), void *arg, uint32_t options, bool suite_level)
{
	ARG_UNUSED(suite_level);
	ARG_UNUSED(options);
	cur.armed = true;
	cur.completed = false;
	if (setjmp(cur.jmp) == 0) {
		fn(arg);
		cur.completed = true;
	}
	cur.armed = false;
	return cur.completed;
}

static FUNC_NORETURN void end_phase(enum ztest_result r)
{
	record(r);
	if (cur.armed) {
		longjmp(cur.jmp, 1);
	}
	printk("ztest: test end requested outside of a test\n");
	k_poweroff(1);
}

/* The host has no fault recovery of its own: an expected fault ends the phase. */
static void end_phase_after_fault(enum ztest_result r)
{
	end_phase(r);
}
#else
static struct k_thread ztest_thread;
K_THREAD_STACK_DEFINE(ztest_thread_stack, CONFIG_ZTEST_STACK_SIZE + CONFIG_TEST_EXTRA_STACK_SIZE);

static void phase_entry(void *fn, void *arg, void *unused)
{
	ARG_UNUSED(unused);
	((void (*)(void *))fn)(arg);
#ifdef CONFIG_USERSPACE
	if (k_is_user_context()) {
		z_ztest_user_record(ZTEST_RESULT_PENDING, false, true);
		return;
	}
#endif
	cur.completed = true;
}

/*
 * Run fn(arg) in the test thread: true if it returned, false if it was ended
 * early. A suite-level phase (setup, teardown) runs at the runner's priority:
 * the reference runs those in the runner's own thread.
 */
static bool run_phase(void (*fn)(void *), void *arg, uint32_t options, bool suite_level)
{
	int prio =
		suite_level ? k_thread_priority_get(k_current_get()) : CONFIG_ZTEST_THREAD_PRIORITY;

	cur.completed = false;
	cur.ended_by_handler = false;
	cur.ended_itself = false;
	cur.armed = true;
	if (IS_ENABLED(CONFIG_USERSPACE)) {
		options |= K_INHERIT_PERMS;
	}
	if (k_thread_create(&ztest_thread, ztest_thread_stack,
			    K_THREAD_STACK_SIZEOF(ztest_thread_stack), phase_entry, (void *)fn, arg,
			    NULL, prio, options, K_FOREVER) == NULL) {
		printk("    ztest: cannot create the test thread\n");
		record(ZTEST_RESULT_FAIL);
		cur.armed = false;
		return false;
	}
#ifdef CONFIG_THREAD_NAME
	(void)k_thread_name_set(&ztest_thread, cur.name);
#endif
	k_thread_start(&ztest_thread);
	(void)k_thread_join(&ztest_thread, K_FOREVER);
	cur.armed = false;
	if (!cur.completed && cur.result == ZTEST_RESULT_PENDING) {
		/* The reference's rule: a test thread that ended (its entry
		 * returned after k_thread_user_mode_enter(), an abort, what the
		 * suite's handler took) without failing has passed.
		 */
		if (cur.ended_by_handler) {
			printk("    the test thread was ended after the suite's "
			       "k_sys_fatal_error_handler() returned: its verdict stands\n");
		} else if (cur.ended_itself) {
			/* The reference's too: a test still pending when its thread ends passes. */
			printk("    the test thread ended itself: its verdict stands\n");
		} else {
			printk("    the test thread ended without a verdict: it stands\n");
		}
	}
	return cur.completed;
}

void z_ztest_fatal_error_handled(struct k_thread *thread)
{
	if (cur.armed && thread == &ztest_thread) {
		cur.ended_by_handler = true;
	}
}

void z_ztest_thread_ended_itself(struct k_thread *thread)
{
	if (cur.armed && thread == &ztest_thread) {
		cur.ended_itself = true;
	}
}

/*
 * End the phase: its thread ends. Called from another thread of the test,
 * that one ends too (as in the reference RTOS); from an interrupt handler,
 * the handler is abandoned and the thread it interrupted resumes.
 */
static FUNC_NORETURN void end_phase(enum ztest_result r)
{
#ifdef CONFIG_USERSPACE
	if (k_is_user_context()) {
		z_ztest_user_record(r, true, false);
		CODE_UNREACHABLE;
	}
#endif
	record(r);
	if (!cur.armed) {
		printk("ztest: test end requested outside of a test\n");
		k_poweroff(1);
	}
	if (in_setup && k_current_get() == &ztest_thread) {
		in_setup = false;
		setup_hand_over();
	}
	k_thread_abort(&ztest_thread);
	if (k_is_in_isr()) {
		arch_isr_abandon();
	}
	k_thread_abort(k_current_get());
	CODE_UNREACHABLE;
}

/* After a fatal error the kernel aborts the faulting thread (or abandons
 * the interrupt handler) itself; the test's thread ends here if it is
 * another one.
 */
static void end_phase_after_fault(enum ztest_result r)
{
	record(r);
	if (k_is_in_isr() || k_current_get() != &ztest_thread) {
		k_thread_abort(&ztest_thread);
	}
}
#endif

void ztest_test_fail(void)
{
	end_phase(ZTEST_RESULT_FAIL);
}

void ztest_test_pass(void)
{
	end_phase(ZTEST_RESULT_PASS);
}

void ztest_test_skip(void)
{
	end_phase(ZTEST_RESULT_SKIP);
}

void z_impl_ztest_set_fault_valid(bool valid)
{
	cur.fault_valid = valid;
}

#ifdef CONFIG_USERSPACE
void z_vrfy_ztest_set_fault_valid(bool valid)
{
	z_impl_ztest_set_fault_valid(valid);
}

void z_impl_z_ztest_user_record(int result, bool end, bool completed)
{
	if (completed) {
		cur.completed = true;
	}
	if (end) {
		end_phase((enum ztest_result)result);
	}
	record((enum ztest_result)result);
}

void z_vrfy_z_ztest_user_record(int result, bool end, bool completed)
{
	K_OOPS(K_SYSCALL_VERIFY(k_current_get() == &ztest_thread));
	K_OOPS(K_SYSCALL_VERIFY(result >= ZTEST_RESULT_PENDING && result <= ZTEST_RESULT_FAIL));
	z_impl_z_ztest_user_record(result, end, completed);
}
#endif

void ztest_set_assert_valid(bool valid)
{
	cur.assert_valid = valid;
}

void z_ztest_check_failed(enum z_ztest_check kind, const char *cond_text, const char *file,
			  int line)
{
	static const char *const what[] = {
		[Z_ZTEST_ASSERT] = "ASSERTION",
		[Z_ZTEST_ASSUME] = "ASSUMPTION",
		[Z_ZTEST_EXPECT] = "EXPECTATION",
	};

	printk("    %s FAIL [%s] @ %s:%d\n", what[kind], cond_text, file, line);
}

void z_ztest_message(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	/* Suites written for the reference RTOS often pass NULL or "". */
	if (fmt == NULL || fmt[0] == '\0') {
		return;
	}
	va_start(ap, fmt);
	int len = vsnprintk(buf, sizeof(buf), fmt, ap);

	va_end(ap);
	if (len < 0) {
		return;
	}
	/* The output line ends here; drop a newline the caller added. */
	size_t n = ((size_t)len < sizeof(buf)) ? (size_t)len : sizeof(buf) - 1U;

	while (n > 0U && buf[n - 1U] == '\n') {
		buf[--n] = '\0';
	}
	printk("    %s\n", buf);
}

void z_ztest_assert_end(void)
{
	end_phase(ZTEST_RESULT_FAIL);
}

void z_ztest_assume_end(void)
{
	end_phase(ZTEST_RESULT_SKIP);
}

void z_ztest_expect_end(void)
{
#ifdef CONFIG_USERSPACE
	if (k_is_user_context()) {
		z_ztest_user_record(ZTEST_RESULT_FAIL, false, false);
		return;
	}
#endif
	record(ZTEST_RESULT_FAIL);
}

bool z_ztest_fatal_error(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);

	if (!cur.armed) {
		printk("ztest: fatal error outside of a test -- reason %u\n", reason);
		return false;
	}
	if (cur.fault_valid) {
		cur.fault_valid = false;
		cur.assert_valid = false;
		printk("Caught system error -- reason %u\n", reason);
		end_phase_after_fault(ZTEST_RESULT_PASS);
		return true;
	}
	if (cur.assert_valid && reason == K_ERR_KERNEL_PANIC) {
		cur.assert_valid = false;
		printk("Assert error expected as part of test case.\n");
		end_phase_after_fault(ZTEST_RESULT_PASS);
		return true;
	}
	/* Otherwise k_sys_fatal_error_handler() decides: the suite's own, or
	 * the default, which asks z_ztest_fatal_error_unexpected().
	 */
	return false;
}

bool z_ztest_fatal_error_unexpected(unsigned int reason)
{
	if (!cur.armed) {
		return false;
	}
	printk("    Unexpected fatal error -- reason %u\n", reason);
	end_phase_after_fault(ZTEST_RESULT_FAIL);
	return true;
}

/* ---- iteration in name order ---------------------------------------------- */

/* Names first; equal names (duplicate tests) in address order. */
static int order(const char *na, const void *a, const char *nb, const void *b)
{
	int c = strcmp(na, nb);

	if (c != 0) {
		return c;
	}
	return ((uintptr_t)a > (uintptr_t)b) - ((uintptr_t)a < (uintptr_t)b);
}

/*
 * The suite after prev in name order (the first if prev is NULL). Quadratic,
 * but there are few suites and it needs no memory to sort into.
 */
static struct ztest_suite_node *next_suite(const struct ztest_suite_node *prev)
{
	struct ztest_suite_node *best = NULL;

	for (struct ztest_suite_node *s = __start_ztest_suite_node; s < __stop_ztest_suite_node;
	     s++) {
		if (prev != NULL && order(s->name, s, prev->name, prev) <= 0) {
			continue;
		}
		if (best == NULL || order(s->name, s, best->name, best) < 0) {
			best = s;
		}
	}
	return best;
}

/* The test of suite after prev in name order (the first if prev is NULL). */
static const struct ztest_unit_test *next_test(const struct ztest_suite_node *suite,
					       const struct ztest_unit_test *prev)
{
	const struct ztest_unit_test *best = NULL;

	for (const struct ztest_unit_test *t = __start_ztest_unit_test; t < __stop_ztest_unit_test;
	     t++) {
		if (strcmp(t->test_suite_name, suite->name) != 0) {
			continue;
		}
		if (prev != NULL && order(t->name, t, prev->name, prev) <= 0) {
			continue;
		}
		if (best == NULL || order(t->name, t, best->name, best) < 0) {
			best = t;
		}
	}
	return best;
}

static struct ztest_suite_node *find_suite(const char *name)
{
	for (struct ztest_suite_node *s = __start_ztest_suite_node; s < __stop_ztest_suite_node;
	     s++) {
		if (strcmp(s->name, name) == 0) {
			return s;
		}
	}
	return NULL;
}

/* ---- running ------------------------------------------------------------------ */

static uint32_t elapsed_ms(int64_t since)
{
	int64_t d = k_uptime_get() - since;

	return (d < 0) ? 0U : (uint32_t)d;
}

static void print_verdict(const struct ztest_unit_test *t, enum ztest_result r, uint32_t ms)
{
	t->stats->result = r;
	t->stats->duration_ms = ms;
	if (r == ZTEST_RESULT_FAIL) {
		run_failed = true;
	}
	printk(" %s - %s in %u.%03u seconds\n", result_names[r], t->name, ms / 1000U, ms % 1000U);
	printk(SEPARATOR "\n");
}

static void run_test(const struct ztest_suite_node *suite, const struct ztest_unit_test *t,
		     void *fixture)
{
	printk("START - %s\n", t->name);

	int64_t start = k_uptime_get();
	bool body = true;

	cur.result = ZTEST_RESULT_PENDING;
	cur.fault_valid = false;
	cur.assert_valid = false;
	cur.name = t->name;
	if (suite->before != NULL) {
		body = run_phase(suite->before, fixture, 0, false);
	}
	if (body) {
		(void)run_phase(t->test, fixture, (uint32_t)t->thread_options, false);
	}
	if (suite->after != NULL) {
		(void)run_phase(suite->after, fixture, 0, false);
	}
#ifdef CONFIG_MM_INVARIANTS
	/* A case that passes but leaves the memory manager corrupted fails. */
	if (k_mem_check_invariants() != 0) {
		printk("    memory-manager invariants broken after %s\n", t->name);
		record(ZTEST_RESULT_FAIL);
	}
#endif
	cur.fault_valid = false;
	cur.assert_valid = false;

	enum ztest_result r = (cur.result == ZTEST_RESULT_PENDING) ? ZTEST_RESULT_PASS : cur.result;

	print_verdict(t, r, elapsed_ms(start));
}

static ztest_suite_setup_t setup_fn;
static void *setup_fixture;

static void call_setup(void *unused)
{
	ARG_UNUSED(unused);
	in_setup = true;
	setup_fixture = setup_fn();
	setup_hand_over();
	in_setup = false;
}

static void run_suite(struct ztest_suite_node *suite, const void *state)
{
	int64_t start = k_uptime_get();
	bool enabled = (suite->predicate == NULL) || suite->predicate(state);
	/* If set, every test gets this result without running. */
	enum ztest_result forced = enabled ? ZTEST_RESULT_PENDING : ZTEST_RESULT_SKIP;
	void *fixture = NULL;
	bool failed = false;

#ifndef ZTEST_HOST
	runner_thread = k_current_get();
#endif
	printk("Running TESTSUITE %s\n", suite->name);
	printk(SEPARATOR "\n");

	cur.name = suite->name;
	if (enabled && suite->setup != NULL) {
		cur.result = ZTEST_RESULT_PENDING;
		setup_fn = suite->setup;
		setup_fixture = NULL;
		if (!run_phase(call_setup, NULL, 0, true) && cur.result != ZTEST_RESULT_PASS) {
			/* Failed or skipped in setup: no test can run. */
			forced = cur.result;
		} else if (cur.result == ZTEST_RESULT_FAIL) {
			forced = ZTEST_RESULT_FAIL; /* a zexpect failed */
		}
		fixture = setup_fixture;
	}

	for (const struct ztest_unit_test *t = next_test(suite, NULL); t != NULL;
	     t = next_test(suite, t)) {
		if (forced != ZTEST_RESULT_PENDING) {
			printk("START - %s\n", t->name);
			print_verdict(t, forced, 0U);
			failed = failed || (forced == ZTEST_RESULT_FAIL);
			continue;
		}
		run_test(suite, t, fixture);
		failed = failed || (t->stats->result == ZTEST_RESULT_FAIL);
	}

	if (enabled && forced == ZTEST_RESULT_PENDING && suite->teardown != NULL) {
		cur.result = ZTEST_RESULT_PENDING;
		cur.name = suite->name;
		(void)run_phase(suite->teardown, fixture, 0, true);
		if (cur.result == ZTEST_RESULT_FAIL) {
			suite->stats->failed = true;
			run_failed = true;
			failed = true;
		}
	}

	suite->stats->duration_ms = elapsed_ms(start);
	printk("TESTSUITE %s %s.\n", suite->name, failed ? "failed" : "succeeded");
}

void ztest_run_all(const void *state)
{
	run_failed = false;
	cur.fault_valid = false;
	cur.assert_valid = false;
	for (struct ztest_suite_node *s = __start_ztest_suite_node; s < __stop_ztest_suite_node;
	     s++) {
		s->stats->duration_ms = 0U;
		s->stats->failed = false;
	}
	for (const struct ztest_unit_test *t = __start_ztest_unit_test; t < __stop_ztest_unit_test;
	     t++) {
		t->stats->result = ZTEST_RESULT_PENDING;
		t->stats->duration_ms = 0U;
		if (find_suite(t->test_suite_name) == NULL) {
			printk("ztest: test %s belongs to unknown suite %s\n", t->name,
			       t->test_suite_name);
			run_failed = true;
		}
	}

	for (struct ztest_suite_node *s = next_suite(NULL); s != NULL; s = next_suite(s)) {
		run_suite(s, state);
	}
}

static void print_suite_summary(const struct ztest_suite_node *suite)
{
	unsigned int pass = 0, fail = 0, skip = 0;

	for (const struct ztest_unit_test *t = next_test(suite, NULL); t != NULL;
	     t = next_test(suite, t)) {
		switch (t->stats->result) {
		case ZTEST_RESULT_PASS:
			pass++;
			break;
		case ZTEST_RESULT_SKIP:
			skip++;
			break;
		default:
			fail++; /* a test that never finished counts as failed */
			break;
		}
	}

	unsigned int total = pass + fail + skip;
	const char *status = "PASS";

	if (fail > 0U || suite->stats->failed) {
		status = "FAIL";
	} else if (pass == 0U && skip > 0U) {
		status = "SKIP";
	}
	/* Share of tests that did not fail, in hundredths of a percent, rounded. */
	unsigned int rate = (total == 0U) ? 10000U : (10000U * (total - fail) + total / 2U) / total;
	uint32_t ms = suite->stats->duration_ms;

	printk("SUITE %s - %3u.%02u%% [%s]: pass = %u, fail = %u, skip = %u, "
	       "total = %u duration = %u.%03u seconds\n",
	       status, rate / 100U, rate % 100U, suite->name, pass, fail, skip, total, ms / 1000U,
	       ms % 1000U);

	for (const struct ztest_unit_test *t = next_test(suite, NULL); t != NULL;
	     t = next_test(suite, t)) {
		enum ztest_result r = t->stats->result;

		if (r == ZTEST_RESULT_PENDING) {
			r = ZTEST_RESULT_FAIL;
		}
		printk(" - %s - [%s.%s] duration = %u.%03u seconds\n", result_names[r], suite->name,
		       t->name, t->stats->duration_ms / 1000U, t->stats->duration_ms % 1000U);
	}
}

int ztest_report(void)
{
	printk("------ TESTSUITE SUMMARY START ------\n");
	for (struct ztest_suite_node *s = next_suite(NULL); s != NULL; s = next_suite(s)) {
		print_suite_summary(s);
	}
	printk("------ TESTSUITE SUMMARY END ------\n");
#if defined(CONFIG_TEST_USERSPACE) && !defined(CONFIG_USERSPACE)
	/* The suite asked for user mode, which this build cannot have. */
	printk("NOTE: CONFIG_TEST_USERSPACE without CONFIG_USERSPACE: "
	       "ZTEST_USER cases ran in supervisor mode\n");
#endif
	printk(SEPARATOR "\n");
	printk("PROJECT EXECUTION %s\n", run_failed ? "FAILED" : "SUCCESSFUL");
	return run_failed ? 1 : 0;
}

__weak void test_main(void)
{
	ztest_run_all(NULL);
}

#ifdef CONFIG_USERSPACE
K_APPMEM_PARTITION_DEFINE(ztest_mem_partition);

/* ZTEST_BMEM/ZTEST_DMEM globals for every test thread (none: nothing to add). */
static void ztest_partition_add(void)
{
	if (ztest_mem_partition.size != 0U &&
	    k_mem_domain_add_partition(&k_mem_domain_default, &ztest_mem_partition) != 0) {
		printk("ztest: ztest_mem_partition could not join the default domain\n");
		k_panic();
	}
}
#endif

/* The kernel calls k_poweroff(main()); on the host the status is the exit code. */
int main(void)
{
#ifdef CONFIG_USERSPACE
	ztest_partition_add();
#endif
	test_main();
	return ztest_report();
}
