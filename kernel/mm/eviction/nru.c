/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NRU (not recently used) eviction. Each evictable frame falls in one of
 * four classes by its page's hardware bits, best victim first:
 *   0  not accessed, clean   1  not accessed, must be written
 *   2  accessed, clean       3  accessed, must be written
 * "Must be written" is the page's dirty bit, or a frame the backing store
 * holds no copy of (not BACKED): evicting it costs a write even when the
 * page was never modified. The dirty flag select returns is the page's
 * dirty bit alone, as the interface asks.
 *
 * Accessed bits mean "used since the pass last cleared them". The pass is
 * incremental: once CONFIG_EVICTION_NRU_PERIOD ms have elapsed since the
 * last one began, each select clears the bits of the next PASS_STEP
 * evictable frames in index order (so a pass over E frames takes at least
 * E / PASS_STEP selects: "recently" is the longer of the period and that).
 * Without selects nothing needs the bits. add looks at no page, so the pass
 * runs in select only.
 *
 * The classes are kept in four FIFO lists, so select need not walk the
 * frames: it takes the head of the lowest non-empty list after checking
 * the head's bits, since a page may have been used (or written) after it
 * was classified. A head whose class went up moves to the tail of its
 * class's list and the next head is checked; each such move consumes an
 * access or a write since the last classification. Frames of one class
 * take turns (FIFO). A frame enters (add) as recently used - class 2, or 3
 * when the store has no copy of it - which is what a frame just faulted in
 * or unpinned is; the pass classifies it for real.
 *
 * Complexity (E = evictable frames, N = all frames, W = bits per long):
 *   add, remove, accessed  O(1), no page lookup.
 *   select                 O(1): at most min(E, MAX_LOOKUPS) + 1 page
 *                          lookups (the pass's included) and PASS_WORDS
 *                          bitmap words, whatever E.
 *   init                   O(N / W).
 * Memory per frame: two links (2 or 4 bytes each), a class byte, one bit.
 *
 * add of an evictable frame and remove of one that is not change nothing.
 */
#include "eviction_common.h"

#define NRU_CLASSES 4U
#define NRU_NONE    0xFFU
#define NRU_WORDS   DIV_ROUND_UP(K_MEM_NUM_PAGE_FRAMES, BITS_PER_LONG)
#define PASS_STEP   4U  /* frames the pass clears per select */
#define PASS_WORDS  64U /* bitmap words it may skip per select */
#define MAX_LOOKUPS 32U /* head checks per select before taking what is at hand */

static z_eviction_index_t next[K_MEM_NUM_PAGE_FRAMES];
static z_eviction_index_t prev[K_MEM_NUM_PAGE_FRAMES];
static uint8_t class_of[K_MEM_NUM_PAGE_FRAMES];
static struct z_eviction_list lists[NRU_CLASSES]; /* first: the head */
static size_t num_evictable;
static unsigned long evictable[NRU_WORDS]; /* bit i: frame i is evictable (the pass's walk) */
static size_t pass_cursor;                 /* next frame index of the pass; N: no pass */
static int64_t last_pass;                  /* uptime the last pass began, ms */

static void list_add(unsigned int c, size_t i)
{
	z_eviction_list_add(&lists[c], next, prev, i);
	class_of[i] = (uint8_t)c;
}

static void list_unlink(size_t i)
{
	z_eviction_list_unlink(&lists[class_of[i]], next, prev, i);
	class_of[i] = NRU_NONE;
}

static void reclassify(size_t i, unsigned int c)
{
	list_unlink(i);
	list_add(c, i);
}

static bool must_write(const struct k_mem_page_frame *pf, uintptr_t info)
{
	return (info & ARCH_DATA_PAGE_DIRTY) != 0U ||
	       !k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED);
}

static unsigned int nru_class(const struct k_mem_page_frame *pf, uintptr_t info)
{
	return ((info & ARCH_DATA_PAGE_ACCESSED) != 0U ? 2U : 0U) +
	       (must_write(pf, info) ? 1U : 0U);
}

/*
 * Up to steps frames of the pass (at most PASS_WORDS bitmap words): clear
 * each one's accessed bit and file it by its dirt alone. Returns the
 * lookups made.
 */
