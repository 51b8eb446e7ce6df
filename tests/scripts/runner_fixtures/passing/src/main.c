/* SPDX-License-Identifier: Apache-2.0 */
/* Passes everywhere; test_assert_config is skipped where CONFIG_ASSERT is off,
 * which shows that the scenario's extra_configs reached the build. */
#include <kernel.h>
#include <ztest.h>

ZTEST_SUITE(runner_pass, NULL, NULL, NULL, NULL, NULL);

ZTEST(runner_pass, test_arithmetic)
{
	zassert_equal(1 + 1, 2, "1 + 1 is %d", 1 + 1);
}

ZTEST(runner_pass, test_uptime)
{
	zassert_true(k_uptime_get() >= 0, "negative uptime");
}

ZTEST(runner_pass, test_not_null)
{
	static int x;

	zassert_not_null(&x, "address of a static is NULL");
}

ZTEST(runner_pass, test_assert_config)
{
#ifndef CONFIG_ASSERT
	ztest_test_skip();
#endif
}
