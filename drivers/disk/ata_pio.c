/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polled ATA PIO driver for the primary master of the legacy IDE controller
 * (ports 0x1F0-0x1F7 and 0x3F6), as QEMU's pc machine emulates it for
 * `-drive if=ide,index=0`. LBA28 addressing, so at most 128 GiB.
 *
 * Everything is polled with interrupts off at the drive (nIEN): the paging
 * core calls in from the page-fault handler, where waiting for an IRQ is
 * not an option. Every wait is bounded (CONFIG_DISK_ATA_PIO_TIMEOUT_MCYCLES
 * of the TSC); a timeout resets the drive so the next command starts from
 * a known state.
 *
 * Each command runs with interrupts locked, so the device is idle whenever
 * an interrupt handler gets in. Called with interrupts enabled (a paging
 * transfer under CONFIG_DEMAND_PAGING_ALLOW_IRQ), a transfer is split into
 * one-sector commands: a handler waits at most one sector, and may run a
 * whole transfer of its own between two of them.
 */
#include <drivers/disk.h>
#include <kernel.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/errno.h>
#include <x86_cpu.h>

/* Command block registers (primary channel). */
#define ATA_DATA           0x1F0
#define ATA_ERROR          0x1F1 /* read */
#define ATA_SECTOR_COUNT   0x1F2
#define ATA_LBA_LOW        0x1F3
#define ATA_LBA_MID        0x1F4
#define ATA_LBA_HIGH       0x1F5
#define ATA_DEVICE         0x1F6
#define ATA_STATUS         0x1F7 /* read */
#define ATA_COMMAND        0x1F7 /* write */
/* Control block register. */
#define ATA_ALT_STATUS     0x3F6 /* read: status without side effects */
#define ATA_DEVICE_CONTROL 0x3F6 /* write */

#define ATA_SR_BSY  0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DF   0x20
#define ATA_SR_DRQ  0x08
#define ATA_SR_ERR  0x01

#define ATA_CTL_NIEN 0x02 /* no interrupts: we poll */
#define ATA_CTL_SRST 0x04

#define ATA_DEV_MASTER 0xA0
#define ATA_DEV_LBA    0x40

#define ATA_CMD_READ_SECTORS  0x20
#define ATA_CMD_WRITE_SECTORS 0x30
#define ATA_CMD_CACHE_FLUSH   0xE7
#define ATA_CMD_IDENTIFY      0xEC

#define ATA_MAX_SECTORS_PER_CMD 256U /* a sector count register of 0 means 256 */
#define ATA_LBA28_LIMIT         (1UL << 28)
#define ATA_WORDS_PER_SECTOR    (DISK_SECTOR_SIZE / 2U)

/* IDENTIFY DEVICE words. */
#define ID_CAPABILITIES  49
#define ID_CAP_LBA       (1U << 9)
#define ID_MODEL         27 /* 20 words, bytes swapped in each */
#define ID_MODEL_WORDS   20
#define ID_LBA28_SECTORS 60 /* two words, low first */

#define TIMEOUT_CYCLES ((uint64_t)CONFIG_DISK_ATA_PIO_TIMEOUT_MCYCLES * 1000000ULL)

/* Marks a timed-out wait; never a real status (BSY with everything else). */
#define WAIT_TIMEOUT (-1)

static uint32_t sectors;
static bool ready;
static volatile bool in_command; /* only an NMI could find it set */
static unsigned int inject_count[2];
static struct disk_stats stats;

/* The 400 ns a drive may take to present a valid status after a command or
 * a drive selection: four reads of the alternate status (~100 ns each on
 * real hardware).
 */
static void delay_400ns(void)
{
	for (int i = 0; i < 4; i++) {
		(void)z_x86_inb(ATA_ALT_STATUS);
	}
}

/*
 * Wait until BSY is clear and then either every bit of want is set, or ERR
 * or DF is. Returns that status, or WAIT_TIMEOUT.
 */
