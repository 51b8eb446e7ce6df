/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sys_heap tests: long random traces of alloc / aligned alloc / realloc /
 * free checked against a model of the live blocks (each filled with its own
 * byte pattern, so an overlap or a bad copy shows), on several region sizes
 * and misaligned region starts; the heap validated after every step;
 * exhaustion giving NULL and leaving the heap whole; every block given back
 * restoring the one free chunk; misuse (bad pointers, double frees, bad
 * alignments, sizes the region cannot hold) refused with nothing changed.
 */
#include <stdint.h>
#include <string.h>
#include <sys/sys_heap.h>
#include <sys/util.h>
#include <xorshift.h>
#include <ztest.h>

#define REGION_MAX 65536
#define MAX_LIVE   256

static uint8_t region[REGION_MAX + 64] __attribute__((aligned(64)));
static struct sys_heap heap;

struct block {
	uint8_t *p;
	size_t size;
	size_t align;
	uint8_t fill;
};

static struct block live[MAX_LIVE];
static int nlive;
static uint8_t *lo, *hi; /* the region given to the heap */

static uint32_t rng_state;

static uint32_t rnd(void)
{
	return xorshift32(&rng_state);
}

static void setup_heap(size_t offset, size_t bytes)
{
	lo = region + offset;
	hi = lo + bytes;
	memset(region, 0xa5, sizeof(region));
	sys_heap_init(&heap, lo, bytes);
	nlive = 0;
}

static void check_block(const struct block *b)
{
	for (size_t i = 0; i < b->size; i++) {
		zassert_equal(b->p[i], b->fill, "block %p byte %zu of %zu clobbered", (void *)b->p,
			      i, b->size);
	}
}

/* A block just returned: inside the region, aligned, overlapping none, usable. */
static void check_new(uint8_t *p, size_t size, size_t align)
{
	zassert_true(p >= lo && p + size <= hi, "block %p+%zu outside the region", (void *)p, size);
	zassert_true(IS_ALIGNED(p, MAX(align, Z_HEAP_ALIGN)), "%p not aligned to %zu", (void *)p,
		     align);
	zassert_true(sys_heap_usable_size(&heap, p) >= size);
	for (int i = 0; i < nlive; i++) {
		zassert_true(p + size <= live[i].p || live[i].p + live[i].size <= p,
			     "%p+%zu overlaps %p+%zu", (void *)p, size, (void *)live[i].p,
			     live[i].size);
	}
}

static void add_live(uint8_t *p, size_t size, size_t align)
{
	struct block *b = &live[nlive++];

	b->p = p;
	b->size = size;
	b->align = align;
	b->fill = (uint8_t)rnd();
	memset(p, b->fill, size);
}

static void drop_live(int i)
{
	live[i] = live[--nlive];
}

static size_t rand_size(void)
{
	uint32_t r = rnd() % 100;

	if (r < 60) {
		return 1 + rnd() % 64;
	}
	if (r < 95) {
		return 1 + rnd() % 1024;
	}
	return 1 + rnd() % 8192;
}

static size_t rand_align(void)
{
	return (rnd() % 3 == 0) ? ((size_t)1 << (rnd() % 10)) : 0;
}

static void step(void)
{
	uint32_t op = rnd() % 10;

	if (nlive > 0 && (op < 3 || nlive == MAX_LIVE)) {
		int i = (int)(rnd() % (uint32_t)nlive);

		check_block(&live[i]);
		sys_heap_free(&heap, live[i].p);
		drop_live(i);
	} else if (nlive > 0 && op < 6) {
		int i = (int)(rnd() % (uint32_t)nlive);
		struct block old = live[i];
		size_t size = rand_size();
		uint8_t *p = sys_heap_aligned_realloc(&heap, old.p, old.align, size);

		if (p == NULL) {
			check_block(&live[i]); /* the old block stays, untouched */
			return;
		}
		drop_live(i);
		for (size_t k = 0; k < MIN(size, old.size); k++) {
			zassert_equal(p[k], old.fill, "realloc lost byte %zu", k);
		}
		check_new(p, size, old.align);
		add_live(p, size, old.align);
	} else {
		size_t size = rand_size();
		size_t align = rand_align();
		uint8_t *p = sys_heap_aligned_alloc(&heap, align, size);

		if (p != NULL) {
			check_new(p, size, align);
			add_live(p, size, align);
		}
	}
}

