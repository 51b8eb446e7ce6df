/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ATA driver for the primary master of the PIIX IDE controller, as QEMU's
 * pc machine emulates it for `-drive if=ide,index=0`: bus-master DMA
 * (READ DMA / WRITE DMA, LBA28, so at most 128 GiB), the controller found
 * by PCI configuration-space enumeration, completion by IRQ 14. Why this
 * and not virtio-blk: README.md ("The disk driver").
 *
 * How a caller waits for its command's end:
 * - a thread that may block (interrupts enabled, scheduler not locked, not
 *   in an interrupt handler, z_sched_may_block()) sleeps on a semaphore
 *   the IRQ 14 handler gives, at most CONFIG_DISK_ATA_TIMEOUT_MS: other
 *   threads run during the transfer. Sleeping callers queue on `channel`.
 * - any other caller (boot, interrupts locked, an interrupt handler)
 *   polls the bus master's interrupt bit with interrupts locked, at most
 *   CONFIG_DISK_ATA_TIMEOUT_MCYCLES of the TSC. If a sleeping thread's
 *   command is under way, it is polled to its end first and its result
 *   handed over, so the device is always idle when a poller starts.
 * This polled wait is the only polled path kept: PIO data transfer is gone
 * (DMA does it for both).
 *
 * What the device reports is checked at the end of every command: BSY or
 * DRQ still set, ERR or DF, the bus master's error bit, or the bus master
 * still active (the drive moved fewer bytes than asked) fail it with -EIO
 * and one log line; a device that never answers times out, is reset, and
 * the call fails with -EIO.
 */
#include <drivers/disk.h>
#include <irq.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <ksched.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/errno.h>
#include <x86_cpu.h>

/* Command block registers (primary channel, compatibility mode). */
#define ATA_DATA           0x1F0
#define ATA_ERROR          0x1F1 /* read */
#define ATA_SECTOR_COUNT   0x1F2
#define ATA_LBA_LOW        0x1F3
#define ATA_LBA_MID        0x1F4
#define ATA_LBA_HIGH       0x1F5
#define ATA_DEVICE         0x1F6
#define ATA_STATUS         0x1F7 /* read: also clears the drive's interrupt */
#define ATA_COMMAND        0x1F7 /* write */
/* Control block register. */
#define ATA_ALT_STATUS     0x3F6 /* read: status without side effects */
#define ATA_DEVICE_CONTROL 0x3F6 /* write */
#define ATA_IRQ            14

#define ATA_SR_BSY  0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DF   0x20
#define ATA_SR_DRQ  0x08
#define ATA_SR_ERR  0x01

#define ATA_CTL_NIEN 0x02
#define ATA_CTL_SRST 0x04

#define ATA_DEV_MASTER 0xA0
#define ATA_DEV_LBA    0x40

#define ATA_CMD_READ_DMA    0xC8
#define ATA_CMD_WRITE_DMA   0xCA
#define ATA_CMD_CACHE_FLUSH 0xE7
#define ATA_CMD_IDENTIFY    0xEC

#define ATA_LBA28_LIMIT      (1UL << 28)
#define ATA_WORDS_PER_SECTOR (DISK_SECTOR_SIZE / 2U)
#define DMA_MAX_BYTES        0x10000U /* one PRD entry: 64 KiB, not across a 64 KiB line */
#define BOUNCE_SIZE          4096U
#define BOUNCE_SECTORS       (BOUNCE_SIZE / DISK_SECTOR_SIZE)

/* IDENTIFY DEVICE words. */
#define ID_CAPABILITIES  49
#define ID_CAP_LBA       (1U << 9)
#define ID_CAP_DMA       (1U << 8)
#define ID_MODEL         27 /* 20 words, bytes swapped in each */
#define ID_MODEL_WORDS   20
#define ID_LBA28_SECTORS 60 /* two words, low first */

/* PCI configuration mechanism #1. */
#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA    0xCFC
#define PCI_ENABLE         0x80000000U
#define PCI_REG_ID         0x00
#define PCI_REG_COMMAND    0x04
#define PCI_REG_CLASS      0x08
#define PCI_REG_BAR4       0x20
#define PCI_CMD_IO         0x0001U
#define PCI_CMD_MASTER     0x0004U
#define PCI_CLASS_IDE      0x0101U /* mass storage, IDE */
#define PCI_PROGIF_MASTER  0x80U   /* bus-master capable */
#define PCI_PROGIF_NATIVE0 0x01U   /* primary channel in native mode (own IRQ, own ports) */

