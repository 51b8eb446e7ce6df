/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An application's own system calls (src/app_calls.h): more than five
 * argument words (copied by the kernel from the caller's array), 64-bit
 * arguments and results, the user-copy helpers of a verification function
 * (k_usermode_alloc_from_copy(), k_usermode_string_alloc_copy()) with the
 * resource pool the suite's setup assigned, and k_is_in_user_syscall().
 * Also <stdio.h>'s sprintf()/snprintf(). Without CONFIG_USERSPACE the
 * wrappers call the implementations directly.
 */
#include <stdio.h>
#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "app_calls.h"

#ifdef CONFIG_USERSPACE
#include <zephyr/internal/syscall_handler.h>
#endif

/* An order-sensitive hash: a word out of place or lost changes it. */
static uint64_t mix(const uint64_t *v, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ v[i]) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h;
}

uint32_t z_impl_app_mix7(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5,
			 uint32_t a6, uint32_t a7)
{
	const uint64_t v[] = {a1, a2, a3, a4, a5, a6, a7};

	return (uint32_t)mix(v, ARRAY_SIZE(v));
}

uint64_t z_impl_app_wide(uint32_t a, uint64_t b, uint32_t c, uint64_t d, uint32_t e)
{
	const uint64_t v[] = {a, b, c, d, e};

	return mix(v, ARRAY_SIZE(v));
}

uint64_t z_impl_app_wide6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	const uint64_t v[] = {a, b, c, d, e, f};

	return mix(v, ARRAY_SIZE(v));
}

int z_impl_app_strcheck(const char *s)
{
	return strcmp(s, "pagoda") == 0 ? 0 : 1;
}

int z_impl_app_copy(const void *src, size_t n)
{
	ARG_UNUSED(src);
	ARG_UNUSED(n);
	return 0; /* from supervisor mode, nothing to copy */
}

bool z_impl_app_in_user_syscall(void)
{
#ifdef CONFIG_USERSPACE
	return k_is_in_user_syscall();
#else
	return false;
#endif
}

#ifdef CONFIG_USERSPACE
uint32_t z_vrfy_app_mix7(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5,
			 uint32_t a6, uint32_t a7)
{
	return z_impl_app_mix7(a1, a2, a3, a4, a5, a6, a7);
}
#include <syscalls/app_mix7_mrsh.c>

uint64_t z_vrfy_app_wide(uint32_t a, uint64_t b, uint32_t c, uint64_t d, uint32_t e)
{
	return z_impl_app_wide(a, b, c, d, e);
}
#include <syscalls/app_wide_mrsh.c>

uint64_t z_vrfy_app_wide6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return z_impl_app_wide6(a, b, c, d, e, f);
}
#include <syscalls/app_wide6_mrsh.c>

int z_vrfy_app_strcheck(const char *s)
{
	char *copy = k_usermode_string_alloc_copy(s, 16);

	if (copy == NULL) {
		return -1;
	}
	int ret = z_impl_app_strcheck(copy);

	k_free(copy);
	return ret;
}
#include <syscalls/app_strcheck_mrsh.c>

int z_vrfy_app_copy(const void *src, size_t n)
{
	char *copy = k_usermode_alloc_from_copy(src, n);

	if (copy == NULL) {
		return -1;
	}
	int ret = (memcmp(copy, src, n) == 0) ? 0 : 1;

	k_free(copy);
	return ret;
}
#include <syscalls/app_copy_mrsh.c>

bool z_vrfy_app_in_user_syscall(void)
{
	return z_impl_app_in_user_syscall();
}
#include <syscalls/app_in_user_syscall_mrsh.c>
#endif /* CONFIG_USERSPACE */

K_HEAP_DEFINE(app_heap, 512);
/* Kernel data: user mode may not read it. */
static char kernel_string[] = "pagoda";
#ifdef CONFIG_USERSPACE
static uintptr_t kernel_words[Z_APP_SYSCALL_MAX_WORDS];
#endif
ZTEST_BMEM static char user_bytes[8] = "abcdefg";

static void *app_setup(void)
{
	/* As in the reference's suites: the pool serves the tests' system calls. */
	k_thread_heap_assign(k_current_get(), &app_heap);
	return NULL;
}

ZTEST(app_syscalls, test_setup_pool_reaches_tests)
{
	zassert_equal_ptr(k_current_get()->resource_pool, &app_heap,
			  "the pool setup assigned is not the test thread's");
}

