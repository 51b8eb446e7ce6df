/* SPDX-License-Identifier: Apache-2.0 */
/* One passing case, one failing assertion, one unexpected fault (NULL write). */
#include <kernel.h>
#include <ztest.h>

ZTEST_SUITE(runner_fail, NULL, NULL, NULL, NULL, NULL);

ZTEST(runner_fail, test_passes)
{
	zassert_true(true, "true is false");
}

ZTEST(runner_fail, test_assert_fails)
{
	zassert_equal(2 + 2, 5, "2 + 2 is not 5");
}

ZTEST(runner_fail, test_null_deref)
{
	/* Both volatile: the compiler must emit the store as written. */
	volatile int *volatile p = NULL;

	*p = 42;
}
