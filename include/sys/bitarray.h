/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: fixed-size bit array with run allocation.
 *
 * Storage is static (SYS_BITARRAY_DEFINE), never heap. Bits live in 32-bit
 * "bundles"; a summary level keeps one bit per bundle, set when that bundle
 * is completely set, so searches skip full stretches 1024 bits at a time.
 *
 * Complexity (N = total bits, k = bits in the region or run):
 *   single-bit operations                     O(1)
 *   region operations, popcount, find_nth     O(k / 32 + 1)
 *   sys_bitarray_alloc                        O(N / 32) worst case (a bundle
 *       at a time, never bit by bit; completely set bundles cost 1/32 of a
 *       step each through the summary), O(N / 1024 + k / 32) when the free
 *       space is not fragmented below the requested size.
 *
 * Every operation runs with interrupts locked (irq_lock()), so it is atomic
 * with respect to other contexts on the (single) CPU.
 *
 * Errors are negative errno values. A region is given as (num_bits, offset)
 * and must satisfy num_bits > 0 and offset + num_bits <= total bits;
 * otherwise -EINVAL (false for the is_region_* predicates). A call that
 * fails changes nothing.
 */
#ifndef PAGODA_INCLUDE_SYS_BITARRAY_H_
#define PAGODA_INCLUDE_SYS_BITARRAY_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/util.h>

struct sys_bitarray {
	uint32_t num_bits;    /* total bits */
	uint32_t num_bundles; /* 32-bit words in bundles[] */
	uint32_t *bundles;    /* the bits; bit i is bundles[i / 32] bit i % 32 */
	uint32_t *summary;    /* bit w set <=> bundles[w] has every valid bit set */
};

typedef struct sys_bitarray sys_bitarray_t;

#define Z_BITARRAY_BUNDLES(total_bits) (((total_bits) + 31U) / 32U)
#define Z_BITARRAY_SUMMARY(total_bits) ((Z_BITARRAY_BUNDLES(total_bits) + 31U) / 32U)

#define Z_BITARRAY_DEFINE(name, total_bits, scope)                                                 \
	BUILD_ASSERT((total_bits) > 0 && (total_bits) <= UINT32_MAX,                               \
		     "bit array size out of range");                                               \
	static uint32_t z_bitarray_bundles_##name[Z_BITARRAY_BUNDLES(total_bits)];                 \
	static uint32_t z_bitarray_summary_##name[Z_BITARRAY_SUMMARY(total_bits)];                 \
	scope sys_bitarray_t name = {                                                              \
		.num_bits = (total_bits),                                                          \
		.num_bundles = Z_BITARRAY_BUNDLES(total_bits),                                     \
		.bundles = z_bitarray_bundles_##name,                                              \
		.summary = z_bitarray_summary_##name,                                              \
	}

/* Define a bit array of total_bits bits, all clear. */
#define SYS_BITARRAY_DEFINE(name, total_bits)        Z_BITARRAY_DEFINE(name, total_bits, )
#define SYS_BITARRAY_DEFINE_STATIC(name, total_bits) Z_BITARRAY_DEFINE(name, total_bits, static)

/* Set / clear one bit. 0, or -EINVAL if bit is out of range. */
int sys_bitarray_set_bit(sys_bitarray_t *bitarray, size_t bit);
int sys_bitarray_clear_bit(sys_bitarray_t *bitarray, size_t bit);

/* Store the bit (0 or 1) in *val. 0, or -EINVAL (bad bit or NULL val). */
int sys_bitarray_test_bit(sys_bitarray_t *bitarray, size_t bit, int *val);

/* Store the previous value in *prev_val and set / clear the bit. */
int sys_bitarray_test_and_set_bit(sys_bitarray_t *bitarray, size_t bit, int *prev_val);
int sys_bitarray_test_and_clear_bit(sys_bitarray_t *bitarray, size_t bit, int *prev_val);

/*
 * Find the lowest run of num_bits clear bits (first fit), set them and
 * store the first bit's index in *offset.
 * 0; -EINVAL if num_bits is 0 or larger than the array, or offset is NULL;
 * -ENOSPC if no such run exists.
 */
int sys_bitarray_alloc(sys_bitarray_t *bitarray, size_t num_bits, size_t *offset);

/*
 * Clear a region previously allocated. 0; -EINVAL for a bad region;
 * -EFAULT if any bit of the region is clear (nothing is changed then).
 */
int sys_bitarray_free(sys_bitarray_t *bitarray, size_t num_bits, size_t offset);

/* Whether every bit of the region is set / clear (false for a bad region). */
bool sys_bitarray_is_region_set(sys_bitarray_t *bitarray, size_t num_bits, size_t offset);
bool sys_bitarray_is_region_cleared(sys_bitarray_t *bitarray, size_t num_bits, size_t offset);

/*
 * to_set: if every bit of the region is clear, set them all; otherwise
 * -EEXIST. !to_set: if every bit is set, clear them all; otherwise -EEXIST.
 * 0 on success, -EINVAL for a bad region.
 */
int sys_bitarray_test_and_set_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset,
				     bool to_set);

/* Set / clear every bit of a region. 0 or -EINVAL. */
int sys_bitarray_set_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset);
int sys_bitarray_clear_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset);

/*
 * Find the n-th set bit (n counts from 1) inside the region and store its
 * absolute index in *found_at. 0 if found, 1 if the region holds fewer than
 * n set bits, -EINVAL for a bad region, n == 0 or NULL found_at.
 */
int sys_bitarray_find_nth_set(sys_bitarray_t *bitarray, size_t n, size_t num_bits, size_t offset,
			      size_t *found_at);

/* Store the number of set bits in the region in *count. 0 or -EINVAL. */
int sys_bitarray_popcount_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset,
				 size_t *count);

/*
 * Kernel-internal, for a caller that already holds the interrupt lock and
 * passes only valid arguments (num_bits > 0, the region inside the array):
 * the public calls above without their own lock and checks, which cost more
 * than a small region's work (the virtual-region allocator, virt_region.c).
 * Same semantics otherwise: z_bitarray_alloc() is sys_bitarray_alloc()
 * returning whether it found a run, told that every bit below from is set
 * (0: nothing known), so that its search starts there.
 */
bool z_bitarray_alloc(sys_bitarray_t *bitarray, size_t num_bits, size_t from, size_t *offset);
void z_bitarray_write(sys_bitarray_t *bitarray, size_t num_bits, size_t offset, bool value);
bool z_bitarray_is(const sys_bitarray_t *bitarray, size_t num_bits, size_t offset, bool value);

#endif /* PAGODA_INCLUDE_SYS_BITARRAY_H_ */
