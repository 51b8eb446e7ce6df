/* SPDX-License-Identifier: Apache-2.0 */
/* Fine C; its prj.conf misspells CONFIG_ASSERT, which must fail the configure step. */
#include <ztest.h>

ZTEST_SUITE(runner_bad_kconfig, NULL, NULL, NULL, NULL, NULL);

ZTEST(runner_bad_kconfig, test_never_built)
{
	zassert_true(true, "unreachable");
}
