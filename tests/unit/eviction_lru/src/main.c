/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LRU eviction (kernel/mm/eviction/clock.c with CONFIG_EVICTION_LRU):
 * least recently used first, a frame reported with accessed() or found
 * with its accessed bit set going to the tail (the bit cleared), at most
 * min(E, 32) skips, new frames at the tail; and random operations against the order model
 * (ring_model.c). The suite every algorithm passes is eviction_common/interface_tests.c.
 */
#include <eviction_fake.h>
#include <ring_model.h>
#include <ztest.h>

/* Shorthands for the shared fixture frames (ring_model.h). */
static const size_t *const f = ring_fixture;
#define NF RING_FIXTURE_FRAMES

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	ring_fixture_reset(0x1badb002U);
}

ZTEST_SUITE(eviction_lru, NULL, NULL, before, NULL, NULL);

ZTEST(eviction_lru, test_least_recently_added_first)
{
	static const size_t want[] = {0, 1, 2, 3, 4, 5, 6, 7};

	ring_fixture_add_all();
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_lru, test_select_leaves_the_victim_queued)
{
	ring_fixture_add_all();
	zassert_equal(ring_model_check_select(), f[0]);
	zassert_equal(ring_model_check_select(), f[0], "not removed, still the head");
}

ZTEST(eviction_lru, test_accessed_moves_to_the_tail)
{
	static const size_t want[] = {1, 3, 4, 5, 6, 7, 2, 0};

	ring_fixture_add_all();
	ring_model_accessed(f[2], true);
	ring_model_accessed(f[0], true);
	(void)fake_lookups_take();
	ring_model_accessed(f[0], true); /* already the tail */
	zassert_equal(fake_lookups_take(), 0, "accessed looked at a page");
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_lru, test_accessed_bit_sends_the_head_to_the_tail)
{
	static const size_t want[] = {6, 7, 0, 1, 3, 4, 5};

	ring_fixture_add_all();
	for (size_t k = 0; k < 6; k++) {
		fake_set_accessed(f[k], k != 2U);
	}
	/* 0 and 1 go to the tail with their bits cleared; 2 is taken. */
	zassert_equal(ring_model_check_select(), f[2]);
	zassert_false(fake_accessed(f[0]) || fake_accessed(f[1]), "skipped bits not cleared");
	zassert_true(fake_accessed(f[3]) && fake_accessed(f[5]), "bits beyond the victim cleared");
	ring_model_remove(f[2]);
	/* 3, 4, 5 are accessed too: to the tail behind 0 and 1. */
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_lru, test_all_accessed_takes_the_head_after_one_lap)
{
	ring_fixture_add_all();
	for (size_t k = 0; k < NF; k++) {
		fake_set_accessed(f[k], true);
	}
	(void)fake_lookups_take();
	zassert_equal(ring_model_check_select(), f[0]);
	for (size_t k = 0; k < NF; k++) {
		zassert_false(fake_accessed(f[k]), "bit of %zu survived the lap", f[k]);
	}
}

ZTEST(eviction_lru, test_new_frames_join_at_the_tail)
{
	static const size_t want[] = {1, 0, 2, 3};

	ring_model_add(f[0]);
	ring_model_add(f[1]);
	ring_model_accessed(f[0], true);
	ring_model_add(f[2]);
	ring_model_add(f[0]); /* already queued: stays where it is */
	ring_model_add(f[3]);
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_lru, test_accessed_of_an_unqueued_frame_changes_nothing)
{
	static const size_t want[] = {0, 1, 2};

	ring_model_add(f[0]);
	ring_model_add(f[1]);
	ring_model_accessed(f[2], true); /* not queued: the model ignores it too */
	ring_model_add(f[2]);
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_lru, test_sweep_is_bounded_when_every_page_stays_in_use)
{
	/* Bits that cannot be cleared: one lap, then the head is taken anyway. */
	ring_fixture_add_all();
	for (size_t k = 0; k < NF; k++) {
		fake_set_sticky(f[k], true);
	}
	zassert_equal(ring_model_check_select(), f[0]); /* NF + 1 lookups */
	fake_set_sticky(f[0], false);
	fake_set_accessed(f[0], false);
	zassert_equal(ring_model_check_select(), f[0]); /* not accessed: 1 lookup */
}

ZTEST(eviction_lru, test_every_frame_queued)
{
	size_t n;

	for (size_t i = 0; i < T_FRAMES; i++) {
		fake_map(i);
		ring_model_add((i * 7U) % T_FRAMES);
	}
	n = ring_model_check_drain(NULL);
	zassert_equal(n, T_FRAMES);
}

ZTEST(eviction_lru, test_random_operations_against_the_order_model)
{
	ring_model_random_run(40, 25, 30000, true);
	ring_model_random_run(T_FRAMES, 1, 10000, true);
}
