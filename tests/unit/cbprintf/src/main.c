/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Formatter tests: fixed expectations for each feature and its edges, and a
 * sweep of conversion x flags x width x precision x length x value checked
 * against the host C library's snprintf, whose behaviour is the standard's
 * for everything the kernel formatter supports.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/cbprintf.h>
#include <ztest.h>

#define BUF 512

/* No format checking: the formats below are built at run time. */
static int ours(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vsnprintk(buf, n, fmt, ap);

	va_end(ap);
	return r;
}

static int libc(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);

	va_end(ap);
	return r;
}

/* Expect snprintk(fmt, ...) to give exactly `want` and return its length. */
#define EXPECT(want, fmt, ...)                                                                     \
	do {                                                                                       \
		char got_[BUF];                                                                    \
		int ret_ = snprintk(got_, sizeof(got_), fmt, __VA_ARGS__);                         \
		zassert_str_equal(got_, want, "format \"%s\": got \"%s\", want \"%s\"", fmt, got_, \
				  want);                                                           \
		zassert_equal(ret_, (int)strlen(want), "format \"%s\": returned %d", fmt, ret_);   \
	} while (0)

/*
 * The same through an unchecked wrapper, for combinations the compiler's
 * format checker warns about although their meaning is defined.
 */
#define EXPECT_NC(want, fmt, ...)                                                                  \
	do {                                                                                       \
		char got_[BUF];                                                                    \
		int ret_ = ours(got_, sizeof(got_), fmt, __VA_ARGS__);                             \
		zassert_str_equal(got_, want, "format \"%s\": got \"%s\", want \"%s\"", fmt, got_, \
				  want);                                                           \
		zassert_equal(ret_, (int)strlen(want), "format \"%s\": returned %d", fmt, ret_);   \
	} while (0)

ZTEST(cbprintf, test_plain_text)
{
	EXPECT("hello, world", "%s", "hello, world");
	EXPECT("100% sure", "100%% %s", "sure");
	EXPECT("", "%s", "");
	zassert_equal(snprintk(NULL, 0, "no conversions"), 14);
}

ZTEST(cbprintf, test_signed)
{
	EXPECT("0 1 -1 42 -42", "%d %d %d %i %i", 0, 1, -1, 42, -42);
	EXPECT("2147483647 -2147483648", "%d %d", INT_MAX, INT_MIN);
	EXPECT("-128 127", "%hhd %hhd", (signed char)-128, (signed char)127);
	EXPECT("-1", "%hhd", 255); /* converted to signed char */
	EXPECT("-32768 32767 -1", "%hd %hd %hd", (short)-32768, (short)32767, 65535);
	EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT("9223372036854775807", "%lld", LLONG_MAX);
	EXPECT("-2147483648", "%ld", (long)INT_MIN);
	EXPECT("-5 -6 -7", "%zd %jd %td", (ptrdiff_t)-5, (intmax_t)-6, (ptrdiff_t)-7);
	EXPECT("-9223372036854775808", "%jd", INTMAX_MIN);
}

ZTEST(cbprintf, test_unsigned)
{
	EXPECT("0 4294967295", "%u %u", 0U, UINT_MAX);
	EXPECT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT("ffffffffffffffff FFFFFFFFFFFFFFFF", "%llx %llX", ULLONG_MAX, ULLONG_MAX);
	EXPECT("1777777777777777777777", "%llo", ULLONG_MAX);
	EXPECT("255 65535", "%hhu %hu", (unsigned char)255, (unsigned short)65535);
	EXPECT("0 0", "%hhu %hu", 256, 65536); /* truncated to the type */
	EXPECT("deadbeef DEADBEEF 17", "%x %X %o", 0xdeadbeefU, 0xdeadbeefU, 15U);
	EXPECT("4294967296", "%lu", 4294967296UL);
	EXPECT("123 456 789", "%zu %ju %tu", (size_t)123, (uintmax_t)456, (size_t)789);
	EXPECT("12345678", "%zx", (size_t)0x12345678);
}