ZTEST_USER(app_syscalls, test_more_than_five_words)
{
	const uint64_t seven[] = {1, 2, 3, 4, 5, 6, 7};
	const uint64_t wide[] = {0x11111111U, 0x2222222233333333ULL, 0x44444444U,
				 0x5555555566666666ULL, 0x77777777U};
	const uint64_t six[] = {0x0102030405060708ULL, 0x1112131415161718ULL,
				0x2122232425262728ULL, 0x3132333435363738ULL,
				0x4142434445464748ULL, 0x5152535455565758ULL};

	zassert_equal(app_mix7(1, 2, 3, 4, 5, 6, 7), (uint32_t)mix(seven, 7));
	zassert_equal(app_wide(0x11111111U, 0x2222222233333333ULL, 0x44444444U,
			       0x5555555566666666ULL, 0x77777777U),
		      mix(wide, 5));
	zassert_equal(app_wide6(six[0], six[1], six[2], six[3], six[4], six[5]), mix(six, 6));
}

/* The words beyond five travel in an array the kernel copies from the caller. */
ZTEST_USER(app_syscalls, test_words_array_read_as_user)
{
#ifdef CONFIG_USERSPACE
	uintptr_t words[Z_APP_SYSCALL_MAX_WORDS] = {7, 6, 5, 4, 3, 2, 1};
	const uint64_t seven[] = {7, 6, 5, 4, 3, 2, 1};

	zassert_equal(
		(uint32_t)k_app_syscall(&z_app_syscall_app_mix7, (uintptr_t)words, 0, 0, 0, 0),
		(uint32_t)mix(seven, 7));
	/* Kernel memory as the array: the caller is ended, nothing is read. */
	ztest_set_fault_valid(true);
	(void)k_app_syscall(&z_app_syscall_app_mix7, (uintptr_t)kernel_words, 0, 0, 0, 0);
	zassert_unreachable("the kernel took argument words from kernel memory");
#else
	ztest_test_skip();
#endif
}

ZTEST_USER(app_syscalls, test_string_alloc_copy)
{
	zassert_equal(app_strcheck("pagoda"), 0);
	zassert_equal(app_strcheck("pagodas"), 1);
	if (!IS_ENABLED(CONFIG_USERSPACE)) {
		return; /* no verification: the implementation reads the string */
	}
	zassert_equal(app_strcheck(kernel_string), -1, "a kernel string was copied");
	zassert_equal(app_strcheck("0123456789abcdef"), -1, "no NUL within maxlen, yet copied");
	zassert_equal(app_strcheck(NULL), -1, "an unmapped string was copied");
}

ZTEST_USER(app_syscalls, test_alloc_from_copy)
{
	zassert_equal(app_copy(user_bytes, sizeof(user_bytes)), 0);
	if (IS_ENABLED(CONFIG_USERSPACE)) {
		zassert_equal(app_copy(kernel_string, sizeof(kernel_string)), -1,
			      "copied memory user mode may not read");
	}
}

static void without_pool(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	/* No pool, no copy: the verification refuses. */
	zassert_equal(app_strcheck("pagoda"), IS_ENABLED(CONFIG_USERSPACE) ? -1 : 0);
	zassert_equal(app_copy(user_bytes, sizeof(user_bytes)),
		      IS_ENABLED(CONFIG_USERSPACE) ? -1 : 0);
}

ZTEST(app_syscalls, test_no_pool_no_copy)
{
	k_thread_heap_assign(k_current_get(), NULL);
	k_thread_user_mode_enter(without_pool, NULL, NULL, NULL);
}

static void in_user_mode(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	zassert_equal(app_in_user_syscall(), IS_ENABLED(CONFIG_USERSPACE));
	/* Returning ends the thread: the test passes, as in the reference. */
}

ZTEST(app_syscalls, test_in_user_syscall)
{
#ifdef CONFIG_USERSPACE
	zassert_false(k_is_in_user_syscall(), "a supervisor thread is in no system call");
#endif
	zassert_false(app_in_user_syscall(), "a call from supervisor mode is no user system call");
	k_thread_user_mode_enter(in_user_mode, NULL, NULL, NULL);
}

ZTEST(app_syscalls, test_sprintf)
{
	char buf[16];

	zassert_equal(sprintf(buf, "%d-%s", 42, "x"), 4);
	zassert_str_equal(buf, "42-x");
	memset(buf, '#', sizeof(buf));
	zassert_equal(snprintf(buf, 4, "%s", "abcdef"), 6, "the length it would have had");
	zassert_str_equal(buf, "abc");
	zassert_equal(buf[4], '#', "wrote past the size");
	zassert_equal(snprintf(NULL, 0, "%u", 12345U), 5);
}

ZTEST_SUITE(app_syscalls, NULL, app_setup, NULL, NULL, NULL);
