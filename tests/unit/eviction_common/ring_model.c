/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The second-chance order model of LRU and CLOCK (see ring_model.h).
 */
#include <eviction_fake.h>
#include <ring_model.h>
#include <string.h>
#include <ztest.h>

static size_t order[T_FRAMES];
static size_t count;

void ring_model_reset(void)
{
	count = 0;
}

static bool find(size_t i, size_t *pos)
{
	for (size_t p = 0; p < count; p++) {
		if (order[p] == i) {
			*pos = p;
			return true;
		}
	}
	return false;
}

static void erase(size_t pos)
{
	memmove(&order[pos], &order[pos + 1U], (count - pos - 1U) * sizeof(order[0]));
	count--;
}

void ring_model_add(size_t i)
{
	size_t pos;

	t_add(i);
	if (!find(i, &pos)) {
		order[count++] = i;
	}
}

void ring_model_remove(size_t i)
{
	size_t pos;

	t_remove(i);
	if (find(i, &pos)) {
		erase(pos);
	}
}

void ring_model_accessed(size_t i, bool to_tail)
{
	size_t pos;

	k_mem_paging_eviction_accessed(fake_phys(i));
	if (to_tail && find(i, &pos)) {
		erase(pos);
		order[count++] = i;
	}
}

size_t ring_model_count(void)
{
	return count;
}

size_t ring_model_at(size_t pos)
{
	return order[pos];
}

size_t ring_model_check_select(void)
{
	static bool accessed_after[T_FRAMES];
	size_t victim = T_FRAMES;
	unsigned long lookups = 0;
	struct k_mem_page_frame *pf;
	bool dirty = false;

	for (size_t i = 0; i < T_FRAMES; i++) {
		accessed_after[i] = fake_accessed(i);
	}
	/* Position 0 accessed: clear, rotate, look again; after a whole lap take it anyway. */
	for (size_t skipped = 0; count > 0U; skipped++) {
		size_t head = order[0];
		bool accessed = accessed_after[head];

		lookups++;
		accessed_after[head] = fake_sticky(head);
		/* The sweep's bound (Z_EVICTION_RING_MAX_SKIPS of eviction_common.h). */
		if (!accessed || skipped == MIN(count, (size_t)32)) {
			victim = head;
			break;
		}
		memmove(&order[0], &order[1], (count - 1U) * sizeof(order[0]));
		order[count - 1U] = head;
	}

	(void)fake_lookups_take();
	pf = k_mem_paging_eviction_select(&dirty);
	zassert_equal(fake_lookups_take(), lookups, "page lookups");
	if (victim == T_FRAMES) {
		zassert_is_null(pf);
		return T_FRAMES;
	}
	zassert_not_null(pf);
	zassert_equal(fake_index(pf), victim, "victim %zu, expected %zu", fake_index(pf), victim);
	zassert_equal(dirty, fake_dirty(victim));
	for (size_t i = 0; i < T_FRAMES; i++) {
		zassert_equal(fake_accessed(i), accessed_after[i], "accessed bit of frame %zu", i);
	}
	return victim;
}

size_t ring_model_check_drain(size_t *out)
{
	size_t n = 0;

	for (size_t victim = ring_model_check_select(); victim != T_FRAMES;
	     victim = ring_model_check_select()) {
		if (out != NULL) {
			out[n] = victim;
		}
		n++;
		ring_model_remove(victim);
	}
	zassert_equal(t_set_count(), 0);
	return n;
}

void ring_model_random_run(size_t used, size_t stride, int ops, bool accessed_to_tail)
{
	for (size_t k = 0; k < used; k++) {
		fake_map(k * stride);
	}
	for (int n = 0; n < ops; n++) {
		size_t i = t_below(used) * stride;
		size_t victim;

		switch (t_below(8)) {
		case 0:
		case 1:
			ring_model_add(i);
			break;
		case 2:
			ring_model_remove(i);
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
			ring_model_accessed(i, accessed_to_tail);
			break;
		case 6:
			(void)ring_model_check_select();
			break;
		default:
			victim = ring_model_check_select();
			if (victim != T_FRAMES) {
				ring_model_remove(victim);
			}
			break;
		}
	}
	(void)ring_model_check_drain(NULL);
}

const size_t ring_fixture[RING_FIXTURE_FRAMES] = {17, 3, 1000, 512, 64, 65, 0, T_FRAMES - 1U};

void ring_fixture_reset(uint32_t seed)
{
	fake_reset();
	ring_model_reset();
	k_mem_paging_eviction_init();
	t_seed(seed);
	for (size_t k = 0; k < RING_FIXTURE_FRAMES; k++) {
		fake_map(ring_fixture[k]);
	}
}

void ring_fixture_add_all(void)
{
	for (size_t k = 0; k < RING_FIXTURE_FRAMES; k++) {
		ring_model_add(ring_fixture[k]);
	}
}

void ring_fixture_expect_order(const size_t *positions, size_t n)
{
	size_t got[RING_FIXTURE_FRAMES];

	zassert_equal(ring_model_check_drain(got), n);
	for (size_t k = 0; k < n; k++) {
		zassert_equal(got[k], ring_fixture[positions[k]],
			      "victim %zu: frame %zu, expected %zu", k, got[k],
			      ring_fixture[positions[k]]);
	}
}
