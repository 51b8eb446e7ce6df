/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Paging simulations over the fake page table (see trace_sim.h).
 */
#include <eviction_fake.h>
#include <string.h>
#include <trace_sim.h>
#include <ztest.h>

static size_t frame_of[TRACE_MAX_PAGES]; /* frame + 1 holding the page, 0: not resident */
static size_t page_in[T_FRAMES];         /* page a frame holds */
bool trace_replace;

void trace_run(const uint16_t *seq, size_t len, size_t frames, size_t window, size_t hot,
	       struct trace_result *out)
{
	size_t used = 0;

	zassert_true(frames <= T_FRAMES);
	fake_reset();
	k_mem_paging_eviction_init();
	memset(frame_of, 0, sizeof(frame_of));
	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < len; k++) {
		size_t p = seq[k];

		zassert_true(p < TRACE_MAX_PAGES);
		if (k >= window && p < hot) {
			out->hot_accesses++;
		}
		if (frame_of[p] == 0U) {
			size_t i;
			bool replaced = false;

			if (k >= window) {
				out->faults++;
				if (p < hot) {
					out->hot_faults++;
				}
			}
			if (used < frames) {
				i = used++;
			} else {
				bool dirty;
				struct k_mem_page_frame *pf;
				unsigned long lookups;

				(void)fake_lookups_take();
				pf = k_mem_paging_eviction_select(&dirty);
				lookups = fake_lookups_take();
				zassert_not_null(pf, "no victim with every frame evictable");
				i = fake_index(pf);
				out->selects++;
				out->lookups += lookups;
				out->max_lookups = MAX(out->max_lookups, lookups);
				out->victims = (out->victims ^ (uint32_t)i) * 16777619U;
				replaced = trace_replace;
				if (!replaced) {
					t_remove(i);
				}
				frame_of[page_in[i]] = 0;
			}
			/* Pages sit at 2 p + 1: never a frame's home page of another test. */
			fake_map_page(i, 2U * p + 1U);
			page_in[i] = p;
			frame_of[p] = i + 1U;
			if (replaced) { /* still in the set: the algorithm's one call */
				z_eviction_replace(fake_pf(i));
			} else {
				t_add(i);
			}
		}
		fake_set_accessed(frame_of[p] - 1U, true);
	}
}

unsigned long trace_opt(const uint16_t *seq, size_t len, size_t frames, size_t window)
{
	static size_t next_use[8192];
	static size_t last[TRACE_MAX_PAGES];
	static size_t due[TRACE_MAX_PAGES]; /* next use of each resident page */
	static bool resident[TRACE_MAX_PAGES];
	size_t count = 0;
	unsigned long faults = 0;

	zassert_true(len <= ARRAY_SIZE(next_use));
	for (size_t p = 0; p < TRACE_MAX_PAGES; p++) {
		last[p] = SIZE_MAX;
		resident[p] = false;
	}
	for (size_t k = len; k-- > 0;) {
		next_use[k] = last[seq[k]];
		last[seq[k]] = k;
	}
	for (size_t k = 0; k < len; k++) {
		size_t p = seq[k];

		if (!resident[p]) {
			if (k >= window) {
				faults++;
			}
			if (count == frames) {
				size_t worst = TRACE_MAX_PAGES;

				for (size_t q = 0; q < TRACE_MAX_PAGES; q++) {
					if (resident[q] &&
					    (worst == TRACE_MAX_PAGES || due[q] > due[worst])) {
						worst = q;
					}
				}
				resident[worst] = false;
				count--;
			}
			resident[p] = true;
			count++;
		}
		due[p] = next_use[k];
	}
	return faults;
}

size_t trace_cyclic(uint16_t *seq, size_t n, size_t passes)
{
	size_t len = 0;

	for (size_t pass = 0; pass < passes; pass++) {
		for (size_t p = 0; p < n; p++) {
			seq[len++] = (uint16_t)p;
		}
	}
	return len;
}

size_t trace_hotset(uint16_t *seq, size_t len, size_t n, size_t hot)
{
	size_t cursor = 0;

	for (size_t k = 0; k < len; k++) {
		if (k < n) {
			seq[k] = (uint16_t)k;
		} else if (t_below(10) < 9U) {
			seq[k] = (uint16_t)t_below(hot);
		} else {
			seq[k] = (uint16_t)(hot + cursor);
			cursor = (cursor + 1U) % (n - hot);
		}
	}
	return len;
}
