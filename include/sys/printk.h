/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: kernel console output and string formatting.
 *
 * Formats are those of <sys/cbprintf.h>. printk() writes to the console
 * through arch_console_putc(); it takes no lock, so lines printed by
 * concurrent contexts may interleave.
 */
#ifndef PAGODA_INCLUDE_SYS_PRINTK_H_
#define PAGODA_INCLUDE_SYS_PRINTK_H_

#include <stdarg.h>
#include <stddef.h>
#include <sys/util.h>

__printf_like(1, 2) void printk(const char *fmt, ...);
__printf_like(1, 0) void vprintk(const char *fmt, va_list ap);

/*
 * C99 snprintf semantics: writes at most size - 1 characters plus a NUL
 * (nothing at all when size is 0; str may then be NULL) and returns the
 * length the complete output would have had.
 */
__printf_like(3, 4) int snprintk(char *str, size_t size, const char *fmt, ...);
__printf_like(3, 0) int vsnprintk(char *str, size_t size, const char *fmt, va_list ap);

#endif /* PAGODA_INCLUDE_SYS_PRINTK_H_ */
