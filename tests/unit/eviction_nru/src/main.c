/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NRU eviction (kernel/mm/eviction/nru.c): the lowest class first (not
 * accessed before accessed, and among those a frame that needs no write
 * first: clean and BACKED), frames of one class taking turns from just after
 * the last victim, the walk stopping at the first class-0 frame, the
 * accessed bits cleared by a pass that add or select run once a period has
 * elapsed, select classifying with the bits from before that pass; and
 * random operations, time included, against a brute-force model (every
 * frame index in rotation order) that also predicts the number of page
 * lookups and every accessed bit.
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

#define PERIOD CONFIG_EVICTION_NRU_PERIOD

/* ---- the model -------------------------------------------------------------------- */

static size_t m_last_victim;
static int64_t m_last_pass;

static unsigned int m_class(size_t i)
{
	bool must_write =
		fake_dirty(i) || !k_mem_page_frame_is(fake_pf(i), K_MEM_PAGE_FRAME_BACKED);

	return (fake_accessed(i) ? 2U : 0U) + (must_write ? 1U : 0U);
}

static void m_init(void)
{
	m_last_victim = T_FRAMES - 1U;
	m_last_pass = now_ms;
}

static bool m_pass_due(void)
{
	return now_ms - m_last_pass >= PERIOD;
}

/* The accessed bits of every frame: before, and as expected after, an operation. */
static bool bits_expected[T_FRAMES];

static void bits_snapshot(void)
{
	for (size_t i = 0; i < T_FRAMES; i++) {
		bits_expected[i] = fake_accessed(i);
	}
}

/* The pass, on the expected bits; returns the page lookups it costs. */
static unsigned long m_pass(void)
{
	unsigned long lookups = 0;

	for (size_t i = 0; i < T_FRAMES; i++) {
		if (t_in_set(i)) {
			bits_expected[i] = fake_sticky(i);
			lookups++;
		}
	}
	m_last_pass = now_ms;
	return lookups;
}

static void bits_check(void)
{
	for (size_t i = 0; i < T_FRAMES; i++) {
		zassert_equal(fake_accessed(i), bits_expected[i], "accessed bit of frame %zu", i);
	}
}

/* A select checked against the model; returns the victim's index, T_FRAMES for NULL. */
static size_t check_select(void)
{
	size_t victim = T_FRAMES;
	unsigned int best = 4;
	unsigned long lookups = 0;
	bool pass = false;
	struct k_mem_page_frame *pf;
	bool dirty = false;

	bits_snapshot();
	if (t_set_count() > 0U) {
		pass = m_pass_due();
		for (size_t k = 1; k <= T_FRAMES; k++) {
			size_t i = (m_last_victim + k) % T_FRAMES;

			if (!t_in_set(i)) {
				continue;
			}
			lookups++;
			if (m_class(i) < best) {
				best = m_class(i);
				victim = i;
				if (best == 0U && !pass) {
					break;
				}
			}
		}
		if (pass) {
			zassert_equal(m_pass(), lookups);
		}
		m_last_victim = victim;
	}

	(void)fake_lookups_take();
	pf = k_mem_paging_eviction_select(&dirty);
	zassert_equal(fake_lookups_take(), lookups, "page lookups (pass %d)", pass);
	bits_check();
	if (victim == T_FRAMES) {
		zassert_is_null(pf);
		return T_FRAMES;
	}
	zassert_not_null(pf);
	zassert_equal(fake_index(pf), victim, "victim %zu, expected %zu", fake_index(pf), victim);
	zassert_equal(dirty, fake_dirty(victim), "dirty flag of victim %zu", victim);
	return victim;
}

static void check_add(size_t i)
{
	unsigned long lookups = 0;

	bits_snapshot();
	if (!t_in_set(i) && m_pass_due()) {
		lookups = m_pass();
	}
	(void)fake_lookups_take();
	t_add(i);
	zassert_equal(fake_lookups_take(), lookups, "page lookups of add");
	bits_check();
}

