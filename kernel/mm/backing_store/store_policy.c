/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backing-store policy of the built-in stores (RAM, disk): the
 * k_mem_paging_backing_store_* interface but the copies, which the store
 * driver does (store_driver.h). Location = slot index * page size.
 *
 * - Free slots sit on a stack (O(1) get and free); with CONFIG_ASSERT a bit
 *   per slot catches a slot freed twice.
 * - One slot is always kept for the page-fault path, so a fault can be
 *   served when page-outs have filled the store.
 * - A page paged in keeps its slot while more than a quarter of the slots
 *   are free: the frame is marked BACKED and a later clean eviction of it
 *   needs no copy (the reference frees the slot at once).
 *
 * A store the application provides (CONFIG_BACKING_STORE_CUSTOM)
 * implements the interface itself; this file is not built then.
 */
#include <arch/mm.h>
#include <kernel/mm/backing_store.h>
#include <page_frames.h>
#include <sys/errno.h>

#include "store_driver.h"

#define NUM_SLOTS CONFIG_BACKING_STORE_PAGES

BUILD_ASSERT(NUM_SLOTS >= 2, "a store needs a slot for page-outs and one for faults");
BUILD_ASSERT((uint64_t)(NUM_SLOTS - 1) * CONFIG_MMU_PAGE_SIZE <= ARCH_PAGE_LOCATION_MAX,
	     "locations beyond what a paged-out entry can hold");

/* A slot number; 16 bits when that is enough (the stack and the BACKED map are per slot/frame). */
#if NUM_SLOTS <= 65536
typedef uint16_t slot_t;
#else
typedef uint32_t slot_t;
#endif

static slot_t free_stack[NUM_SLOTS];
static size_t free_top;
static uint32_t slot_used[(NUM_SLOTS + 31) / 32];
/* The slot each BACKED frame owns. */
static slot_t backed_slot[K_MEM_NUM_PAGE_FRAMES];

static size_t slot_of(uintptr_t location)
{
	__ASSERT(location % CONFIG_MMU_PAGE_SIZE == 0U &&
			 location / CONFIG_MMU_PAGE_SIZE < NUM_SLOTS,
		 "bad location 0x%lx", (unsigned long)location);
	return location / CONFIG_MMU_PAGE_SIZE;
}

static bool slot_is_used(size_t slot)
{
	return (slot_used[slot / 32U] & BIT(slot % 32U)) != 0U;
}

void k_mem_paging_backing_store_init(void)
{
	z_backing_store_driver_init();
	for (size_t i = 0; i < NUM_SLOTS; i++) {
		free_stack[i] = (slot_t)(NUM_SLOTS - 1U - i); /* slot 0 on top */
	}
	free_top = NUM_SLOTS;
	for (size_t i = 0; i < ARRAY_SIZE(slot_used); i++) {
		slot_used[i] = 0;
	}
}

int k_mem_paging_backing_store_location_get(struct k_mem_page_frame *pf, uintptr_t *location,
					    bool page_fault)
{
	size_t slot;

	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED)) {
		slot = backed_slot[pf - k_mem_page_frames];
		__ASSERT(slot_is_used(slot), "BACKED frame's slot %zu is free", slot);
	} else {
		if (free_top == 0U || (!page_fault && free_top == 1U)) {
			return -ENOMEM;
		}
		slot = free_stack[--free_top];
		if (IS_ENABLED(CONFIG_ASSERT)) {
			slot_used[slot / 32U] |= BIT(slot % 32U);
		}
	}
	*location = (uintptr_t)slot * CONFIG_MMU_PAGE_SIZE;
	return 0;
}

void k_mem_paging_backing_store_location_free(uintptr_t location)
{
	size_t slot = slot_of(location);

	__ASSERT(slot_is_used(slot), "slot %zu freed twice", slot);
	__ASSERT(free_top < NUM_SLOTS, "more slots freed than exist");
	if (IS_ENABLED(CONFIG_ASSERT)) {
		slot_used[slot / 32U] &= ~BIT(slot % 32U);
	}
	free_stack[free_top++] = (slot_t)slot;
}

void k_mem_paging_backing_store_page_finalize(struct k_mem_page_frame *pf, uintptr_t location)
{
	__ASSERT(!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED),
		 "frame %p is already BACKED: its old slot would leak", pf);
	if (free_top > NUM_SLOTS / 4U) {
		backed_slot[pf - k_mem_page_frames] = (slot_t)slot_of(location);
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BACKED);
	} else {
		k_mem_paging_backing_store_location_free(location);
	}
}

size_t k_mem_paging_backing_store_free_get(void)
{
	return free_top;
}
