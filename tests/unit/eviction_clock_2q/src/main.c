/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CLOCK-2Q eviction (kernel/mm/eviction/clock_2q.c) on synthetic traces:
 * loops just past RAM and up to twice RAM fault at most twice as often as
 * Belady's OPT in their steady passes (where LRU/CLOCK fault on every
 * access); one-pass scans of cold pages do not flush a hot set; a fresh
 * page costs one look, a page faulted back in soon is kept over one not;
 * select makes a bounded number of page lookups whatever the number of
 * frames, even with every accessed bit set for good.
 * The suite every algorithm passes is eviction_common/interface_tests.c.
 */
#include <eviction_fake.h>
#include <trace_sim.h>
#include <ztest.h>

#define F 64U

static uint16_t seq[8192];

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	fake_reset();
	k_mem_paging_eviction_init();
	t_seed(0xc2c2U);
}

ZTEST_SUITE(eviction_clock_2q, NULL, NULL, before, NULL, NULL);

static void check_cyclic(size_t n)
{
	struct trace_result r;
	size_t passes = 6;
	size_t len = trace_cyclic(seq, n, passes);
	size_t window = 3U * n; /* the last three passes */
	unsigned long opt = trace_opt(seq, len, F, window);

	trace_run(seq, len, F, window, 0, &r);
	zassert_true(opt > 0U);
	zassert_true(r.faults <= 2U * opt, "N = %zu, F = %u: %lu faults in 3 passes, OPT %lu", n, F,
		     r.faults, opt);
}

ZTEST(eviction_clock_2q, test_loop_just_past_ram_within_twice_opt)
{
	check_cyclic(F + F * 3U / 100U + 1U); /* 1.03 F, rounded up: at least one page over */
}

ZTEST(eviction_clock_2q, test_loop_of_one_and_a_half_ram_within_twice_opt)
{
	check_cyclic(F * 3U / 2U);
}

ZTEST(eviction_clock_2q, test_loop_of_twice_ram_within_twice_opt)
{
	check_cyclic(2U * F);
}

ZTEST(eviction_clock_2q, test_one_pass_scans_do_not_flush_the_hot_set)
{
	struct trace_result r;
	size_t n = 4U * F;
	size_t len = trace_hotset(seq, 40U * F, n, F / 2U);
	size_t window = len / 4U;

	trace_run(seq, len, F, window, F / 2U, &r);
	zassert_true(r.hot_accesses > 1000U);
	zassert_true(r.hot_faults * 100U <= r.hot_accesses,
		     "%lu faults on hot pages in %lu hot accesses (more than 1 %%)", r.hot_faults,
		     r.hot_accesses);
	zassert_true(r.faults > 0U, "the cold scans must fault");
}

/* Frames 0..7 added in order, each with the bit its faulting access set. */
static void add_eight_used(void)
{
	for (size_t i = 0; i < 8U; i++) {
		fake_map(i);
		t_add(i);
		fake_set_accessed(i, true);
	}
}

ZTEST(eviction_clock_2q, test_the_faulting_access_alone_protects_nothing)
{
	bool dirty;

	add_eight_used();
	/*
	 * Each page's bit is only its faulting access's: 0..6 fill protected's
	 * share (7 of 8) with one look each, which clears it, and 7, the
	 * last one, is the victim at its first look.
	 */
	(void)fake_lookups_take();
	zassert_equal(fake_index(k_mem_paging_eviction_select(&dirty)), 7U);
	zassert_equal(fake_lookups_take(), 8U, "one look a fresh page");
	for (size_t i = 0; i < 8U; i++) {
		zassert_false(fake_accessed(i), "frame %zu's bit was not consumed", i);
	}
	zassert_equal(fake_index(k_mem_paging_eviction_select(&dirty)), 7U);
}

/* 0..6 protected and idle, 7 evicted; 7 faults back in (its bit set by that fault). */
static void refault_seven(void)
{
	bool dirty;

	add_eight_used();
	zassert_equal(fake_index(k_mem_paging_eviction_select(&dirty)), 7U);
	t_remove(7);
	fake_map(7);
	t_add(7);
	fake_set_accessed(7, true);
}

/* As refault_seven(), and 8 is new. */
static void refault_seven_and_add_eight(void)
{
	refault_seven();
	fake_map(8);
	t_add(8);
	fake_set_accessed(8, true);
}

ZTEST(eviction_clock_2q, test_page_refaulted_soon_is_kept_over_one_not)
{
	bool dirty;

	/*
	 * 7 came back soon after its eviction: it takes the place of the
	 * idle protected page under the hand (0), which is the victim, or
	 * the newcomer 8 (faulted once, not used since) is.
	 */
	refault_seven_and_add_eight();
	for (int k = 0; k < 4; k++) {
		size_t v = fake_index(k_mem_paging_eviction_select(&dirty));

		zassert_not_equal(v, 7U, "the refaulted page was chosen");
		if (v == 0U || v == 8U) {
			return;
		}
	}
	ztest_test_fail();
}

ZTEST(eviction_clock_2q, test_refaulted_page_against_busy_protected_is_only_seen)
{
	bool dirty;

	/*
	 * Every protected page busy: the refaulted 7 cannot trade places, so
	 * it goes back to probation looked at (its bit cleared): not used
	 * since, it is the victim after all.
	 */
	refault_seven();
	for (size_t i = 0; i < 7U; i++) {
		fake_set_accessed(i, true);
	}
	zassert_equal(fake_index(k_mem_paging_eviction_select(&dirty)), 7U);
	zassert_false(fake_accessed(7), "7's bit was not cleared when it was sent back");
}

static unsigned long max_lookups_with_every_bit_stuck(size_t frames)
{
	unsigned long worst = 0;
	bool dirty;

	fake_reset();
	k_mem_paging_eviction_init();
	for (size_t i = 0; i < frames; i++) {
		fake_map(i);
		t_add(i);
		fake_set_sticky(i, true);
	}
	for (int k = 0; k < 200; k++) {
		size_t v;

		(void)fake_lookups_take();
		v = fake_index(k_mem_paging_eviction_select(&dirty));
		worst = MAX(worst, fake_lookups_take());
		t_remove(v);
		t_add(v);
	}
	return worst;
}

ZTEST(eviction_clock_2q, test_select_lookups_do_not_grow_with_the_frames)
{
	unsigned long small = max_lookups_with_every_bit_stuck(64);
	unsigned long large = max_lookups_with_every_bit_stuck(T_FRAMES);

	zassert_true(large <= 33U, "%lu lookups in one select over %zu frames", large,
		     (size_t)T_FRAMES);
	zassert_equal(small, large, "%lu lookups over 64 frames, %lu over %zu", small, large,
		      (size_t)T_FRAMES);
}

ZTEST(eviction_clock_2q, test_loop_lookups_per_fault_are_few)
{
	struct trace_result r;
	size_t len = trace_cyclic(seq, 2U * F, 6);

	trace_run(seq, len, F, 0, 0, &r);
	zassert_true(r.lookups <= 4U * r.selects, "%lu lookups in %lu selects", r.lookups,
		     r.selects);
}
