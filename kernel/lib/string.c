/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: memory and string functions for the freestanding kernel.
 *
 * Bulk copies and fills use the x86 string instructions (a word at a time,
 * then the tail bytes); they rely on the ABI guarantee that the direction
 * flag is clear on function entry. Nothing here sets the direction flag, so
 * an interrupt can never observe it set because of us.
 *
 * GCC may recognise a byte loop as "memset"/"memcpy" and replace it with a
 * call to that very function, which would recurse forever here; Z_NO_LIBCALL
 * turns that transformation off for every function in this file.
 */
#include <stdint.h>
#include <string.h>

#define Z_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

#if defined(__x86_64__)
#define Z_STRING_X86  1
#define Z_WORD_SUFFIX "q"
typedef uint64_t z_word_t;
#elif defined(__i386__)
#define Z_STRING_X86  1
#define Z_WORD_SUFFIX "l"
typedef uint32_t z_word_t;
#else
typedef unsigned long z_word_t;
#endif

#define Z_WORD sizeof(z_word_t)

/* Unaligned word access; compiles to a single move on x86. */
static inline z_word_t load_word(const unsigned char *p)
{
	z_word_t w;

	__builtin_memcpy(&w, p, sizeof(w));
	return w;
}

static inline void store_word(unsigned char *p, z_word_t w)
{
	__builtin_memcpy(p, &w, sizeof(w));
}

Z_NO_LIBCALL
static inline void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
#ifdef Z_STRING_X86
	size_t words = n / Z_WORD;
	size_t tail = n % Z_WORD;

	__asm__ volatile("rep movs" Z_WORD_SUFFIX : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(tail) : : "memory");
#else
	for (; n >= Z_WORD; n -= Z_WORD, d += Z_WORD, s += Z_WORD) {
		store_word(d, load_word(s));
	}
	for (; n > 0; n--) {
		*d++ = *s++;
	}
#endif
}

Z_NO_LIBCALL
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

Z_NO_LIBCALL
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/*
	 * Unsigned difference: d below s wraps to a huge value, so this single
	 * test says "d is not inside (s, s + n)", where copying forwards is safe.
	 */
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		copy_forward(d, s, n);
		return dst;
	}

	/*
	 * d overlaps the upper part of the source: copy from the top down. Each
	 * word is read before its destination is written, and every later read
	 * lies below s + n <= d + n, so no unread source byte is overwritten.
	 */
	while (n >= Z_WORD) {
		n -= Z_WORD;
		store_word(d + n, load_word(s + n));
	}
	while (n > 0) {
		n--;
		d[n] = s[n];
	}
	return dst;
}

Z_NO_LIBCALL
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	/* 0x0101...01 times the byte replicates it into every byte lane. */
	z_word_t pattern = ((z_word_t)-1 / 0xFFU) * (unsigned char)c;

#ifdef Z_STRING_X86
	size_t words = n / Z_WORD;
	size_t tail = n % Z_WORD;

	__asm__ volatile("rep stos" Z_WORD_SUFFIX : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
#else
	for (; n >= Z_WORD; n -= Z_WORD, d += Z_WORD) {
		store_word(d, pattern);
	}
	for (; n > 0; n--) {
		*d++ = (unsigned char)c;
	}
#endif
	return dst;
}

Z_NO_LIBCALL
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a;
	const unsigned char *pb = b;

	/* Skip equal words quickly; the byte loop then finds the difference. */
	while (n >= Z_WORD && load_word(pa) == load_word(pb)) {
		pa += Z_WORD;
		pb += Z_WORD;
		n -= Z_WORD;
	}
	for (; n > 0; n--, pa++, pb++) {
		if (*pa != *pb) {
			return (int)*pa - (int)*pb;
		}
	}
	return 0;
}

Z_NO_LIBCALL
void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (unsigned char)c) {
			return (void *)p;
		}
	}
	return NULL;
}

Z_NO_LIBCALL
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0') {
		p++;
	}
	return (size_t)(p - s);
}

Z_NO_LIBCALL
size_t strnlen(const char *s, size_t maxlen)
{
	size_t len = 0;

	while (len < maxlen && s[len] != '\0') {
		len++;
	}
	return len;
}

Z_NO_LIBCALL
int strcmp(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;

	while (*pa != '\0' && *pa == *pb) {
		pa++;
		pb++;
	}
	return (int)*pa - (int)*pb;
}

Z_NO_LIBCALL
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;

	for (; n > 0; n--, pa++, pb++) {
		if (*pa != *pb || *pa == '\0') {
			return (int)*pa - (int)*pb;
		}
	}
	return 0;
}

Z_NO_LIBCALL
char *strchr(const char *s, int c)
{
	/* The terminator counts as part of the string: strchr(s, 0) finds it. */
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)s;
		}
		if (*s == '\0') {
			return NULL;
		}
	}
}

Z_NO_LIBCALL
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c) {
			last = s;
		}
		if (*s == '\0') {
			return (char *)last;
		}
	}
}

Z_NO_LIBCALL
char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0') {
	}
	return dst;
}

Z_NO_LIBCALL
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	/* At most n characters; the rest of the n filled with NULs (so no
	 * terminator when src is n long or longer), as C says.
	 */
	for (; i < n && src[i] != '\0'; i++) {
		dst[i] = src[i];
	}
	for (; i < n; i++) {
		dst[i] = '\0';
	}
	return dst;
}
