/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RAM backing store: CONFIG_BACKING_STORE_RAM_PAGES page-sized slots in the
 * image's .bss (for testing, and as the model of a compressing store). The
 * policy is the core's (store_policy.c); the copies are inline in
 * <store_policy.h>, which the page-fault path uses directly.
 */
#include <arch/mm.h>
#include <kernel/mm/backing_store.h>
#include <page_frames.h>
#include <store_policy.h>
#include <string.h>

#include "store_driver.h"

uint8_t z_ram_store_slots[CONFIG_BACKING_STORE_RAM_PAGES][CONFIG_MMU_PAGE_SIZE] __aligned(
	CONFIG_MMU_PAGE_SIZE);

void z_backing_store_driver_init(void)
{
}

/* The copies are <store_policy.h>'s (inline in the page-fault path). */
int k_mem_paging_backing_store_page_in(uintptr_t location)
{
	return z_store_page_copy(location, false);
}

int k_mem_paging_backing_store_page_out(uintptr_t location)
{
	return z_store_page_copy(location, true);
}
