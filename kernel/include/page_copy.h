/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole-page copy and fill for the demand-paging transfers, inline: the
 * size is a constant and both ends are page-aligned, so on x86 a page is
 * one string instruction, without memcpy()'s call and its size arithmetic
 * (a few percent of a fault's overhead). Elsewhere (the host programs of
 * other architectures) they are memcpy() and memset().
 */
#ifndef PAGODA_KERNEL_INCLUDE_PAGE_COPY_H
#define PAGODA_KERNEL_INCLUDE_PAGE_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/util.h>

#if defined(__x86_64__)
#define Z_PAGE_WORD_SUFFIX "q"
#elif defined(__i386__)
#define Z_PAGE_WORD_SUFFIX "l"
#endif

/* Copy the page at src to the page at dst (both page-aligned, not overlapping). */
static ALWAYS_INLINE void z_page_copy(void *dst, const void *src)
{
#ifdef Z_PAGE_WORD_SUFFIX
	size_t words = CONFIG_MMU_PAGE_SIZE / sizeof(long);

	/* The direction flag is clear: the ABI's guarantee, which string.c relies on too. */
	__asm__ volatile("rep movs" Z_PAGE_WORD_SUFFIX
			 : "+D"(dst), "+S"(src), "+c"(words)
			 :
			 : "memory");
#else
	memcpy(dst, src, CONFIG_MMU_PAGE_SIZE);
#endif
}

/* Fill the page at dst (page-aligned) with zeros. */
static ALWAYS_INLINE void z_page_zero(void *dst)
{
#ifdef Z_PAGE_WORD_SUFFIX
	size_t words = CONFIG_MMU_PAGE_SIZE / sizeof(long);

	__asm__ volatile("rep stos" Z_PAGE_WORD_SUFFIX
			 : "+D"(dst), "+c"(words)
			 : "a"(0L)
			 : "memory");
#else
	memset(dst, 0, CONFIG_MMU_PAGE_SIZE);
#endif
}

#endif /* PAGODA_KERNEL_INCLUDE_PAGE_COPY_H */
