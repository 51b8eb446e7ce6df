/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System calls of the application (CONFIG_APPLICATION_DEFINED_SYSCALL):
 * more argument words than the five the trap carries in registers, 64-bit
 * arguments and results, and verification functions using the kernel's
 * user-copy helpers.
 */
#ifndef APP_CALLS_H
#define APP_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seven words everywhere. */
__syscall uint32_t app_mix7(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5,
			    uint32_t a6, uint32_t a7);
/* Five words on x86_64, seven on the 32-bit boards. */
__syscall uint64_t app_wide(uint32_t a, uint64_t b, uint32_t c, uint64_t d, uint32_t e);
/* Six words on x86_64, twelve on the 32-bit boards. */
__syscall uint64_t app_wide6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			     uint64_t f);
/* 0 when s (a user string, at most 15 characters) is "pagoda", 1 when it
 * is another one, -1 when k_usermode_string_alloc_copy() refused it.
 */
__syscall int app_strcheck(const char *s);
/* 0 when k_usermode_alloc_from_copy() copied the n bytes at src intact, -1
 * when it refused them.
 */
__syscall int app_copy(const void *src, size_t n);
/* k_is_in_user_syscall() seen by the implementation. */
__syscall bool app_in_user_syscall(void);

#include <syscalls/app_calls.h>

#endif /* APP_CALLS_H */
