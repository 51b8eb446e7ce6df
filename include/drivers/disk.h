/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal block-device API: one disk of 512-byte sectors. Implemented by
 * drivers/disk/ata.c (CONFIG_DISK_ATA) for the primary master of the PIIX
 * IDE controller (QEMU's first IDE disk), by bus-master DMA. Used by the
 * disk backing store of demand paging.
 *
 * Every call returns when its transfer is over. A thread that may block
 * (interrupts enabled, scheduler not locked, not an interrupt handler)
 * sleeps until the drive's completion interrupt, and other threads run
 * meanwhile; any other caller polls with interrupts locked. Calls from
 * sleeping threads queue for the drive one command at a time.
 *
 * Errors are negative errno values: -ENODEV (no disk, or disk_init() not
 * called or failed), -EINVAL (bad arguments: NULL buffer, count 0, a range
 * past the end of the disk, a physical region DMA cannot reach in one
 * piece; nothing is transferred), -EIO (the device reported an error, or
 * did not answer within CONFIG_DISK_ATA_TIMEOUT_MS, sleeping, or
 * CONFIG_DISK_ATA_TIMEOUT_MCYCLES, polling, and was reset; one log line
 * names its status, error and bus-master registers). After -EIO the
 * sectors of the failed range are undefined (on QEMU each holds its old or
 * its new contents); all others are untouched.
 */
#ifndef PAGODA_INCLUDE_DRIVERS_DISK_H
#define PAGODA_INCLUDE_DRIVERS_DISK_H

#include <kernel/timeout.h>
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

/*
 * count sectors between the disk and physical memory at phys, by DMA and
 * with no copy: phys even, the region below 4 GiB, at most 64 KiB and not
 * across a 64 KiB line (a page frame always qualifies), and not to be
 * reused until the call returns. A write is not followed by a cache flush:
 * for contents that need not outlive the machine (paging).
 */
int disk_read_phys(uint32_t sector, uintptr_t phys, uint32_t count);
int disk_write_phys(uint32_t sector, uintptr_t phys, uint32_t count);

/* Transfers and failures since boot (failures include injected ones). */
struct disk_stats {
	uint32_t reads;           /* disk_read() calls past the argument checks */
	uint32_t writes;          /* disk_write() calls past the argument checks */
	uint32_t sectors_read;    /* sectors transferred by successful reads */
	uint32_t sectors_written; /* sectors transferred by successful writes */
	uint32_t errors;          /* calls that returned -EIO */
	uint32_t interrupts;      /* commands whose end a sleeping caller got by interrupt */
	uint32_t polled;          /* commands whose end was polled */
	uint32_t timeouts;        /* commands the device never ended (reset) */
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

/*
 * The next count data commands find a device that never answers (the bus
 * master is not started, so the drive waits for it): each times out, the
 * channel is reset and the call fails with -EIO. 0 cancels.
 */
void disk_inject_timeouts(unsigned int count);

/*
 * A slow device: from now on every command of a sleeping caller takes at
 * least ticks more ticks (the caller sleeps them after the command ends),
 * so that tests can have other threads meet a transfer under way. 0 ends
 * it. Pollers are not slowed.
 */
void disk_inject_latency(k_ticks_t ticks);

#endif /* PAGODA_INCLUDE_DRIVERS_DISK_H */
