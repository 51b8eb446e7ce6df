/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual-region allocator (kernel/mm/virt_region.c) against a simple
 * model: one state per page of the window, regions recorded by start and
 * length, the expected placement computed by a plain top-down scan.
 */
#include <arch/mm.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGES       K_MEM_VM_NUM_PAGES
#define PAGE        K_MEM_PAGE_SIZE
#define IMAGE_PAGES 37U
#define MAX_REGIONS 256

/* Model: which page is allocated, and the live regions. */
static bool model_used[PAGES];
static struct {
	size_t first, pages;
} regions[MAX_REGIONS];
static size_t num_regions;
static uint32_t rng = 12345;

static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void *page_addr(size_t page)
{
	return (void *)(K_MEM_VM_START + page * PAGE);
}

/* Top-down first fit of pages + align - 1, then the highest aligned start. */
static long model_expected(size_t pages, size_t align_pages)
{
	size_t need = pages + align_pages - 1U;
	size_t run = 0;

	for (size_t p = PAGES; p-- > 0;) {
		run = model_used[p] ? 0 : run + 1U;
		if (run == need) {
			size_t top = p + need; /* one past the run */
			uintptr_t start = ROUND_DOWN((uintptr_t)page_addr(top) - pages * PAGE,
						     align_pages * PAGE);

			return (long)((start - K_MEM_VM_START) / PAGE);
		}
	}
	return -1;
}

static void model_mark(size_t first, size_t pages, bool used)
{
	for (size_t p = first; p < first + pages; p++) {
		model_used[p] = used;
	}
}

static void *setup(void)
{
	z_virt_region_init(K_MEM_VM_START + IMAGE_PAGES * PAGE - 100);
	model_mark(0, IMAGE_PAGES, true);
	model_mark(PAGES - 1U, 1, true);
	return NULL;
}

ZTEST(virt_region, test_image_and_scratch_are_permanent)
{
	zassert_true(z_virt_region_is_allocated(page_addr(0), IMAGE_PAGES * PAGE));
	zassert_false(z_virt_region_is_exact(page_addr(0), IMAGE_PAGES * PAGE),
		      "the image region can be freed");
	zassert_true(z_virt_region_is_allocated(ARCH_SCRATCH_PAGE, PAGE));
	zassert_false(z_virt_region_is_exact(ARCH_SCRATCH_PAGE, PAGE),
		      "the scratch page can be freed");
	zassert_false(z_virt_region_is_allocated(page_addr(IMAGE_PAGES), PAGE),
		      "the page after the image is allocated");
}

ZTEST(virt_region, test_first_allocation_is_just_below_scratch)
{
	void *a = z_virt_region_alloc(3 * PAGE, PAGE);

	zassert_equal_ptr(a, page_addr(PAGES - 4U), "got %p", a);
	zassert_true(z_virt_region_is_exact(a, 3 * PAGE));
	zassert_false(z_virt_region_is_exact(a, 2 * PAGE), "a shorter size was accepted");
	zassert_false(z_virt_region_is_exact(a, 4 * PAGE), "a longer size was accepted");
	zassert_false(z_virt_region_is_exact((char *)a + PAGE, 2 * PAGE),
		      "an address inside the region was accepted");
	z_virt_region_free(a, 3 * PAGE);
	zassert_false(z_virt_region_is_allocated(a, PAGE), "free left the page allocated");
	zassert_false(z_virt_region_is_exact(a, 3 * PAGE), "a freed region is still exact");
}

ZTEST(virt_region, test_adjacent_regions_stay_separate)
{
	void *hi = z_virt_region_alloc(2 * PAGE, PAGE);
	void *lo = z_virt_region_alloc(2 * PAGE, PAGE);

	zassert_equal_ptr((char *)lo + 2 * PAGE, hi, "not adjacent: %p %p", lo, hi);
	zassert_false(z_virt_region_is_exact(lo, 4 * PAGE), "two regions accepted as one");
	zassert_true(z_virt_region_is_exact(lo, 2 * PAGE));
	zassert_true(z_virt_region_is_exact(hi, 2 * PAGE));
	z_virt_region_free(lo, 2 * PAGE);
	z_virt_region_free(hi, 2 * PAGE);
}

