/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: the printf-style formatter (see <sys/cbprintf.h> for what it
 * accepts). Freestanding: no C library calls, no floating point, no heap;
 * it needs at most a few dozen bytes of stack, so it is safe to call from
 * the fatal-error path.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/cbprintf.h>

enum length_mod {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_J,
	LEN_T,
};

/* One parsed conversion specification. */
struct conv_spec {
	bool left;  /* '-': pad on the right */
	bool zero;  /* '0': pad numbers with zeros */
	bool plus;  /* '+': always print a sign */
	bool space; /* ' ': space where a plus sign would go */
	bool alt;   /* '#': 0x / leading 0 */
	int width;  /* minimum field width, 0 if none */
	int prec;   /* precision, -1 if none */
	enum length_mod len;
};

struct out_state {
	cbprintf_cb out;
	void *ctx;
	int count; /* characters emitted so far */
	int err;   /* first negative callback return, 0 if none */
};

static void emit(struct out_state *o, char c)
{
	if (o->err != 0) {
		return;
	}
	int r = o->out((unsigned char)c, o->ctx);

	if (r < 0) {
		o->err = r;
		return;
	}
	o->count++;
}

static void emit_repeat(struct out_state *o, char c, int n)
{
	for (; n > 0; n--) {
		emit(o, c);
	}
}

/*
 * Write the digits of v in the given base into buf, least significant first,
 * and return their number (at least one). Values that fit 32 bits use 32-bit
 * division, which is much cheaper on ia32 than the libgcc 64-bit helpers.
 */
static int digits_reversed(char *buf, uintmax_t v, unsigned int base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	if (base != 10U) {
		unsigned int shift = (base == 16U) ? 4U : 3U;

		do {
			buf[n++] = set[v & (base - 1U)];
			v >>= shift;
		} while (v != 0U);
		return n;
	}
	while (v > UINT32_MAX) {
		buf[n++] = set[v % 10U];
		v /= 10U;
	}
	uint32_t v32 = (uint32_t)v;

	do {
		buf[n++] = set[v32 % 10U];
		v32 /= 10U;
	} while (v32 != 0U);
	return n;
}

static void format_integer(struct out_state *o, const struct conv_spec *sp, char conv,
			   uintmax_t mag, bool negative)
{
	char digits[24]; /* 64-bit octal needs 22 */
	char prefix[2];
	int ndig = 0;
	int npre = 0;
	unsigned int base = 10U;

	if (conv == 'o') {
		base = 8U;
	} else if (conv == 'x' || conv == 'X' || conv == 'p') {
		base = 16U;
	}

	/* An explicit precision of zero prints no digits for the value zero. */
	if (!(sp->prec == 0 && mag == 0U)) {
		ndig = digits_reversed(digits, mag, base, conv == 'X');
	}

	if (conv == 'd' || conv == 'i') {
		if (negative) {
			prefix[npre++] = '-';
		} else if (sp->plus) {
			prefix[npre++] = '+';
		} else if (sp->space) {
			prefix[npre++] = ' ';
		}
	} else if (conv == 'p' || ((conv == 'x' || conv == 'X') && sp->alt && mag != 0U)) {
		prefix[npre++] = '0';
		prefix[npre++] = (conv == 'X') ? 'X' : 'x';
	}

	int zeros = (sp->prec > ndig) ? sp->prec - ndig : 0;

	/* '#' with 'o' makes the first digit a zero, raising the precision. */
	if (conv == 'o' && sp->alt && zeros == 0 && (ndig == 0 || digits[ndig - 1] != '0')) {
		zeros = 1;
	}

	int len = npre + zeros + ndig;
	int pad = (sp->width > len) ? sp->width - len : 0;

	/* '0' pads between sign/prefix and digits, unless '-' or a precision. */
	if (!sp->left && sp->zero && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!sp->left) {
		emit_repeat(o, ' ', pad);
	}
	for (int i = 0; i < npre; i++) {
		emit(o, prefix[i]);
	}
	emit_repeat(o, '0', zeros);
	while (ndig > 0) {
		emit(o, digits[--ndig]);
	}
	if (sp->left) {
		emit_repeat(o, ' ', pad);
	}
}

static void format_string(struct out_state *o, const struct conv_spec *sp, const char *s)
{
	int len = 0;

	/* With a precision, never read past it: s need not be terminated. */
	while ((sp->prec < 0 || len < sp->prec) && s[len] != '\0') {
		len++;
	}

	int pad = (sp->width > len) ? sp->width - len : 0;

	if (!sp->left) {
		emit_repeat(o, ' ', pad);
	}
	for (int i = 0; i < len; i++) {
		emit(o, s[i]);
	}
	if (sp->left) {
		emit_repeat(o, ' ', pad);
	}
}

