/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pieces the eviction algorithms share (the files of kernel/mm/eviction/; one
 * of them is built, so these static inline functions exist once per image).
 *
 * - Frame index and page-state helpers, with the invariant checks of the
 *   interface: an evictable frame is MAPPED, neither pinned, busy, free nor
 *   reserved, and its page is present in that very frame.
 * - The ring: a circular doubly linked list of frame indices threaded
 *   through two arrays indexed by frame (no per-frame record grows), with
 *   one distinguished position, `first`. LRU uses it as a queue (first is
 *   the head, prev[first] the tail); CLOCK as the clock face (first is the
 *   hand, prev[first] the position just behind it). Insert, unlink and
 *   advancing first are O(1); the second-chance sweep both use is
 *   z_eviction_ring_select().
 */
#ifndef PAGODA_KERNEL_MM_EVICTION_COMMON_H
#define PAGODA_KERNEL_MM_EVICTION_COMMON_H

#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm/demand_paging.h>
#include <page_frames.h>
#include <string.h>

/* ---- frames and their pages ------------------------------------------------ */

/* Flags no frame in an evictable set may carry. */
#define Z_EVICTION_NOT_EVICTABLE                                                                   \
	(K_MEM_PAGE_FRAME_FREE | K_MEM_PAGE_FRAME_RESERVED | K_MEM_PAGE_FRAME_PINNED |             \
	 K_MEM_PAGE_FRAME_BUSY)

static inline size_t z_eviction_frame_index(const struct k_mem_page_frame *pf)
{
	__ASSERT(pf >= k_mem_page_frames && pf < &k_mem_page_frames[K_MEM_NUM_PAGE_FRAMES],
		 "%p is not a page-frame record", (const void *)pf);
	return (size_t)(pf - k_mem_page_frames);
}

/*
 * ARCH_DATA_PAGE_* bits of the page an evictable frame holds, clearing its
 * accessed bit when clear_accessed is set (the bits returned are those from
 * before the clearing). One page-table walk.
 */
static inline uintptr_t z_eviction_page_info(struct k_mem_page_frame *pf, bool clear_accessed)
{
	uintptr_t phys = 0;
	uintptr_t info;

	__ASSERT(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED) &&
			 !k_mem_page_frame_is(pf, Z_EVICTION_NOT_EVICTABLE),
		 "frame 0x%lx in the evictable set has flags 0x%lx",
		 (unsigned long)k_mem_page_frame_to_phys(pf),
		 (unsigned long)k_mem_page_frame_flags(pf));
	/* The frame is asked for only to assert it: without assertions, the inline look. */
	if (IS_ENABLED(CONFIG_ASSERT)) {
		info = arch_page_info_get(k_mem_page_frame_to_virt(pf), &phys, clear_accessed);
	} else {
		info = arch_page_look(k_mem_page_frame_to_virt(pf), clear_accessed);
	}
	__ASSERT((info & ARCH_DATA_PAGE_LOADED) != 0U && phys == k_mem_page_frame_to_phys(pf),
		 "page %p of frame 0x%lx is not present in it", k_mem_page_frame_to_virt(pf),
		 (unsigned long)k_mem_page_frame_to_phys(pf));
	(void)phys;
	return info;
}

/* ---- the ring ----------------------------------------------------------------- */

/* Below 256 MiB of RAM a frame index fits 16 bits: both links cost 4 bytes per frame. */
#if CONFIG_SRAM_SIZE * 1024LL / CONFIG_MMU_PAGE_SIZE < 0xFFFF
typedef uint16_t z_eviction_index_t;
#else
typedef uint32_t z_eviction_index_t;
#endif
BUILD_ASSERT(K_MEM_NUM_PAGE_FRAMES < (z_eviction_index_t)-1, "frame indices overflow their type");

/* "No frame": next[] of a frame not in the ring, and first of an empty ring. */
#define Z_EVICTION_NONE ((z_eviction_index_t)-1)

/*
 * A circular list of frames: its head, its frames linked through next[] and
 * prev[] arrays it may share with an algorithm's other lists (a frame is in
 * one list at most).
 */
struct z_eviction_list {
	z_eviction_index_t first; /* head / hand; Z_EVICTION_NONE when empty */
	size_t count;             /* frames in the list */
};

/* Insert frame i just before first (the tail / just behind the hand). O(1). */
static inline void z_eviction_list_add(struct z_eviction_list *list, z_eviction_index_t *next,
				       z_eviction_index_t *prev, size_t i)
{
	z_eviction_index_t idx = (z_eviction_index_t)i;

	if (list->first == Z_EVICTION_NONE) {
		next[i] = idx;
		prev[i] = idx;
		list->first = idx;
	} else {
		z_eviction_index_t after = list->first;
		z_eviction_index_t before = prev[after];

		next[i] = after;
		prev[i] = before;
		next[before] = idx;
		prev[after] = idx;
	}
	list->count++;
}

