/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: bit array (see <sys/bitarray.h> for the contract and costs).
 *
 * Invariant kept by every writer: summary bit w is set exactly when every
 * valid bit of bundles[w] is set. Bits past num_bits in the last bundle are
 * always zero and never count as free or set.
 */
#include <errno.h>
#include <kernel.h>
#include <sys/bitarray.h>

#define BUNDLE_BITS 32U

/*
 * Bit count by parallel addition; __builtin_popcount would become a libgcc
 * call here (no POPCNT with -mgeneral-regs-only).
 */
static inline size_t popcount32(uint32_t v)
{
	v = v - ((v >> 1) & 0x55555555U);
	v = (v & 0x33333333U) + ((v >> 2) & 0x33333333U);
	v = (v + (v >> 4)) & 0x0F0F0F0FU;
	return (size_t)((v * 0x01010101U) >> 24);
}

/* The bits of bundle w that belong to the array: all but in the last bundle. */
static inline uint32_t valid_mask(const sys_bitarray_t *ba, size_t w)
{
	uint32_t rem;

	if (w + 1U < ba->num_bundles) {
		return ~0U;
	}
	rem = ba->num_bits % BUNDLE_BITS;
	return (rem == 0U) ? ~0U : (1U << rem) - 1U;
}

static inline void update_summary(sys_bitarray_t *ba, size_t w)
{
	uint32_t valid = valid_mask(ba, w);
	uint32_t bit = 1U << (w % BUNDLE_BITS);

	if ((ba->bundles[w] & valid) == valid) {
		ba->summary[w / BUNDLE_BITS] |= bit;
	} else {
		ba->summary[w / BUNDLE_BITS] &= ~bit;
	}
}

static inline bool bit_ok(const sys_bitarray_t *ba, size_t bit)
{
	return ba != NULL && bit < ba->num_bits;
}

/* num_bits > 0 and [offset, offset + num_bits) inside the array, no overflow. */
static inline bool region_ok(const sys_bitarray_t *ba, size_t num_bits, size_t offset)
{
	return ba != NULL && num_bits > 0U && offset < ba->num_bits &&
	       num_bits <= ba->num_bits - offset;
}

/* Bits of bundle w that fall in [start, end); the bundle overlaps it. */
static inline uint32_t region_mask(size_t w, size_t start, size_t end)
{
	size_t base = w * BUNDLE_BITS;
	size_t lo = (start > base) ? start - base : 0U;
	size_t hi = (end - base >= BUNDLE_BITS) ? BUNDLE_BITS : end - base;
	uint32_t upto = (hi == BUNDLE_BITS) ? ~0U : ((1U << hi) - 1U);

	return upto & (~0U << lo);
}

#define FOR_EACH_REGION_BUNDLE(w, mask, offset, num_bits)                                          \
	for (size_t w = (offset) / BUNDLE_BITS, z_end_ = (offset) + (num_bits),                    \
		    mask = region_mask(w, offset, z_end_);                                         \
	     w <= (z_end_ - 1U) / BUNDLE_BITS;                                                     \
	     w++, mask = (w <= (z_end_ - 1U) / BUNDLE_BITS) ? region_mask(w, offset, z_end_) : 0U)

/*
 * The bundles a (valid) region covers, and the masks of its bits in the
 * first and last of them: whole bundles in between need no mask, which
 * keeps the loops below to a load and a compare (or store) per bundle.
 */
struct region_span {
	size_t first;
	size_t last;
	uint32_t first_mask;
	uint32_t last_mask;
};

static inline struct region_span region_span(size_t num_bits, size_t offset)
{
	size_t end = offset + num_bits - 1U;

	return (struct region_span){
		.first = offset / BUNDLE_BITS,
		.last = end / BUNDLE_BITS,
		.first_mask = ~0U << (offset % BUNDLE_BITS),
		.last_mask = ~0U >> (BUNDLE_BITS - 1U - end % BUNDLE_BITS),
	};
}

