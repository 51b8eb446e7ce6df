/* SPDX-License-Identifier: Apache-2.0 */
/* Does not compile: the runner must report a build failure for the scenario. */
#include <ztest.h>

ZTEST_SUITE(runner_build_error, NULL, NULL, NULL, NULL, NULL);

ZTEST(runner_build_error, test_never_built)
{
	zassert_equal(runner_fixture_undeclared, 0, "unreachable");
}
