/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The eviction-algorithm plug-in interface of demand paging: one file under
 * kernel/mm/eviction/, chosen by CONFIG_EVICTION_*. Names follow the
 * reference RTOS (Zephyr).
 */
#ifndef PAGODA_INCLUDE_KERNEL_MM_EVICTION_H
#define PAGODA_INCLUDE_KERNEL_MM_EVICTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k_mem_page_frame;

/*
 * The memory manager tells the algorithm which frames are evictable (mapped
 * anonymous memory, not pinned) with add/remove, and asks it for a victim
 * with select. All calls are made with interrupts locked. No call may walk
 * every frame (a periodic background pass, as NRU's, may). add of a frame
 * already evictable and remove of one that is not change nothing.
 */
void k_mem_paging_eviction_init(void);
/* pf became evictable (just mapped or unpinned). */
void k_mem_paging_eviction_add(struct k_mem_page_frame *pf);
/* pf is no longer evictable (unmapped, pinned, or being evicted). */
void k_mem_paging_eviction_remove(struct k_mem_page_frame *pf);
/* A hint: the page in the frame at phys was just accessed in a way the
 * hardware accessed bit may not show. Algorithms may ignore it.
 */
void k_mem_paging_eviction_accessed(uintptr_t phys);
/*
 * Choose a victim among the evictable frames; *dirty receives the page's
 * hardware dirty bit (the caller also writes out a clean page the store
 * holds no copy of, i.e. a frame not BACKED). NULL when no frame is
 * evictable. The victim stays evictable until the caller removes it.
 */
struct k_mem_page_frame *k_mem_paging_eviction_select(bool *dirty);

#endif /* PAGODA_INCLUDE_KERNEL_MM_EVICTION_H */
