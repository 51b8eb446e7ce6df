/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sys_rand_get() (<random/random.h>, CONFIG_TEST_RANDOM_GENERATOR): a
 * xorshift64* state into which every call stirs the cycle counter, so
 * values differ between boots and between calls. Not for security, as
 * the reference says of its test generator.
 */
#include <kernel.h>
#include <random/random.h>
#include <string.h>

#ifdef CONFIG_TEST_RANDOM_GENERATOR
static uint64_t rand_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rand_next(void)
{
	uint64_t x = rand_state ^ arch_cycle_get_64();

	if (x == 0U) {
		x = 0x9e3779b97f4a7c15ULL; /* xorshift's one fixed point */
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rand_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

void sys_rand_get(void *dst, size_t len)
{
	uint8_t *out = dst;

	while (len > 0U) {
		unsigned int key = arch_irq_lock();
		uint64_t v = rand_next();

		arch_irq_unlock(key);
		size_t n = MIN(len, sizeof(v));

		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
}
#endif /* CONFIG_TEST_RANDOM_GENERATOR */
