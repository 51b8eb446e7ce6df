/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every eviction algorithm must do, whatever its policy: the suite
 * each of tests/unit/eviction_nru, _lru and _clock links (with the one
 * algorithm it tests).
 *
 * select returns only evictable frames, never a removed one, NULL when
 * there is none, and the dirty bit of the page of the frame it returns;
 * add and remove are idempotent; add, remove and accessed look at no page;
 * select looks at evictable frames only (the fake fails the test on any
 * other), at most once each plus one; misuse the interface forbids trips
 * an assertion. NRU's periodic pass never runs here: time stands still.
 */
#include <eviction_fake.h>
#include <ztest.h>

#define RANDOM_OPS 20000

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	fake_reset();
	k_mem_paging_eviction_init();
	t_seed(0x5eed1234U);
}

ZTEST_SUITE(eviction_interface, NULL, NULL, before, NULL, NULL);

/* A checked select: a frame of the set (NULL iff it is empty), its dirty bit, bounded lookups. */
static struct k_mem_page_frame *checked_select(void)
{
	bool dirty = false;
	struct k_mem_page_frame *pf;
	size_t i;
	unsigned long lookups;

	(void)fake_lookups_take();
	pf = k_mem_paging_eviction_select(&dirty);
	lookups = fake_lookups_take();
	if (t_set_count() == 0U) {
		zassert_is_null(pf, "a victim from an empty set");
		zassert_equal(lookups, 0, "%lu lookups with nothing evictable", lookups);
		return NULL;
	}
	zassert_not_null(pf, "no victim among %zu evictable frames", t_set_count());
	i = fake_index(pf);
	zassert_true(t_in_set(i), "victim %zu is not evictable", i);
	zassert_equal(dirty, fake_dirty(i), "dirty flag of victim %zu", i);
	zassert_true(lookups >= 1U && lookups <= t_set_count() + 1U,
		     "%lu lookups for %zu evictable frames", lookups, t_set_count());
	return pf;
}

ZTEST(eviction_interface, test_empty_set_selects_null)
{
	checked_select();
	fake_map(3);
	t_add(3);
	t_remove(3);
	checked_select();
}

ZTEST(eviction_interface, test_drain_returns_each_frame_once)
{
	static bool seen[T_FRAMES];

	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < T_FRAMES; i++) {
		fake_map(i);
		fake_set_dirty(i, (t_random() & 1U) != 0U);
		fake_set_accessed(i, (t_random() & 1U) != 0U);
		if ((t_random() & 1U) != 0U) {
			t_add(i);
		}
	}
	for (size_t n = t_set_count(); n > 0; n--) {
		size_t i = fake_index(checked_select());

		zassert_false(seen[i], "frame %zu chosen after its removal", i);
		seen[i] = true;
		t_remove(i);
	}
	zassert_is_null(checked_select());
}

ZTEST(eviction_interface, test_removed_frames_never_chosen)
{
	for (size_t i = 0; i < 40; i++) {
		fake_map(i * 25U);
		t_add(i * 25U);
	}
	for (size_t i = 1; i < 40; i += 2) {
		t_remove(i * 25U);
	}
	for (int round = 0; round < 100; round++) {
		size_t i = fake_index(checked_select());

		zassert_equal(i % 50U, 0, "removed frame %zu chosen", i);
		fake_set_accessed(t_below(40) * 25U, true);
		fake_set_accessed(t_below(20) * 50U, true);
	}
}

ZTEST(eviction_interface, test_add_and_remove_are_idempotent)
{
	fake_map(7);
	fake_map(8);
	t_add(7);
	t_add(7);
	zassert_equal(fake_index(checked_select()), 7);
	t_remove(7);
	checked_select(); /* NULL: a second add did not count twice */
	t_remove(7);
	t_remove(8); /* never added */
	checked_select();
	t_add(8);
	zassert_equal(fake_index(checked_select()), 8);
	t_add(7);
	t_remove(8);
	zassert_equal(fake_index(checked_select()), 7);
}