static void format_char(struct out_state *o, const struct conv_spec *sp, char c)
{
	int pad = (sp->width > 1) ? sp->width - 1 : 0;

	if (!sp->left) {
		emit_repeat(o, ' ', pad);
	}
	emit(o, c);
	if (sp->left) {
		emit_repeat(o, ' ', pad);
	}
}

/* Fetch a signed argument of the size the length modifier says. */
static intmax_t fetch_signed(va_list *ap, enum length_mod len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z: /* the signed type with the size of size_t */
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t fetch_unsigned(va_list *ap, enum length_mod len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z: /* size_t is also the unsigned counterpart of ptrdiff_t */
	case LEN_T:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parse a decimal field, saturating instead of overflowing. */
static int parse_decimal(const char **pp)
{
	const char *p = *pp;
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		int d = *p - '0';

		v = (v > (INT_MAX - d) / 10) ? INT_MAX : v * 10 + d;
		p++;
	}
	*pp = p;
	return v;
}

int z_cbvprintf(cbprintf_cb out, void *ctx, const char *fmt, va_list ap)
{
	struct out_state o = {.out = out, .ctx = ctx};
	va_list args;

	/*
	 * Work on a copy so the helpers can take its address: a va_list
	 * parameter may have decayed to a pointer (x86_64).
	 */
	va_copy(args, ap);

	while (*fmt != '\0' && o.err == 0) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}

		const char *start = fmt++;
		struct conv_spec sp = {.prec = -1, .len = LEN_NONE};

		for (;; fmt++) {
			if (*fmt == '-') {
				sp.left = true;
			} else if (*fmt == '0') {
				sp.zero = true;
			} else if (*fmt == '+') {
				sp.plus = true;
			} else if (*fmt == ' ') {
				sp.space = true;
			} else if (*fmt == '#') {
				sp.alt = true;
			} else {
				break;
			}
		}

		if (*fmt == '*') {
			int w = va_arg(args, int);

			fmt++;
			if (w < 0) {
				/* A negative width is a '-' flag and a width. */
				sp.left = true;
				w = (w == INT_MIN) ? INT_MAX : -w;
			}
			sp.width = w;
		} else {
			sp.width = parse_decimal(&fmt);
		}

		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				int p = va_arg(args, int);

				fmt++;
				/* A negative precision is taken as omitted. */
				sp.prec = (p < 0) ? -1 : p;
			} else {
				sp.prec = parse_decimal(&fmt);
			}
		}

		switch (*fmt) {
		case 'h':
			fmt++;
			sp.len = LEN_H;
			if (*fmt == 'h') {
				fmt++;
				sp.len = LEN_HH;
			}
			break;
		case 'l':
			fmt++;
			sp.len = LEN_L;
			if (*fmt == 'l') {
				fmt++;
				sp.len = LEN_LL;
			}
			break;
		case 'z':
			fmt++;
			sp.len = LEN_Z;
			break;
		case 'j':
			fmt++;
			sp.len = LEN_J;
			break;
		case 't':
			fmt++;
			sp.len = LEN_T;
			break;
		default:
			break;
		}

		char conv = *fmt;

		switch (conv) {
		case 'd':
		case 'i': {
			intmax_t v = fetch_signed(&args, sp.len);
			/* Negate in unsigned arithmetic: INTMAX_MIN has no
			 * positive counterpart.
			 */
			uintmax_t mag = (v < 0) ? -(uintmax_t)v : (uintmax_t)v;

			format_integer(&o, &sp, conv, mag, v < 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			format_integer(&o, &sp, conv, fetch_unsigned(&args, sp.len), false);
			break;
		case 'p': {
			void *ptr = va_arg(args, void *);

			if (ptr == NULL) {
				struct conv_spec nil = sp;

				nil.prec = -1;
				format_string(&o, &nil, "(nil)");
			} else {
				format_integer(&o, &sp, 'p', (uintptr_t)ptr, false);
			}
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);

			format_string(&o, &sp, (s != NULL) ? s : "(null)");
			break;
		}
		case 'c':
			format_char(&o, &sp, (char)va_arg(args, int));
			break;
		case '%':
			emit(&o, '%');
			break;
		default:
			/* Unknown (or truncated) directive: show it as written. */
			while (start < fmt) {
				emit(&o, *start++);
			}
			if (conv != '\0') {
				emit(&o, conv);
			}
			break;
		}
		if (conv != '\0') {
			fmt++;
		}
	}

	va_end(args);
	return (o.err != 0) ? o.err : o.count;
}

int cbprintf(cbprintf_cb out, void *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int ret = z_cbvprintf(out, ctx, fmt, ap);

	va_end(ap);
	return ret;
}
