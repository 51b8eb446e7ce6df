/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-case output helpers of the reference's <zephyr/tc_util.h>: result
 * codes, TC_PRINT(), TC_START(), TC_END_RESULT(), TC_END_REPORT() and
 * friends, printing through printk() in the reference's words:
 *
 *     START - <name>
 *      PASS - <function> in 0.012 seconds
 *     ===================================================================
 *     PROJECT EXECUTION SUCCESSFUL            (FAILED for any other result)
 *
 * Without ztest (an old-style test with its own main()), TC_END_REPORT()
 * then ends the run, as the reference does on its POSIX boards: exit status
 * K_EXIT_SUCCESS for TC_PASS, K_EXIT_TEST_FAILED otherwise, so the status
 * agrees with the line the runner reads.
 *
 * With CONFIG_ZTEST, ztest prints those lines itself for every case and
 * for the run (and Pagoda's runner reads them), so TC_START(),
 * TC_END_RESULT() and TC_END_REPORT() print nothing there, as the
 * reference's ztest with CONFIG_ZTEST_VERBOSE_OUTPUT=n; TC_PRINT() and
 * TC_ERROR() always print.
 */
#ifndef PAGODA_INCLUDE_TC_UTIL_H
#define PAGODA_INCLUDE_TC_UTIL_H

#include <kernel.h>
#include <string.h>
#include <sys/printk.h>

#ifndef PRINT_DATA
#define PRINT_DATA(fmt, ...) printk(fmt, ##__VA_ARGS__)
#endif

#define TC_STR_HELPER(x) #x
#define TC_STR(x)        TC_STR_HELPER(x)
#ifdef TC_RUNID
#define TC_PRINT_RUNID PRINT_DATA("RunID: " TC_STR(TC_RUNID) "\n")
#else
#define TC_PRINT_RUNID                                                                             \
	do {                                                                                       \
	} while (false)
#endif

#ifndef PRINT_LINE
#define PRINT_LINE                                                                                 \
	PRINT_DATA("============================================================"                  \
		   "=======\n")
#endif

#define TASK_STACK_SIZE (1024 * 2)

#define FMT_ERROR "%s - %s@%d. "

#define TC_PASS 0
#define TC_FAIL 1
#define TC_SKIP 2

#ifndef TC_PASS_STR
#define TC_PASS_STR "PASS"
#endif
#ifndef TC_FAIL_STR
#define TC_FAIL_STR "FAIL"
#endif
#ifndef TC_SKIP_STR
#define TC_SKIP_STR "SKIP"
#endif

static inline const char *TC_RESULT_TO_STR(int result)
{
	switch (result) {
	case TC_PASS:
		return TC_PASS_STR;
	case TC_FAIL:
		return TC_FAIL_STR;
	case TC_SKIP:
		return TC_SKIP_STR;
	default:
		return "?";
	}
}

/* Duration of the case TC_END_RESULT() reports, from get_start_time_cyc(). */
static uint32_t tc_start_time __attribute__((unused));
static uint32_t tc_spend_time __attribute__((unused));

static inline void get_start_time_cyc(void)
{
	tc_start_time = k_cycle_get_32();
}

static inline void get_test_duration_ms(void)
{
	uint32_t spend_cycle = k_cycle_get_32() - tc_start_time;

	tc_spend_time = k_cyc_to_ms_ceil32(spend_cycle);
}

#ifndef TC_ERROR
#define TC_ERROR(fmt, ...)                                                                         \
	do {                                                                                       \
		PRINT_DATA(FMT_ERROR, "FAIL", __func__, __LINE__);                                 \
		PRINT_DATA(fmt, ##__VA_ARGS__);                                                    \
	} while (false)
#endif

static inline void print_nothing(const char *fmt, ...)
{
	ARG_UNUSED(fmt);
}

#ifndef TC_PRINT
#define TC_PRINT(fmt, ...) PRINT_DATA(fmt, ##__VA_ARGS__)
#endif

#ifndef TC_SUMMARY_PRINT
#define TC_SUMMARY_PRINT(fmt, ...) PRINT_DATA(fmt, ##__VA_ARGS__)
#endif

#ifdef CONFIG_ZTEST
/* ztest prints these lines (see above). */
#define Z_TC_PRINT_OWN(fmt, ...) print_nothing(fmt, ##__VA_ARGS__)
#else
#define Z_TC_PRINT_OWN(fmt, ...) PRINT_DATA(fmt, ##__VA_ARGS__)
#endif

#ifndef TC_START_PRINT
#define TC_START_PRINT(name) Z_TC_PRINT_OWN("START - %s\n", name)
#endif

#ifndef TC_START
#define TC_START(name)                                                                             \
	do {                                                                                       \
		TC_START_PRINT(name);                                                              \
	} while (false)
#endif

#ifndef TC_END
#define TC_END(result, fmt, ...) Z_TC_PRINT_OWN(fmt, ##__VA_ARGS__)
#endif

#ifndef TC_END_PRINT
#ifdef CONFIG_ZTEST
#define TC_END_PRINT(result, fmt, ...) print_nothing(fmt, ##__VA_ARGS__)
#else
#define TC_END_PRINT(result, fmt, ...)                                                             \
	PRINT_DATA(fmt, ##__VA_ARGS__);                                                            \
	PRINT_LINE
#endif
#endif

/* Prints the result and the function name. */
#ifndef Z_TC_END_RESULT
#define Z_TC_END_RESULT(result, func)                                                              \
	do {                                                                                       \
		TC_END_PRINT(result, " %s - %s in %u.%03u seconds\n", TC_RESULT_TO_STR(result),    \
			     func, tc_spend_time / 1000U, tc_spend_time % 1000U);                  \
	} while (false)
#endif

#ifndef TC_END_RESULT
#define TC_END_RESULT(result) Z_TC_END_RESULT((result), __func__)
#endif

#ifndef TC_SUITE_PRINT
#define TC_SUITE_PRINT(fmt, ...) Z_TC_PRINT_OWN(fmt, ##__VA_ARGS__)
#endif

#ifndef TC_SUITE_START
#define TC_SUITE_START(name)                                                                       \
	do {                                                                                       \
		TC_SUITE_PRINT("Running TESTSUITE %s\n", name);                                    \
		if (!IS_ENABLED(CONFIG_ZTEST)) {                                                   \
			PRINT_LINE;                                                                \
		}                                                                                  \
	} while (false)
#endif

#ifndef TC_SUITE_END
#define TC_SUITE_END(name, result)                                                                 \
	do {                                                                                       \
		if ((result) != TC_FAIL) {                                                         \
			TC_SUITE_PRINT("TESTSUITE %s succeeded\n", name);                          \
		} else {                                                                           \
			TC_SUITE_PRINT("TESTSUITE %s failed.\n", name);                            \
		}                                                                                  \
	} while (false)
#endif

/* Without ztest the report ends the run, with the status matching its line. */
#ifdef CONFIG_ZTEST
#define TC_END_POST(result)                                                                        \
	do {                                                                                       \
	} while (false)
#else
#define TC_END_POST(result) k_poweroff((result) == TC_PASS ? K_EXIT_SUCCESS : K_EXIT_TEST_FAILED)
#endif

#ifndef TC_END_REPORT
#define TC_END_REPORT(result)                                                                      \
	do {                                                                                       \
		if (!IS_ENABLED(CONFIG_ZTEST)) {                                                   \
			PRINT_LINE;                                                                \
		}                                                                                  \
		TC_PRINT_RUNID;                                                                    \
		TC_END(result, "PROJECT EXECUTION %s\n",                                           \
		       (result) == TC_PASS ? "SUCCESSFUL" : "FAILED");                             \
		TC_END_POST(result);                                                               \
	} while (false)
#endif

#define TC_CMD_DEFINE(name)                                                                        \
	int cmd_##name(int argc, char *argv[])                                                     \
	{                                                                                          \
		ARG_UNUSED(argc);                                                                  \
		ARG_UNUSED(argv);                                                                  \
		TC_START(__func__);                                                                \
		name();                                                                            \
		TC_END_RESULT(TC_PASS);                                                            \
		return 0;                                                                          \
	}
#define TC_CMD_ITEM(name)                                                                          \
	{                                                                                          \
		STRINGIFY(name), cmd_##name, "none"                                                \
	}

#endif /* PAGODA_INCLUDE_TC_UTIL_H */