static void free_all_and_check(size_t initial_free)
{
	while (nlive > 0) {
		check_block(&live[nlive - 1]);
		sys_heap_free(&heap, live[nlive - 1].p);
		nlive--;
	}
	zassert_true(sys_heap_validate(&heap));
	zassert_equal(z_heap_free_bytes(&heap), initial_free, "free space not restored");
}

static void trace(size_t offset, size_t bytes, uint32_t seed, int steps)
{
	setup_heap(offset, bytes);
	size_t initial = z_heap_free_bytes(&heap);

	zassert_true(initial > 0 && initial <= bytes);
	rng_state = seed;
	for (int s = 0; s < steps; s++) {
		step();
		zassert_true(sys_heap_validate(&heap), "heap broken at step %d (seed %u)", s, seed);
	}
	for (int i = 0; i < nlive; i++) {
		check_block(&live[i]);
	}
	free_all_and_check(initial);
}

ZTEST(sys_heap, test_random_traces)
{
	static const size_t sizes[] = {512, 4096, 20000, REGION_MAX};
	static const size_t offsets[] = {0, 1, 3, 8, 13};

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (size_t o = 0; o < ARRAY_SIZE(offsets); o++) {
			trace(offsets[o], sizes[s], 0x9e3779b9U ^ (uint32_t)(s * 31 + o), 20000);
		}
	}
}

ZTEST(sys_heap, test_exhaustion)
{
	static const size_t sizes[] = {8, 100, 1000};

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		setup_heap(0, 8192);
		size_t initial = z_heap_free_bytes(&heap);
		uint8_t *p;

		while ((p = sys_heap_alloc(&heap, sizes[s])) != NULL) {
			zassert_true(nlive < MAX_LIVE);
			check_new(p, sizes[s], 0);
			add_live(p, sizes[s], 0);
		}
		zassert_true(nlive > 0);
		zassert_true(sys_heap_validate(&heap));
		/* What is left is too little for one more of that size. */
		zassert_true(z_heap_free_bytes(&heap) < sizes[s] + 2 * Z_HEAP_ALIGN);
		zassert_is_null(sys_heap_alloc(&heap, sizes[s]));
		for (int i = 0; i < nlive; i++) {
			check_block(&live[i]);
		}
		free_all_and_check(initial);
		/* All of it, as one block, once everything is back. */
		p = sys_heap_alloc(&heap, initial - sizeof(size_t) * 2);
		zassert_not_null(p);
		zassert_is_null(sys_heap_alloc(&heap, 1));
		sys_heap_free(&heap, p);
		zassert_equal(z_heap_free_bytes(&heap), initial);
	}
}

ZTEST(sys_heap, test_alignment)
{
	setup_heap(4, REGION_MAX);
	size_t initial = z_heap_free_bytes(&heap);

	for (size_t align = 1; align <= 4096; align <<= 1) {
		for (size_t size = 1; size <= 300; size += 37) {
			uint8_t *p = sys_heap_aligned_alloc(&heap, align, size);

			zassert_not_null(p, "align %zu size %zu", align, size);
			check_new(p, size, align);
			add_live(p, size, align);
		}
		/* Each alignment on its own: the gaps before aligned blocks add up. */
		zassert_true(sys_heap_validate(&heap));
		free_all_and_check(initial);
	}

	/* Not a power of two: refused, nothing taken. */
	zassert_is_null(sys_heap_aligned_alloc(&heap, 3, 16));
	zassert_is_null(sys_heap_aligned_alloc(&heap, 24, 16));
	zassert_equal(z_heap_free_bytes(&heap), initial);
}