ZTEST(virt_region, test_anonymous_kind_is_recorded_per_region)
{
	void *a = z_virt_region_alloc(2 * PAGE, PAGE);
	void *b = z_virt_region_alloc(2 * PAGE, PAGE);

	z_virt_region_mark_anon(a);
	zassert_true(z_virt_region_is_anon(a));
	zassert_false(z_virt_region_is_anon(b), "the neighbour became anonymous");
	z_virt_region_free(a, 2 * PAGE);
	void *again = z_virt_region_alloc(2 * PAGE, PAGE);

	zassert_equal_ptr(again, a, "the freed region was not reused");
	zassert_false(z_virt_region_is_anon(again), "free kept the anonymous mark");
	z_virt_region_free(again, 2 * PAGE);
	z_virt_region_free(b, 2 * PAGE);
}

ZTEST(virt_region, test_alignment)
{
	for (size_t align = 1; align <= 64; align *= 2) {
		void *a = z_virt_region_alloc(PAGE, align * PAGE);

		zassert_not_null(a);
		zassert_equal((uintptr_t)a % (align * PAGE), 0, "%p not aligned to %zu pages", a,
			      align);
		zassert_true(z_virt_region_is_exact(a, PAGE));
		z_virt_region_free(a, PAGE);
	}
}

ZTEST(virt_region, test_exhaustion_and_bad_sizes)
{
	zassert_is_null(z_virt_region_alloc(PAGES * PAGE, PAGE), "more than the window");
	void *all = z_virt_region_alloc((PAGES - IMAGE_PAGES - 1U) * PAGE, PAGE);

	zassert_equal_ptr(all, page_addr(IMAGE_PAGES), "got %p", all);
	zassert_is_null(z_virt_region_alloc(PAGE, PAGE), "allocation from a full window");
	z_virt_region_free(all, (PAGES - IMAGE_PAGES - 1U) * PAGE);
}

/*
 * Freeing the region allocated last defers clearing its bits ("parks" it)
 * until an allocation of its size takes it back: nothing of that may show.
 */
ZTEST(virt_region, test_free_of_the_last_region_is_invisible)
{
	uint32_t before = z_virt_region_digest(0);
	uint8_t *a = z_virt_region_alloc(3 * PAGE, PAGE);
	struct z_virt_region_span span;

	z_virt_region_free(a, 3 * PAGE);
	zassert_false(z_virt_region_is_exact(a, 3 * PAGE), "a freed region is still exact");
	zassert_equal(z_virt_region_exact_kind(a, 3 * PAGE), -1, "a freed region has a kind");
	zassert_true(z_virt_region_lookup(a + PAGE, &span));
	zassert_equal(span.owner, Z_VIRT_REGION_FREE, "a freed page belongs to a region");
	zassert_false(z_virt_region_is_allocated(a, PAGE), "free left the page allocated");
	zassert_equal(z_virt_region_digest(0), before, "the state differs after map and free");

	/* Taken back by an allocation of its size, of either kind. */
	a = z_virt_region_alloc(3 * PAGE, PAGE);
	z_virt_region_free(a, 3 * PAGE);
	uint8_t *b = z_virt_region_alloc_anon(3 * PAGE);

	zassert_equal_ptr(b, a, "first fit of the same size moved");
	zassert_true(z_virt_region_is_anon(b));
	zassert_equal(z_virt_region_exact_kind(b, 3 * PAGE), 1);
	z_virt_region_free(b, 3 * PAGE);
	b = z_virt_region_alloc(3 * PAGE, PAGE);
	zassert_equal_ptr(b, a, "first fit of the same size moved");
	zassert_false(z_virt_region_is_anon(b), "the anonymous mark came back");
	zassert_equal(z_virt_region_exact_kind(b, 3 * PAGE), 0);

	/* Another size after the free: first fit of the cleared bits. */
	z_virt_region_free(b, 3 * PAGE);
	uint8_t *c = z_virt_region_alloc(2 * PAGE, PAGE);

	zassert_equal_ptr(c, a + PAGE, "2 pages not at the top of the freed 3: %p", c);
	z_virt_region_free(c, 2 * PAGE);

	/* A free of another region first: the last one's free is not deferred. */
	uint8_t *hi = z_virt_region_alloc(PAGE, PAGE);
	uint8_t *lo = z_virt_region_alloc(PAGE, PAGE);

	z_virt_region_free(hi, PAGE);
	z_virt_region_free(lo, PAGE);
	zassert_equal_ptr(z_virt_region_alloc(2 * PAGE, PAGE), lo, "not the merged hole");
	z_virt_region_free(lo, 2 * PAGE);
	zassert_equal(z_virt_region_digest(0), before, "the state differs after the frees");
}

