/*
 * RAM backing store: CONFIG_BACKING_STORE_RAM_PAGES page-sized slots in the
 * image's .bss; location = slot index * page size.
 *
 * Free slots sit on a stack (O(1) get and free). One slot is always kept
 * for the page-fault path, so a fault can be served when page-outs have
 * filled the store. Unlike the reference, a page paged in keeps its slot
 * while more than a quarter of the slots are free: the frame is marked
 * BACKED and a later clean eviction of it needs no copy.
 */
#include <arch/mm.h>
#include <kernel/mm/demand_paging.h>
#include <page_frames.h>
#include <string.h>
#include <sys/errno.h>

#define NUM_SLOTS CONFIG_BACKING_STORE_RAM_PAGES

BUILD_ASSERT(NUM_SLOTS >= 2, "CONFIG_BACKING_STORE_RAM_PAGES must be at least 2: "
			     "the store needs a slot for page-outs and one for faults");
BUILD_ASSERT(NUM_SLOTS < 2 ||
		     (uintptr_t)(NUM_SLOTS - 1) * CONFIG_MMU_PAGE_SIZE <= ARCH_PAGE_LOCATION_MAX,
	     "CONFIG_BACKING_STORE_RAM_PAGES is too large: "
	     "locations beyond what a paged-out entry can hold (at most 524288 pages)");

static uint8_t slots[NUM_SLOTS][CONFIG_MMU_PAGE_SIZE] __aligned(CONFIG_MMU_PAGE_SIZE);
static uint32_t free_stack[NUM_SLOTS];
static size_t free_top;
/* The slot each BACKED frame owns. */
static uint32_t backed_slot[K_MEM_NUM_PAGE_FRAMES];

static uint32_t slot_of(uintptr_t location)
{
	__ASSERT(location % CONFIG_MMU_PAGE_SIZE == 0U &&
			 location / CONFIG_MMU_PAGE_SIZE < NUM_SLOTS,
		 "bad location 0x%lx", (unsigned long)location);
	return (uint32_t)(location / CONFIG_MMU_PAGE_SIZE);
}

void k_mem_paging_backing_store_init(void)
{
	for (uint32_t i = 0; i < NUM_SLOTS; i++) {
		free_stack[i] = NUM_SLOTS - 1U - i; /* slot 0 on top */
	}
	free_top = NUM_SLOTS;
}

int k_mem_paging_backing_store_location_get(struct k_mem_page_frame *pf, uintptr_t *location,
					    bool page_fault)
{
	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED)) {
		*location = (uintptr_t)backed_slot[pf - k_mem_page_frames] * CONFIG_MMU_PAGE_SIZE;
		return 0;
	}
	if (free_top == 0U || (!page_fault && free_top == 1U)) {
		return -ENOMEM;
	}
	*location = (uintptr_t)free_stack[--free_top] * CONFIG_MMU_PAGE_SIZE;
	return 0;
}

void k_mem_paging_backing_store_location_free(uintptr_t location)
{
	__ASSERT(free_top < NUM_SLOTS, "more slots freed than exist");
	free_stack[free_top++] = slot_of(location);
}

int k_mem_paging_backing_store_page_out(uintptr_t location)
{
	memcpy(slots[slot_of(location)], ARCH_SCRATCH_PAGE, CONFIG_MMU_PAGE_SIZE);
	return 0;
}

int k_mem_paging_backing_store_page_in(uintptr_t location)
{
	memcpy(ARCH_SCRATCH_PAGE, slots[slot_of(location)], CONFIG_MMU_PAGE_SIZE);
	return 0;
}

void k_mem_paging_backing_store_page_finalize(struct k_mem_page_frame *pf, uintptr_t location)
{
	if (free_top > NUM_SLOTS / 4U) {
		backed_slot[pf - k_mem_page_frames] = slot_of(location);
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BACKED);
	} else {
		k_mem_paging_backing_store_location_free(location);
	}
}

size_t k_mem_paging_backing_store_free_get(void)
{
	return free_top;
}
