/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: ztest, the in-kernel (and host) unit test framework.
 *
 * Same names and meaning as the ztest API of Zephyr (the reference RTOS):
 *
 *   ZTEST_SUITE(name, predicate, setup, before, after, teardown);
 *   ZTEST(name, test_x) { zassert_true(cond, "optional %s", "message"); }
 *   ZTEST_F(name, test_y) { fixture->member ... }   // struct name##_fixture
 *
 * Per suite: predicate(state) decides whether it runs (false: every test is
 * reported SKIP); setup() runs once and returns the fixture; then for each
 * test, sorted by name: before(fixture), the test, after(fixture) (after
 * runs even when the test failed); teardown(fixture) at the end. Any of the
 * five may be NULL. Suites run sorted by name.
 *
 * zassert_*: on failure print the condition and message, end the test as
 * FAIL. zassume_*: end the test as SKIP. zexpect_*: print, mark the test
 * FAIL and carry on. The message arguments are optional and printf-style.
 *
 * A CPU fault or k_panic()/k_oops() during a test fails the test (after the
 * kernel's fatal dump) and the suite goes on; after ztest_set_fault_valid(true)
 * a fault ends the test as PASS instead. The flag is cleared when a test
 * starts and when a fault is caught.
 */
#ifndef PAGODA_INCLUDE_ZTEST_H_
#define PAGODA_INCLUDE_ZTEST_H_

#include <kernel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/printk.h>
#include <sys/util.h>
#include <tc_util.h>

typedef bool (*ztest_suite_predicate_t)(const void *global_state);
typedef void *(*ztest_suite_setup_t)(void);
typedef void (*ztest_suite_before_t)(void *fixture);
typedef void (*ztest_suite_after_t)(void *fixture);
typedef void (*ztest_suite_teardown_t)(void *fixture);

enum ztest_result {
	ZTEST_RESULT_PENDING = 0,
	ZTEST_RESULT_PASS,
	ZTEST_RESULT_SKIP,
	ZTEST_RESULT_FAIL,
};

/* Results of one test, filled in by the runner. */
struct ztest_unit_test_stats {
	enum ztest_result result;
	uint32_t duration_ms;
};

struct ztest_suite_stats {
	uint32_t duration_ms;
	bool failed; /* setup or teardown failed, beyond the tests' results */
};

/* Registered in section "ztest_unit_test" by ZTEST() and friends. */
struct ztest_unit_test {
	const char *test_suite_name;
	const char *name;
	void (*test)(void *fixture);
	struct ztest_unit_test_stats *stats;
	uintptr_t thread_options; /* K_USER for ZTEST_USER() with CONFIG_USERSPACE */
};

/* Registered in section "ztest_suite_node" by ZTEST_SUITE(). */
struct ztest_suite_node {
	const char *name;
	ztest_suite_predicate_t predicate;
	ztest_suite_setup_t setup;
	ztest_suite_before_t before;
	ztest_suite_after_t after;
	ztest_suite_teardown_t teardown;
	struct ztest_suite_stats *stats;
};

/*
 * Each entry is pointer-aligned and a multiple of a pointer in size, so the
 * linker packs the entries of all files into one array without gaps. Both
 * sections are writable data (never const): the linker script places them
 * in the RW region, and a read-only input section there would share a page
 * with writable data.
 */
#define Z_ZTEST_SECTION(sec)                                                                       \
	__attribute__((__section__(#sec), __used__, __aligned__(sizeof(void *))))

#define ZTEST_SUITE(suite_name, pred, setup_fn, before_fn, after_fn, teardown_fn)                  \
	static struct ztest_suite_stats z_ztest_suite_stats_##suite_name;                          \
	struct ztest_suite_node z_ztest_suite_node_##suite_name Z_ZTEST_SECTION(                   \
		ztest_suite_node) = {                                                              \
		.name = #suite_name,                                                               \
		.predicate = (pred),                                                               \
		.setup = (setup_fn),                                                               \
		.before = (before_fn),                                                             \
		.after = (after_fn),                                                               \
		.teardown = (teardown_fn),                                                         \
		.stats = &z_ztest_suite_stats_##suite_name,                                        \
	}

#define Z_ZTEST_REGISTER_OPT(suite, fn, options)                                                   \
	static void z_ztest_wrapper_##suite##_##fn(void *fixture);                                 \
	static struct ztest_unit_test_stats z_ztest_stats_##suite##_##fn;                          \
	static struct ztest_unit_test z_ztest_unit_test_##suite##_##fn Z_ZTEST_SECTION(            \
		ztest_unit_test) = {                                                               \
		.test_suite_name = #suite,                                                         \
		.name = #fn,                                                                       \
		.test = z_ztest_wrapper_##suite##_##fn,                                            \
		.stats = &z_ztest_stats_##suite##_##fn,                                            \
		.thread_options = (options),                                                       \
	}

/* A test with thread options (the body follows), and one with the suite's fixture. */
#define Z_ZTEST(suite, fn, options)                                                                \
	Z_ZTEST_REGISTER_OPT(suite, fn, options);                                                  \
	static void suite##_##fn(void);                                                            \
	static void z_ztest_wrapper_##suite##_##fn(void *fixture)                                  \
	{                                                                                          \
		ARG_UNUSED(fixture);                                                               \
		suite##_##fn();                                                                    \
	}                                                                                          \
	static void suite##_##fn(void)
#define Z_ZTEST_F(suite, fn, options)                                                              \
	Z_ZTEST_REGISTER_OPT(suite, fn, options);                                                  \
	static void suite##_##fn(struct suite##_fixture *fixture);                                 \
	static void z_ztest_wrapper_##suite##_##fn(void *fixture)                                  \
	{                                                                                          \
		suite##_##fn((struct suite##_fixture *)fixture);                                   \
	}                                                                                          \
	static void suite##_##fn(struct suite##_fixture *fixture)

/* A test of suite `suite` named `fn`; the body follows the macro. */
#define ZTEST(suite, fn)   Z_ZTEST(suite, fn, 0)
/* Same, with `fixture` (struct suite##_fixture *) from the suite's setup. */
#define ZTEST_F(suite, fn) Z_ZTEST_F(suite, fn, 0)

/*
 * A test whose body runs in user mode (CONFIG_USERSPACE; without it, like
 * ZTEST()): its thread is created with K_USER | K_INHERIT_PERMS, so it may
 * use the kernel objects granted to the thread that runs the suites (or
 * made public with k_object_access_all_grant()). The suite's before and
 * after functions stay in supervisor mode.
 */
#ifdef CONFIG_USERSPACE
#define Z_ZTEST_USER_OPTIONS K_USER
#else
#define Z_ZTEST_USER_OPTIONS 0
#endif
#define ZTEST_USER(suite, fn)   Z_ZTEST(suite, fn, Z_ZTEST_USER_OPTIONS)
#define ZTEST_USER_F(suite, fn) Z_ZTEST_F(suite, fn, Z_ZTEST_USER_OPTIONS)

/*
 * Globals a user-mode test may use: ZTEST_BMEM (zero-initialised) and
 * ZTEST_DMEM (initialised) put them in ztest_mem_partition, an application
 * memory partition that ztest adds to k_mem_domain_default before the
 * first suite, so every test thread (user or not) may read and write them.
 * Without CONFIG_USERSPACE they are ordinary globals.
 */
#ifdef CONFIG_MULTITHREADING
/* The stack every test phase runs on (a K_THREAD_STACK_DEFINE() stack), as
 * the reference's ztest declares it.
 */
extern k_thread_stack_t ztest_thread_stack[];
#endif

#ifdef CONFIG_USERSPACE
#include <app_memory/app_memdomain.h>
extern struct k_mem_partition ztest_mem_partition;
#define ZTEST_BMEM K_APP_BMEM(ztest_mem_partition)
#define ZTEST_DMEM K_APP_DMEM(ztest_mem_partition)
#else
#define ZTEST_BMEM
#define ZTEST_DMEM
#endif

#ifdef CONFIG_USERSPACE
/* ztest's own system call: a user-mode test phase records result; with end
 * its thread ends there; with completed its function returned.
 */
__syscall void z_ztest_user_record(int result, bool end, bool completed);
#endif

/* ---- ending a test from inside it ---------------------------------------- */

/*
 * End the running test with a verdict; they do not return. Called from
 * another thread of the test, that thread ends too; from an interrupt
 * handler (a k_timer expiry function, say), the handler is abandoned and
 * the thread it interrupted resumes.
 */
FUNC_NORETURN void ztest_test_fail(void);
FUNC_NORETURN void ztest_test_pass(void);
FUNC_NORETURN void ztest_test_skip(void);

/*
 * The reference's before/after functions that keep a test on one CPU while
 * it runs. Pagoda runs on one CPU: there is nothing to hold.
 */
static inline void ztest_simple_1cpu_before(void *data)
{
	ARG_UNUSED(data);
}
static inline void ztest_simple_1cpu_after(void *data)
{
	ARG_UNUSED(data);
}

/* Skip the test unless (or if) the Kconfig flag is set. */
#define Z_TEST_SKIP_IFNDEF(flag)                                                                   \
	do {                                                                                       \
		if (!IS_ENABLED(flag)) {                                                           \
			ztest_test_skip();                                                         \
		}                                                                                  \
	} while (0)
#define Z_TEST_SKIP_IFDEF(flag)                                                                    \
	do {                                                                                       \
		if (IS_ENABLED(flag)) {                                                            \
			ztest_test_skip();                                                         \
		}                                                                                  \
	} while (0)

/* Whether the next CPU fault / fatal error is expected (see above). */
__syscall void ztest_set_fault_valid(bool valid);

/* Whether the next failed __ASSERT() (which panics the kernel) is expected:
 * it then ends the test as PASS, like an expected fault.
 */
void ztest_set_assert_valid(bool valid);

/*
 * Run every registered suite, sorted by name, passing state to the
 * predicates. May be called more than once; results are reset each time.
 */
void ztest_run_all(const void *state);

/*
 * Print the summary of the last ztest_run_all() and the PROJECT EXECUTION
 * verdict; return 0 if nothing failed, 1 otherwise.
 */
int ztest_report(void);

/*
 * ztest's main() calls test_main() and returns ztest_report(). The default
 * test_main() is ztest_run_all(NULL); an application may replace it.
 */
void test_main(void);

/* ---- checks ---------------------------------------------------------------- */

enum z_ztest_check {
	Z_ZTEST_ASSERT,
	Z_ZTEST_ASSUME,
	Z_ZTEST_EXPECT,
};

/* Report a failed check: the header line, then the optional message. */
void z_ztest_check_failed(enum z_ztest_check kind, const char *cond_text, const char *file,
			  int line);
__printf_like(1, 2) void z_ztest_message(const char *fmt, ...);
FUNC_NORETURN void z_ztest_assert_end(void);
FUNC_NORETURN void z_ztest_assume_end(void);
void z_ztest_expect_end(void);

/*
 * The message is optional: __VA_OPT__ drops the call when it is absent, so
 * both zassert_true(x) and zassert_true(x, "v=%d", v) compile warning-free
 * and the arguments are only evaluated when the check fails.
 */
#define Z_ZTEST_CHECK(kind, end_fn, cond, text, ...)                                               \
	do {                                                                                       \
		if (unlikely(!(cond))) {                                                           \
			z_ztest_check_failed(kind, text, __FILE__, __LINE__);                      \
			__VA_OPT__(z_ztest_message(__VA_ARGS__);)                                  \
			end_fn();                                                                  \
		}                                                                                  \
	} while (0)

#define zassert(cond, text, ...)                                                                   \
	Z_ZTEST_CHECK(Z_ZTEST_ASSERT, z_ztest_assert_end, cond, text __VA_OPT__(, ) __VA_ARGS__)
#define zassume(cond, text, ...)                                                                   \
	Z_ZTEST_CHECK(Z_ZTEST_ASSUME, z_ztest_assume_end, cond, text __VA_OPT__(, ) __VA_ARGS__)
#define zexpect(cond, text, ...)                                                                   \
	Z_ZTEST_CHECK(Z_ZTEST_EXPECT, z_ztest_expect_end, cond, text __VA_OPT__(, ) __VA_ARGS__)

/*
 * The three families share one definition per check, parameterised by the
 * base macro (zassert, zassume or zexpect). The public macros stringify
 * their own arguments, so the report shows the condition as written (a
 * macro such as `false` is not expanded first).
 */
#define Z_CHK_TRUE(base, cond, t, ...)   base(cond, t " is false" __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_FALSE(base, cond, t, ...)  base(!(cond), t " is true" __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_OK(base, cond, t, ...)     base(!(cond), t " is non-zero" __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_NOT_OK(base, cond, t, ...) base(!!(cond), t " is zero" __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_IS_NULL(base, ptr, t, ...)                                                           \
	base((ptr) == NULL, t " is not NULL" __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_NOT_NULL(base, ptr, t, ...)                                                          \
	base((ptr) != NULL, t " is NULL" __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_EQUAL(base, a, b, t, ...)     base((a) == (b), t __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_NOT_EQUAL(base, a, b, t, ...) base((a) != (b), t __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_EQUAL_PTR(base, a, b, t, ...)                                                        \
	base((const void *)(a) == (const void *)(b), t __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_WITHIN(base, a, b, d, t, ...)                                                        \
	base(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), t __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_BETWEEN(base, a, lo, hi, t, ...)                                                     \
	base(((a) >= (lo)) && ((a) <= (hi)), t __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_MEM_EQUAL(base, buf, exp, size, t, ...)                                              \
	base(memcmp(buf, exp, size) == 0, t __VA_OPT__(, ) __VA_ARGS__)
#define Z_CHK_STR_EQUAL(base, s1, s2, t, ...)                                                      \
	base(strcmp(s1, s2) == 0, t __VA_OPT__(, ) __VA_ARGS__)

#define zassert_true(cond, ...)    Z_CHK_TRUE(zassert, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassert_false(cond, ...)   Z_CHK_FALSE(zassert, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassert_ok(cond, ...)      Z_CHK_OK(zassert, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassert_not_ok(cond, ...)  Z_CHK_NOT_OK(zassert, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassert_is_null(ptr, ...)  Z_CHK_IS_NULL(zassert, ptr, #ptr __VA_OPT__(, ) __VA_ARGS__)
#define zassert_not_null(ptr, ...) Z_CHK_NOT_NULL(zassert, ptr, #ptr __VA_OPT__(, ) __VA_ARGS__)
#define zassert_equal(a, b, ...)                                                                   \
	Z_CHK_EQUAL(zassert, a, b, #a " not equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zassert_not_equal(a, b, ...)                                                               \
	Z_CHK_NOT_EQUAL(zassert, a, b, #a " equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zassert_equal_ptr(a, b, ...)                                                               \
	Z_CHK_EQUAL_PTR(zassert, a, b, #a " not equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zassert_within(a, b, d, ...)                                                               \
	Z_CHK_WITHIN(zassert, a, b, d, #a " not within " #b " +/- " #d __VA_OPT__(, ) __VA_ARGS__)
#define zassert_between_inclusive(a, lo, hi, ...)                                                  \
	Z_CHK_BETWEEN(zassert, a, lo, hi,                                                          \
		      #a " not between " #lo " and " #hi " inclusive" __VA_OPT__(, ) __VA_ARGS__)
#define zassert_mem_equal(buf, exp, size, ...)                                                     \
	Z_CHK_MEM_EQUAL(zassert, buf, exp, size,                                                   \
			#buf " not equal to " #exp __VA_OPT__(, ) __VA_ARGS__)
#define zassert_str_equal(s1, s2, ...)                                                             \
	Z_CHK_STR_EQUAL(zassert, s1, s2, #s1 " not equal to " #s2 __VA_OPT__(, ) __VA_ARGS__)
#define zassert_unreachable(...)                                                                   \
	zassert(false, "Reached unreachable code" __VA_OPT__(, ) __VA_ARGS__)

#define zassume_true(cond, ...)    Z_CHK_TRUE(zassume, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassume_false(cond, ...)   Z_CHK_FALSE(zassume, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassume_ok(cond, ...)      Z_CHK_OK(zassume, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassume_not_ok(cond, ...)  Z_CHK_NOT_OK(zassume, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zassume_is_null(ptr, ...)  Z_CHK_IS_NULL(zassume, ptr, #ptr __VA_OPT__(, ) __VA_ARGS__)
#define zassume_not_null(ptr, ...) Z_CHK_NOT_NULL(zassume, ptr, #ptr __VA_OPT__(, ) __VA_ARGS__)
#define zassume_equal(a, b, ...)                                                                   \
	Z_CHK_EQUAL(zassume, a, b, #a " not equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zassume_not_equal(a, b, ...)                                                               \
	Z_CHK_NOT_EQUAL(zassume, a, b, #a " equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zassume_equal_ptr(a, b, ...)                                                               \
	Z_CHK_EQUAL_PTR(zassume, a, b, #a " not equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zassume_within(a, b, d, ...)                                                               \
	Z_CHK_WITHIN(zassume, a, b, d, #a " not within " #b " +/- " #d __VA_OPT__(, ) __VA_ARGS__)
#define zassume_between_inclusive(a, lo, hi, ...)                                                  \
	Z_CHK_BETWEEN(zassume, a, lo, hi,                                                          \
		      #a " not between " #lo " and " #hi " inclusive" __VA_OPT__(, ) __VA_ARGS__)
#define zassume_mem_equal(buf, exp, size, ...)                                                     \
	Z_CHK_MEM_EQUAL(zassume, buf, exp, size,                                                   \
			#buf " not equal to " #exp __VA_OPT__(, ) __VA_ARGS__)
#define zassume_str_equal(s1, s2, ...)                                                             \
	Z_CHK_STR_EQUAL(zassume, s1, s2, #s1 " not equal to " #s2 __VA_OPT__(, ) __VA_ARGS__)
#define zassume_unreachable(...)                                                                   \
	zassume(false, "Reached unreachable code" __VA_OPT__(, ) __VA_ARGS__)

#define zexpect_true(cond, ...)    Z_CHK_TRUE(zexpect, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_false(cond, ...)   Z_CHK_FALSE(zexpect, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_ok(cond, ...)      Z_CHK_OK(zexpect, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_not_ok(cond, ...)  Z_CHK_NOT_OK(zexpect, cond, #cond __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_is_null(ptr, ...)  Z_CHK_IS_NULL(zexpect, ptr, #ptr __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_not_null(ptr, ...) Z_CHK_NOT_NULL(zexpect, ptr, #ptr __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_equal(a, b, ...)                                                                   \
	Z_CHK_EQUAL(zexpect, a, b, #a " not equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_not_equal(a, b, ...)                                                               \
	Z_CHK_NOT_EQUAL(zexpect, a, b, #a " equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_equal_ptr(a, b, ...)                                                               \
	Z_CHK_EQUAL_PTR(zexpect, a, b, #a " not equal to " #b __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_within(a, b, d, ...)                                                               \
	Z_CHK_WITHIN(zexpect, a, b, d, #a " not within " #b " +/- " #d __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_between_inclusive(a, lo, hi, ...)                                                  \
	Z_CHK_BETWEEN(zexpect, a, lo, hi,                                                          \
		      #a " not between " #lo " and " #hi " inclusive" __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_mem_equal(buf, exp, size, ...)                                                     \
	Z_CHK_MEM_EQUAL(zexpect, buf, exp, size,                                                   \
			#buf " not equal to " #exp __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_str_equal(s1, s2, ...)                                                             \
	Z_CHK_STR_EQUAL(zexpect, s1, s2, #s1 " not equal to " #s2 __VA_OPT__(, ) __VA_ARGS__)
#define zexpect_unreachable(...)                                                                   \
	zexpect(false, "Reached unreachable code" __VA_OPT__(, ) __VA_ARGS__)

#endif /* PAGODA_INCLUDE_ZTEST_H_ */
