/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a built-in backing store provides: CONFIG_BACKING_STORE_PAGES
 * page-sized slots at locations slot * page size, which it can initialize,
 * read and write: z_backing_store_driver_init() below, and the reference
 * interface's k_mem_paging_backing_store_page_in() and _page_out()
 * (<kernel/mm/backing_store.h>: copies through the scratch page, 0 or
 * -EIO). Nothing else: which slot a page gets, the slot kept for page
 * faults and the copy a paged-in page keeps are the core's policy
 * (store_policy.c), which implements the rest of that interface. A new
 * store is one short file: these three functions and a Kconfig choice
 * entry. Calls are serialized by the core (interrupts locked).
 */
#ifndef PAGODA_KERNEL_MM_BACKING_STORE_STORE_DRIVER_H
#define PAGODA_KERNEL_MM_BACKING_STORE_STORE_DRIVER_H

#include <stddef.h>

/* Make the slots usable; a store that cannot panics with a message. */
void z_backing_store_driver_init(void);

#endif /* PAGODA_KERNEL_MM_BACKING_STORE_STORE_DRIVER_H */
