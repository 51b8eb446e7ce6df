/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Disk backing store: CONFIG_BACKING_STORE_DISK_PAGES page-sized slots on
 * the ATA disk (<drivers/disk.h>), slot i at sectors [i * 8, i * 8 + 8).
 * The policy is the core's (store_policy.c).
 *
 * Device errors: a transfer is tried STORE_TRIES times (a transient error
 * costs a retry, not the page), then -EIO goes to the core. After a failed
 * write the slot's contents are undefined: the core keeps the frame mapped
 * and frees the slot. A failed read leaves the slot as it was; the core
 * fails the fault, which is then fatal with the usual diagnostics.
 */
#include <arch/mm.h>
#include <drivers/disk.h>
#include <kernel.h>
#include <kernel/mm/backing_store.h>
#include <paging.h>
#include <sys/errno.h>

#include "store_driver.h"

#define NUM_SLOTS        CONFIG_BACKING_STORE_DISK_PAGES
#define SECTORS_PER_SLOT (CONFIG_MMU_PAGE_SIZE / DISK_SECTOR_SIZE)
#define STORE_TRIES      3

BUILD_ASSERT(CONFIG_MMU_PAGE_SIZE % DISK_SECTOR_SIZE == 0, "a page is whole sectors");
BUILD_ASSERT((uint64_t)NUM_SLOTS *SECTORS_PER_SLOT <= UINT32_MAX, "sector numbers are 32-bit");

void z_backing_store_driver_init(void)
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
}

/* Move the slot at location to or from the scratch page, with retries. */
static int slot_transfer(uintptr_t location, bool write)
{
	size_t slot = location / CONFIG_MMU_PAGE_SIZE;
	uint32_t sector = (uint32_t)slot * SECTORS_PER_SLOT;
	int ret = -EIO;

#ifdef CONFIG_DISK_ATA
	uintptr_t phys;

	/* DMA straight to the frame the scratch page maps: no copy. */
	(void)arch_page_phys_get(ARCH_SCRATCH_PAGE, &phys);
	for (int i = 0; i < STORE_TRIES && ret != 0; i++) {
		ret = write ? disk_write_phys(sector, phys, SECTORS_PER_SLOT)
			    : disk_read_phys(sector, phys, SECTORS_PER_SLOT);
	}
#else /* the host build's disk model */
	for (int i = 0; i < STORE_TRIES && ret != 0; i++) {
		ret = write ? disk_write(sector, ARCH_SCRATCH_PAGE, SECTORS_PER_SLOT)
			    : disk_read(sector, ARCH_SCRATCH_PAGE, SECTORS_PER_SLOT);
	}
#endif
	if (ret != 0) {
		printk("<err> disk store: page-%s slot %zu failed %d times (%d)\n",
		       write ? "out to" : "in from", slot, STORE_TRIES, ret);
	}
	return ret != 0 ? -EIO : 0;
}

#ifdef CONFIG_DEMAND_PAGING_SLEEP
int z_backing_store_frame_io(uintptr_t location, uintptr_t phys, bool out)
{
	size_t slot = location / CONFIG_MMU_PAGE_SIZE;
	uint32_t sector = (uint32_t)slot * SECTORS_PER_SLOT;
	int ret = -EIO;

	for (int i = 0; i < STORE_TRIES && ret != 0; i++) {
		ret = out ? disk_write_phys(sector, phys, SECTORS_PER_SLOT)
			  : disk_read_phys(sector, phys, SECTORS_PER_SLOT);
	}
	if (ret != 0) {
		printk("<err> disk store: page-%s slot %zu failed %d times (%d)\n",
		       out ? "out to" : "in from", slot, STORE_TRIES, ret);
	}
	return ret != 0 ? -EIO : 0;
}
#endif

int k_mem_paging_backing_store_page_out(uintptr_t location)
{
	return slot_transfer(location, true);
}

int k_mem_paging_backing_store_page_in(uintptr_t location)
{
	return slot_transfer(location, false);
}
