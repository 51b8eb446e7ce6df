/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bit array tests: each function's results and error returns, failed calls
 * leaving the array untouched, and long random sequences of operations
 * checked against a plain bool-per-bit model (fixed-seed PRNG, so a failure
 * reproduces), on sizes around the 32-bit bundle boundaries and on a large
 * array. After every step the summary level is checked against the bits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/bitarray.h>
#include <time.h>
#include <xorshift.h>
#include <ztest.h>

SYS_BITARRAY_DEFINE(ba1, 1);
SYS_BITARRAY_DEFINE(ba31, 31);
SYS_BITARRAY_DEFINE(ba32, 32);
SYS_BITARRAY_DEFINE(ba33, 33);
SYS_BITARRAY_DEFINE(ba100, 100);
SYS_BITARRAY_DEFINE(ba1000, 1000);
SYS_BITARRAY_DEFINE(ba1056, 1056); /* 33 bundles: summary spills into a second word */
SYS_BITARRAY_DEFINE_STATIC(ba_big, 1U << 18);

static sys_bitarray_t *const all[] = {
	&ba1, &ba31, &ba32, &ba33, &ba100, &ba1000, &ba1056, &ba_big,
};

/* ---- helpers ------------------------------------------------------------------ */

static uint32_t rng_state;

static uint32_t rnd(void)
{
	return xorshift32(&rng_state);
}

static size_t rnd_below(size_t n)
{
	return (size_t)rnd() % n;
}

static bool get(const sys_bitarray_t *ba, size_t bit)
{
	return (ba->bundles[bit / 32] >> (bit % 32)) & 1U;
}

/* The array equals the model and the summary agrees with the bundles. */
static void check_consistent(const sys_bitarray_t *ba, const bool *model)
{
	for (size_t b = 0; b < ba->num_bits; b++) {
		zassert_equal(get(ba, b), model[b], "bit %zu of %u", b, ba->num_bits);
	}
	for (size_t w = 0; w < ba->num_bundles; w++) {
		size_t first = w * 32;
		size_t last = MIN(first + 32, (size_t)ba->num_bits);
		bool full = true;

		for (size_t b = first; b < last; b++) {
			full = full && model[b];
		}
		bool sum = (ba->summary[w / 32] >> (w % 32)) & 1U;

		zassert_equal(sum, full, "summary of bundle %zu", w);
		if (last < first + 32) {
			zassert_equal(ba->bundles[w] >> (last - first), 0U,
				      "bits past the end stay clear");
		}
	}
}

struct snapshot {
	uint32_t bundles[64];
	uint32_t summary[4];
};

static void take(const sys_bitarray_t *ba, struct snapshot *s)
{
	zassert_true(ba->num_bundles <= ARRAY_SIZE(s->bundles));
	memcpy(s->bundles, ba->bundles, ba->num_bundles * sizeof(uint32_t));
	memcpy(s->summary, ba->summary, DIV_ROUND_UP(ba->num_bundles, 32) * sizeof(uint32_t));
}

static void unchanged(const sys_bitarray_t *ba, const struct snapshot *s)
{
	zassert_mem_equal(s->bundles, ba->bundles, ba->num_bundles * sizeof(uint32_t),
			  "bits changed by a failed call");
	zassert_mem_equal(s->summary, ba->summary,
			  DIV_ROUND_UP(ba->num_bundles, 32) * sizeof(uint32_t),
			  "summary changed by a failed call");
}

/* Reference first fit: lowest start of num clear bits, or -1. O(N). */
static long model_first_fit(const bool *model, size_t n, size_t num)
{
	size_t run = 0;

	for (size_t b = 0; b < n; b++) {
		run = model[b] ? 0 : run + 1;
		if (run == num) {
			return (long)(b + 1 - num);
		}
	}
	return -1;
}

static void clear_all(void *fixture)
{
	ARG_UNUSED(fixture);
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		zassert_ok(sys_bitarray_clear_region(all[i], all[i]->num_bits, 0));
	}
	rng_state = 0x2545F491U;
}

/* ---- single bits -------------------------------------------------------------- */

ZTEST(bitarray, test_define)
{
	zassert_equal(ba1.num_bits, 1U);
	zassert_equal(ba1.num_bundles, 1U);
	zassert_equal(ba32.num_bundles, 1U);
	zassert_equal(ba33.num_bundles, 2U);
	zassert_equal(ba_big.num_bits, 1U << 18);
	zassert_equal(ba_big.num_bundles, 1U << 13);
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		size_t count = 99;

		zassert_ok(sys_bitarray_popcount_region(all[i], all[i]->num_bits, 0, &count));
		zassert_equal(count, 0U, "starts clear");
	}
}

