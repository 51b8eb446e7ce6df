/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NRU (not recently used) eviction. Each evictable frame falls in one of
 * four classes by its page's hardware bits, best victim first:
 *   0  not accessed, clean   1  not accessed, must be written
 *   2  accessed, clean       3  accessed, must be written
 * "Must be written" is the page's dirty bit, or a frame the backing store
 * holds no copy of (not BACKED): evicting it costs a write even when the
 * page was never modified. The dirty flag select returns is the page's
 * dirty bit alone, as the interface asks (the core must still write out a
 * frame that is not BACKED, whatever the flag says).
 *
 * Accessed bits mean "used in the last period": every
 * CONFIG_EVICTION_NRU_PERIOD ms a pass clears them on every evictable
 * frame. There is no timer: the pass runs lazily, when add or select finds
 * that a period has elapsed since the last one (in select, the same walk
 * that classifies clears, so the classes are those from before the
 * clearing). Without add or select calls nothing needs the bits anyway.
 *
 * select walks the evictable frames in index order, starting just after the
 * last victim and wrapping, and takes the first frame of the lowest class:
 * frames of one class take turns instead of the same frame being chosen
 * again and again. The walk stops at the first class-0 frame, unless it is
 * also the periodic pass.
 *
 * The evictable set is a bitmap of frame indices, so walks skip frames that
 * are not evictable a whole word at a time and never read their records.
 *
 * Complexity (E = evictable frames, N = all frames, W = bits per long):
 *   remove, accessed  O(1): one bit.
 *   add               O(1), plus the periodic pass O(N / W + E) when due.
 *   select            O(N / W + E) worst case, less when a class-0 frame
 *                     comes early (NRU is the one algorithm allowed to walk
 *                     its set at selection: its classes need every frame's
 *                     bits, which no O(1) structure tracks).
 *   init              O(N / W).
 * Memory: N / 8 bytes.
 *
 * add of an evictable frame and remove of one that is not change nothing.
 */
#include "eviction_common.h"

#define NRU_CLASSES 4U
#define NRU_WORDS   DIV_ROUND_UP(K_MEM_NUM_PAGE_FRAMES, BITS_PER_LONG)

static unsigned long evictable[NRU_WORDS]; /* bit i: frame i is evictable */
static size_t num_evictable;
static size_t last_victim; /* the next walk starts after it */
static int64_t last_pass;  /* uptime of the last clearing pass, ms */

static bool nru_is_evictable(size_t i)
{
	return (evictable[i / BITS_PER_LONG] & BIT(i % BITS_PER_LONG)) != 0UL;
}

/* Move *i to the first evictable frame in [*i, end); false when there is none. */
static bool nru_next_evictable(size_t *i, size_t end)
{
	size_t w = *i / BITS_PER_LONG;
	unsigned long bits;

	if (*i >= end) {
		return false;
	}
	bits = evictable[w] & (~0UL << (*i % BITS_PER_LONG));
	while (bits == 0UL) {
		w++;
		if (w * BITS_PER_LONG >= end) {
			return false;
		}
		bits = evictable[w];
	}
	*i = w * BITS_PER_LONG + (size_t)__builtin_ctzl(bits);
	return *i < end;
}

static unsigned int nru_class(const struct k_mem_page_frame *pf, uintptr_t info)
{
	bool accessed = (info & ARCH_DATA_PAGE_ACCESSED) != 0U;
	bool must_write = (info & ARCH_DATA_PAGE_DIRTY) != 0U ||
			  !k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED);

	return (accessed ? 2U : 0U) + (must_write ? 1U : 0U);
}

/*
 * True when a period has elapsed since the last pass; the pass the caller
 * then runs counts from now.
 */
static bool nru_pass_begins(void)
{
	int64_t now = k_uptime_get();

	if (now - last_pass < CONFIG_EVICTION_NRU_PERIOD) {
		return false;
	}
	last_pass = now;
	return true;
}

/*
 * Walk the evictable frames from the one after the last victim, wrapping,
 * and return the index of the first one of the lowest class (N when there
 * is none), its page's dirty bit in *dirty. With clear set this is also the
 * periodic pass: every accessed bit is cleared, so the walk goes all the
 * way round; otherwise it stops at the first class-0 frame.
 */
static size_t nru_walk(bool clear, bool *dirty)
{
	size_t start = (last_victim + 1U) % K_MEM_NUM_PAGE_FRAMES;
	size_t best = K_MEM_NUM_PAGE_FRAMES;
	unsigned int best_class = NRU_CLASSES;

	/* [start, N), then [0, start). */
	for (unsigned int half = 0; half < 2U; half++) {
		size_t end = (half == 0U) ? K_MEM_NUM_PAGE_FRAMES : start;

		for (size_t i = (half == 0U) ? start : 0U; nru_next_evictable(&i, end); i++) {
			struct k_mem_page_frame *pf = &k_mem_page_frames[i];
			uintptr_t info = z_eviction_page_info(pf, clear);
			unsigned int class = nru_class(pf, info);

			if (class < best_class) {
				best = i;
				best_class = class;
				*dirty = (info & ARCH_DATA_PAGE_DIRTY) != 0U;
				if (class == 0U && !clear) {
					return best;
				}
			}
		}
	}
	return best;
}

void k_mem_paging_eviction_init(void)
{
	memset(evictable, 0, sizeof(evictable));
	num_evictable = 0;
	last_victim = K_MEM_NUM_PAGE_FRAMES - 1U;
	last_pass = k_uptime_get();
}

void k_mem_paging_eviction_add(struct k_mem_page_frame *pf)
{
	size_t i = z_eviction_frame_index(pf);

	if (nru_is_evictable(i)) {
		return;
	}
	if (nru_pass_begins()) {
		bool unused;

		(void)nru_walk(true, &unused);
	}
	evictable[i / BITS_PER_LONG] |= BIT(i % BITS_PER_LONG);
	num_evictable++;
}

void k_mem_paging_eviction_remove(struct k_mem_page_frame *pf)
{
	size_t i = z_eviction_frame_index(pf);

	if (nru_is_evictable(i)) {
		evictable[i / BITS_PER_LONG] &= ~BIT(i % BITS_PER_LONG);
		num_evictable--;
	}
}

void k_mem_paging_eviction_accessed(uintptr_t phys)
{
	/* The accessed bits are the hardware's; a software hint adds nothing. */
	__ASSERT(k_mem_is_page_frame(phys), "0x%lx is not RAM", (unsigned long)phys);
	(void)phys;
}

struct k_mem_page_frame *k_mem_paging_eviction_select(bool *dirty)
{
	if (num_evictable == 0U) {
		return NULL;
	}
	last_victim = nru_walk(nru_pass_begins(), dirty);
	return &k_mem_page_frames[last_victim];
}
