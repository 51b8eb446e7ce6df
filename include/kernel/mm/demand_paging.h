/*
 * Demand paging: anonymous memory larger than RAM, pages moving between
 * page frames and a backing store on demand. Names and meanings follow the
 * widely used RTOS API; differences are noted where they occur.
 *
 * Also the two plug-in interfaces: an eviction algorithm (one file under
 * kernel/mm/eviction/, chosen by CONFIG_EVICTION_*) and a backing store
 * (one file under kernel/mm/backing_store/, chosen by CONFIG_BACKING_STORE_*).
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

#ifndef CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS
#define CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS 1
#endif

/* counts[i]: operations that took at most bounds[i] cycles (and more than bounds[i-1]). */
struct k_mem_paging_histogram_t {
	unsigned long counts[CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS];
	unsigned long bounds[CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS];
};

void k_mem_paging_stats_get(struct k_mem_paging_stats_t *stats);
void k_mem_paging_histogram_eviction_get(struct k_mem_paging_histogram_t *hist);
void k_mem_paging_histogram_backing_store_page_in_get(struct k_mem_paging_histogram_t *hist);
void k_mem_paging_histogram_backing_store_page_out_get(struct k_mem_paging_histogram_t *hist);

/* ---- eviction algorithm interface ------------------------------------------------- */

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

/* ---- backing store interface ------------------------------------------------------ */

/*
 * Locations are page-aligned and at most ARCH_PAGE_LOCATION_MAX. All calls
 * are made with the frame BUSY; page_in/page_out copy through the scratch
 * page (ARCH_SCRATCH_PAGE, already mapped to the frame by the caller).
 * Difference from the reference: page_in and page_out return an error
 * (a failed device transfer) instead of nothing.
 */
void k_mem_paging_backing_store_init(void);
/*
 * A location for the page in pf: the one it already has when the frame is
 * BACKED (this lookup never fails: callers rely on it), otherwise a free
 * one. page_fault: may the last free location be used (one is always kept
 * for the fault path)? Returns 0, or -ENOMEM.
 */
int k_mem_paging_backing_store_location_get(struct k_mem_page_frame *pf, uintptr_t *location,
					    bool page_fault);
/* The location is no longer used. */
void k_mem_paging_backing_store_location_free(uintptr_t location);
/* Copy the page at ARCH_SCRATCH_PAGE to location. 0 or -EIO. */
int k_mem_paging_backing_store_page_out(uintptr_t location);
/* Copy location's contents to the page at ARCH_SCRATCH_PAGE. 0 or -EIO. */
int k_mem_paging_backing_store_page_in(uintptr_t location);
/*
 * The page from location now lives in pf. The store either frees the
 * location, or keeps it and marks pf BACKED (a later clean eviction of pf
 * then needs no copy).
 */
void k_mem_paging_backing_store_page_finalize(struct k_mem_page_frame *pf, uintptr_t location);
/* Free locations (for tests and statistics). */
size_t k_mem_paging_backing_store_free_get(void);

#endif /* PAGODA_INCLUDE_KERNEL_MM_DEMAND_PAGING_H */