/* Whether every bit of a (valid) region equals value. */
static bool region_is(const sys_bitarray_t *ba, size_t num_bits, size_t offset, bool value)
{
	struct region_span r = region_span(num_bits, offset);
	uint32_t want = value ? ~0U : 0U;

	if (r.first == r.last) {
		uint32_t mask = r.first_mask & r.last_mask;

		return ((ba->bundles[r.first] ^ want) & mask) == 0U;
	}
	if (((ba->bundles[r.first] ^ want) & r.first_mask) != 0U) {
		return false;
	}
	for (size_t w = r.first + 1U; w < r.last; w++) {
		if (ba->bundles[w] != want) {
			return false;
		}
	}
	return ((ba->bundles[r.last] ^ want) & r.last_mask) == 0U;
}

static void bundle_write(sys_bitarray_t *ba, size_t w, uint32_t mask, bool value)
{
	if (value) {
		ba->bundles[w] |= mask;
	} else {
		ba->bundles[w] &= ~mask;
	}
	update_summary(ba, w);
}

static void region_write(sys_bitarray_t *ba, size_t num_bits, size_t offset, bool value)
{
	struct region_span r = region_span(num_bits, offset);

	if (r.first == r.last) {
		bundle_write(ba, r.first, r.first_mask & r.last_mask, value);
		return;
	}
	bundle_write(ba, r.first, r.first_mask, value);
	for (size_t w = r.first + 1U; w < r.last; w++) {
		/* Whole bundles: only the last bundle of the array has invalid bits. */
		ba->bundles[w] = value ? ~0U : 0U;
		if (value) {
			ba->summary[w / BUNDLE_BITS] |= 1U << (w % BUNDLE_BITS);
		} else {
			ba->summary[w / BUNDLE_BITS] &= ~(1U << (w % BUNDLE_BITS));
		}
	}
	bundle_write(ba, r.last, r.last_mask, value);
}

/* Index of the first bundle at or after w that is not full (may be past the end). */
static size_t next_nonfull_bundle(const sys_bitarray_t *ba, size_t w)
{
	size_t nsum = (ba->num_bundles + BUNDLE_BITS - 1U) / BUNDLE_BITS;
	size_t i = w / BUNDLE_BITS;
	uint32_t candidates = ~ba->summary[i] & (~0U << (w % BUNDLE_BITS));

	while (candidates == 0U) {
		if (++i >= nsum) {
			return ba->num_bundles;
		}
		candidates = ~ba->summary[i];
	}
	return i * BUNDLE_BITS + (size_t)__builtin_ctz(candidates);
}

/*
 * Bit i of the result is set when bits i .. i+k-1 of free are all set
 * (1 <= k <= 32). Doubling the tested length each step takes at most five
 * shift-and-AND steps instead of k.
 */
static uint32_t run_starts(uint32_t free, size_t k)
{
	uint32_t m = free;
	size_t have = 1U;

	while (have < k) {
		size_t step = (have < k - have) ? have : k - have;

		m &= m >> step;
		have += step;
	}
	return m;
}

/*
 * First fit of k clear bits. One pass over the bundles, a bundle per step:
 * a run is either inside one bundle (found with run_starts) or starts at
 * the top of a bundle and carries into the following ones. While no run is
 * in progress, completely set bundles are skipped through the summary.
 */
