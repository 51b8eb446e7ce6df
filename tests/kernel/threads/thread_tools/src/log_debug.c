/* SPDX-License-Identifier: Apache-2.0 */
/* A module registered with its own level: debug messages print, errors too. */
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/ztest.h>

LOG_MODULE_REGISTER(thread_tools_log_debug, LOG_LEVEL_DBG);

static char line[128];
static int lines;

#define printk(...) (lines++, snprintk(line, sizeof(line), __VA_ARGS__))
static void log_dbg(void)
{
	LOG_DBG("debug %d", 4);
}
static void log_err(void)
{
	LOG_ERR("e");
}
#undef printk

ZTEST(thread_tools_log, test_module_level)
{
	lines = 0;
	log_dbg();
	zassert_str_equal(line, "D: debug 4\n");
	log_err();
	zassert_str_equal(line, "E: e\n");
	zassert_equal(lines, 2);
}
