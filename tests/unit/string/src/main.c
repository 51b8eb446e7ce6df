/* SPDX-License-Identifier: Apache-2.0 */
/*
 * String and memory function tests, against the C library's versions: every
 * length and alignment up to a few words (where the word-at-a-time paths and
 * their tails meet), overlapping moves both ways, and guard bytes around the
 * destination to catch writes out of bounds (the inline-assembly copies are
 * invisible to AddressSanitizer).
 */
#include <stdint.h>
#include <string.h>
#include <ztest.h>

#define memcpy  k_memcpy
#define memmove k_memmove
#define memset  k_memset
#define memcmp  k_memcmp
#define memchr  k_memchr
#define strlen  k_strlen
#define strnlen k_strnlen
#define strcmp  k_strcmp
#define strncmp k_strncmp
#define strchr  k_strchr
#define strrchr k_strrchr
#define strcpy  k_strcpy
#define strncpy k_strncpy
#include "../../../../kernel/lib/string.c"
#undef memcpy
#undef memmove
#undef strcpy
#undef strncpy
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr

#define AREA   160
#define GUARD  16
#define MAXLEN 80

static unsigned char src_area[AREA];
static unsigned char dst_area[AREA];
static unsigned char ref_area[AREA];

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = (unsigned char)(seed + i * 7U + (i >> 3));
	}
}

ZTEST(string, test_memcpy_all_lengths_alignments)
{
	for (size_t so = 0; so < 16; so++) {
		for (size_t doff = 0; doff < 16; doff++) {
			for (size_t len = 0; len <= MAXLEN; len++) {
				fill_pattern(src_area, AREA, (unsigned int)(so + len));
				memset(dst_area, 0xA5, AREA);
				memset(ref_area, 0xA5, AREA);
				void *r = k_memcpy(dst_area + GUARD + doff, src_area + so, len);

				memcpy(ref_area + GUARD + doff, src_area + so, len);
				zassert_equal_ptr(r, dst_area + GUARD + doff);
				zassert_mem_equal(dst_area, ref_area, AREA,
						  "src+%zu dst+%zu len %zu", so, doff, len);
			}
		}
	}
}

ZTEST(string, test_memset_all_lengths_alignments)
{
	static const int values[] = {0, 1, 0x5A, 0xFF, -1, 0x1234 /* uses low byte */};

	for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
		for (size_t doff = 0; doff < 16; doff++) {
			for (size_t len = 0; len <= MAXLEN; len++) {
				memset(dst_area, 0x3C, AREA);
				memset(ref_area, 0x3C, AREA);
				void *r = k_memset(dst_area + GUARD + doff, values[v], len);

				memset(ref_area + GUARD + doff, values[v], len);
				zassert_equal_ptr(r, dst_area + GUARD + doff);
				zassert_mem_equal(dst_area, ref_area, AREA,
						  "value %d dst+%zu len %zu", values[v], doff, len);
			}
		}
	}
}

ZTEST(string, test_memmove_overlaps)
{
	/* Every source/destination displacement in both directions. */
	for (size_t base = 0; base < 8; base++) {
		for (int shift = -20; shift <= 20; shift++) {
			for (size_t len = 0; len <= 64; len++) {
				size_t s = GUARD + 24 + base;
				size_t d = (size_t)((long)s + shift);

				fill_pattern(dst_area, AREA, (unsigned int)len);
				memcpy(ref_area, dst_area, AREA);
				void *r = k_memmove(dst_area + d, dst_area + s, len);

				memmove(ref_area + d, ref_area + s, len);
				zassert_equal_ptr(r, dst_area + d);
				zassert_mem_equal(dst_area, ref_area, AREA,
						  "base %zu shift %d len %zu", base, shift, len);
			}
		}
	}
}

ZTEST(string, test_memmove_large)
{
	static unsigned char big[70000];
	static unsigned char ref[70000];

	fill_pattern(big, sizeof(big), 3);
	memcpy(ref, big, sizeof(big));
	k_memmove(big + 1001, big, 65536);
	memmove(ref + 1001, ref, 65536);
	zassert_mem_equal(big, ref, sizeof(big));
	k_memmove(big, big + 777, 65536);
	memmove(ref, ref + 777, 65536);
	zassert_mem_equal(big, ref, sizeof(big));
	k_memset(big, 0, sizeof(big));
	for (size_t i = 0; i < sizeof(big); i++) {
		zassert_equal(big[i], 0, "byte %zu", i);
	}
}

