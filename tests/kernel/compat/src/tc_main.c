/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Without ztest (scenario kernel.compat.tc_util): an old-style test of the
 * reference, which prints its own START, verdict and PROJECT EXECUTION
 * lines with tc_util.h and ends with TC_END_REPORT().
 */
#ifndef CONFIG_ZTEST
#include <zephyr/kernel.h>
#include <zephyr/tc_util.h>

static int check_result_strings(void)
{
	int result = TC_PASS;

	TC_START("check_result_strings");
	get_start_time_cyc();
	if (TC_PASS != 0 || TC_FAIL != 1 || TC_SKIP != 2) {
		TC_ERROR("result codes %d %d %d\n", TC_PASS, TC_FAIL, TC_SKIP);
		result = TC_FAIL;
	}
	if (TC_RESULT_TO_STR(TC_SKIP)[0] != 'S' || TC_RESULT_TO_STR(5)[0] != '?') {
		TC_ERROR("result strings\n");
		result = TC_FAIL;
	}
	TC_PRINT("k_cyc_to_ms_ceil32(1) = %u\n", k_cyc_to_ms_ceil32(1));
	get_test_duration_ms();
	Z_TC_END_RESULT(result, "check_result_strings");
	return result;
}

static int check_duration(void)
{
	int result = TC_PASS;

	TC_START("check_duration");
	get_start_time_cyc();
	k_busy_wait(20000);
	get_test_duration_ms();
	if (tc_spend_time < 20U || tc_spend_time > 200U) {
		TC_ERROR("20 ms of k_busy_wait() measured as %u ms\n", tc_spend_time);
		result = TC_FAIL;
	}
	Z_TC_END_RESULT(result, "check_duration");
	return result;
}

int main(void)
{
	int result = TC_PASS;

	TC_SUITE_START("compat_tc_util");
	if (check_result_strings() != TC_PASS) {
		result = TC_FAIL;
	}
	if (check_duration() != TC_PASS) {
		result = TC_FAIL;
	}
	TC_SUITE_END("compat_tc_util", result);
	TC_END_REPORT(result);
	return 1; /* not reached: TC_END_REPORT() ends the run */
}
#endif /* !CONFIG_ZTEST */
