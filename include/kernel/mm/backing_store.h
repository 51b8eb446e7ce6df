/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backing-store plug-in interface of demand paging: one file under
 * kernel/mm/backing_store/, chosen by CONFIG_BACKING_STORE_* (or the
 * application's, with CONFIG_BACKING_STORE_CUSTOM). Names follow the
 * reference RTOS (Zephyr).
 */
#ifndef PAGODA_INCLUDE_KERNEL_MM_BACKING_STORE_H
#define PAGODA_INCLUDE_KERNEL_MM_BACKING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k_mem_page_frame;

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

#endif /* PAGODA_INCLUDE_KERNEL_MM_BACKING_STORE_H */
