/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NRU eviction (kernel/mm/eviction/nru.c): frames enter as recently used
 * (class 2, or 3 without a store copy) and are taken first in, first out
 * among equals; once a period has elapsed the pass clears the accessed bits
 * of PASS_STEP frames per select, in index order, filing each by its dirt
 * alone; select takes the lowest class, moving up a head used or written
 * since it was filed; frames of one class take turns; and select's page
 * lookups stay under a constant whatever the number of frames, even with
 * every accessed bit set for good (O(1), counted in steps).
 * The suite every algorithm passes is eviction_common/interface_tests.c.
 */
#include <eviction_fake.h>
#include <ztest.h>

/* The test's clock: nru.c's k_uptime_get() calls read it. */
static int64_t now_ms;
int64_t fake_uptime_get(void);
int64_t fake_uptime_get(void)
{
	return now_ms;
}

#define k_uptime_get fake_uptime_get
#include "../../../../kernel/mm/eviction/nru.c"
#undef k_uptime_get

#define PERIOD      CONFIG_EVICTION_NRU_PERIOD
#define MAX_PER_SEL (MAX_LOOKUPS + 1U) /* the pass's lookups included */

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	fake_reset();
	now_ms = 1000;
	k_mem_paging_eviction_init();
	t_seed(0x2badU);
}

ZTEST_SUITE(eviction_nru, NULL, NULL, before, NULL, NULL);

static size_t sel(void)
{
	bool dirty = false;
	struct k_mem_page_frame *pf = k_mem_paging_eviction_select(&dirty);

	zassert_not_null(pf);
	zassert_equal(dirty, fake_dirty(fake_index(pf)), "dirty flag");
	return fake_index(pf);
}

static unsigned int class_now(size_t i)
{
	bool must_write =
		fake_dirty(i) || !k_mem_page_frame_is(fake_pf(i), K_MEM_PAGE_FRAME_BACKED);

	return (fake_accessed(i) ? 2U : 0U) + (must_write ? 1U : 0U);
}

/* Frames 0..n-1 mapped and added, then a whole pass (every bit cleared). */
static void add_and_pass(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fake_map(i);
		t_add(i);
		fake_set_accessed(i, true);
	}
	now_ms += PERIOD;
	for (size_t k = 0; k < n + 2U; k++) { /* a small set allows fewer lookups a select */
		(void)sel();
	}
	for (size_t i = 0; i < n; i++) {
		zassert_false(fake_accessed(i), "the pass left frame %zu's bit", i);
	}
}

ZTEST(eviction_nru, test_new_frames_are_taken_first_in_first_out)
{
	for (size_t i = 0; i < 4U; i++) {
		fake_map(i);
		if (i == 0U) { /* no store copy: must be written, class 3 */
			k_mem_page_frame_clear(fake_pf(0), K_MEM_PAGE_FRAME_BACKED);
		}
		t_add(i);
	}
	zassert_equal(sel(), 1U);
	t_remove(1);
	zassert_equal(sel(), 2U);
	t_remove(2);
	zassert_equal(sel(), 3U);
	t_remove(3);
	zassert_equal(sel(), 0U);
}

ZTEST(eviction_nru, test_no_pass_before_the_period)
{
	for (size_t i = 0; i < 8U; i++) {
		fake_map(i);
		t_add(i);
		fake_set_accessed(i, true);
	}
	now_ms += PERIOD - 1;
	for (int k = 0; k < 8; k++) {
		(void)sel();
	}
	for (size_t i = 0; i < 8U; i++) {
		zassert_true(fake_accessed(i), "frame %zu's bit cleared before the period", i);
	}
}

ZTEST(eviction_nru, test_the_pass_clears_a_few_frames_per_select)
{
	for (size_t i = 0; i < 16U; i++) {
		fake_map(i);
		t_add(i);
		fake_set_accessed(i, true);
	}
	now_ms += PERIOD;
	(void)fake_lookups_take();
	/* The first PASS_STEP frames are filed in class 0; the first of them goes. */
	zassert_equal(sel(), 0U);
	zassert_equal(fake_lookups_take(), PASS_STEP + 1U);
	for (size_t i = 0; i < 16U; i++) {
		zassert_equal(fake_accessed(i), i >= PASS_STEP, "frame %zu's bit", i);
	}
}

