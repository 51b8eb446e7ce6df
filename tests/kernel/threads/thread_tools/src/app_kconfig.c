/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The app's own Kconfig is the configuration root: its symbol has its
 * default, and Pagoda's symbols (sourced by "Kconfig.zephyr") keep theirs
 * and the values prj.conf gave them.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

ZTEST(thread_tools_app_kconfig, test_app_symbol_and_pagoda_tree)
{
	zassert_equal(CONFIG_THREAD_TOOLS_APP_ADDRESS, 0xFFFFFFF0);
	zassert_true(IS_ENABLED(CONFIG_THREAD_CUSTOM_DATA), "prj.conf not applied");
	zassert_equal(CONFIG_MAIN_THREAD_PRIORITY, 0, "Pagoda's default lost");
}

ZTEST_SUITE(thread_tools_app_kconfig, NULL, NULL, NULL, NULL, NULL);
