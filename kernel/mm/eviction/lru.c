/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LRU eviction: the evictable frames in a queue ordered by last known use,
 * least recent at the head. Software sees an access in two ways: the core
 * reports one with k_mem_paging_eviction_accessed() (the frame moves to the
 * tail), and the hardware sets the page's accessed bit, which select reads:
 * a head whose bit is set was used since it was last looked at, so it goes
 * to the tail with the bit cleared and select looks at the new head (the
 * second-chance sweep of eviction_common.h).
 *
 * Complexity (E = evictable frames, N = all frames):
 *   add, remove, accessed  O(1): a doubly linked list of frame indices
 *                          (two arrays of N entries, 16-bit below 256 MiB
 *                          of RAM), no search.
 *   select                 O(1) amortized, O(E) worst case: each skipped
 *                          head consumes an accessed bit an access set
 *                          since the frame was last looked at; at most one
 *                          lap (E + 1 page-table lookups).
 *   init                   O(N) once: marks every frame "not queued".
 * No operation looks at a frame outside the queue.
 *
 * add of a queued frame and remove of one not queued change nothing, so
 * the core need not track which frames it already reported.
 */
#include "eviction_common.h"

static struct z_eviction_ring queue; /* first = head (least recent), prev[first] = tail */

void k_mem_paging_eviction_init(void)
{
	z_eviction_ring_init(&queue);
}

void k_mem_paging_eviction_add(struct k_mem_page_frame *pf)
{
	z_eviction_ring_add(&queue, z_eviction_frame_index(pf));
}

void k_mem_paging_eviction_remove(struct k_mem_page_frame *pf)
{
	z_eviction_ring_remove(&queue, z_eviction_frame_index(pf));
}

void k_mem_paging_eviction_accessed(uintptr_t phys)
{
	size_t i;

	__ASSERT(k_mem_is_page_frame(phys), "0x%lx is not RAM", (unsigned long)phys);
	i = z_eviction_frame_index(k_mem_phys_to_page_frame(phys));
	if (z_eviction_ring_contains(&queue, i)) {
		/* Move to the tail. */
		z_eviction_ring_remove(&queue, i);
		z_eviction_ring_add(&queue, i);
	}
}

struct k_mem_page_frame *k_mem_paging_eviction_select(bool *dirty)
{
	return z_eviction_ring_select(&queue, dirty);
}