/* Bus-master IDE registers (primary channel), from BAR4. */
#define BM_COMMAND    0
#define BM_STATUS     2
#define BM_PRD        4
#define BM_CMD_START  0x01
#define BM_CMD_TO_MEM 0x08 /* the device writes memory: a disk read */
#define BM_ST_ACTIVE  0x01
#define BM_ST_ERROR   0x02
#define BM_ST_INT     0x04

#define PRD_EOT 0x8000U

#define TIMEOUT_CYCLES ((uint64_t)CONFIG_DISK_ATA_TIMEOUT_MCYCLES * 1000000ULL)

/* Marks a timed-out wait; never a real status (BSY with everything else). */
#define WAIT_TIMEOUT (-1)

/* One physical region descriptor: the whole transfer is one region. */
struct prd {
	uint32_t phys;
	uint16_t bytes; /* 0 means 64 KiB */
	uint16_t flags;
} __packed;

/* A command and, once it ended, what the device said. */
struct command {
	uint8_t opcode;
	uint32_t lba;
	uint32_t count;
	bool done;
	bool timed_out;
	uint8_t status;    /* ATA status at the end */
	uint8_t error;     /* ATA error register at the end */
	uint8_t bm_status; /* bus-master status at the end */
};

static uint32_t sectors;
static bool ready;
static uint16_t bm_base;
static struct prd prd __aligned(8); /* 8 bytes aligned: cannot cross 64 KiB */
/* Bounce pages for disk_read()/disk_write() buffers, which may be anywhere
 * (even pageable): one for sleeping callers, one for pollers, who may
 * complete a sleeper's command and must not overwrite its data.
 */
static uint8_t bounce[2][BOUNCE_SIZE] __aligned(BOUNCE_SIZE);
static struct command *inflight; /* a sleeping thread's command under way */
static struct k_sem channel = Z_SEM_INITIALIZER(channel, 1, 1);
static struct k_sem completion = Z_SEM_INITIALIZER(completion, 0, 1);
static unsigned int inject_count[2];
static unsigned int inject_hangs;
static k_ticks_t inject_latency;
static struct disk_stats stats;

/* ---- PCI -------------------------------------------------------------------------- */

static uint32_t pci_read(unsigned int dev, unsigned int fn, unsigned int reg)
{
	z_x86_outl(PCI_CONFIG_ADDRESS, PCI_ENABLE | (dev << 11) | (fn << 8) | (reg & 0xFCU));
	return z_x86_inl(PCI_CONFIG_DATA);
}

static void pci_write(unsigned int dev, unsigned int fn, unsigned int reg, uint32_t value)
{
	z_x86_outl(PCI_CONFIG_ADDRESS, PCI_ENABLE | (dev << 11) | (fn << 8) | (reg & 0xFCU));
	z_x86_outl(PCI_CONFIG_DATA, value);
}

/*
 * Find the IDE controller on bus 0 (where the pc machine puts its PIIX) and
 * turn on its bus mastering; its BAR4 gives the bus-master registers. The
 * primary channel must be in compatibility mode: ports 0x1F0 and IRQ 14.
 */
static int pci_find_ide(void)
{
	for (unsigned int dev = 0; dev < 32U; dev++) {
		for (unsigned int fn = 0; fn < 8U; fn++) {
			uint32_t id = pci_read(dev, fn, PCI_REG_ID);

			if ((id & 0xFFFFU) == 0xFFFFU) {
				if (fn == 0U) {
					break; /* no device: no functions either */
				}
				continue;
			}

			uint32_t class = pci_read(dev, fn, PCI_REG_CLASS);
			uint32_t progif = (class >> 8) & 0xFFU;

			if ((class >> 16) != PCI_CLASS_IDE) {
				continue;
			}
			if ((progif & PCI_PROGIF_MASTER) == 0U ||
			    (progif & PCI_PROGIF_NATIVE0) != 0U) {
				printk("<err> disk: IDE controller %04x:%04x at 00:%02x.%u is not "
				       "a "
				       "bus master in compatibility mode (prog-if 0x%02x)\n",
				       id & 0xFFFFU, id >> 16, dev, fn, progif);
				return -ENODEV;
			}

			uint32_t bar4 = pci_read(dev, fn, PCI_REG_BAR4);

			if ((bar4 & 1U) == 0U || (bar4 & 0xFFFCU) == 0U) {
				printk("<err> disk: IDE controller at 00:%02x.%u has no bus-master "
				       "I/O ports (BAR4 0x%08x)\n",
				       dev, fn, bar4);
				return -ENODEV;
			}
			bm_base = (uint16_t)(bar4 & 0xFFFCU);

			uint32_t cmd = pci_read(dev, fn, PCI_REG_COMMAND);

			pci_write(dev, fn, PCI_REG_COMMAND,
				  (cmd & 0xFFFFU) | PCI_CMD_IO | PCI_CMD_MASTER);
			return 0;
		}
	}
	printk("<err> disk: no IDE controller on PCI bus 0\n");
	return -ENODEV;
}

