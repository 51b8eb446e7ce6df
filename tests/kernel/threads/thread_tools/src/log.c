/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging: the reference's minimal format, and each module's level. The
 * macros expand where they are used, so a printk() macro of this file's
 * own catches what they would print (only around the logging calls).
 */
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/ztest.h>

LOG_MODULE_REGISTER(thread_tools_log); /* CONFIG_LOG_DEFAULT_LEVEL: 3, information */

static char line[128];
static int lines;

#define printk(...) (lines++, snprintk(line, sizeof(line), __VA_ARGS__))
static void log_err(void)
{
	LOG_ERR("error %d", 1);
}
static void log_wrn(void)
{
	LOG_WRN("warning %s", "two");
}
static void log_inf(void)
{
	LOG_INF("info");
}
static void log_dbg(void)
{
	LOG_DBG("debug %d", 4);
}
#undef printk

ZTEST(thread_tools_log, test_minimal_format_and_default_level)
{
	lines = 0;
	log_err();
	zassert_str_equal(line, "E: error 1\n");
	log_wrn();
	zassert_str_equal(line, "W: warning two\n");
	log_inf();
	zassert_str_equal(line, "I: info\n");
	zassert_equal(lines, 3);
	log_dbg(); /* above the module's level */
	zassert_equal(lines, 3, "a debug message was printed at level 3");
}

ZTEST_SUITE(thread_tools_log, NULL, NULL, NULL, NULL, NULL);
