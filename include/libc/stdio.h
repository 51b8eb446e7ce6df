/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: the C library's string formatting (kernel/lib/stdio.c), on
 * snprintk()'s formatter (the formats of <sys/cbprintf.h>). No streams, no
 * printf(): the console is printk()'s. Freestanding builds only.
 */
#ifndef PAGODA_INCLUDE_LIBC_STDIO_H_
#define PAGODA_INCLUDE_LIBC_STDIO_H_

#include <stdarg.h>
#include <stddef.h>
#include <sys/util.h>

__printf_like(2, 3) int sprintf(char *restrict str, const char *restrict fmt, ...);
__printf_like(3, 4) int snprintf(char *restrict str, size_t size, const char *restrict fmt, ...);
__printf_like(2, 0) int vsprintf(char *restrict str, const char *restrict fmt, va_list ap);
__printf_like(3, 0) int vsnprintf(char *restrict str, size_t size, const char *restrict fmt,
				  va_list ap);

#endif /* PAGODA_INCLUDE_LIBC_STDIO_H_ */