ZTEST(bitarray, test_set_clear_test_bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(all) - 1; i++) {
		sys_bitarray_t *ba = all[i];
		bool model[1056] = {0};
		int val = -1;

		for (size_t b = 0; b < ba->num_bits; b += 1 + b / 7) {
			zassert_ok(sys_bitarray_set_bit(ba, b));
			model[b] = true;
			zassert_ok(sys_bitarray_test_bit(ba, b, &val));
			zassert_equal(val, 1);
		}
		check_consistent(ba, model);
		for (size_t b = 0; b < ba->num_bits; b += 3) {
			zassert_ok(sys_bitarray_clear_bit(ba, b));
			model[b] = false;
			zassert_ok(sys_bitarray_test_bit(ba, b, &val));
			zassert_equal(val, 0);
		}
		check_consistent(ba, model);
	}
}

ZTEST(bitarray, test_single_bit_errors)
{
	struct snapshot s;
	int val = 7;

	zassert_ok(sys_bitarray_set_bit(&ba33, 32));
	take(&ba33, &s);
	zassert_equal(sys_bitarray_set_bit(&ba33, 33), -EINVAL);
	zassert_equal(sys_bitarray_clear_bit(&ba33, 33), -EINVAL);
	zassert_equal(sys_bitarray_set_bit(&ba33, SIZE_MAX), -EINVAL);
	zassert_equal(sys_bitarray_test_bit(&ba33, 33, &val), -EINVAL);
	zassert_equal(sys_bitarray_test_bit(&ba33, 0, NULL), -EINVAL);
	zassert_equal(sys_bitarray_test_and_set_bit(&ba33, 33, &val), -EINVAL);
	zassert_equal(sys_bitarray_test_and_clear_bit(&ba33, 33, &val), -EINVAL);
	zassert_equal(sys_bitarray_test_and_set_bit(&ba33, 0, NULL), -EINVAL);
	zassert_equal(sys_bitarray_test_and_clear_bit(&ba33, 32, NULL), -EINVAL);
	zassert_equal(sys_bitarray_set_bit(NULL, 0), -EINVAL);
	zassert_equal(val, 7, "output untouched on error");
	unchanged(&ba33, &s);
}

ZTEST(bitarray, test_test_and_set_clear_bit)
{
	int prev = -1;

	zassert_ok(sys_bitarray_test_and_set_bit(&ba100, 64, &prev));
	zassert_equal(prev, 0);
	zassert_ok(sys_bitarray_test_and_set_bit(&ba100, 64, &prev));
	zassert_equal(prev, 1);
	zassert_ok(sys_bitarray_test_and_clear_bit(&ba100, 64, &prev));
	zassert_equal(prev, 1);
	zassert_ok(sys_bitarray_test_and_clear_bit(&ba100, 64, &prev));
	zassert_equal(prev, 0);
	zassert_ok(sys_bitarray_test_and_set_bit(&ba1, 0, &prev));
	zassert_equal(prev, 0);
	zassert_equal(ba1.summary[0], 1U, "a 1-bit array with its bit set is full");
}

/* ---- regions ------------------------------------------------------------------ */

ZTEST(bitarray, test_region_basics)
{
	zassert_ok(sys_bitarray_set_region(&ba100, 40, 30)); /* 30..69 */
	zassert_true(sys_bitarray_is_region_set(&ba100, 40, 30));
	zassert_false(sys_bitarray_is_region_set(&ba100, 41, 29));
	zassert_false(sys_bitarray_is_region_set(&ba100, 41, 30));
	zassert_true(sys_bitarray_is_region_cleared(&ba100, 30, 0));
	zassert_false(sys_bitarray_is_region_cleared(&ba100, 31, 0));
	zassert_true(sys_bitarray_is_region_cleared(&ba100, 30, 70));

	size_t count = 0;

	zassert_ok(sys_bitarray_popcount_region(&ba100, 100, 0, &count));
	zassert_equal(count, 40U);
	zassert_ok(sys_bitarray_popcount_region(&ba100, 10, 25, &count));
	zassert_equal(count, 5U);

	zassert_ok(sys_bitarray_clear_region(&ba100, 2, 32));
	zassert_ok(sys_bitarray_popcount_region(&ba100, 100, 0, &count));
	zassert_equal(count, 38U);
	zassert_true(sys_bitarray_is_region_cleared(&ba100, 2, 32));
}

