/* SPDX-License-Identifier: Apache-2.0 */
/*
 * z_eviction_replace() (the page-fault path's hand-over of a victim's
 * frame to the page brought in) against what it stands for, the
 * interface's remove then add: the same traces played both ways must pick
 * the same victims with the same page lookups, for every algorithm.
 */
#include <eviction_fake.h>
#include <trace_sim.h>
#include <ztest.h>

static uint16_t seq[6000];

static void same_both_ways(const uint16_t *s, size_t len, size_t frames, size_t hot)
{
	struct trace_result apart, fused;

	trace_replace = false;
	trace_run(s, len, frames, frames, hot, &apart);
	trace_replace = true;
	trace_run(s, len, frames, frames, hot, &fused);
	trace_replace = false;
	zassert_true(apart.selects > 0U, "the trace never evicted");
	zassert_equal(apart.faults, fused.faults, "faults %lu apart, %lu fused", apart.faults,
		      fused.faults);
	zassert_equal(apart.selects, fused.selects);
	zassert_equal(apart.lookups, fused.lookups, "lookups %lu apart, %lu fused", apart.lookups,
		      fused.lookups);
	zassert_equal(apart.victims, fused.victims, "another victim order");
}

ZTEST(eviction_replace, test_replace_is_remove_then_add_on_loops)
{
	size_t len = trace_cyclic(seq, 120, 8);

	same_both_ways(seq, len, 100, 0);
}

ZTEST(eviction_replace, test_replace_is_remove_then_add_on_a_hot_set)
{
	t_seed(7);
	size_t len = trace_hotset(seq, ARRAY_SIZE(seq), 400, 50);

	same_both_ways(seq, len, 100, 50);
}

ZTEST_SUITE(eviction_replace, NULL, NULL, NULL, NULL, NULL);
