/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A RAM disk behind <drivers/disk.h> for the host test of the disk backing
 * store, with controls the real driver does not have.
 */
#ifndef FAKE_DISK_H
#define FAKE_DISK_H

#include <drivers/disk.h>
#include <stdbool.h>
#include <stdint.h>

#define FAKE_MAX_SECTORS 1024U

struct fake_disk {
	bool present;             /* disk_init() finds a disk */
	uint32_t sectors;         /* its size */
	unsigned int fail_reads;  /* the next n reads fail (nothing moves) */
	unsigned int fail_writes; /* the next n writes fail (the first half moves) */
	uint32_t reads, writes;   /* calls, failed ones included */
	uint32_t last_sector, last_count;
};

extern struct fake_disk fake;
extern uint8_t fake_data[FAKE_MAX_SECTORS][DISK_SECTOR_SIZE];

/* A present, zeroed disk of the given size, no failures pending. */
void fake_disk_reset(uint32_t sectors);

#endif /* FAKE_DISK_H */