ZTEST(eviction_nru, test_lowest_class_first)
{
	size_t order[8];
	size_t n = 0;

	add_and_pass(8);
	/* Classes after the pass, by the bits set now: 0 1 2 3 0 1 2 3. */
	for (size_t i = 0; i < 8U; i++) {
		fake_set_accessed(i, (i & 2U) != 0U);
		fake_set_dirty(i, (i & 1U) != 0U);
	}
	while (t_set_count() > 0U) {
		order[n] = sel();
		t_remove(order[n]);
		n++;
	}
	for (size_t k = 1; k < n; k++) {
		zassert_true(class_now(order[k - 1]) <= class_now(order[k]),
			     "frame %zu (class %u) went after frame %zu (class %u)", order[k - 1],
			     class_now(order[k - 1]), order[k], class_now(order[k]));
	}
	zassert_equal(order[0], 0U);
	zassert_equal(order[1], 4U);
}

ZTEST(eviction_nru, test_a_frame_without_a_copy_must_be_written)
{
	add_and_pass(2);
	k_mem_page_frame_clear(fake_pf(0), K_MEM_PAGE_FRAME_BACKED);
	zassert_equal(sel(), 1U, "a frame the store has no copy of went before a clean one");
}

ZTEST(eviction_nru, test_used_after_the_pass_moves_up)
{
	add_and_pass(4);
	fake_set_accessed(0, true);
	zassert_equal(sel(), 1U);
	t_remove(1);
	zassert_equal(sel(), 2U);
	t_remove(2);
	zassert_equal(sel(), 3U);
	t_remove(3);
	zassert_equal(sel(), 0U, "the only frame left");
}

ZTEST(eviction_nru, test_frames_of_one_class_take_turns)
{
	add_and_pass(4);
	/* An evicted frame's next page comes back recently used: the others go first. */
	zassert_equal(sel(), 0U);
	t_remove(0);
	t_add(0);
	zassert_equal(sel(), 1U);
	t_remove(1);
	t_add(1);
	zassert_equal(sel(), 2U);
}

static unsigned long max_lookups_with_every_bit_stuck(size_t frames)
{
	unsigned long worst = 0;

	fake_reset();
	k_mem_paging_eviction_init();
	for (size_t i = 0; i < frames; i++) {
		fake_map(i);
		t_add(i);
		fake_set_sticky(i, true);
	}
	for (int k = 0; k < 400; k++) {
		size_t v;

		if (k % 100 == 0) {
			now_ms += PERIOD; /* passes running all along */
		}
		(void)fake_lookups_take();
		v = sel();
		worst = MAX(worst, fake_lookups_take());
		t_remove(v);
		t_add(v);
	}
	return worst;
}

ZTEST(eviction_nru, test_select_lookups_do_not_grow_with_the_frames)
{
	unsigned long small = max_lookups_with_every_bit_stuck(64);
	unsigned long large = max_lookups_with_every_bit_stuck(T_FRAMES);

	zassert_true(large <= MAX_PER_SEL, "%lu lookups in one select over %zu frames", large,
		     (size_t)T_FRAMES);
	zassert_true(small <= MAX_PER_SEL, "%lu lookups in one select over 64 frames", small);
}

ZTEST(eviction_nru, test_random_operations_stay_bounded)
{
	size_t used = 600;
	unsigned long lookups = 0;
	unsigned long selects = 0;

	for (size_t i = 0; i < used; i++) {
		fake_map(i);
	}
	for (int n = 0; n < 20000; n++) {
		size_t i = t_below(used);
		unsigned long l;

		switch (t_below(6)) {
		case 0:
			t_add(i);
			break;
		case 1:
			t_remove(i);
			break;
		case 2:
			fake_set_accessed(i, true);
			break;
		case 3:
			fake_set_dirty(i, !fake_dirty(i));
			break;
		case 4:
			now_ms += 7;
			break;
		default:
			if (t_set_count() == 0U) {
				break;
			}
			(void)fake_lookups_take();
			t_remove(sel());
			l = fake_lookups_take();
			zassert_true(l <= MAX_PER_SEL, "%lu lookups", l);
			lookups += l;
			selects++;
			break;
		}
	}
	zassert_true(selects > 1000U);
	zassert_true(lookups <= 8U * selects, "%lu lookups in %lu selects", lookups, selects);
}