ZTEST(bitarray, test_region_errors)
{
	struct snapshot s;
	size_t out = 12345;

	zassert_ok(sys_bitarray_set_region(&ba100, 10, 45));
	take(&ba100, &s);

	/* (num_bits, offset) pairs that are empty or leave the array. */
	static const size_t bad[][2] = {
		{0, 0},        {0, 50},       {101, 0},
		{1, 100},      {2, 99},       {100, 1},
		{SIZE_MAX, 1}, {1, SIZE_MAX}, {SIZE_MAX, SIZE_MAX},
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		size_t n = bad[i][0];
		size_t off = bad[i][1];

		zassert_equal(sys_bitarray_set_region(&ba100, n, off), -EINVAL, "case %zu", i);
		zassert_equal(sys_bitarray_clear_region(&ba100, n, off), -EINVAL, "case %zu", i);
		zassert_equal(sys_bitarray_free(&ba100, n, off), -EINVAL, "case %zu", i);
		zassert_equal(sys_bitarray_test_and_set_region(&ba100, n, off, true), -EINVAL);
		zassert_equal(sys_bitarray_test_and_set_region(&ba100, n, off, false), -EINVAL);
		zassert_false(sys_bitarray_is_region_set(&ba100, n, off));
		zassert_false(sys_bitarray_is_region_cleared(&ba100, n, off));
		zassert_equal(sys_bitarray_popcount_region(&ba100, n, off, &out), -EINVAL);
		zassert_equal(sys_bitarray_find_nth_set(&ba100, 1, n, off, &out), -EINVAL);
	}
	zassert_equal(sys_bitarray_popcount_region(&ba100, 1, 0, NULL), -EINVAL);
	zassert_equal(sys_bitarray_find_nth_set(&ba100, 0, 10, 0, &out), -EINVAL, "n = 0");
	zassert_equal(sys_bitarray_find_nth_set(&ba100, 1, 10, 0, NULL), -EINVAL);
	zassert_equal(sys_bitarray_alloc(&ba100, 0, &out), -EINVAL);
	zassert_equal(sys_bitarray_alloc(&ba100, 101, &out), -EINVAL);
	zassert_equal(sys_bitarray_alloc(&ba100, 1, NULL), -EINVAL);
	zassert_equal(sys_bitarray_alloc(NULL, 1, &out), -EINVAL);
	zassert_equal(out, 12345U, "outputs untouched on error");
	unchanged(&ba100, &s);
}

ZTEST(bitarray, test_free_efault)
{
	struct snapshot s;

	zassert_ok(sys_bitarray_set_region(&ba1000, 100, 200));
	zassert_ok(sys_bitarray_clear_bit(&ba1000, 250));
	take(&ba1000, &s);
	zassert_equal(sys_bitarray_free(&ba1000, 100, 200), -EFAULT);
	zassert_equal(sys_bitarray_free(&ba1000, 2, 199), -EFAULT, "199 was never set");
	unchanged(&ba1000, &s);
	zassert_ok(sys_bitarray_free(&ba1000, 50, 200));
	zassert_true(sys_bitarray_is_region_cleared(&ba1000, 50, 200));
	zassert_ok(sys_bitarray_free(&ba1000, 49, 251));
	zassert_true(sys_bitarray_is_region_cleared(&ba1000, 1000, 0));
}

ZTEST(bitarray, test_test_and_set_region)
{
	struct snapshot s;

	zassert_ok(sys_bitarray_test_and_set_region(&ba1000, 70, 10, true));
	zassert_true(sys_bitarray_is_region_set(&ba1000, 70, 10));
	take(&ba1000, &s);
	zassert_equal(sys_bitarray_test_and_set_region(&ba1000, 5, 79, true), -EEXIST);
	zassert_equal(sys_bitarray_test_and_set_region(&ba1000, 6, 5, true), -EEXIST);
	zassert_equal(sys_bitarray_test_and_set_region(&ba1000, 2, 79, false), -EEXIST);
	zassert_equal(sys_bitarray_test_and_set_region(&ba1000, 80, 0, false), -EEXIST);
	unchanged(&ba1000, &s);
	zassert_ok(sys_bitarray_test_and_set_region(&ba1000, 30, 20, false));
	zassert_true(sys_bitarray_is_region_cleared(&ba1000, 30, 20));
	zassert_true(sys_bitarray_is_region_set(&ba1000, 10, 10));
	zassert_true(sys_bitarray_is_region_set(&ba1000, 30, 50));
}