/* ---- the drive ---------------------------------------------------------------------- */

/* The 400 ns a drive may take to present a valid status after a command or
 * a drive selection: four reads of the alternate status.
 */
static void delay_400ns(void)
{
	for (int i = 0; i < 4; i++) {
		(void)z_x86_inb(ATA_ALT_STATUS);
	}
}

/*
 * Wait until BSY is clear and then either every bit of want is set, or ERR
 * or DF is. Returns that status, or WAIT_TIMEOUT. Only for IDENTIFY and
 * the idle check before a command: data moves by DMA.
 */
static int wait_status(uint8_t want)
{
	uint64_t start = k_cycle_get_64();

	for (;;) {
		/* Time first: the status read after the deadline still counts. */
		bool late = k_cycle_get_64() - start > TIMEOUT_CYCLES;
		uint8_t status = z_x86_inb(ATA_ALT_STATUS);

		if ((status & ATA_SR_BSY) == 0U &&
		    ((status & want) == want || (status & (ATA_SR_ERR | ATA_SR_DF)) != 0U)) {
			return status;
		}
		if (late) {
			return WAIT_TIMEOUT;
		}
	}
}

/* Software reset of the channel after a timeout: aborts whatever the drive
 * was doing, and stops the bus master. Best effort, bounded.
 */
static void channel_reset(void)
{
	z_x86_outb(bm_base + BM_COMMAND, 0);
	z_x86_outb(ATA_DEVICE_CONTROL, ATA_CTL_SRST);
	for (int i = 0; i < 10; i++) { /* SRST must stay set for at least 5 us */
		delay_400ns();
	}
	z_x86_outb(ATA_DEVICE_CONTROL, 0); /* interrupts on */
	delay_400ns();
	(void)wait_status(0);
	(void)z_x86_inb(ATA_STATUS);
	z_x86_outb(bm_base + BM_STATUS, BM_ST_INT | BM_ST_ERROR);
}

static const char *command_name(uint8_t opcode)
{
	switch (opcode) {
	case ATA_CMD_READ_DMA:
		return "READ DMA";
	case ATA_CMD_WRITE_DMA:
		return "WRITE DMA";
	case ATA_CMD_CACHE_FLUSH:
		return "CACHE FLUSH";
	default:
		return "IDENTIFY";
	}
}

/*
 * Start cmd on the idle channel (interrupts locked): the region for the bus
 * master, then the ATA command, then the bus master's start.
 */
static void start(struct command *cmd, uintptr_t phys)
{
	bool data = cmd->opcode != ATA_CMD_CACHE_FLUSH;
	uint8_t dir = (cmd->opcode == ATA_CMD_READ_DMA) ? BM_CMD_TO_MEM : 0U;

	cmd->done = false;
	cmd->timed_out = false;
	z_x86_outb(bm_base + BM_COMMAND, 0);
	/* Write-one-to-clear: an interrupt or error left by an earlier command. */
	z_x86_outb(bm_base + BM_STATUS, BM_ST_INT | BM_ST_ERROR);
	if (data) {
		prd.phys = (uint32_t)phys;
		prd.bytes = (uint16_t)(cmd->count * DISK_SECTOR_SIZE); /* 64 KiB -> 0 */
		prd.flags = PRD_EOT;
		z_x86_outl(bm_base + BM_PRD, (uint32_t)K_MEM_PHYS_ADDR(&prd));
		z_x86_outb(bm_base + BM_COMMAND, dir);
	}
	z_x86_outb(ATA_DEVICE, ATA_DEV_MASTER | ATA_DEV_LBA | ((cmd->lba >> 24) & 0x0FU));
	delay_400ns();
	z_x86_outb(ATA_SECTOR_COUNT, (uint8_t)cmd->count); /* 256 -> 0, which means 256 */
	z_x86_outb(ATA_LBA_LOW, (uint8_t)cmd->lba);
	z_x86_outb(ATA_LBA_MID, (uint8_t)(cmd->lba >> 8));
	z_x86_outb(ATA_LBA_HIGH, (uint8_t)(cmd->lba >> 16));
	z_x86_outb(ATA_COMMAND, cmd->opcode);
	if (data) {
		if (inject_hangs > 0U) {
			/* A device that never answers: the drive waits for a bus
			 * master that is never started.
			 */
			inject_hangs--;
		} else {
			z_x86_outb(bm_base + BM_COMMAND, dir | BM_CMD_START);
		}
	}
}

