/*
 * Disk backing store: CONFIG_BACKING_STORE_DISK_PAGES page-sized slots on
 * the ATA disk (<drivers/disk.h>), slot i at sectors [i * 8, i * 8 + 8);
 * location = slot index * page size.
 *
 * Slot accounting: a bit array (a bundle of 32 slots per step, full
 * stretches skipped through its summary level) plus a free count; freeing
 * a free slot is caught. One slot is always kept for the page-fault path,
 * so a fault can be served when page-outs have filled the store. As in the
 * RAM store, a page paged in keeps its slot while more than a quarter of
 * the slots are free: the frame is marked BACKED and a later clean eviction
 * of it needs no disk write.
 *
 * Device errors: a transfer is tried STORE_TRIES times (a transient error
 * costs a retry, not the page), then -EIO goes to the core. A failed
 * page-out records nothing here: the core keeps the frame mapped, frees the
 * location and clears BACKED (the slot's contents are undefined after a
 * failed write). A failed page-in leaves the slot as it was; the core
 * fails the fault, which is then fatal with the usual diagnostics.
 */
#include <arch/mm.h>
#include <drivers/disk.h>
#include <kernel/mm/demand_paging.h>
#include <page_frames.h>
#include <sys/bitarray.h>
#include <sys/errno.h>

#define NUM_SLOTS        CONFIG_BACKING_STORE_DISK_PAGES
#define SECTORS_PER_SLOT (CONFIG_MMU_PAGE_SIZE / DISK_SECTOR_SIZE)
#define STORE_TRIES      3

BUILD_ASSERT(NUM_SLOTS >= 2, "CONFIG_BACKING_STORE_DISK_PAGES must be at least 2: "
			     "the store needs a slot for page-outs and one for faults");
BUILD_ASSERT(NUM_SLOTS < 2 ||
		     (uint64_t)(NUM_SLOTS - 1) * CONFIG_MMU_PAGE_SIZE <= ARCH_PAGE_LOCATION_MAX,
	     "CONFIG_BACKING_STORE_DISK_PAGES is too large: "
	     "locations beyond what a paged-out entry can hold (at most 524288 pages)");
BUILD_ASSERT(CONFIG_MMU_PAGE_SIZE % DISK_SECTOR_SIZE == 0, "a page is whole sectors");
BUILD_ASSERT(NUM_SLOTS <= UINT32_MAX / SECTORS_PER_SLOT, "sector numbers are 32-bit");

/* Set bit = slot in use (paged-out page, page in transit, or BACKED frame's copy). */
SYS_BITARRAY_DEFINE_STATIC(slots_used, NUM_SLOTS);
static size_t free_slots;

/* The slot each BACKED frame owns; 16 bits when that is enough. */
#if NUM_SLOTS <= 65536
typedef uint16_t slot_t;
#else
typedef uint32_t slot_t;
#endif
static slot_t backed_slot[K_MEM_NUM_PAGE_FRAMES];

static uint32_t slot_of(uintptr_t location)
{
	__ASSERT(location % CONFIG_MMU_PAGE_SIZE == 0U &&
			 location / CONFIG_MMU_PAGE_SIZE < NUM_SLOTS,
		 "bad location 0x%lx", (unsigned long)location);
	return (uint32_t)(location / CONFIG_MMU_PAGE_SIZE);
}

void k_mem_paging_backing_store_init(void)
{
	uint32_t needed = (uint32_t)NUM_SLOTS * SECTORS_PER_SLOT;
	int ret = disk_init();

	if (ret != 0) {
		printk("disk backing store: no usable ATA disk on the IDE primary master (%d); "
		       "QEMU needs -drive file=disk.img,format=raw,if=ide,index=0\n",
		       ret);
		k_panic();
	}
	if (disk_sector_count() < needed) {
		printk("disk backing store: the disk has %u sectors, "
		       "CONFIG_BACKING_STORE_DISK_PAGES=%u needs %u\n",
		       disk_sector_count(), (unsigned int)NUM_SLOTS, needed);
		k_panic();
	}
	(void)sys_bitarray_clear_region(&slots_used, NUM_SLOTS, 0);
	free_slots = NUM_SLOTS;
}

int k_mem_paging_backing_store_location_get(struct k_mem_page_frame *pf, uintptr_t *location,
					    bool page_fault)
{
	size_t slot;
	unsigned int key;

	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED)) {
		slot = backed_slot[pf - k_mem_page_frames];
		__ASSERT(sys_bitarray_is_region_set(&slots_used, 1, slot),
			 "BACKED frame's slot %zu is free", slot);
		*location = (uintptr_t)slot * CONFIG_MMU_PAGE_SIZE;
		return 0;
	}
	key = irq_lock();
	if (free_slots == 0U || (!page_fault && free_slots == 1U) ||
	    sys_bitarray_alloc(&slots_used, 1, &slot) != 0) {
		irq_unlock(key);
		return -ENOMEM;
	}
	free_slots--;
	irq_unlock(key);
	*location = (uintptr_t)slot * CONFIG_MMU_PAGE_SIZE;
	return 0;
}

void k_mem_paging_backing_store_location_free(uintptr_t location)
{
	uint32_t slot = slot_of(location);
	unsigned int key = irq_lock();
	int ret = sys_bitarray_free(&slots_used, 1, slot);

	if (ret == 0) {
		free_slots++;
	}
	irq_unlock(key);
	__ASSERT(ret == 0, "slot %u freed twice", slot);
}

int k_mem_paging_backing_store_page_out(uintptr_t location)
{
	uint32_t sector = slot_of(location) * SECTORS_PER_SLOT;
	int ret = -EIO;

	for (int i = 0; i < STORE_TRIES && ret != 0; i++) {
		ret = disk_write(sector, ARCH_SCRATCH_PAGE, SECTORS_PER_SLOT);
	}
	if (ret != 0) {
		printk("<err> disk store: page-out to slot %u failed %d times (%d)\n",
		       slot_of(location), STORE_TRIES, ret);
	}
	return ret != 0 ? -EIO : 0;
}

int k_mem_paging_backing_store_page_in(uintptr_t location)
{
	uint32_t sector = slot_of(location) * SECTORS_PER_SLOT;
	int ret = -EIO;

	for (int i = 0; i < STORE_TRIES && ret != 0; i++) {
		ret = disk_read(sector, ARCH_SCRATCH_PAGE, SECTORS_PER_SLOT);
	}
	if (ret != 0) {
		printk("<err> disk store: page-in from slot %u failed %d times (%d)\n",
		       slot_of(location), STORE_TRIES, ret);
	}
	return ret != 0 ? -EIO : 0;
}

void k_mem_paging_backing_store_page_finalize(struct k_mem_page_frame *pf, uintptr_t location)
{
	__ASSERT(!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED),
		 "frame %p is already BACKED: its old slot would leak", pf);
	if (free_slots > NUM_SLOTS / 4U) {
		backed_slot[pf - k_mem_page_frames] = (slot_t)slot_of(location);
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BACKED);
	} else {
		k_mem_paging_backing_store_location_free(location);
	}
}

size_t k_mem_paging_backing_store_free_get(void)
{
	return free_slots;
}
