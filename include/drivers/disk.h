/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal block-device API: one disk of 512-byte sectors, polled,
 * synchronous. Implemented by drivers/disk/ata_pio.c (CONFIG_DISK_ATA_PIO)
 * for the primary master of the legacy IDE controller (QEMU's first IDE
 * disk). Used by the disk backing store of demand paging.
 *
 * Errors are negative errno values: -ENODEV (no disk, or disk_init() not
 * called or failed), -EINVAL (bad arguments: NULL buffer, count 0, a range
 * past the end of the disk; nothing is transferred), -EBUSY (called in the
 * middle of a device command: only an NMI handler can be), -EIO (the device
 * reported an error or timed out; one log line names its status and error
 * registers). After -EIO the sectors of the failed range are undefined
 * (on QEMU each holds its old or its new contents); all others are
 * untouched. Calls may nest: an interrupt handler may read or write while
 * a call it interrupted is between two device commands (each command runs
 * with interrupts locked).
 */
#ifndef PAGODA_INCLUDE_DRIVERS_DISK_H
#define PAGODA_INCLUDE_DRIVERS_DISK_H

#include <stdint.h>

#define DISK_SECTOR_SIZE 512U

/* Find the disk and read its size (ATA IDENTIFY). 0, or -ENODEV with a log line. */
int disk_init(void);

/* Sectors on the disk; 0 before a successful disk_init(). */
uint32_t disk_sector_count(void);

/* Read count sectors starting at sector into buf (any alignment). */
int disk_read(uint32_t sector, void *buf, uint32_t count);

/* Write count sectors starting at sector from buf, then flush the drive's
 * write cache: when this returns 0 the data is on the medium.
 */
int disk_write(uint32_t sector, const void *buf, uint32_t count);

/* Transfers and failures since boot (failures include injected ones). */
struct disk_stats {
	uint32_t reads;           /* disk_read() calls past the argument checks */
	uint32_t writes;          /* disk_write() calls past the argument checks */
	uint32_t sectors_read;    /* sectors transferred by successful reads */
	uint32_t sectors_written; /* sectors transferred by successful writes */
	uint32_t errors;          /* calls that returned -EIO */
};

void disk_stats_get(struct disk_stats *stats);

/* ---- for tests only ---------------------------------------------------------- */

enum disk_op {
	DISK_OP_READ,
	DISK_OP_WRITE,
};

/*
 * Fault injection, for tests: the next count calls of disk_read() (op
 * DISK_OP_READ) or disk_write() (DISK_OP_WRITE) that pass the argument
 * checks fail with -EIO like a device error in the middle of the transfer:
 * the first half of the sectors (rounded down) really moves, the rest does
 * not, and the usual error line is logged, marked "injected". count 0
 * cancels what is left. Always compiled: it costs one comparison per call.
 */
void disk_inject_errors(enum disk_op op, unsigned int count);

#endif /* PAGODA_INCLUDE_DRIVERS_DISK_H */
