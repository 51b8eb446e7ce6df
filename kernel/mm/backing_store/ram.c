/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RAM backing store: CONFIG_BACKING_STORE_RAM_PAGES page-sized slots in the
 * image's .bss (for testing, and as the model of a compressing store). The
 * policy is the core's (store_policy.c).
 */
#include <arch/mm.h>
#include <kernel/mm/backing_store.h>
#include <page_frames.h>
#include <string.h>

#include "store_driver.h"

static uint8_t
	slots[CONFIG_BACKING_STORE_RAM_PAGES][CONFIG_MMU_PAGE_SIZE] __aligned(CONFIG_MMU_PAGE_SIZE);

void z_backing_store_driver_init(void)
{
}

int k_mem_paging_backing_store_page_in(uintptr_t location)
{
	memcpy(ARCH_SCRATCH_PAGE, slots[location / CONFIG_MMU_PAGE_SIZE], CONFIG_MMU_PAGE_SIZE);
	return 0;
}

int k_mem_paging_backing_store_page_out(uintptr_t location)
{
	memcpy(slots[location / CONFIG_MMU_PAGE_SIZE], ARCH_SCRATCH_PAGE, CONFIG_MMU_PAGE_SIZE);
	return 0;
}