static void check_remove(size_t i)
{
	(void)fake_lookups_take();
	t_remove(i);
	zassert_equal(fake_lookups_take(), 0, "remove looked at a page");
}

/* ---- the tests --------------------------------------------------------------------- */

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	fake_reset();
	now_ms = 1000;
	k_mem_paging_eviction_init();
	m_init();
	t_seed(0x2badU);
}

ZTEST_SUITE(eviction_nru, NULL, NULL, before, NULL, NULL);

/* Frame i mapped in class c (BACKED). */
static void map_in_class(size_t i, unsigned int c)
{
	fake_map(i);
	fake_set_accessed(i, (c & 2U) != 0U);
	fake_set_dirty(i, (c & 1U) != 0U);
}

ZTEST(eviction_nru, test_lowest_class_first)
{
	static const size_t f[] = {40, 41, 42, 43};

	for (unsigned int c = 0; c < 4U; c++) {
		map_in_class(f[c], 3U - c); /* classes 3, 2, 1, 0 in index order */
		check_add(f[c]);
	}
	for (unsigned int c = 0; c < 4U; c++) {
		size_t victim = check_select();

		zassert_equal(victim, f[3U - c], "class %u", c);
		check_remove(victim);
	}
	zassert_equal(check_select(), T_FRAMES);
}

ZTEST(eviction_nru, test_a_frame_without_a_copy_must_be_written)
{
	map_in_class(10, 0);
	k_mem_page_frame_clear(fake_pf(10), K_MEM_PAGE_FRAME_BACKED); /* clean, but no copy */
	map_in_class(20, 1);                                          /* dirty */
	map_in_class(30, 0);                                          /* clean, with a copy */
	check_add(10);
	check_add(20);
	check_add(30);
	zassert_equal(check_select(), 30);
	check_remove(30);
	/* 10 and 20 are both class 1; the walk starts after 30 and wraps to 10. */
	zassert_equal(check_select(), 10);
	zassert_equal(check_select(), 20);
}

ZTEST(eviction_nru, test_dirty_flag_is_the_victims)
{
	bool dirty = true;

	map_in_class(7, 1);
	map_in_class(8, 0);
	check_add(7);
	check_add(8);
	zassert_equal(fake_index(k_mem_paging_eviction_select(&dirty)), 8);
	zassert_false(dirty);
	check_remove(8);
	zassert_equal(fake_index(k_mem_paging_eviction_select(&dirty)), 7);
	zassert_true(dirty);
}

ZTEST(eviction_nru, test_frames_of_one_class_take_turns)
{
	map_in_class(100, 0);
	map_in_class(200, 1);
	map_in_class(300, 0);
	check_add(100);
	check_add(200);
	check_add(300);
	for (int round = 0; round < 3; round++) {
		zassert_equal(check_select(), 100);
		zassert_equal(check_select(), 300);
	}
}

ZTEST(eviction_nru, test_the_walk_starts_after_the_last_victim)
{
	map_in_class(10, 0);
	map_in_class(20, 0);
	map_in_class(30, 0);
	map_in_class(5, 0);
	check_add(10);
	check_add(20);
	check_add(30);
	zassert_equal(check_select(), 10);
	check_remove(10);
	check_add(5); /* before the last victim: its turn comes after the wrap */
	zassert_equal(check_select(), 20);
	check_remove(20);
	zassert_equal(check_select(), 30);
	check_remove(30);
	zassert_equal(check_select(), 5);
}

ZTEST(eviction_nru, test_rotation_across_words_and_the_wrap)
{
	static const size_t f[] = {0, 31, 32, 63, 64, 65, 500, T_FRAMES - 1U};

	for (size_t k = 0; k < ARRAY_SIZE(f); k++) {
		map_in_class(f[k], 0);
		check_add(f[k]);
	}
	for (int round = 0; round < 2; round++) {
		for (size_t k = 0; k < ARRAY_SIZE(f); k++) {
			zassert_equal(check_select(), f[k]);
		}
	}
}