ZTEST(cbprintf, test_flags)
{
	EXPECT("+5 -5 +0", "%+d %+d %+d", 5, -5, 0);
	EXPECT(" 5 -5", "% d % d", 5, -5);
	EXPECT_NC("+5", "%+ d", 5); /* '+' wins over ' ' */
	EXPECT_NC("5", "%+u", 5U);  /* sign flags do nothing for unsigned */
	EXPECT("0x1f 0X1F 0", "%#x %#X %#x", 0x1fU, 0x1fU, 0U);
	EXPECT("017 0 0", "%#o %#o %#.0o", 15U, 0U, 0U);
	EXPECT("00042 -0042 +0042", "%05d %05d %+05d", 42, -42, 42);
	EXPECT("0x002a", "%#06x", 0x2aU);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT_NC("42   |", "%-05d|", 42); /* '-' wins over '0' */
}

ZTEST(cbprintf, test_width_precision)
{
	EXPECT("   42", "%5d", 42);
	EXPECT("00042", "%.5d", 42);
	EXPECT("  00042", "%7.5d", 42);
	EXPECT("  -00042", "%8.5d", -42);
	EXPECT_NC("   42", "%05.0d", 42); /* precision disables '0' */
	EXPECT("", "%.0d", 0);
	EXPECT("   ", "%3.0d", 0);
	EXPECT("", "%.0x", 0U);
	EXPECT("", "%.d", 0);
	EXPECT("   42", "%*d", 5, 42);
	EXPECT("42   |", "%*d|", -5, 42); /* negative width: left-justify */
	EXPECT("00042", "%.*d", 5, 42);
	EXPECT("42", "%.*d", -3, 42); /* negative precision: as if omitted */
	EXPECT("  00042", "%*.*d", 7, 5, 42);
	EXPECT("abc", "%.3s", "abcdef");
	EXPECT("  abc", "%5.3s", "abcdef");
	EXPECT("ab   |", "%-5.2s|", "abcdef");
	EXPECT("abcdef", "%2s", "abcdef");
	EXPECT("", "%.0s", "abc");
	EXPECT("    x|x    |", "%5c|%-5c|", 'x', 'x');
}

ZTEST(cbprintf, test_precision_limits_read)
{
	/* Not NUL-terminated: the precision must stop the read (ASan checks). */
	static const char raw[3] = {'a', 'b', 'c'};

	EXPECT("abc", "%.3s", raw);
	EXPECT("ab", "%.*s", 2, raw);
}

ZTEST(cbprintf, test_char_string_pointer)
{
	EXPECT("A", "%c", 'A');
	EXPECT_NC("(null)", "%s", (char *)NULL);
	EXPECT("(nil)", "%p", (void *)NULL);
	EXPECT("0x1234", "%p", (void *)(uintptr_t)0x1234);
	EXPECT("  0xabc", "%7p", (void *)(uintptr_t)0xabc);
	EXPECT("0xabc  |", "%-7p|", (void *)(uintptr_t)0xabc);

	char want[64];
	char got[64];
	int local;

	snprintf(want, sizeof(want), "%p", (void *)&local);
	snprintk(got, sizeof(got), "%p", (void *)&local);
	zassert_str_equal(got, want);
	zassert_true(strncmp(got, "0x", 2) == 0);
}

ZTEST(cbprintf, test_nul_char_counts)
{
	char buf[8];

	memset(buf, 'z', sizeof(buf));
	zassert_equal(snprintk(buf, sizeof(buf), "a%cb", 0), 3);
	zassert_mem_equal(buf, "a\0b\0", 4);
}

ZTEST(cbprintf, test_unknown_conversion)
{
	char buf[64];

	/* Copied through as written, consuming no argument. */
	zassert_equal(ours(buf, sizeof(buf), "%y|%d", 7), 4);
	zassert_str_equal(buf, "%y|7");
	zassert_equal(ours(buf, sizeof(buf), "a%-5"), 4);
	zassert_str_equal(buf, "a%-5");
	zassert_equal(ours(buf, sizeof(buf), "%"), 1);
	zassert_str_equal(buf, "%");
}

