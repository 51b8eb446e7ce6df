/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda's <stdlib.h>: what its small libc has of it. There is no malloc()
 * (COMMON_LIBC_MALLOC_ARENA_SIZE is 0: use k_malloc()), no conversions and
 * no exit() (main()'s return value is the exit status).
 */
#ifndef PAGODA_INCLUDE_LIBC_STDLIB_H
#define PAGODA_INCLUDE_LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

static inline int abs(int j)
{
	return j < 0 ? -j : j;
}

static inline long labs(long j)
{
	return j < 0 ? -j : j;
}

static inline long long llabs(long long j)
{
	return j < 0 ? -j : j;
}

#endif /* PAGODA_INCLUDE_LIBC_STDLIB_H */