ZTEST(string, test_memcmp)
{
	unsigned char a[64];
	unsigned char b[64];

	for (size_t len = 0; len <= sizeof(a); len++) {
		for (size_t pos = 0; pos < len; pos++) {
			fill_pattern(a, sizeof(a), 9);
			memcpy(b, a, sizeof(b));
			zassert_equal(k_memcmp(a, b, len), 0);
			b[pos] = (unsigned char)(a[pos] + 1);
			zassert_equal(sign(k_memcmp(a, b, len)), sign(memcmp(a, b, len)),
				      "len %zu pos %zu", len, pos);
			zassert_true(k_memcmp(a, b, len) < 0);
			b[pos] = (unsigned char)(a[pos] - 1);
			zassert_true(k_memcmp(a, b, len) > 0);
			/* Only the first difference counts. */
			if (pos + 1 < len) {
				b[pos + 1] = (unsigned char)(a[pos + 1] + 1);
				zassert_true(k_memcmp(a, b, len) > 0);
			}
		}
	}
	/* Bytes compare as unsigned. */
	zassert_true(k_memcmp("\x80", "\x7f", 1) > 0);
	zassert_equal(k_memcmp("abc", "abd", 2), 0);
}

ZTEST(string, test_strlen_strnlen)
{
	char s[40];

	for (size_t len = 0; len < sizeof(s); len++) {
		memset(s, 'x', len);
		s[len] = '\0';
		zassert_equal(k_strlen(s), len);
		zassert_equal(k_strnlen(s, sizeof(s)), len);
		zassert_equal(k_strnlen(s, len / 2), len / 2);
		zassert_equal(k_strnlen(s, 0), 0U);
	}
	/* strnlen never reads past maxlen (ASan would catch it). */
	static const char raw[4] = {'a', 'b', 'c', 'd'};

	zassert_equal(k_strnlen(raw, sizeof(raw)), 4U);
}

ZTEST(string, test_strcmp_strncmp)
{
	static const char *const strs[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "\x80", "\x7f", "ABC",
	};

	for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(strs); j++) {
			zassert_equal(sign(k_strcmp(strs[i], strs[j])),
				      sign(strcmp(strs[i], strs[j])), "\"%s\" vs \"%s\"", strs[i],
				      strs[j]);
			for (size_t n = 0; n < 6; n++) {
				zassert_equal(sign(k_strncmp(strs[i], strs[j], n)),
					      sign(strncmp(strs[i], strs[j], n)),
					      "\"%s\" vs \"%s\" n %zu", strs[i], strs[j], n);
			}
		}
	}
}

ZTEST(string, test_strchr_strrchr_memchr)
{
	static const char s[] = "hello, world";

	zassert_equal_ptr(k_strchr(s, 'o'), s + 4);
	zassert_equal_ptr(k_strrchr(s, 'o'), s + 8);
	zassert_equal_ptr(k_strchr(s, 'h'), s);
	zassert_is_null(k_strchr(s, 'z'));
	zassert_is_null(k_strrchr(s, 'z'));
	zassert_equal_ptr(k_strchr(s, '\0'), s + 12, "the terminator is found");
	zassert_equal_ptr(k_strrchr(s, '\0'), s + 12);
	zassert_equal_ptr(k_strchr(s, 'o' + 256), s + 4, "c is converted to char");

	zassert_equal_ptr(k_memchr(s, 'w', sizeof(s)), s + 7);
	zassert_is_null(k_memchr(s, 'w', 7));
	zassert_equal_ptr(k_memchr(s, '\0', sizeof(s)), s + 12);
	zassert_is_null(k_memchr(s, 'h', 0));
	static const unsigned char high[] = {1, 0xff, 2};

	zassert_equal_ptr(k_memchr(high, 0xff, sizeof(high)), high + 1);
	zassert_equal_ptr(k_memchr(high, -1, sizeof(high)), high + 1,
			  "c is converted to unsigned char");
}

ZTEST(string, test_strcpy_strncpy)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	zassert_equal_ptr(k_strcpy(buf, "abc"), buf);
	zassert_mem_equal(buf, "abc\0xxxx", 8, "only the string and its terminator");

	memset(buf, 'x', sizeof(buf));
	zassert_equal_ptr(k_strncpy(buf, "abc", 6), buf);
	zassert_mem_equal(buf, "abc\0\0\0xx", 8, "the rest of n filled with NULs");

	memset(buf, 'x', sizeof(buf));
	k_strncpy(buf, "abcdef", 4);
	zassert_mem_equal(buf, "abcdxxxx", 8, "no terminator when src is n long");

	memset(buf, 'x', sizeof(buf));
	k_strncpy(buf, "abc", 0);
	zassert_mem_equal(buf, "xxxxxxxx", 8, "n 0 writes nothing");
}

ZTEST_SUITE(string, NULL, NULL, NULL, NULL, NULL);