ZTEST(cbprintf, test_snprintk_truncation)
{
	char buf[8];
	int ret;

	memset(buf, 'x', sizeof(buf));
	ret = snprintk(buf, sizeof(buf), "%s", "0123456789");
	zassert_equal(ret, 10, "returns the untruncated length");
	zassert_str_equal(buf, "0123456");

	memset(buf, 'x', sizeof(buf));
	ret = snprintk(buf, 1, "%d", 12345);
	zassert_equal(ret, 5);
	zassert_equal(buf[0], '\0');
	zassert_equal(buf[1], 'x', "nothing written past size");

	memset(buf, 'x', sizeof(buf));
	ret = snprintk(buf, 0, "%d", 12345);
	zassert_equal(ret, 5);
	zassert_equal(buf[0], 'x', "size 0 writes nothing");
	zassert_equal(snprintk(NULL, 0, "%s%d", "ab", -1), 4);

	ret = snprintk(buf, sizeof(buf), "%7s", "abc"); /* exactly fits */
	zassert_equal(ret, 7);
	zassert_str_equal(buf, "    abc");

	ret = snprintk(buf, sizeof(buf), "%8s", "abc"); /* one too many */
	zassert_equal(ret, 8);
	zassert_str_equal(buf, "     ab");
}

ZTEST(cbprintf, test_large_width)
{
	static char big[4096];

	int ret = snprintk(big, sizeof(big), "%3000d", 7);

	zassert_equal(ret, 3000);
	zassert_equal(strlen(big), 3000U);
	zassert_equal(big[2999], '7');
	zassert_equal(big[0], ' ');
}

struct capture {
	char buf[64];
	int n;
	int fail_at; /* index of the character whose output fails, or -1 */
};

static int capture_out(int c, void *ctx)
{
	struct capture *cap = ctx;

	if (cap->n == cap->fail_at) {
		return -5;
	}
	cap->buf[cap->n++] = (char)c;
	return c;
}

ZTEST(cbprintf, test_callback)
{
	struct capture cap = {.fail_at = -1};

	zassert_equal(cbprintf(capture_out, &cap, "x=%d,%s", 12, "ok"), 7);
	zassert_mem_equal(cap.buf, "x=12,ok", 7);

	/* A failing callback stops the output; its error is returned. */
	struct capture bad = {.fail_at = 3};

	zassert_equal(cbprintf(capture_out, &bad, "abcdefgh%d", 99), -5);
	zassert_equal(bad.n, 3, "no output after the error");
}

ZTEST(cbprintf, test_printk_smoke)
{
	/* Goes to stdout; only checks that it links and does not crash. */
	printk("printk: %d %s %c %llx\n", 1, "two", '3', 0x4ULL);
}

/* ---- sweep against the C library ---------------------------------------- */

struct len_case {
	const char *mod;
	int kind; /* how to pass the value */
};

enum { K_INT, K_LONG, K_LLONG, K_SIZE, K_INTMAX, K_PTRDIFF };

static const struct len_case lens[] = {
	{"", K_INT},     {"hh", K_INT}, {"h", K_INT},    {"l", K_LONG},
	{"ll", K_LLONG}, {"z", K_SIZE}, {"j", K_INTMAX}, {"t", K_PTRDIFF},
};

static const long long values[] = {
	0,
	1,
	-1,
	7,
	42,
	-42,
	127,
	128,
	255,
	256,
	-129,
	32767,
	-32768,
	65535,
	INT_MAX,
	INT_MIN,
	(long long)UINT_MAX,
	0x123456789LL,
	LLONG_MAX,
	LLONG_MIN,
};

