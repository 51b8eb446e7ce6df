/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A model of the ATA disk (<drivers/disk.h>) for the host build of the disk
 * backing store (kernel/mm/backing_store/disk.c): the disk is host memory,
 * and it moves one sector per command with interrupts locked, unlocking
 * between two commands as drivers/disk/ata.c does when the caller has
 * interrupts enabled. So under CONFIG_DEMAND_PAGING_ALLOW_IRQ a handler (the
 * host port's interrupt point, host_port.h) may run between any two
 * sectors of a page in transit, as on the hardware. Built only for a
 * configuration with CONFIG_BACKING_STORE_DISK.
 */
#include <drivers/disk.h>
#include <kernel.h>
#include <string.h>
#include <sys/errno.h>

#ifdef CONFIG_BACKING_STORE_DISK

#define SECTORS ((uint32_t)CONFIG_BACKING_STORE_DISK_PAGES * (CONFIG_MMU_PAGE_SIZE / 512U))

static uint8_t medium[SECTORS][DISK_SECTOR_SIZE];
static bool ready;
static struct disk_stats stats;
static unsigned int inject_left[2];

int disk_init(void)
{
	ready = true;
	memset(&stats, 0, sizeof(stats));
	return 0;
}

uint32_t disk_sector_count(void)
{
	return ready ? SECTORS : 0U;
}

static int run(enum disk_op op, uint32_t sector, uint8_t *buf, uint32_t count)
{
	uint32_t moved = count;
	int ret = 0;

	if (!ready) {
		return -ENODEV;
	}
	if (buf == NULL || count == 0U || sector >= SECTORS || count > SECTORS - sector) {
		return -EINVAL;
	}
	if (inject_left[op] > 0U) {
		inject_left[op]--;
		moved = count / 2U;
		ret = -EIO;
	}
	for (uint32_t i = 0; i < moved; i++) {
		unsigned int key = irq_lock(); /* one command, as the driver does */

		if (op == DISK_OP_WRITE) {
			memcpy(medium[sector + i], buf + i * DISK_SECTOR_SIZE, DISK_SECTOR_SIZE);
		} else {
			memcpy(buf + i * DISK_SECTOR_SIZE, medium[sector + i], DISK_SECTOR_SIZE);
		}
		irq_unlock(key); /* a pending interrupt is taken here */
	}

	unsigned int key = irq_lock();

	if (ret != 0) {
		stats.errors++;
		printk("<err> disk: %s of sectors %u+%u failed (injected)\n",
		       op == DISK_OP_WRITE ? "write" : "read", sector, count);
	} else if (op == DISK_OP_WRITE) {
		stats.writes++;
		stats.sectors_written += count;
	} else {
		stats.reads++;
		stats.sectors_read += count;
	}
	irq_unlock(key);
	return ret;
}

int disk_read(uint32_t sector, void *buf, uint32_t count)
{
	return run(DISK_OP_READ, sector, buf, count);
}

int disk_write(uint32_t sector, const void *buf, uint32_t count)
{
	return run(DISK_OP_WRITE, sector, (uint8_t *)buf, count);
}

void disk_stats_get(struct disk_stats *out)
{
	*out = stats;
}

void disk_inject_errors(enum disk_op op, unsigned int count)
{
	inject_left[op] = count;
}

#endif /* CONFIG_BACKING_STORE_DISK */