static int wait_status(uint8_t want)
{
	uint64_t start = k_cycle_get_64();

	for (;;) {
		/* Time first: the status read after the deadline still counts, so a
		 * vCPU descheduled past the deadline does not fail a finished command.
		 */
		bool late = k_cycle_get_64() - start > TIMEOUT_CYCLES;
		uint8_t status = z_x86_inb(ATA_STATUS);

		if ((status & ATA_SR_BSY) == 0U &&
		    ((status & want) == want || (status & (ATA_SR_ERR | ATA_SR_DF)) != 0U)) {
			return status;
		}
		if (late) {
			return WAIT_TIMEOUT;
		}
	}
}

/* Software reset of the channel, after a timeout: aborts whatever the drive
 * was doing. Best effort, bounded like every other wait.
 */
static void channel_reset(void)
{
	z_x86_outb(ATA_DEVICE_CONTROL, ATA_CTL_NIEN | ATA_CTL_SRST);
	for (int i = 0; i < 10; i++) { /* SRST must stay set for at least 5 us */
		delay_400ns();
	}
	z_x86_outb(ATA_DEVICE_CONTROL, ATA_CTL_NIEN);
	delay_400ns();
	(void)wait_status(0);
}

static const char *command_name(uint8_t command)
{
	switch (command) {
	case ATA_CMD_READ_SECTORS:
		return "READ SECTORS";
	case ATA_CMD_WRITE_SECTORS:
		return "WRITE SECTORS";
	case ATA_CMD_CACHE_FLUSH:
		return "CACHE FLUSH";
	default:
		return "IDENTIFY";
	}
}

/* The one log line of a failed command; returns -EIO for the caller. */
static int report_error(uint8_t command, uint32_t lba, uint32_t count, int status)
{
	uint8_t error = z_x86_inb(ATA_ERROR);

	if (status == WAIT_TIMEOUT) {
		printk("<err> disk: %s lba %u count %u timed out: status 0x%02x error 0x%02x\n",
		       command_name(command), lba, count, z_x86_inb(ATA_ALT_STATUS), error);
		channel_reset();
	} else {
		printk("<err> disk: %s lba %u count %u failed: status 0x%02x error 0x%02x\n",
		       command_name(command), lba, count, (unsigned int)status, error);
	}
	return -EIO;
}

/* Issue a command with LBA28 addressing to the master drive. */
static int issue(uint8_t command, uint32_t lba, uint32_t count)
{
	int status = wait_status(0);

	if (status == WAIT_TIMEOUT) {
		return report_error(command, lba, count, status);
	}
	z_x86_outb(ATA_DEVICE, ATA_DEV_MASTER | ATA_DEV_LBA | ((lba >> 24) & 0x0FU));
	delay_400ns();
	z_x86_outb(ATA_SECTOR_COUNT, (uint8_t)count); /* 256 -> 0, which means 256 */
	z_x86_outb(ATA_LBA_LOW, (uint8_t)lba);
	z_x86_outb(ATA_LBA_MID, (uint8_t)(lba >> 8));
	z_x86_outb(ATA_LBA_HIGH, (uint8_t)(lba >> 16));
	z_x86_outb(ATA_COMMAND, command);
	delay_400ns();
	return 0;
}

/* Move count (<= 256) sectors with one READ/WRITE SECTORS command. */
static int pio_transfer(bool write, uint32_t lba, uint8_t *buf, uint32_t count)
{
	uint8_t command = write ? ATA_CMD_WRITE_SECTORS : ATA_CMD_READ_SECTORS;
	int status;
	int ret = issue(command, lba, count);

	if (ret != 0) {
		return ret;
	}
	for (uint32_t i = 0; i < count; i++) {
		status = wait_status(ATA_SR_DRQ);
		if (status == WAIT_TIMEOUT || (status & (ATA_SR_ERR | ATA_SR_DF)) != 0) {
			return report_error(command, lba, count, status);
		}
		if (write) {
			z_x86_outsw(ATA_DATA, buf, ATA_WORDS_PER_SECTOR);
		} else {
			z_x86_insw(ATA_DATA, buf, ATA_WORDS_PER_SECTOR);
		}
		buf += DISK_SECTOR_SIZE;
		delay_400ns(); /* the drive raises BSY for the next sector */
	}
	/* A write is done once the drive leaves BSY; it may still report ERR/DF. */
	status = wait_status(0);
	if (status == WAIT_TIMEOUT || (status & (ATA_SR_ERR | ATA_SR_DF)) != 0) {
		return report_error(command, lba, count, status);
	}
	return 0;
}

