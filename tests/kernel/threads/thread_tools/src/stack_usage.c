/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log_stack_usage(): the reference's line for a thread's stack use, from
 * the stack's untouched fill (CONFIG_INIT_STACKS). A printk() macro of this
 * file's own catches the line the inline function would print.
 */
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/ztest.h>

static char line[160];
static int lines;

#define printk(...) (lines++, snprintk(line, sizeof(line), __VA_ARGS__))
#include <zephyr/debug/stack.h>
#undef printk

#define STACK_SIZE (2048 + CONFIG_TEST_EXTRA_STACK_SIZE)

static K_THREAD_STACK_DEFINE(stack, STACK_SIZE);
static struct k_thread thread;
static K_SEM_DEFINE(used, 0, 1);

/* Touches about 1 KiB of its stack, then waits (a dead thread's stack is unmapped). */
static void user_of_stack(void *p1, void *p2, void *p3)
{
	volatile char use[1024];

	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (size_t i = 0; i < sizeof(use); i++) {
		use[i] = (char)i;
	}
	k_sem_give(&used);
	k_sleep(K_FOREVER);
}

ZTEST(thread_tools_stack_usage, test_logged_line)
{
	char expected[160];
	size_t unused;
	size_t size;

	k_thread_create(&thread, stack, STACK_SIZE, user_of_stack, NULL, NULL, NULL,
			K_PRIO_PREEMPT(0), 0, K_FOREVER);
	k_thread_name_set(&thread, "stack_user");
	k_thread_start(&thread);
	zassert_ok(k_sem_take(&used, K_FOREVER));

	size = thread.stack_info.size;
	zassert_ok(k_thread_stack_space_get(&thread, &unused));
	zassert_true(size - unused >= 1024, "the thread's use was not seen");

	lines = 0;
	log_stack_usage(&thread);
	zassert_equal(lines, 1);
	snprintk(expected, sizeof(expected),
		 "I: %p (stack_user):\tunused %zu\tusage %zu / %zu (%u %%)\n", (void *)&thread,
		 unused, size - unused, size, (unsigned int)(((size - unused) * 100U) / size));
	zassert_str_equal(line, expected);
	k_thread_abort(&thread);
}

ZTEST_SUITE(thread_tools_stack_usage, NULL, NULL, NULL, NULL, NULL);