ZTEST(bitarray, test_find_nth_set)
{
	size_t at = 0;

	zassert_equal(sys_bitarray_find_nth_set(&ba1000, 1, 1000, 0, &at), 1, "none set");
	for (size_t b = 5; b < 1000; b += 10) {
		zassert_ok(sys_bitarray_set_bit(&ba1000, b));
	}
	zassert_ok(sys_bitarray_find_nth_set(&ba1000, 1, 1000, 0, &at));
	zassert_equal(at, 5U);
	zassert_ok(sys_bitarray_find_nth_set(&ba1000, 100, 1000, 0, &at));
	zassert_equal(at, 995U);
	zassert_equal(sys_bitarray_find_nth_set(&ba1000, 101, 1000, 0, &at), 1);
	zassert_ok(sys_bitarray_find_nth_set(&ba1000, 3, 500, 6, &at));
	zassert_equal(at, 35U, "counts from the region start, answers absolute");
	zassert_equal(sys_bitarray_find_nth_set(&ba1000, 1, 4, 6, &at), 1);
	zassert_ok(sys_bitarray_find_nth_set(&ba1000, 1, 1, 995, &at));
	zassert_equal(at, 995U);
}

/* ---- alloc --------------------------------------------------------------------- */

ZTEST(bitarray, test_alloc_basic)
{
	size_t off = 0;

	zassert_ok(sys_bitarray_alloc(&ba100, 10, &off));
	zassert_equal(off, 0U);
	zassert_ok(sys_bitarray_alloc(&ba100, 30, &off));
	zassert_equal(off, 10U);
	zassert_ok(sys_bitarray_free(&ba100, 10, 0));
	zassert_ok(sys_bitarray_alloc(&ba100, 11, &off));
	zassert_equal(off, 40U, "the hole at 0 is too small");
	zassert_ok(sys_bitarray_alloc(&ba100, 10, &off));
	zassert_equal(off, 0U, "first fit");
	zassert_equal(sys_bitarray_alloc(&ba100, 50, &off), -ENOSPC);
	zassert_ok(sys_bitarray_alloc(&ba100, 49, &off));
	zassert_equal(off, 51U);
	zassert_equal(sys_bitarray_alloc(&ba100, 1, &off), -ENOSPC);

	zassert_ok(sys_bitarray_alloc(&ba1, 1, &off));
	zassert_equal(off, 0U);
	zassert_equal(sys_bitarray_alloc(&ba1, 1, &off), -ENOSPC);

	zassert_ok(sys_bitarray_alloc(&ba32, 32, &off));
	zassert_equal(sys_bitarray_alloc(&ba32, 1, &off), -ENOSPC);
	zassert_ok(sys_bitarray_alloc(&ba33, 33, &off));
	zassert_equal(off, 0U);
}

ZTEST(bitarray, test_alloc_runs_across_bundles)
{
	size_t off = 0;

	/* Free space only at 30..33 (crosses a bundle edge) and 60..127. */
	zassert_ok(sys_bitarray_set_region(&ba1000, 1000, 0));
	zassert_ok(sys_bitarray_clear_region(&ba1000, 4, 30));
	zassert_ok(sys_bitarray_clear_region(&ba1000, 68, 60));
	zassert_ok(sys_bitarray_alloc(&ba1000, 4, &off));
	zassert_equal(off, 30U);
	zassert_ok(sys_bitarray_alloc(&ba1000, 68, &off));
	zassert_equal(off, 60U, "run over three bundles");
	zassert_equal(sys_bitarray_alloc(&ba1000, 1, &off), -ENOSPC);

	/* Top bits of one bundle plus the whole next one plus a bit. */
	zassert_ok(sys_bitarray_clear_region(&ba1000, 3 + 32 + 1, 93));
	zassert_equal(sys_bitarray_alloc(&ba1000, 37, &off), -ENOSPC);
	zassert_ok(sys_bitarray_alloc(&ba1000, 36, &off));
	zassert_equal(off, 93U);
}

/*
 * Every request size against many random patterns of varying density:
 * the run search must always return the model's first fit.
 */
