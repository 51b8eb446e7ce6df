/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random numbers with the reference's API (CONFIG_TEST_RANDOM_GENERATOR):
 * the reference's test generator, not fit for security (kernel/random.c).
 * Kernel mode only: the reference makes sys_rand_get() a system call.
 */
#ifndef PAGODA_INCLUDE_RANDOM_RANDOM_H
#define PAGODA_INCLUDE_RANDOM_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Fill dst with len bytes. */
void sys_rand_get(void *dst, size_t len);

static inline uint8_t sys_rand8_get(void)
{
	uint8_t v;

	sys_rand_get(&v, sizeof(v));
	return v;
}

static inline uint16_t sys_rand16_get(void)
{
	uint16_t v;

	sys_rand_get(&v, sizeof(v));
	return v;
}

static inline uint32_t sys_rand32_get(void)
{
	uint32_t v;

	sys_rand_get(&v, sizeof(v));
	return v;
}

static inline uint64_t sys_rand64_get(void)
{
	uint64_t v;

	sys_rand_get(&v, sizeof(v));
	return v;
}

#endif /* PAGODA_INCLUDE_RANDOM_RANDOM_H */