ZTEST(eviction_interface, test_updates_look_at_no_page)
{
	for (size_t i = 0; i < T_FRAMES; i++) {
		fake_map(i);
		fake_set_accessed(i, true);
	}
	(void)fake_lookups_take();
	for (int n = 0; n < 5000; n++) {
		size_t i = t_below(T_FRAMES);

		switch (t_below(3)) {
		case 0:
			t_add(i);
			break;
		case 1:
			t_remove(i);
			break;
		default:
			k_mem_paging_eviction_accessed(fake_phys(i));
			break;
		}
	}
	zassert_equal(fake_lookups, 0, "add/remove/accessed looked up %lu pages", fake_lookups);
}

ZTEST(eviction_interface, test_select_ignores_frames_outside_the_set)
{
	/* Every frame mapped, a scattered few evictable: only those may be looked at. */
	for (size_t i = 0; i < T_FRAMES; i++) {
		fake_map(i);
		fake_set_accessed(i, true);
		fake_set_dirty(i, (i & 2U) != 0U);
	}
	for (size_t i = 5; i < T_FRAMES; i += 97U) {
		t_add(i);
	}
	for (int round = 0; round < 200; round++) {
		size_t i = fake_index(checked_select());

		if (round % 3 == 0) {
			t_remove(i);
			t_add((i + 97U * 3U) % T_FRAMES);
		}
		fake_set_accessed(t_below(T_FRAMES), true);
	}
}

ZTEST(eviction_interface, test_random_operations_against_the_set)
{
	size_t used = 300;

	for (size_t i = 0; i < used; i++) {
		fake_map(i * 3U);
	}
	for (int n = 0; n < RANDOM_OPS; n++) {
		size_t i = t_below(used) * 3U;
		struct k_mem_page_frame *pf;

		switch (t_below(8)) {
		case 0:
		case 1:
			t_add(i);
			break;
		case 2:
			t_remove(i);
			break;
		case 3:
			fake_set_accessed(i, true);
			break;
		case 4:
			fake_set_dirty(i, !fake_dirty(i));
			break;
		case 5:
			k_mem_paging_eviction_accessed(fake_phys(i));
			break;
		case 6:
			(void)checked_select();
			break;
		default:
			/* A fault's eviction: select, then the core removes the victim. */
			pf = checked_select();
			if (pf != NULL) {
				t_remove(fake_index(pf));
			}
			break;
		}
	}
}

/* ---- misuse the interface forbids: assertions ---------------------------------- */

ZTEST(eviction_interface, test_page_not_present_asserts)
{
	bool dirty;

	fake_map(9);
	t_add(9);
	fake_set_present(9, false); /* paged out without a remove */
	ztest_set_assert_valid(true);
	(void)k_mem_paging_eviction_select(&dirty);
	zassert_unreachable("select used a frame whose page is not in it");
}

ZTEST(eviction_interface, test_pinned_frame_in_set_asserts)
{
	bool dirty;

	fake_map(9);
	t_add(9);
	k_mem_page_frame_set(fake_pf(9), K_MEM_PAGE_FRAME_PINNED); /* pinned without a remove */
	ztest_set_assert_valid(true);
	(void)k_mem_paging_eviction_select(&dirty);
	zassert_unreachable("select used a pinned frame");
}

ZTEST(eviction_interface, test_add_of_a_non_frame_asserts)
{
	ztest_set_assert_valid(true);
	k_mem_paging_eviction_add(&k_mem_page_frames[T_FRAMES]);
	zassert_unreachable("add accepted a pointer past the frame database");
}

ZTEST(eviction_interface, test_accessed_outside_ram_asserts)
{
	ztest_set_assert_valid(true);
	k_mem_paging_eviction_accessed(K_MEM_PHYS_RAM_END);
	zassert_unreachable("accessed accepted an address outside RAM");
}
