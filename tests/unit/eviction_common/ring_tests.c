/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ring's bounded select (eviction_common.h's z_eviction_ring_select()),
 * which CLOCK and LRU share (kernel/mm/eviction/clock.c, built both ways):
 * however many frames were used since the last look, one select makes at
 * most Z_EVICTION_RING_MAX_SKIPS + 1 lookups.
 */
#include <eviction_fake.h>
#include <ring_model.h>
#include <trace_sim.h>
#include <ztest.h>

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	ring_fixture_reset(0x51e9e7U);
}

ZTEST_SUITE(eviction_ring, NULL, NULL, before, NULL, NULL);

/*
 * A loop over one page more than the frames, every page used between two
 * faults: each select stops after Z_EVICTION_RING_MAX_SKIPS skips.
 */
ZTEST(eviction_ring, test_loop_just_past_ram_selects_in_bounded_lookups)
{
	static uint16_t seq[6 * 65];
	struct trace_result r;
	size_t len = trace_cyclic(seq, 65, 6);

	trace_run(seq, len, 64, 0, 0, &r);
	zassert_true(r.selects > 0U);
	zassert_true(r.max_lookups <= 33U, "%lu lookups in one select", r.max_lookups);
}

/* O(1) select counted in steps: every frame used between two selects costs 33 lookups, not E + 1.
 */
ZTEST(eviction_ring, test_select_lookups_bounded_with_every_frame_used)
{
	for (size_t i = 0; i < T_FRAMES; i++) {
		fake_map(i);
		ring_model_add(i);
		fake_set_sticky(i, true);
	}
	(void)fake_lookups_take();
	(void)ring_model_check_select(); /* checks the victim and the count against the model */
	zassert_true(fake_lookups_take() == 0U);
	ring_model_remove(ring_model_at(0));
	(void)ring_model_check_select();
}
