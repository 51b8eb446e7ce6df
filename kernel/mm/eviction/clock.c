/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CLOCK (second chance) eviction, also built for CONFIG_EVICTION_LRU: the
 * evictable frames on a circle with a hand. select looks at the frame under
 * the hand: if its page's accessed bit is set, the bit is cleared and the
 * hand moves on (the page gets a second chance); the first frame found not
 * accessed is the victim. A new frame goes just behind the hand, so the hand
 * reaches it last; removing the frame under the hand moves the hand to the
 * next one.
 *
 * LRU and CLOCK are one algorithm here. Read as a queue (the hand is the
 * head, just behind it the tail), the circle is LRU ordered by the last use
 * software saw; the only use software sees without a per-access hook is the
 * accessed bit, read at the head - which is CLOCK. The two files Pagoda
 * had ran the same ring and the same select and differed only in
 * k_mem_paging_eviction_accessed(), which no kernel code calls, so in the
 * firmware they chose the same victims fault for fault. They are merged:
 * with CONFIG_EVICTION_LRU the hint moves the frame to the tail (an exact
 * LRU for a caller that reports every use), with CONFIG_EVICTION_CLOCK it
 * does nothing. For recency the hardware bits alone can give, use the
 * default, CLOCK-2Q (clock_2q.c).
 *
 * Complexity (E = evictable frames, N = all frames):
 *   add, remove, accessed  O(1): a circular doubly linked list of frame
 *                          indices (two arrays of N entries, 16-bit below
 *                          256 MiB of RAM), no search.
 *   select                 O(1): each step of the hand consumes an
 *                          accessed bit an access set since the hand last
 *                          passed, and after Z_EVICTION_RING_MAX_SKIPS (32)
 *                          steps the frame under the hand is taken anyway
 *                          (at most min(E, 32) + 1 page-table lookups).
 *   init                   O(N) once: marks every frame "not on the clock".
 * No operation looks at a frame outside the circle.
 *
 * add of a frame already on the clock and remove of one not on it change
 * nothing, so the core need not track which frames it already reported.
 */
#include "eviction_common.h"

static struct z_eviction_ring face; /* the circle; first = the hand */

void k_mem_paging_eviction_init(void)
{
	z_eviction_ring_init(&face);
}

void k_mem_paging_eviction_add(struct k_mem_page_frame *pf)
{
	z_eviction_ring_add(&face, z_eviction_frame_index(pf));
}

void k_mem_paging_eviction_remove(struct k_mem_page_frame *pf)
{
	z_eviction_ring_remove(&face, z_eviction_frame_index(pf));
}

void z_eviction_replace(struct k_mem_page_frame *pf)
{
	z_eviction_ring_replace(&face, z_eviction_frame_index(pf));
}

void k_mem_paging_eviction_accessed(uintptr_t phys)
{
	__ASSERT(k_mem_is_page_frame(phys), "0x%lx is not RAM", (unsigned long)phys);
#ifdef CONFIG_EVICTION_LRU
	size_t i = z_eviction_frame_index(k_mem_phys_to_page_frame(phys));

	if (z_eviction_ring_contains(&face, i)) {
		/* LRU: the frame becomes the most recently used, just behind the hand. */
		z_eviction_ring_remove(&face, i);
		z_eviction_ring_add(&face, i);
	}
#else
	(void)phys;
#endif
}

struct k_mem_page_frame *k_mem_paging_eviction_select(bool *dirty)
{
	return z_eviction_ring_select(&face, dirty);
}