ZTEST(bitarray, test_alloc_every_size_random_patterns)
{
	sys_bitarray_t *ba = &ba1056;
	size_t n = ba->num_bits;
	static bool model[1056];

	for (int pattern = 0; pattern < 300; pattern++) {
		uint32_t density = rnd() % 16; /* chance in 16 that a bit is set */

		for (size_t b = 0; b < n; b++) {
			model[b] = (rnd() % 16) < density;
		}
		for (size_t k = 1; k <= n; k += (k < 80) ? 1 : 37) {
			size_t off = 0;
			long fit = model_first_fit(model, n, k);

			zassert_ok(sys_bitarray_clear_region(ba, n, 0));
			for (size_t b = 0; b < n; b++) {
				if (model[b]) {
					zassert_ok(sys_bitarray_set_bit(ba, b));
				}
			}
			int ret = sys_bitarray_alloc(ba, k, &off);

			if (fit < 0) {
				zassert_equal(ret, -ENOSPC, "pattern %d size %zu", pattern, k);
				continue;
			}
			zassert_ok(ret);
			zassert_equal(off, (size_t)fit, "pattern %d size %zu", pattern, k);
			zassert_true(sys_bitarray_is_region_set(ba, k, off));
			zassert_ok(sys_bitarray_free(ba, k, off));
			check_consistent(ba, model);
		}
	}
}

/* Random mixes of every operation on one array, against the model. */
static void random_ops(sys_bitarray_t *ba, unsigned int steps)
{
	size_t n = ba->num_bits;
	bool *model = calloc(n, sizeof(bool));

	zassert_not_null(model);
	for (unsigned int step = 0; step < steps; step++) {
		size_t off = rnd_below(n);
		size_t cap = (rnd() % 4 == 0) ? 200 : 40; /* MIN() evaluates twice */
		size_t len = 1 + rnd_below(MIN(n - off, cap));
		size_t out = 0;
		size_t expect_count = 0;
		bool all_set = true;
		bool all_clear = true;

		for (size_t b = off; b < off + len; b++) {
			expect_count += model[b];
			all_set = all_set && model[b];
			all_clear = all_clear && !model[b];
		}

		switch (rnd() % 8) {
		case 0:
		case 1: {
			size_t want = 1 + rnd_below(MIN(n, (size_t)70));
			long fit = model_first_fit(model, n, want);
			int ret = sys_bitarray_alloc(ba, want, &out);

			if (fit < 0) {
				zassert_equal(ret, -ENOSPC, "step %u", step);
			} else {
				zassert_ok(ret, "step %u", step);
				zassert_equal(out, (size_t)fit, "step %u: alloc %zu", step, want);
				for (size_t b = out; b < out + want; b++) {
					model[b] = true;
				}
			}
			break;
		}
		case 2: {
			int ret = sys_bitarray_free(ba, len, off);

			zassert_equal(ret, all_set ? 0 : -EFAULT, "step %u", step);
			if (all_set) {
				memset(model + off, 0, len * sizeof(bool));
			}
			break;
		}
		case 3:
			zassert_ok(sys_bitarray_set_region(ba, len, off));
			memset(model + off, 1, len * sizeof(bool));
			break;
		case 4:
			zassert_ok(sys_bitarray_clear_region(ba, len, off));
			memset(model + off, 0, len * sizeof(bool));
			break;
		case 5: {
			bool to_set = rnd() & 1U;
			bool ok = to_set ? all_clear : all_set;

			zassert_equal(sys_bitarray_test_and_set_region(ba, len, off, to_set),
				      ok ? 0 : -EEXIST, "step %u", step);
			if (ok) {
				memset(model + off, to_set, len * sizeof(bool));
			}
			break;
		}
		case 6: {
			zassert_ok(sys_bitarray_popcount_region(ba, len, off, &out));
			zassert_equal(out, expect_count, "step %u", step);
			zassert_equal(sys_bitarray_is_region_set(ba, len, off), all_set);
			zassert_equal(sys_bitarray_is_region_cleared(ba, len, off), all_clear);
			size_t nth = 1 + rnd_below(len);
			size_t seen = 0;
			long where = -1;

			for (size_t b = off; b < off + len; b++) {
				if (model[b] && ++seen == nth) {
					where = (long)b;
					break;
				}
			}
			int ret = sys_bitarray_find_nth_set(ba, nth, len, off, &out);

			if (where < 0) {
				zassert_equal(ret, 1, "step %u", step);
			} else {
				zassert_ok(ret, "step %u", step);
				zassert_equal(out, (size_t)where, "step %u", step);
			}
			break;
		}
		default: {
			int prev = -1;

			if (rnd() & 1U) {
				zassert_ok(sys_bitarray_test_and_set_bit(ba, off, &prev));
				zassert_equal(prev, model[off]);
				model[off] = true;
			} else {
				zassert_ok(sys_bitarray_test_and_clear_bit(ba, off, &prev));
				zassert_equal(prev, model[off]);
				model[off] = false;
			}
			break;
		}
		}
		if (n <= 2000 || step % 64 == 0) {
			check_consistent(ba, model);
		}
	}
	check_consistent(ba, model);
	free(model);
}

