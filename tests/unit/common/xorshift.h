/* SPDX-License-Identifier: Apache-2.0 */
/* The host tests' pseudo-random numbers: xorshift32, so a seed replays a run. */
#ifndef TESTS_UNIT_COMMON_XORSHIFT_H
#define TESTS_UNIT_COMMON_XORSHIFT_H

#include <stdint.h>

/* The next number of the sequence in *state (never 0: seed with a non-zero value). */
static inline uint32_t xorshift32(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

#endif /* TESTS_UNIT_COMMON_XORSHIFT_H */
