/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: printf-style formatting into a per-character callback.
 *
 * This is the one formatter in the kernel; printk() and snprintk() are thin
 * wrappers around it. Supported: conversions d i u x X o p s c %, length
 * modifiers hh h l ll z j t, flags - 0 + space #, width and precision
 * (either may be *). No floating point. %p prints 0x followed by the address
 * in lower-case hex (like %#lx), or "(nil)" for NULL; %s of NULL prints
 * "(null)". An unknown conversion is copied to the output unchanged
 * (including the '%'), consuming no argument.
 */
#ifndef PAGODA_INCLUDE_SYS_CBPRINTF_H_
#define PAGODA_INCLUDE_SYS_CBPRINTF_H_

#include <stdarg.h>
#include <sys/util.h>

/*
 * Output callback: emits one character, returns a non-negative value on
 * success. A negative return stops formatting and is returned to the caller.
 */
typedef int (*cbprintf_cb)(int c, void *ctx);

/*
 * Format fmt with the arguments in ap, passing each character to out(c, ctx).
 * Returns the number of characters emitted, or the first negative value the
 * callback returned.
 */
__printf_like(3, 0) int z_cbvprintf(cbprintf_cb out, void *ctx, const char *fmt, va_list ap);

/* Same with a variable argument list. */
__printf_like(3, 4) int cbprintf(cbprintf_cb out, void *ctx, const char *fmt, ...);

__printf_like(3, 0) static inline int cbvprintf(cbprintf_cb out, void *ctx, const char *fmt,
						va_list ap)
{
	return z_cbvprintf(out, ctx, fmt, ap);
}

#endif /* PAGODA_INCLUDE_SYS_CBPRINTF_H_ */