static bool find_clear_run(const sys_bitarray_t *ba, size_t k, size_t from, size_t *start)
{
	size_t run_start = 0U;
	size_t run_len = 0U;
	size_t w = from / BUNDLE_BITS;

	while (w < ba->num_bundles) {
		if (run_len == 0U) {
			w = next_nonfull_bundle(ba, w);
			if (w >= ba->num_bundles) {
				break;
			}
		}

		uint32_t free = ~ba->bundles[w] & valid_mask(ba, w);

		if (run_len > 0U) {
			size_t lead = (free == ~0U) ? BUNDLE_BITS : (size_t)__builtin_ctz(~free);

			if (run_len + lead >= k) {
				*start = run_start;
				return true;
			}
			if (lead == BUNDLE_BITS) {
				run_len += BUNDLE_BITS;
				w++;
				continue;
			}
			run_len = 0U;
		}

		if (k <= BUNDLE_BITS) {
			uint32_t starts = run_starts(free, k);

			if (starts != 0U) {
				*start = w * BUNDLE_BITS + (size_t)__builtin_ctz(starts);
				return true;
			}
		}

		if ((free & 0x80000000U) != 0U) {
			size_t top = (free == ~0U) ? BUNDLE_BITS : (size_t)__builtin_clz(~free);

			run_start = (w + 1U) * BUNDLE_BITS - top;
			run_len = top;
		}
		w++;
	}
	return false;
}

int sys_bitarray_set_bit(sys_bitarray_t *bitarray, size_t bit)
{
	if (!bit_ok(bitarray, bit)) {
		return -EINVAL;
	}

	unsigned int key = irq_lock();

	bitarray->bundles[bit / BUNDLE_BITS] |= 1U << (bit % BUNDLE_BITS);
	update_summary(bitarray, bit / BUNDLE_BITS);
	irq_unlock(key);
	return 0;
}

int sys_bitarray_clear_bit(sys_bitarray_t *bitarray, size_t bit)
{
	if (!bit_ok(bitarray, bit)) {
		return -EINVAL;
	}

	unsigned int key = irq_lock();

	bitarray->bundles[bit / BUNDLE_BITS] &= ~(1U << (bit % BUNDLE_BITS));
	update_summary(bitarray, bit / BUNDLE_BITS);
	irq_unlock(key);
	return 0;
}

int sys_bitarray_test_bit(sys_bitarray_t *bitarray, size_t bit, int *val)
{
	if (!bit_ok(bitarray, bit) || val == NULL) {
		return -EINVAL;
	}

	unsigned int key = irq_lock();

	*val = (int)((bitarray->bundles[bit / BUNDLE_BITS] >> (bit % BUNDLE_BITS)) & 1U);
	irq_unlock(key);
	return 0;
}

static int test_and_write_bit(sys_bitarray_t *ba, size_t bit, int *prev_val, bool value)
{
	if (!bit_ok(ba, bit) || prev_val == NULL) {
		return -EINVAL;
	}

	size_t w = bit / BUNDLE_BITS;
	uint32_t m = 1U << (bit % BUNDLE_BITS);
	unsigned int key = irq_lock();

	*prev_val = (ba->bundles[w] & m) != 0U;
	if (value) {
		ba->bundles[w] |= m;
	} else {
		ba->bundles[w] &= ~m;
	}
	update_summary(ba, w);
	irq_unlock(key);
	return 0;
}

int sys_bitarray_test_and_set_bit(sys_bitarray_t *bitarray, size_t bit, int *prev_val)
{
	return test_and_write_bit(bitarray, bit, prev_val, true);
}

int sys_bitarray_test_and_clear_bit(sys_bitarray_t *bitarray, size_t bit, int *prev_val)
{
	return test_and_write_bit(bitarray, bit, prev_val, false);
}

bool z_bitarray_alloc(sys_bitarray_t *bitarray, size_t num_bits, size_t from, size_t *offset)
{
	size_t start;

	if (!find_clear_run(bitarray, num_bits, from, &start)) {
		return false;
	}
	region_write(bitarray, num_bits, start, true);
	*offset = start;
	return true;
}

void z_bitarray_write(sys_bitarray_t *bitarray, size_t num_bits, size_t offset, bool value)
{
	region_write(bitarray, num_bits, offset, value);
}

bool z_bitarray_is(const sys_bitarray_t *bitarray, size_t num_bits, size_t offset, bool value)
{
	return region_is(bitarray, num_bits, offset, value);
}