/* The model's exactness: one of the live regions, start and size alike. */
static bool model_is_exact(size_t first, size_t pages)
{
	for (size_t i = 0; i < num_regions; i++) {
		if (regions[i].first == first && regions[i].pages == pages) {
			return true;
		}
	}
	return false;
}

/*
 * Any start and size near the live regions (within, across, past their
 * ends): the one-word test of small regions and the general test of large
 * ones must agree with the model.
 */
static void probe_exactness(int step)
{
	size_t base = (num_regions > 0U) ? regions[next_random() % num_regions].first
					 : PAGES - 1U - next_random() % 64U;
	size_t first = base + next_random() % 5U - 2U;
	size_t pages = 1U + next_random() % 52U;

	if (first < IMAGE_PAGES || first >= PAGES || pages > PAGES - first) {
		return;
	}
	zassert_equal(z_virt_region_is_exact(page_addr(first), pages * PAGE),
		      model_is_exact(first, pages), "step %d: page %zu, %zu pages", step, first,
		      pages);
}

ZTEST(virt_region, test_random_operations_match_model)
{
	size_t freed_pages = 0; /* the size freed last: asked again, often */

	for (int step = 0; step < 20000; step++) {
		probe_exactness(step);
		probe_exactness(step);
		bool do_alloc =
			num_regions == 0U || (num_regions < MAX_REGIONS && next_random() % 2U);

		if (do_alloc) {
			bool again = freed_pages != 0U && next_random() % 2U == 0U;
			size_t pages = again ? freed_pages : 1U + next_random() % 48U;
			size_t align_pages = again ? 1U : 1U << (next_random() % 4U);
			long expect = model_expected(pages, align_pages);
			void *got = z_virt_region_alloc(pages * PAGE, align_pages * PAGE);

			if (expect < 0) {
				zassert_is_null(got, "step %d: allocation should fail", step);
				continue;
			}
			zassert_equal_ptr(got, page_addr((size_t)expect),
					  "step %d: %zu pages align %zu: got %p, model %p", step,
					  pages, align_pages, got, page_addr((size_t)expect));
			model_mark((size_t)expect, pages, true);
			regions[num_regions].first = (size_t)expect;
			regions[num_regions].pages = pages;
			num_regions++;
		} else {
			/* Half of the frees take the region allocated last (when that
			 * was the last step): a free the allocator defers.
			 */
			size_t i = next_random() % 2U == 0U ? num_regions - 1U
							    : next_random() % num_regions;
			void *addr = page_addr(regions[i].first);
			size_t size = regions[i].pages * PAGE;

			/* Wrong sizes and addresses are refused, changing nothing. */
			zassert_false(z_virt_region_is_exact(addr, size + PAGE), "step %d", step);
			if (regions[i].pages > 1U) {
				zassert_false(z_virt_region_is_exact(addr, size - PAGE), "step %d",
					      step);
				zassert_false(
					z_virt_region_is_exact((char *)addr + PAGE, size - PAGE),
					"step %d", step);
			}
			zassert_true(z_virt_region_is_exact(addr, size), "step %d", step);
			z_virt_region_free(addr, size);
			zassert_false(z_virt_region_is_exact(addr, size), "step %d", step);
			freed_pages = regions[i].pages;
			model_mark(regions[i].first, regions[i].pages, false);
			regions[i] = regions[--num_regions];
		}
	}
	for (size_t p = 0; p < PAGES; p++) {
		zassert_equal(z_virt_region_is_allocated(page_addr(p), PAGE), model_used[p],
			      "page %zu differs from the model", p);
	}
	while (num_regions > 0U) {
		num_regions--;
		z_virt_region_free(page_addr(regions[num_regions].first),
				   regions[num_regions].pages * PAGE);
		model_mark(regions[num_regions].first, regions[num_regions].pages, false);
	}
}

ZTEST_SUITE(virt_region, NULL, setup, NULL, NULL, NULL);
