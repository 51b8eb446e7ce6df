/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page contents for the suites that move pages through a backing store: a
 * word of page `page` in generation `gen` is a hash of the three and of a
 * seed the suite takes at boot, so a stale disk image cannot pass for a
 * working write path. One including file per suite (the seed is its own).
 */
#ifndef PAGODA_TESTS_KERNEL_MM_PAGE_PATTERN_H
#define PAGODA_TESTS_KERNEL_MM_PAGE_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#define PATTERN_WORDS_PER_PAGE (CONFIG_MMU_PAGE_SIZE / sizeof(uint32_t))

static uint32_t seed;

static inline uint32_t pattern(size_t page, size_t word, uint32_t gen)
{
	uint32_t x = seed ^ (uint32_t)(page * 2654435761U) ^ (uint32_t)(word * 40503U) ^
		     (gen * 0x85EBCA6BU);

	x ^= x >> 15;
	x *= 0x2C1B3C6DU;
	x ^= x >> 12;
	return x;
}

static inline void fill_page(uint8_t *base, size_t page, uint32_t gen)
{
	uint32_t *words = (uint32_t *)(base + page * CONFIG_MMU_PAGE_SIZE);

	for (size_t w = 0; w < PATTERN_WORDS_PER_PAGE; w++) {
		words[w] = pattern(page, w, gen);
	}
}

/* Words of the page that differ from generation gen. */
static inline size_t check_page(const uint8_t *base, size_t page, uint32_t gen)
{
	const volatile uint32_t *words =
		(const volatile uint32_t *)(base + page * CONFIG_MMU_PAGE_SIZE);
	size_t bad = 0;

	for (size_t w = 0; w < PATTERN_WORDS_PER_PAGE; w++) {
		bad += words[w] != pattern(page, w, gen);
	}
	return bad;
}

#endif /* PAGODA_TESTS_KERNEL_MM_PAGE_PATTERN_H */
