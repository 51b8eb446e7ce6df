/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CLOCK eviction (kernel/mm/eviction/clock.c): the hand sweeps, clearing
 * accessed bits, and takes the first frame not accessed; a frame accessed
 * since the hand passed gets a second chance, and is taken on the next turn
 * unless used again; new frames go just behind the hand; removing the frame
 * under the hand moves the hand on; accessed() changes nothing; and random
 * operations against the order model (ring_model.c, position 0 = the hand).
 * The suite every algorithm passes is eviction_common/interface_tests.c.
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
	ring_fixture_reset(0xc10c4U);
}

ZTEST_SUITE(eviction_clock, NULL, NULL, before, NULL, NULL);

ZTEST(eviction_clock, test_sweep_clears_bits_up_to_the_victim)
{
	ring_fixture_add_all();
	fake_set_accessed(f[0], true);
	fake_set_accessed(f[1], true);
	fake_set_accessed(f[3], true);
	fake_set_accessed(f[5], true);
	(void)fake_lookups_take();
	zassert_equal(ring_model_check_select(), f[2]);
	zassert_false(fake_accessed(f[0]) || fake_accessed(f[1]), "swept bits not cleared");
	zassert_true(fake_accessed(f[3]) && fake_accessed(f[5]), "bits past the hand cleared");
}

/* 0 is spared (bit cleared), 1 goes and comes back behind the hand: from the hand 2..7, 0, 1. */
static void spare_0_evict_1(void)
{
	ring_fixture_add_all();
	fake_set_accessed(f[0], true);
	zassert_equal(ring_model_check_select(), f[1]);
	zassert_false(fake_accessed(f[0]), "the spared frame's bit is still set");
	zassert_equal(ring_model_check_select(), f[1], "select moved the hand off its victim");
	ring_model_remove(f[1]);
	ring_model_add(f[1]);
}

ZTEST(eviction_clock, test_spared_frame_goes_on_the_next_turn)
{
	static const size_t want[] = {2, 3, 4, 5, 6, 7, 0, 1};

	spare_0_evict_1();
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_clock, test_frame_used_again_is_spared_again)
{
	static const size_t want[] = {2, 3, 4, 5, 6, 7, 1, 0};

	spare_0_evict_1();
	fake_set_accessed(f[0], true);
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_clock, test_new_frames_go_behind_the_hand)
{
	static const size_t want[] = {2, 0, 1, 3};

	ring_model_add(f[0]);
	ring_model_add(f[1]);
	ring_model_add(f[2]);
	fake_set_accessed(f[0], true);
	fake_set_accessed(f[1], true);
	zassert_equal(ring_model_check_select(), f[2]); /* from the hand: 2, 0, 1 */
	ring_model_add(f[3]);                           /* behind the hand: after 1 */
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_clock, test_removing_the_frame_under_the_hand_moves_it_on)
{
	static const size_t want[] = {4, 5, 6, 7, 0, 1, 2};

	ring_fixture_add_all();
	for (size_t k = 0; k < 3; k++) {
		fake_set_accessed(f[k], true);
	}
	zassert_equal(ring_model_check_select(), f[3]);
	ring_model_remove(f[3]);
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_clock, test_accessed_changes_nothing)
{
	static const size_t want[] = {0, 1, 2, 3, 4, 5, 6, 7};

	ring_fixture_add_all();
	(void)fake_lookups_take();
	for (size_t k = 0; k < NF; k++) {
		ring_model_accessed(f[k], false);
	}
	zassert_equal(fake_lookups_take(), 0, "accessed looked at a page");
	ring_fixture_expect_order(want, ARRAY_SIZE(want));
}

ZTEST(eviction_clock, test_all_accessed_takes_the_hand_after_one_turn)
{
	ring_fixture_add_all();
	for (size_t k = 0; k < NF; k++) {
		fake_set_accessed(f[k], true);
	}
	zassert_equal(ring_model_check_select(), f[0]);
	for (size_t k = 0; k < NF; k++) {
		zassert_false(fake_accessed(f[k]), "bit of %zu survived the turn", f[k]);
	}
}

ZTEST(eviction_clock, test_sweep_is_bounded_when_every_page_stays_in_use)
{
	/* Bits that cannot be cleared: one turn, then the hand is taken anyway. */
	ring_fixture_add_all();
	for (size_t k = 0; k < NF; k++) {
		fake_set_sticky(f[k], true);
	}
	zassert_equal(ring_model_check_select(), f[0]); /* NF + 1 lookups */
	fake_set_sticky(f[0], false);
	fake_set_accessed(f[0], false);
	zassert_equal(ring_model_check_select(), f[0]); /* not accessed: 1 lookup */
}

ZTEST(eviction_clock, test_every_frame_on_the_clock)
{
	for (size_t i = 0; i < T_FRAMES; i++) {
		fake_map(i);
		ring_model_add((i * 7U) % T_FRAMES);
		fake_set_accessed(i, (i % 3U) == 0U);
	}
	zassert_equal(ring_model_check_drain(NULL), T_FRAMES);
}

ZTEST(eviction_clock, test_random_operations_against_the_order_model)
{
	ring_model_random_run(40, 25, 30000, false);
	ring_model_random_run(T_FRAMES, 1, 10000, false);
}