int sys_bitarray_alloc(sys_bitarray_t *bitarray, size_t num_bits, size_t *offset)
{
	if (bitarray == NULL || offset == NULL || num_bits == 0U || num_bits > bitarray->num_bits) {
		return -EINVAL;
	}

	unsigned int key = irq_lock();
	bool found = z_bitarray_alloc(bitarray, num_bits, 0, offset);

	irq_unlock(key);
	return found ? 0 : -ENOSPC;
}

int sys_bitarray_free(sys_bitarray_t *bitarray, size_t num_bits, size_t offset)
{
	if (!region_ok(bitarray, num_bits, offset)) {
		return -EINVAL;
	}

	int ret = -EFAULT;
	unsigned int key = irq_lock();

	if (region_is(bitarray, num_bits, offset, true)) {
		region_write(bitarray, num_bits, offset, false);
		ret = 0;
	}
	irq_unlock(key);
	return ret;
}

static bool is_region(sys_bitarray_t *ba, size_t num_bits, size_t offset, bool value)
{
	if (!region_ok(ba, num_bits, offset)) {
		return false;
	}

	unsigned int key = irq_lock();
	bool ret = region_is(ba, num_bits, offset, value);

	irq_unlock(key);
	return ret;
}

bool sys_bitarray_is_region_set(sys_bitarray_t *bitarray, size_t num_bits, size_t offset)
{
	return is_region(bitarray, num_bits, offset, true);
}

bool sys_bitarray_is_region_cleared(sys_bitarray_t *bitarray, size_t num_bits, size_t offset)
{
	return is_region(bitarray, num_bits, offset, false);
}

int sys_bitarray_test_and_set_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset,
				     bool to_set)
{
	if (!region_ok(bitarray, num_bits, offset)) {
		return -EINVAL;
	}

	int ret = -EEXIST;
	unsigned int key = irq_lock();

	if (region_is(bitarray, num_bits, offset, !to_set)) {
		region_write(bitarray, num_bits, offset, to_set);
		ret = 0;
	}
	irq_unlock(key);
	return ret;
}

static int write_region(sys_bitarray_t *ba, size_t num_bits, size_t offset, bool value)
{
	if (!region_ok(ba, num_bits, offset)) {
		return -EINVAL;
	}

	unsigned int key = irq_lock();

	region_write(ba, num_bits, offset, value);
	irq_unlock(key);
	return 0;
}

int sys_bitarray_set_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset)
{
	return write_region(bitarray, num_bits, offset, true);
}

int sys_bitarray_clear_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset)
{
	return write_region(bitarray, num_bits, offset, false);
}

int sys_bitarray_find_nth_set(sys_bitarray_t *bitarray, size_t n, size_t num_bits, size_t offset,
			      size_t *found_at)
{
	if (!region_ok(bitarray, num_bits, offset) || n == 0U || found_at == NULL) {
		return -EINVAL;
	}

	int ret = 1;
	size_t remaining = n;
	unsigned int key = irq_lock();

	FOR_EACH_REGION_BUNDLE(w, mask, offset, num_bits)
	{
		uint32_t bits = bitarray->bundles[w] & (uint32_t)mask;
		size_t cnt = popcount32(bits);

		if (cnt < remaining) {
			remaining -= cnt;
			continue;
		}
		/* The answer is in this bundle: drop the lower set bits. */
		while (--remaining > 0U) {
			bits &= bits - 1U;
		}
		*found_at = w * BUNDLE_BITS + (size_t)__builtin_ctz(bits);
		ret = 0;
		break;
	}
	irq_unlock(key);
	return ret;
}

int sys_bitarray_popcount_region(sys_bitarray_t *bitarray, size_t num_bits, size_t offset,
				 size_t *count)
{
	if (!region_ok(bitarray, num_bits, offset) || count == NULL) {
		return -EINVAL;
	}

	size_t total = 0U;
	unsigned int key = irq_lock();

	FOR_EACH_REGION_BUNDLE(w, mask, offset, num_bits)
	{
		total += popcount32(bitarray->bundles[w] & (uint32_t)mask);
	}
	irq_unlock(key);
	*count = total;
	return 0;
}