/* The device signalled the end of the command: record what it says, stop
 * the bus master, clear the interrupt (interrupts locked).
 */
static void finish(struct command *cmd, uint8_t bm_status)
{
	uint8_t dir = (cmd->opcode == ATA_CMD_READ_DMA) ? BM_CMD_TO_MEM : 0U;

	z_x86_outb(bm_base + BM_COMMAND, dir); /* start bit off */
	cmd->bm_status = bm_status;
	cmd->status = z_x86_inb(ATA_STATUS); /* also drops the drive's interrupt request */
	cmd->error = z_x86_inb(ATA_ERROR);
	z_x86_outb(bm_base + BM_STATUS, BM_ST_INT | BM_ST_ERROR);
	cmd->done = true;
}

/* A command that did not end in time: reset, and say so (interrupts locked). */
static void abandon(struct command *cmd)
{
	cmd->bm_status = z_x86_inb(bm_base + BM_STATUS);
	cmd->status = z_x86_inb(ATA_ALT_STATUS);
	cmd->error = z_x86_inb(ATA_ERROR);
	cmd->timed_out = true;
	cmd->done = true;
	stats.timeouts++;
	channel_reset();
}

/* Whether cmd ended well; otherwise one log line naming what the device said. */
static int verdict(const struct command *cmd)
{
	const char *why = NULL;
	bool data = cmd->opcode != ATA_CMD_CACHE_FLUSH;

	if (cmd->timed_out) {
		why = "timed out (the device never answered)";
	} else if ((cmd->status & (ATA_SR_ERR | ATA_SR_DF)) != 0U) {
		why = "failed";
	} else if ((cmd->status & (ATA_SR_BSY | ATA_SR_DRQ)) != 0U) {
		why = "ended with the drive still busy";
	} else if ((cmd->bm_status & BM_ST_ERROR) != 0U) {
		why = "failed on the bus (bus-master error)";
	} else if (data && (cmd->bm_status & BM_ST_ACTIVE) != 0U) {
		why = "moved fewer bytes than asked";
	}
	if (why == NULL) {
		return 0;
	}
	printk("<err> disk: %s lba %u count %u %s: status 0x%02x error 0x%02x bus master "
	       "0x%02x\n",
	       command_name(cmd->opcode), cmd->lba, cmd->count, why, cmd->status, cmd->error,
	       cmd->bm_status);
	return -EIO;
}

/* Poll the running command to its end (interrupts locked). */
static void poll_to_end(struct command *cmd)
{
	uint64_t begin = k_cycle_get_64();

	for (;;) {
		bool late = k_cycle_get_64() - begin > TIMEOUT_CYCLES;
		uint8_t bm = z_x86_inb(bm_base + BM_STATUS);

		if ((bm & (BM_ST_INT | BM_ST_ERROR)) != 0U) {
			finish(cmd, bm);
			stats.polled++;
			return;
		}
		if (late) {
			abandon(cmd);
			return;
		}
	}
}

static void ata_isr(const void *arg)
{
	ARG_UNUSED(arg);

	uint8_t bm = z_x86_inb(bm_base + BM_STATUS);

	if ((bm & (BM_ST_INT | BM_ST_ERROR)) == 0U || inflight == NULL) {
		/* A poller ended that command already; drop the request. */
		(void)z_x86_inb(ATA_STATUS);
		z_x86_outb(bm_base + BM_STATUS, BM_ST_INT | BM_ST_ERROR);
		return;
	}
	finish(inflight, bm);
	inflight = NULL;
	stats.interrupts++;
	k_sem_give(&completion);
}

/* Whether the caller may sleep until the interrupt. */
static bool may_sleep(void)
{
#ifdef CONFIG_MULTITHREADING
	return z_sched_may_block(arch_irq_enabled());
#else
	return false;
#endif
}

