/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stack overflows run into a guard page and are caught although the
 * overflowing stack is unusable (x86_64: the double fault's IST stack;
 * ia32: the double-fault task): reported as K_ERR_STACK_CHK_FAIL to the
 * suite's own k_sys_fatal_error_handler(), which returns, so the kernel
 * aborts the thread and the others run on.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>
#include <ztest.h>

#define STACK_SIZE 4096
#define NUM_BAD    3

K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_BAD + 1, STACK_SIZE);
static struct k_thread threads[NUM_BAD + 1];

static volatile int overflows;
static char overflowed[NUM_BAD + 1][16];
static volatile int other_reasons;

void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);
	if (reason != K_ERR_STACK_CHK_FAIL) {
		other_reasons++;
		printk("unexpected fatal error, reason %u\n", reason);
		k_fatal_halt(reason);
	}
	if (overflows <= NUM_BAD) {
		const char *name = k_thread_name_get(k_current_get());

		size_t i = 0;

		for (; i < sizeof(overflowed[0]) - 1U && name[i] != '\0'; i++) {
			overflowed[overflows][i] = name[i];
		}
		overflowed[overflows][i] = '\0';
	}
	overflows++;
	/* Returning: the kernel aborts the overflowing thread. */
}

static int __noinline recurse(int depth)
{
	volatile uint8_t buf[200];

	buf[0] = (uint8_t)depth;
	buf[199] = buf[0];
	if (depth > 1000000) {
		return buf[0];
	}
	return recurse(depth + 1) + buf[199];
}

static void overflow(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	k_msleep(5);
	(void)recurse(0);
}

static volatile uint32_t heartbeat;

static void healthy(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	for (;;) {
		heartbeat++;
		k_msleep(1);
	}
}

ZTEST(stack_guard, test_three_overflows_caught_by_name_others_run_on)
{
	static const char *const names[NUM_BAD] = {"ovf-a", "ovf-b", "ovf-c"};
	size_t free_before = k_mem_free_get();

	overflows = 0;
	heartbeat = 0;
	k_thread_create(&threads[NUM_BAD], stacks[NUM_BAD], STACK_SIZE, healthy, NULL, NULL, NULL,
			K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	for (int i = 0; i < NUM_BAD; i++) {
		zassert_not_null(k_thread_create(&threads[i], stacks[i], STACK_SIZE, overflow, NULL,
						 NULL, NULL, K_PRIO_PREEMPT(2 + i), 0, K_FOREVER));
		k_thread_name_set(&threads[i], names[i]);
		k_thread_start(&threads[i]);
	}
	for (int i = 0; i < NUM_BAD; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(5)), "%s ended", names[i]);
	}
	zassert_equal(overflows, NUM_BAD, "each overflow was caught once");
	for (int i = 0; i < NUM_BAD; i++) {
		zassert_equal(strcmp(overflowed[i], names[i]), 0, "overflow %d named %s, not %s", i,
			      overflowed[i], names[i]);
	}

	uint32_t beat = heartbeat;

	k_msleep(20);
	zassert_true(heartbeat > beat, "the healthy thread runs on");
	k_thread_abort(&threads[NUM_BAD]);
	zassert_ok(k_thread_join(&threads[NUM_BAD], K_NO_WAIT));
	zassert_equal(k_mem_free_get(), free_before);
	zassert_equal(k_mem_check_invariants(), 0);
}

ZTEST(stack_guard, test_allocated_stack_overflow_and_free)
{
	size_t free_before = k_mem_free_get();
	k_thread_stack_t *stack = k_thread_stack_alloc(STACK_SIZE, 0);

	zassert_not_null(stack);
	zassert_true(k_mem_free_get() < free_before, "backed by frames");
	overflows = 0;
	zassert_not_null(k_thread_create(&threads[0], stack, STACK_SIZE, overflow, NULL, NULL, NULL,
					 K_PRIO_PREEMPT(2), 0, K_FOREVER));
	k_thread_name_set(&threads[0], "ovf-dyn");
	zassert_equal(k_thread_stack_free(stack), -EBUSY, "in use by a thread");
	k_thread_start(&threads[0]);
	zassert_ok(k_thread_join(&threads[0], K_SECONDS(5)));
	zassert_equal(overflows, 1);
	zassert_equal(strcmp(overflowed[0], "ovf-dyn"), 0);
	zassert_ok(k_thread_stack_free(stack));
	zassert_equal(k_thread_stack_free(stack), -EINVAL, "freed twice");
	zassert_equal(k_thread_stack_free((k_thread_stack_t *)stacks[0]), -EINVAL,
		      "not from k_thread_stack_alloc()");
	zassert_is_null(k_thread_stack_alloc(0, 0));
	zassert_equal(k_mem_free_get(), free_before);
}

ZTEST(stack_guard, test_expected_fault_ends_only_this_case)
{
	uint32_t flags;
	uintptr_t guard = k_current_get()->stack_info.start - CONFIG_MMU_PAGE_SIZE;

	zassert_not_equal(k_mem_page_flags_get((void *)guard, &flags), 0, "a guard page");
	ztest_set_fault_valid(true);
	*(volatile uint32_t *)guard = 1;
	ztest_test_fail(); /* not reached */
}

ZTEST(stack_guard, test_suite_goes_on_after_the_fault)
{
	/* Sorted after the faulting case: it ran, so the suite went on. */
	zassert_equal(other_reasons, 0);
}

ZTEST_SUITE(stack_guard, NULL, NULL, NULL, NULL, NULL);
