/* SPDX-License-Identifier: Apache-2.0 */
/* k_thread_custom_data_set()/_get(): each thread its own pointer, NULL at creation. */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

static K_THREAD_STACK_DEFINE(other_stack, 4096);
static struct k_thread other;
static void *volatile other_saw_first, *volatile other_saw_last;

static void other_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	other_saw_first = k_thread_custom_data_get();
	k_thread_custom_data_set(p1);
	k_yield();
	other_saw_last = k_thread_custom_data_get();
}

static void run_other(void *value)
{
	k_thread_create(&other, other_stack, K_THREAD_STACK_SIZEOF(other_stack), other_entry, value,
			NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	zassert_ok(k_thread_join(&other, K_FOREVER));
}

ZTEST(thread_tools_custom_data, test_per_thread_and_null_at_creation)
{
	int mine, theirs;

	k_thread_custom_data_set(&mine);
	run_other(&theirs);
	zassert_is_null(other_saw_first, "a new thread's pointer is not NULL");
	zassert_equal(other_saw_last, &theirs, "the thread's own value was not kept");
	zassert_equal(k_thread_custom_data_get(), &mine, "another thread's set changed ours");

	/* The same thread object created again starts from NULL. */
	run_other(NULL);
	zassert_is_null(other_saw_first, "the pointer survived the thread object's re-creation");
}

ZTEST_USER(thread_tools_custom_data, test_from_user_mode)
{
	int on_my_stack;

	zassert_is_null(k_thread_custom_data_get());
	k_thread_custom_data_set(&on_my_stack);
	zassert_equal(k_thread_custom_data_get(), &on_my_stack);
	k_thread_custom_data_set((void *)0x1234); /* any value: it is never used by the kernel */
	zassert_equal(k_thread_custom_data_get(), (void *)0x1234);
}

ZTEST_SUITE(thread_tools_custom_data, NULL, NULL, NULL, NULL, NULL);