/* Run one command to its end, sleeping or polling (see the top of the file). */
static int run_command(uint8_t opcode, uint32_t lba, uint32_t count, uintptr_t phys)
{
	struct command cmd = {.opcode = opcode, .lba = lba, .count = count};
	unsigned int key;

	if (!may_sleep()) {
		key = irq_lock();
		if (inflight != NULL) {
			/* A sleeping thread's command: end it for that thread. */
			struct command *other = inflight;

			poll_to_end(other);
			inflight = NULL;
			k_sem_give(&completion);
		}
		start(&cmd, phys);
		poll_to_end(&cmd);
		irq_unlock(key);
		return verdict(&cmd);
	}

	(void)k_sem_take(&channel, K_FOREVER);
	key = irq_lock();
	k_sem_reset(&completion); /* a give that raced an earlier timeout */
	inflight = &cmd;
	start(&cmd, phys);
	irq_unlock(key);

	(void)k_sem_take(&completion, K_MSEC(CONFIG_DISK_ATA_TIMEOUT_MS));

	key = irq_lock();
	if (!cmd.done) {
		inflight = NULL;
		abandon(&cmd);
	}
	irq_unlock(key);
	if (inject_latency > 0) {
		k_sleep(K_TICKS(inject_latency)); /* a slow device, for tests */
	}
	k_sem_give(&channel);
	return verdict(&cmd);
}

/* ---- the API -------------------------------------------------------------------------- */

