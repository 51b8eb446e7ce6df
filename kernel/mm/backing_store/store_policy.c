/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backing-store policy of the built-in stores (RAM, disk): the
 * k_mem_paging_backing_store_* interface but the copies, which the store
 * driver does (store_driver.h). Location = slot index * page size. The
 * policy itself is <store_policy.h>, inline, which the page-fault path
 * uses directly; these are the reference interface's calls of it.
 *
 * A store the application provides (CONFIG_BACKING_STORE_CUSTOM)
 * implements the interface itself; this file is not built then.
 */
#include <arch/mm.h>
#include <kernel/mm/backing_store.h>
#include <page_frames.h>
#include <store_policy.h>
#include <sys/errno.h>

#include "store_driver.h"

BUILD_ASSERT(Z_STORE_SLOTS >= 2, "a store needs a slot for page-outs and one for faults");
BUILD_ASSERT((uint64_t)(Z_STORE_SLOTS - 1) * CONFIG_MMU_PAGE_SIZE <= ARCH_PAGE_LOCATION_MAX,
	     "locations beyond what a paged-out entry can hold");

z_store_slot_t z_store_free_stack[Z_STORE_SLOTS];
size_t z_store_free_top;
uint32_t z_store_slot_used[(Z_STORE_SLOTS + 31) / 32];
z_store_slot_t z_store_backed_slot[K_MEM_NUM_PAGE_FRAMES];

void k_mem_paging_backing_store_init(void)
{
	z_backing_store_driver_init();
	for (size_t i = 0; i < Z_STORE_SLOTS; i++) {
		z_store_free_stack[i] =
			(z_store_slot_t)(Z_STORE_SLOTS - 1U - i); /* slot 0 on top */
	}
	z_store_free_top = Z_STORE_SLOTS;
	for (size_t i = 0; i < ARRAY_SIZE(z_store_slot_used); i++) {
		z_store_slot_used[i] = 0;
	}
}

int k_mem_paging_backing_store_location_get(struct k_mem_page_frame *pf, uintptr_t *location,
					    bool page_fault)
{
	return z_store_location_get(pf, location, page_fault);
}

void k_mem_paging_backing_store_location_free(uintptr_t location)
{
	z_store_location_free(location);
}

void k_mem_paging_backing_store_page_finalize(struct k_mem_page_frame *pf, uintptr_t location)
{
	z_store_page_finalize(pf, location);
}

size_t k_mem_paging_backing_store_free_get(void)
{
	return z_store_free_top;
}