ZTEST(eviction_nru, test_the_walk_stops_at_the_first_class_0_frame)
{
	for (size_t i = 0; i < 100; i++) {
		map_in_class(i, i < 60U ? 3U : 0U);
		check_add(i);
	}
	(void)fake_lookups_take();
	zassert_equal(check_select(), 60); /* check_select() counts 61 lookups */
	zassert_equal(check_select(), 61); /* one lookup */
}

ZTEST(eviction_nru, test_no_pass_before_the_period)
{
	for (size_t i = 0; i < 10; i++) {
		map_in_class(i, 2);
		check_add(i);
	}
	now_ms += PERIOD - 1;
	zassert_equal(check_select(), 0);
	check_add(10);
	for (size_t i = 0; i < 10; i++) {
		zassert_true(fake_accessed(i), "bit of frame %zu cleared within the period", i);
	}
}

ZTEST(eviction_nru, test_pass_in_select_uses_the_bits_from_before_it)
{
	for (size_t i = 0; i < 10; i++) {
		map_in_class(i, i == 7U ? 1U : 2U);
		check_add(i);
	}
	now_ms += PERIOD;
	/* Class 1 (7) beats class 2, though after the pass every frame is class 0 or 1. */
	zassert_equal(check_select(), 7);
	for (size_t i = 0; i < 10; i++) {
		zassert_false(fake_accessed(i), "bit of frame %zu not cleared by the pass", i);
	}
	/* Now the classes are the cleared ones: 8 is class 0, right after the victim. */
	zassert_equal(check_select(), 8);
}

ZTEST(eviction_nru, test_pass_in_add)
{
	for (size_t i = 0; i < 10; i++) {
		map_in_class(i, 2);
		check_add(i);
	}
	map_in_class(50, 2);
	now_ms += PERIOD + 5;
	check_add(50); /* 10 lookups, every bit but 50's cleared */
	zassert_true(fake_accessed(50), "the frame being added was looked at");
	/* The period restarts at the pass: none 1 ms short of it, one at it. */
	now_ms += PERIOD - 1;
	for (size_t i = 0; i < 10; i++) {
		fake_set_accessed(i, true);
	}
	zassert_equal(check_select(), 0);
	zassert_true(fake_accessed(1));
	now_ms += 1;
	zassert_equal(check_select(), 1);
	zassert_false(fake_accessed(1));
}

ZTEST(eviction_nru, test_random_operations_against_the_model)
{
	static const struct {
		size_t used, stride;
		int ops;
	} runs[] = {{40, 25, 30000}, {T_FRAMES, 1, 6000}};

	for (size_t r = 0; r < ARRAY_SIZE(runs); r++) {
		size_t used = runs[r].used, stride = runs[r].stride;

		for (size_t k = 0; k < used; k++) {
			fake_map(k * stride);
		}
		for (int n = 0; n < runs[r].ops; n++) {
			size_t i = t_below(used) * stride;
			size_t victim;

			switch (t_below(10)) {
			case 0:
			case 1:
				check_add(i);
				break;
			case 2:
				check_remove(i);
				break;
			case 3:
				if (t_below(16) == 0U) {
					fake_set_sticky(i, !fake_sticky(i));
				} else {
					fake_set_accessed(i, true);
				}
				break;
			case 4:
				fake_set_dirty(i, !fake_dirty(i));
				break;
			case 5:
				if (k_mem_page_frame_is(fake_pf(i), K_MEM_PAGE_FRAME_BACKED)) {
					k_mem_page_frame_clear(fake_pf(i), K_MEM_PAGE_FRAME_BACKED);
				} else {
					k_mem_page_frame_set(fake_pf(i), K_MEM_PAGE_FRAME_BACKED);
				}
				break;
			case 6:
				now_ms += (int64_t)t_below(PERIOD / 4);
				break;
			case 7:
				(void)check_select();
				break;
			default:
				victim = check_select();
				if (victim != T_FRAMES) {
					check_remove(victim);
				}
				break;
			}
		}
		while ((t_set_count() > 0U)) {
			check_remove(check_select());
		}
		zassert_equal(check_select(), T_FRAMES);
	}
}