int disk_init(void)
{
	uint16_t id[ATA_WORDS_PER_SECTOR];
	char model[ID_MODEL_WORDS * 2 + 1];
	int status;
	uint32_t count;

	ready = false;
	sectors = 0;
	/* A floating bus (no controller) reads as all ones. */
	if (z_x86_inb(ATA_STATUS) == 0xFFU) {
		printk("<err> disk: no IDE controller at 0x1F0\n");
		return -ENODEV;
	}
	if (pci_find_ide() != 0) {
		return -ENODEV;
	}
	z_x86_outb(ATA_DEVICE_CONTROL, ATA_CTL_NIEN); /* IDENTIFY is polled */
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
		printk("<err> disk: IDENTIFY timed out\n");
		channel_reset();
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
		printk("<err> disk: IDENTIFY failed: status 0x%02x error 0x%02x\n",
		       (unsigned int)status & 0xFFU, z_x86_inb(ATA_ERROR));
		return -ENODEV;
	}
	z_x86_insw(ATA_DATA, id, ATA_WORDS_PER_SECTOR);

	count = (uint32_t)id[ID_LBA28_SECTORS] | ((uint32_t)id[ID_LBA28_SECTORS + 1] << 16);
	if ((id[ID_CAPABILITIES] & (ID_CAP_LBA | ID_CAP_DMA)) != (ID_CAP_LBA | ID_CAP_DMA) ||
	    count == 0U || count > ATA_LBA28_LIMIT) {
		printk("<err> disk: the IDE primary master has no usable LBA28 size or no DMA "
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
	if (irq_connect_dynamic(ATA_IRQ, 0, ata_isr, NULL, 0) < 0) {
		return -ENODEV;
	}
	(void)z_x86_inb(ATA_STATUS);
	z_x86_outb(bm_base + BM_STATUS, BM_ST_INT | BM_ST_ERROR);
	z_x86_outb(ATA_DEVICE_CONTROL, 0); /* the drive may interrupt from now on */
	irq_enable(ATA_IRQ);
	sectors = count;
	ready = true;
	printk("<inf> disk: %s on the IDE primary master, %u sectors (%u KiB), bus-master DMA "
	       "at 0x%x, IRQ %u\n",
	       model, count, count / 2U, bm_base, ATA_IRQ);
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

void disk_inject_timeouts(unsigned int count)
{
	inject_hangs = count;
}

void disk_inject_latency(k_ticks_t ticks)
{
	inject_latency = ticks > 0 ? ticks : 0;
}

static int check(uint32_t sector, uint32_t count)
{
	if (!ready) {
		return -ENODEV;
	}
	if (count == 0U || sector >= sectors || count > sectors - sector) {
		return -EINVAL;
	}
	return 0;
}

/* Move count sectors at phys (one DMA region; checked by the caller). */
static int dma(bool write, uint32_t sector, uintptr_t phys, uint32_t count)
{
	return run_command(write ? ATA_CMD_WRITE_DMA : ATA_CMD_READ_DMA, sector, count, phys);
}

/* A virtual buffer: through a bounce page, a page's worth of sectors at a time. */
static int bounced(bool write, uint32_t sector, uint8_t *buf, uint32_t count)
{
	uint8_t *page = bounce[may_sleep() ? 0 : 1];
	uintptr_t phys = K_MEM_PHYS_ADDR(page);

	while (count > 0U) {
		uint32_t n = MIN(count, BOUNCE_SECTORS);
		size_t bytes = (size_t)n * DISK_SECTOR_SIZE;
		int ret;

		if (write) {
			memcpy(page, buf, bytes);
		}
		ret = dma(write, sector, phys, n);
		if (ret != 0) {
			return ret;
		}
		if (!write) {
			memcpy(buf, page, bytes);
		}
		sector += n;
		buf += bytes;
		count -= n;
	}
	return 0;
}

static int bounced_locked(bool write, uint32_t sector, uint8_t *buf, uint32_t count)
{
	if (!may_sleep()) {
		return bounced(write, sector, buf, count);
	}

	/* One sleeping user of bounce[0] at a time. */
	static struct k_mutex bounce_lock = Z_MUTEX_INITIALIZER(bounce_lock);
	int ret;

	(void)k_mutex_lock(&bounce_lock, K_FOREVER);
	ret = bounced(write, sector, buf, count);
	(void)k_mutex_unlock(&bounce_lock);
	return ret;
}

/*
 * One call's transfer, with its injected failure (the first half of the
 * sectors really moves) and its statistics.
 */
static int run(enum disk_op op, uint32_t sector, uint8_t *buf, uintptr_t phys, uint32_t count,
	       bool flush)
{
	bool write = op == DISK_OP_WRITE;
	bool injected = false;
	uint32_t n = count;
	int ret = 0;

	if (inject_count[op] > 0U) {
		inject_count[op]--;
		injected = true;
		n = count / 2U;
	}
	if (n > 0U) {
		ret = (buf != NULL) ? bounced_locked(write, sector, buf, n)
				    : dma(write, sector, phys, n);
	}
	if (ret == 0 && write && flush && !injected) {
		ret = run_command(ATA_CMD_CACHE_FLUSH, 0, 0, 0);
	}
	if (ret == 0 && injected) {
		printk("<err> disk: %s lba %u count %u failed (injected): status 0x%02x error "
		       "0x%02x\n",
		       command_name(write ? ATA_CMD_WRITE_DMA : ATA_CMD_READ_DMA), sector, count,
		       ATA_SR_DRDY | ATA_SR_ERR, 0x04 /* ABRT */);
		ret = -EIO;
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
	int ret = check(sector, count);

	if (ret == 0 && buf == NULL) {
		ret = -EINVAL;
	}
	return ret != 0 ? ret : run(DISK_OP_READ, sector, buf, 0, count, false);
}

int disk_write(uint32_t sector, const void *buf, uint32_t count)
{
	int ret = check(sector, count);

	if (ret == 0 && buf == NULL) {
		ret = -EINVAL;
	}
	/* bounced() only reads from buf when writing. */
	return ret != 0 ? ret
			: run(DISK_OP_WRITE, sector, (uint8_t *)(uintptr_t)buf, 0, count, true);
}

/* One DMA region: even address, within 4 GiB, not across a 64 KiB line. */
static int check_phys(uint32_t sector, uintptr_t phys, uint32_t count)
{
	int ret = check(sector, count);
	uint64_t bytes = (uint64_t)count * DISK_SECTOR_SIZE;

	if (ret != 0) {
		return ret;
	}
	if ((phys & 1U) != 0U || bytes > DMA_MAX_BYTES || (uint64_t)phys + bytes > (1ULL << 32) ||
	    (phys % DMA_MAX_BYTES) + bytes > DMA_MAX_BYTES) {
		return -EINVAL;
	}
	return 0;
}

int disk_read_phys(uint32_t sector, uintptr_t phys, uint32_t count)
{
	int ret = check_phys(sector, phys, count);

	return ret != 0 ? ret : run(DISK_OP_READ, sector, NULL, phys, count, false);
}

int disk_write_phys(uint32_t sector, uintptr_t phys, uint32_t count)
{
	int ret = check_phys(sector, phys, count);

	return ret != 0 ? ret : run(DISK_OP_WRITE, sector, NULL, phys, count, false);
}