static int cache_flush(uint32_t lba, uint32_t count)
{
	int status;
	int ret = issue(ATA_CMD_CACHE_FLUSH, 0, 0);

	if (ret != 0) {
		return ret;
	}
	status = wait_status(0);
	if (status == WAIT_TIMEOUT || (status & (ATA_SR_ERR | ATA_SR_DF)) != 0) {
		return report_error(ATA_CMD_CACHE_FLUSH, lba, count, status);
	}
	return 0;
}

/*
 * One command with the device to itself (interrupts locked): a data
 * transfer, or the cache flush that ends a write when buf is NULL.
 */
static int locked_command(bool write, uint32_t lba, uint8_t *buf, uint32_t count)
{
	unsigned int key = irq_lock();
	int ret;

	in_command = true;
	ret = (buf != NULL) ? pio_transfer(write, lba, buf, count) : cache_flush(lba, count);
	in_command = false;
	irq_unlock(key);
	return ret;
}

/*
 * Split a transfer into commands of at most 256 sectors (one sector when
 * interrupts are enabled, see the top of the file); flush after writes.
 */
static int transfer(bool write, uint32_t lba, uint8_t *buf, uint32_t count)
{
	uint32_t per_command = arch_irq_enabled() ? 1U : ATA_MAX_SECTORS_PER_CMD;
	uint32_t first = lba;
	uint32_t total = count;

	while (count > 0U) {
		uint32_t n = MIN(count, per_command);
		int ret = locked_command(write, lba, buf, n);

		if (ret != 0) {
			return ret;
		}
		lba += n;
		buf += (size_t)n * DISK_SECTOR_SIZE;
		count -= n;
	}
	return (write && total > 0U) ? locked_command(true, first, NULL, total) : 0;
}

int disk_init(void)
{
	uint16_t id[ATA_WORDS_PER_SECTOR];
	char model[ID_MODEL_WORDS * 2 + 1];
	int status;
	uint32_t count;

	ready = false;
	sectors = 0;
	z_x86_outb(ATA_DEVICE_CONTROL, ATA_CTL_NIEN);
	/* A floating bus (no controller) reads as all ones. */
	if (z_x86_inb(ATA_STATUS) == 0xFFU) {
		printk("<err> disk: no IDE controller at 0x1F0\n");
		return -ENODEV;
	}
	z_x86_outb(ATA_DEVICE, ATA_DEV_MASTER);
	delay_400ns();
	z_x86_outb(ATA_SECTOR_COUNT, 0);
	z_x86_outb(ATA_LBA_LOW, 0);
	z_x86_outb(ATA_LBA_MID, 0);
	z_x86_outb(ATA_LBA_HIGH, 0);
	z_x86_outb(ATA_COMMAND, ATA_CMD_IDENTIFY);
	delay_400ns();
	if (z_x86_inb(ATA_STATUS) == 0U) {
		printk("<err> disk: no drive on the IDE primary master\n");
		return -ENODEV;
	}
	status = wait_status(0);
	if (status == WAIT_TIMEOUT) {
		report_error(ATA_CMD_IDENTIFY, 0, 1, status);
		return -ENODEV;
	}
	/* ATAPI and SATA devices abort IDENTIFY and leave their signature here. */
	if (z_x86_inb(ATA_LBA_MID) != 0U || z_x86_inb(ATA_LBA_HIGH) != 0U) {
		printk("<err> disk: the IDE primary master is not an ATA disk (signature "
		       "0x%02x%02x)\n",
		       z_x86_inb(ATA_LBA_HIGH), z_x86_inb(ATA_LBA_MID));
		return -ENODEV;
	}
	status = wait_status(ATA_SR_DRQ);
	if (status == WAIT_TIMEOUT || (status & (ATA_SR_ERR | ATA_SR_DF)) != 0 ||
	    (status & ATA_SR_DRQ) == 0) {
		report_error(ATA_CMD_IDENTIFY, 0, 1, status);
		return -ENODEV;
	}
	z_x86_insw(ATA_DATA, id, ATA_WORDS_PER_SECTOR);

	count = (uint32_t)id[ID_LBA28_SECTORS] | ((uint32_t)id[ID_LBA28_SECTORS + 1] << 16);
	if ((id[ID_CAPABILITIES] & ID_CAP_LBA) == 0U || count == 0U || count > ATA_LBA28_LIMIT) {
		printk("<err> disk: the IDE primary master has no usable LBA28 size "
		       "(capabilities 0x%04x, %u sectors)\n",
		       id[ID_CAPABILITIES], count);
		return -ENODEV;
	}
	for (int i = 0; i < ID_MODEL_WORDS; i++) {
		model[2 * i] = (char)(id[ID_MODEL + i] >> 8);
		model[2 * i + 1] = (char)id[ID_MODEL + i];
	}
	for (int i = ID_MODEL_WORDS * 2; i >= 0; i--) { /* the model is space-padded */
		model[i] = '\0';
		if (i > 0 && model[i - 1] != ' ') {
			break;
		}
	}
	sectors = count;
	ready = true;
	printk("<inf> disk: %s on the IDE primary master, %u sectors (%u KiB)\n", model, count,
	       count / 2U);
	return 0;
}

