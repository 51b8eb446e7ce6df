/* SPDX-License-Identifier: Apache-2.0 */
/* <stdio.h>'s formatting into a buffer: vsnprintk() under the C library's names. */
#include <stdint.h>
#include <stdio.h>
#include <sys/printk.h>

int vsnprintf(char *restrict str, size_t size, const char *restrict fmt, va_list ap)
{
	return vsnprintk(str, size, fmt, ap);
}

int vsprintf(char *restrict str, const char *restrict fmt, va_list ap)
{
	/* No bound: the caller vouches for the buffer, as with the C library's. */
	return vsnprintk(str, SIZE_MAX, fmt, ap);
}

int snprintf(char *restrict str, size_t size, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int ret = vsnprintk(str, size, fmt, ap);

	va_end(ap);
	return ret;
}

int sprintf(char *restrict str, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int ret = vsprintf(str, fmt, ap);

	va_end(ap);
	return ret;
}
