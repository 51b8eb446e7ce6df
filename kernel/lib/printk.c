/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: printk() to the console and snprintk() into a buffer, both on top
 * of the one formatter in cbprintf.c.
 */
#include <arch/cpu.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/cbprintf.h>
#include <sys/printk.h>
#ifdef CONFIG_USERSPACE
#include <kernel.h>
#endif

static int console_out(int c, void *ctx)
{
	ARG_UNUSED(ctx);
	arch_console_putc(c);
	return 0;
}

#ifdef CONFIG_USERSPACE
/* From user mode the console is the kernel's: format into a buffer on the
 * caller's stack and hand it over with k_str_out(), a chunk at a time.
 */
struct user_buf {
	char buf[64];
	size_t len;
};

static int user_out(int c, void *ctx)
{
	struct user_buf *u = ctx;

	u->buf[u->len++] = (char)c;
	if (u->len == sizeof(u->buf)) {
		k_str_out(u->buf, u->len);
		u->len = 0;
	}
	return 0;
}
#endif

void vprintk(const char *fmt, va_list ap)
{
#ifdef CONFIG_USERSPACE
	if (k_is_user_context()) {
		struct user_buf u = {.len = 0};

		(void)z_cbvprintf(user_out, &u, fmt, ap);
		if (u.len > 0U) {
			k_str_out(u.buf, u.len);
		}
		return;
	}
#endif
	(void)z_cbvprintf(console_out, NULL, fmt, ap);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

struct str_ctx {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, stored or not */
};

static int str_out(int c, void *ctx)
{
	struct str_ctx *s = ctx;

	/* Keep the last byte of the buffer for the terminator. */
	if (s->len + 1U < s->size) {
		s->buf[s->len] = (char)c;
	}
	s->len++;
	return 0;
}

int vsnprintk(char *str, size_t size, const char *fmt, va_list ap)
{
	struct str_ctx s = {.buf = str, .size = size, .len = 0};
	int ret = z_cbvprintf(str_out, &s, fmt, ap);

	if (size > 0U) {
		str[(s.len < size) ? s.len : size - 1U] = '\0';
	}
	return ret;
}

int snprintk(char *str, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int ret = vsnprintk(str, size, fmt, ap);

	va_end(ap);
	return ret;
}
