/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Demand paging: anonymous memory larger than RAM, pages moving between
 * page frames and a backing store on demand. Names and meanings follow the
 * reference RTOS (Zephyr); differences are noted where they occur.
 *
 * The two plug-in interfaces have headers of their own,
 * <kernel/mm/eviction.h> and <kernel/mm/backing_store.h>; this one includes
 * them at the end because the reference declares them here too.
 */
#ifndef PAGODA_INCLUDE_KERNEL_MM_DEMAND_PAGING_H
#define PAGODA_INCLUDE_KERNEL_MM_DEMAND_PAGING_H

#include <kernel/mm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k_mem_page_frame;

/* ---- core operations -------------------------------------------------------- */

/*
 * Interrupt handlers. Without CONFIG_DEMAND_PAGING_ALLOW_IRQ every paging
 * operation runs with interrupts locked, so a handler's call runs between
 * two calls of the code it interrupted and is served like any other
 * (a page fault in a handler too). With it, a backing-store transfer runs
 * with interrupts enabled (when the caller had them enabled), so a handler
 * may call in the middle of one. Then:
 * - every call is served, including transfers of its own (up to
 *   Z_PAGING_TRANSFER_NEST_MAX nested transfers; beyond: -EBUSY), except
 *   on the page in transit in the interrupted code:
 * - k_mem_page_out() of that page returns -EBUSY, k_mem_page_frame_evict()
 *   of its frame -EBUSY, k_mem_unmap() and k_mem_update_flags() of a range
 *   holding it -EBUSY (nothing changed);
 * - k_mem_page_in() and k_mem_pin() of it cannot report an error (they
 *   return nothing, as in the reference): a clear fatal error naming the
 *   call (k_panic());
 * - a page fault in a handler is a fatal error (as in the reference).
 * k_mem_map() and k_mem_update_flags() evict and page in with interrupts
 * locked throughout.
 *
 * Threads (CONFIG_DEMAND_PAGING_SLEEP, the disk store). A page fault, or
 * k_mem_page_out(), k_mem_page_in(), k_mem_pin() or
 * k_mem_page_frame_evict(), called by a thread that may block sleeps
 * through its transfers while other threads run. The page moved is busy
 * (paging in: its frame is being read; paging out: its frame is being
 * written, and is not reused before the write completes):
 * - a page fault on a busy page waits for that transfer (one disk read
 *   serves every thread faulting on the page) and then retries;
 * - k_mem_page_out(), k_mem_page_in(), k_mem_pin() of a busy page, and
 *   k_mem_unmap() / k_mem_update_flags() of a range holding one, wait until
 *   its transfer ends, then do their work on the page as it is then;
 * - callers that may not block (an interrupt handler, a thread holding the
 *   scheduler lock or with interrupts locked) transfer with interrupts
 *   locked, and get -EBUSY for a busy page as above;
 * - a page fault that needs a transfer in an interrupt handler or with the
 *   scheduler locked is a fatal error, and the dump says why.
 * A failed read during a fault is fatal to the faulting thread only (the
 * dump names the I/O error; the page stays paged out). A failed write is
 * written again to another slot; if that fails too the page stays resident
 * and dirty, and an eviction picks another victim (up to three).
 * The paging thread (CONFIG_DEMAND_PAGING_POOL) keeps free frames between
 * CONFIG_DEMAND_PAGING_POOL_LOW_PAGES and _HIGH_PAGES by evicting ahead of
 * demand; k_mem_free_get() counts those frames as free.
 */

/*
 * Evict every resident page of [addr, addr + size) to the backing store.
 * Returns 0; -ENOMEM when the store is full, -EIO when writing a page to
 * it failed (that page stays resident; pages already evicted stay evicted,
 * nothing is lost); -EFAULT when a page is pinned or not pageable
 * anonymous memory (the pages before it were evicted).
 */
int k_mem_page_out(void *addr, size_t size);

/* Make every page of [addr, addr + size) resident (they may be evicted again).
 * When frames and backing store run out, or the device fails, the rest stay
 * paged out and one error line is printed (the reference returns nothing).
 */
void k_mem_page_in(void *addr, size_t size);

/* Make every page of [addr, addr + size) resident and never evicted. */
void k_mem_pin(void *addr, size_t size);

/* Allow the pages of [addr, addr + size) to be evicted again. */
void k_mem_unpin(void *addr, size_t size);

/*
 * Evict whatever page the frame at physical address phys holds. Returns 0
 * (also when it holds nothing), -EBUSY when it is pinned, reserved or in
 * transit, -ENOMEM when the store is full, -EIO when the write to it
 * failed (the page stays), -EINVAL when phys is not RAM.
 */
int k_mem_page_frame_evict(uintptr_t phys);

/*
 * Resolve a page fault at addr: page in a paged-out page, or give a frame
 * to the first write to a zero-filled demand-mapped page. Returns true when
 * the faulting access can be retried, false for a real fault.
 */
bool k_mem_page_fault(void *addr);

/* ---- statistics ---------------------------------------------------------------- */

struct k_mem_paging_stats_t {
	struct {
		unsigned long cnt;          /* faults resolved */
		unsigned long irq_locked;   /* ... taken with interrupts disabled */
		unsigned long irq_unlocked; /* ... taken with interrupts enabled */
		unsigned long in_isr;       /* ... taken in an interrupt handler */
	} pagefaults;
	struct {
		unsigned long clean; /* evictions that needed no copy */
		unsigned long dirty; /* evictions that wrote the page out */
	} eviction;
};

/* Bins of a timing histogram (1 when the histograms are off). */
#ifdef CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS
#define K_MEM_PAGING_HISTOGRAM_BINS CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS
#else
#define K_MEM_PAGING_HISTOGRAM_BINS 1
#endif

/* counts[i]: operations that took at most bounds[i] cycles (and more than bounds[i-1]). */
struct k_mem_paging_histogram_t {
	unsigned long counts[K_MEM_PAGING_HISTOGRAM_BINS];
	unsigned long bounds[K_MEM_PAGING_HISTOGRAM_BINS];
};

/*
 * The statistics and histogram getters are system calls, as in the
 * reference: user mode may read them into its own memory (an unwritable
 * output ends the caller with K_ERR_KERNEL_OOPS).
 */
__syscall void k_mem_paging_stats_get(struct k_mem_paging_stats_t *stats);
struct k_thread;
#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
/* The paging statistics of one thread: the faults it took and the
 * evictions its faults and page-outs made. Declared only with its option
 * (the reference declares it always and fails to link a call without).
 */
__syscall void k_mem_paging_thread_stats_get(struct k_thread *thread,
					     struct k_mem_paging_stats_t *stats);
#endif
/* Page faults resolved since boot (the stats' pagefaults.cnt; Zephyr's,
 * which declares it in its internal mmu.h). With CONFIG_DEMAND_PAGING_STATS.
 */
unsigned long k_mem_num_pagefaults_get(void);
__syscall void k_mem_paging_histogram_eviction_get(struct k_mem_paging_histogram_t *hist);
__syscall void
k_mem_paging_histogram_backing_store_page_in_get(struct k_mem_paging_histogram_t *hist);
__syscall void
k_mem_paging_histogram_backing_store_page_out_get(struct k_mem_paging_histogram_t *hist);

#include <kernel/mm/backing_store.h>
#include <kernel/mm/eviction.h>

#endif /* PAGODA_INCLUDE_KERNEL_MM_DEMAND_PAGING_H */
