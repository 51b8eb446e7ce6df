/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: the string and memory functions the kernel provides
 * (kernel/lib/string.c). Freestanding builds only; host builds use the C
 * library's <string.h>.
 */
#ifndef PAGODA_INCLUDE_LIBC_STRING_H_
#define PAGODA_INCLUDE_LIBC_STRING_H_

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

#endif /* PAGODA_INCLUDE_LIBC_STRING_H_ */