ZTEST(bitarray, test_random_against_model)
{
	for (size_t i = 0; i < ARRAY_SIZE(all) - 1; i++) {
		random_ops(all[i], 4000);
	}
}

ZTEST(bitarray, test_random_large)
{
	random_ops(&ba_big, 3000);
}

/* Fill the large array with allocations of mixed sizes, punch holes, refill. */
ZTEST(bitarray, test_large_alloc_free_pattern)
{
	size_t n = ba_big.num_bits;
	bool *model = calloc(n, sizeof(bool));
	size_t off;

	zassert_not_null(model);
	for (;;) {
		size_t want = 1 + rnd_below(300);
		long fit = model_first_fit(model, n, want);
		int ret = sys_bitarray_alloc(&ba_big, want, &off);

		if (fit < 0) {
			zassert_equal(ret, -ENOSPC);
			break;
		}
		zassert_ok(ret);
		zassert_equal(off, (size_t)fit);
		memset(model + off, 1, want * sizeof(bool));
	}
	/* Free every other stretch of 1..64 bits. */
	for (size_t b = 0; b < n;) {
		size_t len = MIN(1 + rnd_below(64), n - b);

		bool set = true;

		for (size_t i = b; i < b + len; i++) {
			set = set && model[i];
		}
		if (rnd() & 1U) {
			zassert_equal(sys_bitarray_free(&ba_big, len, b), set ? 0 : -EFAULT);
			if (set) {
				memset(model + b, 0, len * sizeof(bool));
			}
		}
		b += len;
	}
	check_consistent(&ba_big, model);
	for (int i = 0; i < 2000; i++) {
		size_t want = 1 + rnd_below(100);
		long fit = model_first_fit(model, n, want);
		int ret = sys_bitarray_alloc(&ba_big, want, &off);

		zassert_equal(ret, fit < 0 ? -ENOSPC : 0);
		if (fit >= 0) {
			zassert_equal(off, (size_t)fit, "alloc %zu", want);
			memset(model + off, 1, want * sizeof(bool));
		}
	}
	check_consistent(&ba_big, model);
	free(model);
}

/*
 * The summary must make searching a nearly full large array cheap: with
 * only the last bit free, many single-bit allocations and frees must take
 * far less than scanning 2^18 bits each time would.
 */
ZTEST(bitarray, test_large_search_is_fast)
{
	size_t n = ba_big.num_bits;
	size_t off = 0;
	struct timespec t0;
	struct timespec t1;

	zassert_ok(sys_bitarray_set_region(&ba_big, n - 1, 0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 20000; i++) {
		zassert_ok(sys_bitarray_alloc(&ba_big, 1, &off));
		zassert_equal(off, n - 1);
		zassert_ok(sys_bitarray_free(&ba_big, 1, off));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	long long ns =
		(long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);

	/* 20000 bit-by-bit scans of 2^18 bits would be ~5e9 steps: many seconds. */
	zassert_true(ns < 2000000000LL, "20000 searches took %lld ns", ns);
	printk("    20000 alloc/free of the last bit of 2^18: %lld ns each\n", ns / 20000);

	/* Biggest possible run once everything is free again. */
	zassert_ok(sys_bitarray_clear_region(&ba_big, n, 0));
	zassert_ok(sys_bitarray_alloc(&ba_big, n, &off));
	zassert_equal(off, 0U);
	zassert_true(sys_bitarray_is_region_set(&ba_big, n, 0));
	zassert_equal(sys_bitarray_alloc(&ba_big, 1, &off), -ENOSPC);
}

ZTEST_SUITE(bitarray, NULL, NULL, clear_all, NULL, NULL);