static int check_one(const char *fmt, int kind, long long v)
{
	char a[BUF];
	char b[BUF];
	int ra;
	int rb;

	switch (kind) {
	case K_LONG:
		ra = ours(a, sizeof(a), fmt, (long)v);
		rb = libc(b, sizeof(b), fmt, (long)v);
		break;
	case K_LLONG:
		ra = ours(a, sizeof(a), fmt, v);
		rb = libc(b, sizeof(b), fmt, v);
		break;
	case K_SIZE:
		ra = ours(a, sizeof(a), fmt, (size_t)v);
		rb = libc(b, sizeof(b), fmt, (size_t)v);
		break;
	case K_INTMAX:
		ra = ours(a, sizeof(a), fmt, (intmax_t)v);
		rb = libc(b, sizeof(b), fmt, (intmax_t)v);
		break;
	case K_PTRDIFF:
		ra = ours(a, sizeof(a), fmt, (ptrdiff_t)v);
		rb = libc(b, sizeof(b), fmt, (ptrdiff_t)v);
		break;
	default:
		ra = ours(a, sizeof(a), fmt, (int)v);
		rb = libc(b, sizeof(b), fmt, (int)v);
		break;
	}
	zexpect_equal(ra, rb, "\"%s\" of %lld: returned %d, libc %d", fmt, v, ra, rb);
	zexpect_str_equal(a, b, "\"%s\" of %lld: \"%s\", libc \"%s\"", fmt, v, a, b);
	return (ra == rb && strcmp(a, b) == 0) ? 0 : 1;
}

ZTEST(cbprintf, test_sweep_against_libc)
{
	static const char convs[] = "diuxXo";
	static const char *const widths[] = {"", "1", "6", "24"};
	static const char *const precs[] = {"", ".", ".0", ".1", ".4", ".22"};
	unsigned int checked = 0;
	unsigned int bad = 0;

	for (const char *c = convs; *c != '\0'; c++) {
		bool is_signed = (*c == 'd' || *c == 'i');
		/* '#' is only defined for x, X and o; sign flags for d and i. */
		const char *flagset = is_signed ? "-+ 0" : (*c == 'u' ? "-0" : "-#0");
		size_t nflags = strlen(flagset);

		for (unsigned int mask = 0; mask < (1U << nflags); mask++) {
			char flags[8];
			size_t nf = 0;

			for (size_t i = 0; i < nflags; i++) {
				if (mask & (1U << i)) {
					flags[nf++] = flagset[i];
				}
			}
			flags[nf] = '\0';
			for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
				for (size_t p = 0; p < ARRAY_SIZE(precs); p++) {
					for (size_t l = 0; l < ARRAY_SIZE(lens); l++) {
						char fmt[32];

						snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags,
							 widths[w], precs[p], lens[l].mod, *c);
						for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
							bad += check_one(fmt, lens[l].kind,
									 values[v]);
							checked++;
							zassert_true(bad < 20);
						}
					}
				}
			}
		}
	}
	zassert_equal(bad, 0U, "%u of %u formats differ from libc", bad, checked);
	printk("    %u formats identical to libc\n", checked);
}

ZTEST(cbprintf, test_sweep_strings_chars)
{
	static const char *const specs[] = {
		"%s", "%10s", "%-10s", "%.2s", "%10.2s", "%-10.2s", "%.0s", "%1s", "%.20s",
	};
	static const char *const strs[] = {"", "a", "hello", "a longer string here"};
	char a[BUF];
	char b[BUF];

	for (size_t i = 0; i < ARRAY_SIZE(specs); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(strs); j++) {
			int ra = ours(a, sizeof(a), specs[i], strs[j]);
			int rb = libc(b, sizeof(b), specs[i], strs[j]);

			zassert_equal(ra, rb, "%s of \"%s\"", specs[i], strs[j]);
			zassert_str_equal(a, b, "%s of \"%s\"", specs[i], strs[j]);
		}
	}
	static const char *const cspecs[] = {"%c", "%3c", "%-3c|"};

	for (size_t i = 0; i < ARRAY_SIZE(cspecs); i++) {
		int ra = ours(a, sizeof(a), cspecs[i], 'q');
		int rb = libc(b, sizeof(b), cspecs[i], 'q');

		zassert_equal(ra, rb);
		zassert_str_equal(a, b, "%s", cspecs[i]);
	}
}

ZTEST_SUITE(cbprintf, NULL, NULL, NULL, NULL, NULL);