static size_t pass_advance(size_t steps)
{
	size_t done = 0;
	size_t words = 0;
	size_t i = pass_cursor;

	while (done < steps && i < K_MEM_NUM_PAGE_FRAMES && words < PASS_WORDS) {
		unsigned long bits = evictable[i / BITS_PER_LONG] & (~0UL << (i % BITS_PER_LONG));

		if (bits == 0UL) {
			i = (i / BITS_PER_LONG + 1U) * BITS_PER_LONG;
			words++;
			continue;
		}
		i = (i / BITS_PER_LONG) * BITS_PER_LONG + (size_t)__builtin_ctzl(bits);
		if (i >= K_MEM_NUM_PAGE_FRAMES) {
			break;
		}

		struct k_mem_page_frame *pf = &k_mem_page_frames[i];
		uintptr_t info = z_eviction_page_info(pf, true);

		reclassify(i, must_write(pf, info) ? 1U : 0U);
		done++;
		i++;
	}
	pass_cursor = MIN(i, (size_t)K_MEM_NUM_PAGE_FRAMES);
	return done;
}

void k_mem_paging_eviction_init(void)
{
	memset(next, 0xFF, sizeof(next));
	memset(prev, 0xFF, sizeof(prev));
	memset(class_of, NRU_NONE, sizeof(class_of));
	memset(evictable, 0, sizeof(evictable));
	for (unsigned int c = 0; c < NRU_CLASSES; c++) {
		lists[c].first = Z_EVICTION_NONE;
		lists[c].count = 0;
	}
	num_evictable = 0;
	pass_cursor = K_MEM_NUM_PAGE_FRAMES;
	last_pass = k_uptime_get();
}

void k_mem_paging_eviction_add(struct k_mem_page_frame *pf)
{
	size_t i = z_eviction_frame_index(pf);

	if (class_of[i] != NRU_NONE) {
		return;
	}
	list_add(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED) ? 2U : 3U, i);
	evictable[i / BITS_PER_LONG] |= BIT(i % BITS_PER_LONG);
	num_evictable++;
}

void k_mem_paging_eviction_remove(struct k_mem_page_frame *pf)
{
	size_t i = z_eviction_frame_index(pf);

	if (class_of[i] == NRU_NONE) {
		return;
	}
	list_unlink(i);
	evictable[i / BITS_PER_LONG] &= ~BIT(i % BITS_PER_LONG);
	num_evictable--;
}

void z_eviction_replace(struct k_mem_page_frame *pf)
{
	/* Its class is the new page's: no shortcut. */
	k_mem_paging_eviction_remove(pf);
	k_mem_paging_eviction_add(pf);
}

void k_mem_paging_eviction_accessed(uintptr_t phys)
{
	/* The accessed bits are the hardware's; a software hint adds nothing. */
	__ASSERT(k_mem_is_page_frame(phys), "0x%lx is not RAM", (unsigned long)phys);
	(void)phys;
}

static unsigned int lowest_class(void)
{
	unsigned int c = 0;

	while (lists[c].count == 0U) {
		c++;
	}
	return c;
}

struct k_mem_page_frame *k_mem_paging_eviction_select(bool *dirty)
{
	size_t lookups = MIN(num_evictable, (size_t)MAX_LOOKUPS); /* left before the last */
	struct k_mem_page_frame *pf;
	uintptr_t info;
	size_t i;

	if (num_evictable == 0U) {
		return NULL;
	}
	if (pass_cursor == K_MEM_NUM_PAGE_FRAMES) {
		int64_t now = k_uptime_get();

		if (now - last_pass >= CONFIG_EVICTION_NRU_PERIOD) {
			last_pass = now;
			pass_cursor = 0;
		}
	}
	if (pass_cursor < K_MEM_NUM_PAGE_FRAMES) {
		lookups -= pass_advance(MIN((size_t)PASS_STEP, lookups - 1U));
	}
	while (lookups > 0U) {
		unsigned int c = lowest_class();
		unsigned int now_class;

		i = lists[c].first;
		pf = &k_mem_page_frames[i];
		info = z_eviction_page_info(pf, false);
		lookups--;
		now_class = nru_class(pf, info);
		if (now_class <= c) {
			*dirty = (info & ARCH_DATA_PAGE_DIRTY) != 0U;
			return pf;
		}
		reclassify(i, now_class); /* used or written since it was filed */
	}
	/* Out of lookups: the head of the lowest list, with its dirty bit. */
	i = lists[lowest_class()].first;
	pf = &k_mem_page_frames[i];
	info = z_eviction_page_info(pf, false);
	*dirty = (info & ARCH_DATA_PAGE_DIRTY) != 0U;
	return pf;
}