ZTEST(sys_heap, test_realloc)
{
	setup_heap(0, 4096);
	size_t initial = z_heap_free_bytes(&heap);
	uint8_t *a = sys_heap_realloc(&heap, NULL, 100); /* NULL: an allocation */

	zassert_not_null(a);
	memset(a, 0x11, 100);
	/* Shrinking and growing into the free space after it stay in place. */
	zassert_equal(sys_heap_realloc(&heap, a, 40), a);
	zassert_equal(sys_heap_realloc(&heap, a, 400), a);
	for (int i = 0; i < 40; i++) {
		zassert_equal(a[i], 0x11);
	}
	/* Blocked behind: it moves, the contents with it. */
	uint8_t *b = sys_heap_alloc(&heap, 16);

	zassert_not_null(b);
	memset(a, 0x22, 400);
	uint8_t *c = sys_heap_realloc(&heap, a, 1000);

	zassert_not_null(c);
	zassert_not_equal(c, a);
	for (int i = 0; i < 400; i++) {
		zassert_equal(c[i], 0x22);
	}
	/* Too big: NULL, the block kept. */
	zassert_is_null(sys_heap_realloc(&heap, c, 1 << 20));
	zassert_equal(c[399] | c[0], 0x22);
	/* Realigned: moves to an aligned place. */
	uint8_t *d = sys_heap_aligned_realloc(&heap, c, 256, 1000);

	zassert_not_null(d);
	zassert_true(IS_ALIGNED(d, 256));
	zassert_equal(d[0], 0x22);
	/* Size 0 frees. */
	zassert_is_null(sys_heap_realloc(&heap, d, 0));
	sys_heap_free(&heap, b);
	zassert_true(sys_heap_validate(&heap));
	zassert_equal(z_heap_free_bytes(&heap), initial);
}

ZTEST(sys_heap, test_misuse)
{
	setup_heap(0, 4096);
	size_t initial = z_heap_free_bytes(&heap);
	uint8_t *a = sys_heap_alloc(&heap, 64);
	uint8_t *b = sys_heap_alloc(&heap, 64);
	uint8_t outside[32] __attribute__((aligned(16)));

	zassert_not_null(a);
	zassert_not_null(b);
	size_t used = initial - z_heap_free_bytes(&heap);

	/* Sizes nothing can hold. */
	zassert_is_null(sys_heap_alloc(&heap, 0));
	zassert_is_null(sys_heap_alloc(&heap, 4096));
	zassert_is_null(sys_heap_alloc(&heap, SIZE_MAX));
	zassert_is_null(sys_heap_aligned_alloc(&heap, 64, SIZE_MAX - 8));
	zassert_is_null(sys_heap_aligned_alloc(&heap, (size_t)1 << (sizeof(size_t) * 8 - 1), 8));
	/* Pointers the heap did not return: ignored. */
	sys_heap_free(&heap, a + Z_HEAP_ALIGN);
	sys_heap_free(&heap, a + 1);
	sys_heap_free(&heap, outside);
	sys_heap_free(&heap, lo);
	sys_heap_free(&heap, hi);
	sys_heap_free(&heap, NULL);
	zassert_is_null(sys_heap_realloc(&heap, a + Z_HEAP_ALIGN, 10));
	zassert_equal(sys_heap_usable_size(&heap, a + 1), 0U);
	zassert_true(sys_heap_validate(&heap));
	zassert_equal(initial - z_heap_free_bytes(&heap), used);
	/* A double free: the second is ignored, even once a has merged with the free rest. */
	sys_heap_free(&heap, b);
	size_t after = z_heap_free_bytes(&heap);

	sys_heap_free(&heap, b);
	zassert_equal(z_heap_free_bytes(&heap), after);
	zassert_true(sys_heap_validate(&heap));
	sys_heap_free(&heap, a);
	sys_heap_free(&heap, a);
	zassert_true(sys_heap_validate(&heap));
	zassert_equal(z_heap_free_bytes(&heap), initial);

	/* A region too small for any block: every allocation fails. */
	struct sys_heap tiny;

	sys_heap_init(&tiny, region, Z_HEAP_MIN_SIZE - 1);
	zassert_is_null(sys_heap_alloc(&tiny, 1));
	zassert_true(sys_heap_validate(&tiny));
	/* The smallest accepted one holds a small block. */
	sys_heap_init(&tiny, region, Z_HEAP_MIN_SIZE);
	void *t = sys_heap_alloc(&tiny, sizeof(void *));

	zassert_not_null(t);
	sys_heap_free(&tiny, t);
	zassert_true(sys_heap_validate(&tiny));
}

ZTEST_SUITE(sys_heap, NULL, NULL, NULL, NULL, NULL);
