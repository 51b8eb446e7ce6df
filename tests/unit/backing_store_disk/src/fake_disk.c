/* SPDX-License-Identifier: Apache-2.0 */
/* The fake disk (see fake_disk.h). */
#include "fake_disk.h"

#include <errno.h>
#include <string.h>
#include <ztest.h>

struct fake_disk fake;
uint8_t fake_data[FAKE_MAX_SECTORS][DISK_SECTOR_SIZE];
static bool initialized;

void fake_disk_reset(uint32_t sectors)
{
	zassert_true(sectors <= FAKE_MAX_SECTORS);
	memset(&fake, 0, sizeof(fake));
	memset(fake_data, 0, sizeof(fake_data));
	fake.present = true;
	fake.sectors = sectors;
	initialized = false;
}

int disk_init(void)
{
	initialized = fake.present;
	return fake.present ? 0 : -ENODEV;
}

uint32_t disk_sector_count(void)
{
	return initialized ? fake.sectors : 0U;
}

static int check(uint32_t sector, const void *buf, uint32_t count)
{
	/* The store must never send what the real driver would reject. */
	zassert_true(initialized, "transfer before disk_init()");
	zassert_not_null(buf);
	zassert_true(count > 0 && sector < fake.sectors && count <= fake.sectors - sector,
		     "sectors %u+%u outside the disk", sector, count);
	fake.last_sector = sector;
	fake.last_count = count;
	return 0;
}

int disk_read(uint32_t sector, void *buf, uint32_t count)
{
	check(sector, buf, count);
	fake.reads++;
	if (fake.fail_reads > 0U) {
		fake.fail_reads--;
		return -EIO;
	}
	memcpy(buf, fake_data[sector], (size_t)count * DISK_SECTOR_SIZE);
	return 0;
}

int disk_write(uint32_t sector, const void *buf, uint32_t count)
{
	check(sector, buf, count);
	fake.writes++;
	if (fake.fail_writes > 0U) {
		fake.fail_writes--;
		memcpy(fake_data[sector], buf, (size_t)(count / 2U) * DISK_SECTOR_SIZE);
		return -EIO;
	}
	memcpy(fake_data[sector], buf, (size_t)count * DISK_SECTOR_SIZE);
	return 0;
}

void disk_stats_get(struct disk_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->reads = fake.reads;
	stats->writes = fake.writes;
}

void disk_inject_errors(enum disk_op op, unsigned int count)
{
	if (op == DISK_OP_READ) {
		fake.fail_reads = count;
	} else {
		fake.fail_writes = count;
	}
}
