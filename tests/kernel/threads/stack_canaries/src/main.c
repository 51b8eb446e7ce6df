/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CONFIG_STACK_CANARIES: a function whose canary an overflow overwrote ends
 * its thread with K_ERR_STACK_CHK_FAIL, in supervisor and in user mode; the
 * guard was set at boot from sys_rand_get() and nothing may write it after
 * (it lies in rodata, readable by user mode). Also the test generator's
 * sys_rand_get() (CONFIG_TEST_RANDOM_GENERATOR).
 */
#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/random/random.h>
#include <zephyr/ztest.h>

extern volatile uintptr_t __stack_chk_guard;

#define STACK_SIZE 4096

K_THREAD_STACK_DEFINE(victim_stack, STACK_SIZE);
static struct k_thread victim;

/* What the suite's fatal-error handler saw (kernel data: it runs in the kernel). */
static volatile unsigned int fatal_count;
static volatile unsigned int fatal_reason;
ZTEST_BMEM static volatile bool returned;
ZTEST_BMEM static volatile uintptr_t guard_seen;

void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);
	fatal_count++;
	fatal_reason = reason;
	/* Returning: the faulting thread is ended, the rest runs on. */
}

/* Its 16 bytes lie below the canary: more overwrites it. */
static __noinline void copy_into_small_buffer(const char *input)
{
	char buf[16];

	strcpy(buf, input);
	__asm__ volatile("" : : "r"(buf) : "memory");
}

static void overflow(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	copy_into_small_buffer((const char *)p1);
	returned = true;
}

static void run_victim(const char *input, uint32_t options)
{
	fatal_count = 0;
	fatal_reason = UINT32_MAX;
	returned = false;
	k_thread_create(&victim, victim_stack, STACK_SIZE, overflow, (void *)input, NULL, NULL,
			K_PRIO_COOP(1), options, K_NO_WAIT);
	zassert_equal(k_thread_join(&victim, K_FOREVER), 0);
}

static const char too_long[] = "forty-eight characters overflow a 16-byte buffer";

ZTEST(stack_canaries, test_fits_no_error)
{
	run_victim("short", 0);
	zassert_true(returned);
	zassert_equal(fatal_count, 0U);
}

ZTEST(stack_canaries, test_supervisor_overflow)
{
	run_victim(too_long, 0);
	zassert_false(returned, "the overflowing function returned");
	zassert_equal(fatal_count, 1U);
	zassert_equal(fatal_reason, K_ERR_STACK_CHK_FAIL, "reason %u", fatal_reason);
}

ZTEST(stack_canaries, test_user_overflow)
{
	run_victim(too_long, K_USER);
	zassert_false(returned, "the overflowing function returned");
	zassert_equal(fatal_count, 1U);
	/* From user mode too: not an oops, not a CPU exception. */
	zassert_equal(fatal_reason, K_ERR_STACK_CHK_FAIL, "reason %u", fatal_reason);
}

static void read_guard(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	guard_seen = __stack_chk_guard;
}

ZTEST(stack_canaries, test_guard_set_and_user_readable)
{
	/* Set at boot from the generator: 0 with a chance of 2^-32 at most. */
	zassert_not_equal(__stack_chk_guard, 0U, "the guard was never set");
	guard_seen = 0;
	k_thread_create(&victim, victim_stack, STACK_SIZE, read_guard, NULL, NULL, NULL,
			K_PRIO_COOP(1), K_USER, K_NO_WAIT);
	zassert_equal(k_thread_join(&victim, K_FOREVER), 0);
	zassert_equal(guard_seen, __stack_chk_guard, "user mode read another guard");
}

ZTEST(stack_canaries, test_guard_read_only)
{
	ztest_set_fault_valid(true);
	*(volatile uintptr_t *)&__stack_chk_guard = 0;
	zassert_unreachable("the guard was written after boot");
}

ZTEST_USER(stack_canaries, test_guard_read_only_user)
{
	ztest_set_fault_valid(true);
	*(volatile uintptr_t *)&__stack_chk_guard = 0;
	zassert_unreachable("user mode wrote the guard");
}

ZTEST(stack_canaries, test_random_values_differ)
{
	uint64_t a = sys_rand64_get();
	uint64_t b = sys_rand64_get();
	uint8_t bytes[13];

	zassert_not_equal(a, b, "two draws gave %llx", (unsigned long long)a);
	memset(bytes, 0, sizeof(bytes));
	sys_rand_get(bytes, sizeof(bytes));
	/* 13 zero bytes: a chance of 2^-104. */
	bool nonzero = false;

	for (size_t i = 0; i < sizeof(bytes); i++) {
		nonzero |= bytes[i] != 0U;
	}
	zassert_true(nonzero, "sys_rand_get() wrote nothing");
	zassert_not_equal(sys_rand32_get(), sys_rand32_get());
}

ZTEST_SUITE(stack_canaries, NULL, NULL, NULL, NULL, NULL);