/* Unlink frame i, which is in list; first moves on to its successor if it
 * was i. next[i] and prev[i] keep their stale values. O(1).
 */
static inline void z_eviction_list_unlink(struct z_eviction_list *list, z_eviction_index_t *next,
					  z_eviction_index_t *prev, size_t i)
{
	z_eviction_index_t after = next[i];
	z_eviction_index_t before = prev[i];

	if (after == i) {
		list->first = Z_EVICTION_NONE;
	} else {
		next[before] = after;
		prev[after] = before;
		if (list->first == i) {
			list->first = after;
		}
	}
	list->count--;
}

/* The LRU/CLOCK ring: one list, with links of its own. */
struct z_eviction_ring {
	z_eviction_index_t next[K_MEM_NUM_PAGE_FRAMES];
	z_eviction_index_t prev[K_MEM_NUM_PAGE_FRAMES];
	struct z_eviction_list list; /* first: LRU head / CLOCK hand */
};

/* Empty the ring: every frame marked "not in it". O(N), at init only. */
static inline void z_eviction_ring_init(struct z_eviction_ring *ring)
{
	memset(ring->next, 0xFF, sizeof(ring->next));
	memset(ring->prev, 0xFF, sizeof(ring->prev));
	ring->list.first = Z_EVICTION_NONE;
	ring->list.count = 0;
}

static inline bool z_eviction_ring_contains(const struct z_eviction_ring *ring, size_t i)
{
	return ring->next[i] != Z_EVICTION_NONE;
}

/* Insert frame i just before first (the tail / just behind the hand). O(1); no-op if present. */
static inline void z_eviction_ring_add(struct z_eviction_ring *ring, size_t i)
{
	if (!z_eviction_ring_contains(ring, i)) {
		z_eviction_list_add(&ring->list, ring->next, ring->prev, i);
	}
}

/* Unlink frame i; first moves on to its successor if it was i. O(1); no-op if absent. */
static inline void z_eviction_ring_remove(struct z_eviction_ring *ring, size_t i)
{
	if (z_eviction_ring_contains(ring, i)) {
		z_eviction_list_unlink(&ring->list, ring->next, ring->prev, i);
		ring->next[i] = Z_EVICTION_NONE;
		ring->prev[i] = Z_EVICTION_NONE;
	}
}

/*
 * z_eviction_ring_remove() then z_eviction_ring_add() of frame i, which is
 * in the ring: at first, that is moving first on (i becomes the last).
 */
static inline void z_eviction_ring_replace(struct z_eviction_ring *ring, size_t i)
{
	__ASSERT(z_eviction_ring_contains(ring, i), "frame %zu is not in the ring", i);
	if (ring->list.first == i) {
		ring->list.first = ring->next[i];
	} else {
		z_eviction_ring_remove(ring, i);
		z_eviction_ring_add(ring, i);
	}
}

/*
 * Frames the second-chance sweep skips at most: past them it takes the frame
 * at first whatever its bit, so a select costs at most 33 page lookups
 * however many frames were used since the last one (with every frame used
 * between two faults, a bit says nothing anyway).
 */
#define Z_EVICTION_RING_MAX_SKIPS 32U

/*
 * The second-chance sweep: look at first; while its page's accessed bit is
 * set, clear it and advance first (which makes that frame the last one: the
 * tail of the LRU queue, the position just behind the CLOCK hand). After
 * min(count, Z_EVICTION_RING_MAX_SKIPS) skips the frame at first is taken
 * anyway (after a whole lap every bit seen was cleared; should one be set
 * again meanwhile, it is still taken). The victim stays at first (the
 * caller removes it).
 */
static inline struct k_mem_page_frame *z_eviction_ring_select(struct z_eviction_ring *ring,
							      bool *dirty)
{
	if (ring->list.first == Z_EVICTION_NONE) {
		return NULL;
	}

	size_t limit = MIN(ring->list.count, (size_t)Z_EVICTION_RING_MAX_SKIPS);

	for (size_t skipped = 0;; skipped++) {
		struct k_mem_page_frame *pf = &k_mem_page_frames[ring->list.first];
		uintptr_t info = z_eviction_page_info(pf, true);

		if ((info & ARCH_DATA_PAGE_ACCESSED) == 0U || skipped == limit) {
			*dirty = (info & ARCH_DATA_PAGE_DIRTY) != 0U;
			return pf;
		}
		ring->list.first = ring->next[ring->list.first];
	}
}

#endif /* PAGODA_KERNEL_MM_EVICTION_COMMON_H */