uint32_t disk_sector_count(void)
{
	return ready ? sectors : 0U;
}

void disk_stats_get(struct disk_stats *out)
{
	unsigned int key = irq_lock();

	*out = stats;
	irq_unlock(key);
}

void disk_inject_errors(enum disk_op op, unsigned int count)
{
	if (op == DISK_OP_READ || op == DISK_OP_WRITE) {
		inject_count[op] = count;
	}
}

/* Checks shared by read and write. */
static int begin(uint32_t sector, const void *buf, uint32_t count)
{
	unsigned int key;
	int ret;

	if (!ready) {
		return -ENODEV;
	}
	if (buf == NULL || count == 0U || sector >= sectors || count > sectors - sector) {
		return -EINVAL;
	}
	key = irq_lock();
	ret = in_command ? -EBUSY : 0;
	irq_unlock(key);
	return ret;
}

static int run(enum disk_op op, uint32_t sector, uint8_t *buf, uint32_t count)
{
	bool write = op == DISK_OP_WRITE;
	int ret;

	if (inject_count[op] > 0U) {
		/* A device error halfway through: the first half really moves. */
		inject_count[op]--;
		ret = transfer(write, sector, buf, count / 2U);
		if (ret == 0) {
			printk("<err> disk: %s lba %u count %u failed (injected): status 0x%02x "
			       "error 0x%02x\n",
			       command_name(write ? ATA_CMD_WRITE_SECTORS : ATA_CMD_READ_SECTORS),
			       sector, count, ATA_SR_DRDY | ATA_SR_ERR, 0x04 /* ABRT */);
			ret = -EIO;
		}
	} else {
		ret = transfer(write, sector, buf, count);
	}

	unsigned int key = irq_lock();

	if (write) {
		stats.writes++;
	} else {
		stats.reads++;
	}
	if (ret == 0) {
		if (write) {
			stats.sectors_written += count;
		} else {
			stats.sectors_read += count;
		}
	} else {
		stats.errors++;
	}
	irq_unlock(key);
	return ret;
}

int disk_read(uint32_t sector, void *buf, uint32_t count)
{
	int ret = begin(sector, buf, count);

	return ret != 0 ? ret : run(DISK_OP_READ, sector, buf, count);
}

int disk_write(uint32_t sector, const void *buf, uint32_t count)
{
	int ret = begin(sector, buf, count);

	/* transfer() only reads from buf when writing. */
	return ret != 0 ? ret : run(DISK_OP_WRITE, sector, (uint8_t *)(uintptr_t)buf, count);
}
