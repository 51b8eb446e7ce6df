/* SPDX-License-Identifier: Apache-2.0 */
/*
 * __ASSERT(): checks of the kernel's own invariants, compiled in with
 * CONFIG_ASSERT. A failure prints the condition, its location and the
 * message, then panics. Callers' mistakes are reported by error returns,
 * never by these.
 */
#ifndef PAGODA_INCLUDE_SYS_ASSERT_H
#define PAGODA_INCLUDE_SYS_ASSERT_H

__attribute__((noreturn, format(printf, 4, 5))) void
z_assert_fail(const char *file, int line, const char *cond, const char *fmt, ...);

#ifdef CONFIG_ASSERT
#define __ASSERT(cond, fmt, ...)                                                                   \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			z_assert_fail(__FILE__, __LINE__, #cond, fmt, ##__VA_ARGS__);              \
		}                                                                                  \
	} while (0)
#define __ASSERT_NO_MSG(cond) __ASSERT(cond, "%s", "")
#else
#define __ASSERT(cond, fmt, ...) ((void)sizeof(cond))
#define __ASSERT_NO_MSG(cond)    ((void)sizeof(cond))
#endif

#endif /* PAGODA_INCLUDE_SYS_ASSERT_H */
