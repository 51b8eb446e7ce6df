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

/* n (at most 8) random bytes as the low bytes of a word. */
static inline uint64_t z_sys_rand_bytes(size_t n)
{
	uint64_t v = 0;

	sys_rand_get(&v, n); /* x86 is little-endian: the low bytes */
	return v;
}

static inline uint8_t sys_rand8_get(void)
{
	return (uint8_t)z_sys_rand_bytes(sizeof(uint8_t));
}

static inline uint16_t sys_rand16_get(void)
{
	return (uint16_t)z_sys_rand_bytes(sizeof(uint16_t));
}

static inline uint32_t sys_rand32_get(void)
{
	return (uint32_t)z_sys_rand_bytes(sizeof(uint32_t));
}

static inline uint64_t sys_rand64_get(void)
{
	return z_sys_rand_bytes(sizeof(uint64_t));
}

#endif /* PAGODA_INCLUDE_RANDOM_RANDOM_H */
