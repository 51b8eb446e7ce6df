/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ATA DMA driver against QEMU's IDE disk: size, data integrity over the
 * whole disk with transfers of every awkward size, argument checks that
 * change nothing, injected device errors that leave every other sector
 * intact, completion by interrupt while another thread runs, a device that
 * never answers, DMA to physical memory, and the cost of one page (8
 * sectors) each way.
 *
 * Every pattern mixes in a seed taken from the TSC at boot, so data left on
 * the image by an earlier run can never pass for a successful write.
 */
#include <drivers/disk.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>
#include <sys/errno.h>
#include <ztest.h>

#define WORDS (DISK_SECTOR_SIZE / 4U)

#ifdef CONFIG_DISK_ATA_QEMU_DRIVE

#define SECTORS   ((uint32_t)CONFIG_DISK_ATA_QEMU_IMAGE_SECTORS)
#define BUF_SECTS 300U /* more than one command (256) can move */
#define PAGE_SECT 8U

static uint32_t wbuf[BUF_SECTS * WORDS + 1];
static uint32_t rbuf[BUF_SECTS * WORDS + 1];
static uint32_t seed;
/* What each sector of the disk should hold: the generation written last. */
static uint8_t expected_gen[SECTORS];

static uint32_t word_of(uint32_t gen, uint32_t sector, uint32_t i)
{
	uint32_t x = seed ^ (gen * 0x9E3779B9U) ^ (sector * 0x85EBCA6BU) ^ (i * 0xC2B2AE35U);

	x ^= x >> 16;
	x *= 0x7FEB352DU;
	x ^= x >> 15;
	return x;
}

static void fill(void *buf, uint32_t first, uint32_t count, uint32_t gen)
{
	uint8_t *p = buf;

	for (uint32_t s = 0; s < count; s++) {
		for (uint32_t i = 0; i < WORDS; i++) {
			uint32_t w = word_of(gen, first + s, i);

			memcpy(p + s * DISK_SECTOR_SIZE + i * 4U, &w, 4);
		}
	}
}

/* Whether the sector image at p is generation gen of that sector. */
static bool sector_is(const void *p, uint32_t sector, uint32_t gen)
{
	const uint8_t *b = p;

	for (uint32_t i = 0; i < WORDS; i++) {
		uint32_t w;

		memcpy(&w, b + i * 4U, 4);
		if (w != word_of(gen, sector, i)) {
			return false;
		}
	}
	return true;
}

/* Write [first, first + count) as generation gen, chunked by the pattern of sizes. */
static void write_gen(uint32_t first, uint32_t count, uint32_t gen, const uint32_t *sizes,
		      size_t nsizes)
{
	uint32_t done = 0;

	for (size_t k = 0; done < count; k++) {
		uint32_t n = MIN(sizes[k % nsizes], count - done);

		fill(wbuf, first + done, n, gen);
		zassert_ok(disk_write(first + done, wbuf, n), "write of %u at %u", n, first + done);
		memset(&expected_gen[first + done], (int)gen, n);
		done += n;
	}
}

/* Read [first, first + count) back in chunks and check it against expected_gen. */
static void check_range(uint32_t first, uint32_t count, uint32_t chunk)
{
	uint32_t done = 0;

	while (done < count) {
		uint32_t n = MIN(chunk, count - done);

		memset(rbuf, 0xA5, n * DISK_SECTOR_SIZE);
		zassert_ok(disk_read(first + done, rbuf, n), "read of %u at %u", n, first + done);
		for (uint32_t s = 0; s < n; s++) {
			uint32_t sector = first + done + s;

			zassert_true(sector_is((uint8_t *)rbuf + s * DISK_SECTOR_SIZE, sector,
					       expected_gen[sector]),
				     "sector %u is not generation %u (seed 0x%08x)", sector,
				     expected_gen[sector], seed);
		}
		done += n;
	}
}

static const uint32_t odd_sizes[] = {1, 7, 8, 255, 256, 257, 300, 13, 2, 64};

static void *suite_setup(void)
{
	seed = (uint32_t)k_cycle_get_64() | 1U;
	printk("pattern seed 0x%08x\n", seed);
	zassert_ok(disk_init());
	/* Known contents everywhere, so every test can check its neighbours. */
	write_gen(0, SECTORS, 1, odd_sizes, ARRAY_SIZE(odd_sizes));
	return NULL;
}

static void after_each(void *fixture)
{
	ARG_UNUSED(fixture);
	disk_inject_errors(DISK_OP_READ, 0);
	disk_inject_errors(DISK_OP_WRITE, 0);
	disk_inject_timeouts(0);
}

ZTEST(disk_ata, test_identify_size)
{
	zassert_equal(disk_sector_count(), SECTORS, "IDENTIFY says %u sectors, the image has %u",
		      disk_sector_count(), SECTORS);
	/* A second init finds the same disk and keeps the data. */
	zassert_ok(disk_init());
	zassert_equal(disk_sector_count(), SECTORS);
	check_range(0, 64, 64);
}

ZTEST(disk_ata, test_whole_disk_round_trip)
{
	static const uint32_t read_sizes[] = {300, 1, 256, 9, 257, 8, 100};

	write_gen(0, SECTORS, 2, odd_sizes, ARRAY_SIZE(odd_sizes));
	for (size_t k = 0; k < ARRAY_SIZE(read_sizes); k++) {
		/* Each chunk size over a different stretch, all of it with 300. */
		uint32_t first = (k == 0) ? 0 : (uint32_t)(k * 397U) % (SECTORS - 600U);
		uint32_t count = (k == 0) ? SECTORS : 600U;

		check_range(first, count, read_sizes[k]);
	}
	/* The last sector, alone and as the end of a run. */
	check_range(SECTORS - 1U, 1, 1);
	check_range(SECTORS - 257U, 257, 257);
}

ZTEST(disk_ata, test_overwrites_persist)
{
	static const uint32_t whole[] = {64};
	static const uint32_t single[] = {1};

	write_gen(100, 64, 3, whole, 1);
	write_gen(120, 10, 4, whole, 1);
	write_gen(140, 1, 5, single, 1);
	write_gen(163, 1, 6, single, 1); /* last sector of the first write */
	write_gen(100, 1, 7, single, 1); /* first one */
	/* Both neighbours of every write, and the writes themselves, each read alone. */
	check_range(96, 72, 1);
	check_range(96, 72, 72);
	/* And again after rewriting the middle with a larger transfer. */
	write_gen(110, 40, 8, whole, 1);
	check_range(96, 72, 5);
}

ZTEST(disk_ata, test_out_of_range_changes_nothing)
{
	struct disk_stats before, after;

	fill(wbuf, 0, BUF_SECTS, 9);
	disk_stats_get(&before);
	zassert_equal(disk_write(SECTORS, wbuf, 1), -EINVAL);
	zassert_equal(disk_write(SECTORS - 1U, wbuf, 2), -EINVAL);
	zassert_equal(disk_write(0, wbuf, SECTORS + 1U), -EINVAL);
	zassert_equal(disk_write(1, wbuf, UINT32_MAX), -EINVAL, "count wrapping past 2^32");
	zassert_equal(disk_write(UINT32_MAX, wbuf, 1), -EINVAL);
	zassert_equal(disk_write(0, wbuf, 0), -EINVAL);
	zassert_equal(disk_write(0, NULL, 1), -EINVAL);
	zassert_equal(disk_read(SECTORS, rbuf, 1), -EINVAL);
	zassert_equal(disk_read(SECTORS - 2U, rbuf, 3), -EINVAL);
	zassert_equal(disk_read(2, rbuf, UINT32_MAX - 1U), -EINVAL);
	zassert_equal(disk_read(0, rbuf, 0), -EINVAL);
	zassert_equal(disk_read(0, NULL, 1), -EINVAL);
	disk_stats_get(&after);
	zassert_equal(after.reads, before.reads, "a rejected call reached the device");
	zassert_equal(after.writes, before.writes, "a rejected call reached the device");
	zassert_equal(after.errors, before.errors);
	check_range(SECTORS - 16U, 16, 16);
	check_range(0, 16, 16);
}

ZTEST(disk_ata, test_injected_write_error)
{
	static const uint32_t whole[] = {32};
	struct disk_stats before, after;
	uint32_t torn_new = 0;

	write_gen(200, 32, 10, whole, 1);
	disk_stats_get(&before);
	disk_inject_errors(DISK_OP_WRITE, 1);
	fill(wbuf, 208, 16, 11);
	zassert_equal(disk_write(208, wbuf, 16), -EIO);
	disk_stats_get(&after);
	zassert_equal(after.errors, before.errors + 1U);
	zassert_equal(after.sectors_written, before.sectors_written, "a failed write counted");

	/* Each sector of the failed range is whole: old or new, never a mix. */
	zassert_ok(disk_read(196, rbuf, 40));
	for (uint32_t s = 196; s < 236; s++) {
		const uint8_t *p = (const uint8_t *)rbuf + (s - 196U) * DISK_SECTOR_SIZE;

		if (s >= 208 && s < 224 && sector_is(p, s, 11)) {
			torn_new++;
			expected_gen[s] = 11;
			continue;
		}
		zassert_true(sector_is(p, s, expected_gen[s]), "sector %u corrupted", s);
	}
	zassert_equal(torn_new, 8U, "the injected failure moves the first half");

	/* The injection is used up: the retry succeeds and the device is fine. */
	zassert_ok(disk_write(208, wbuf, 16));
	memset(&expected_gen[208], 11, 16);
	check_range(192, 48, 48);
}

ZTEST(disk_ata, test_injected_read_errors)
{
	static const uint32_t whole[] = {8};

	write_gen(300, 8, 12, whole, 1);
	disk_inject_errors(DISK_OP_READ, 2);
	zassert_equal(disk_read(300, rbuf, 8), -EIO);
	zassert_equal(disk_read(300, rbuf, 8), -EIO);
	/* A failed read never touches the disk: the third one sees the data. */
	check_range(300, 8, 8);
	check_range(296, 16, 16);

	/* Reads and writes are injected separately; count 0 cancels. */
	disk_inject_errors(DISK_OP_READ, 1);
	write_gen(308, 8, 13, whole, 1);
	zassert_equal(disk_read(308, rbuf, 8), -EIO);
	disk_inject_errors(DISK_OP_READ, 5);
	disk_inject_errors(DISK_OP_READ, 0);
	check_range(300, 16, 16);

	/* A single-sector transfer moves nothing before its injected error. */
	disk_inject_errors(DISK_OP_WRITE, 1);
	fill(wbuf, 310, 1, 14);
	zassert_equal(disk_write(310, wbuf, 1), -EIO);
	check_range(308, 8, 1);
}

ZTEST(disk_ata, test_unaligned_buffers)
{
	uint8_t *src = (uint8_t *)wbuf + 1;
	uint8_t *dst = (uint8_t *)rbuf + 3;

	fill(src, 400, 20, 15);
	zassert_ok(disk_write(400, src, 20));
	memset(&expected_gen[400], 15, 20);
	zassert_ok(disk_read(400, dst, 20));
	for (uint32_t s = 0; s < 20; s++) {
		zassert_true(sector_is(dst + s * DISK_SECTOR_SIZE, 400 + s, 15), "sector %u",
			     400 + s);
	}
}

ZTEST(disk_ata, test_stats_count_transfers)
{
	struct disk_stats before, after;

	disk_stats_get(&before);
	zassert_ok(disk_read(0, rbuf, 300));
	zassert_ok(disk_read(1, rbuf, 1));
	fill(wbuf, 500, 9, 16);
	zassert_ok(disk_write(500, wbuf, 9));
	memset(&expected_gen[500], 16, 9);
	disk_stats_get(&after);
	zassert_equal(after.reads - before.reads, 2U);
	zassert_equal(after.sectors_read - before.sectors_read, 301U);
	zassert_equal(after.writes - before.writes, 1U);
	zassert_equal(after.sectors_written - before.sectors_written, 9U);
	zassert_equal(after.errors, before.errors);
}

/* A thread's transfer ends by interrupt; with interrupts locked it is polled. */
ZTEST(disk_ata, test_completion_by_interrupt)
{
	struct disk_stats before, after;

	disk_stats_get(&before);
	zassert_ok(disk_read(0, rbuf, 16)); /* two bounce pages: two commands */
	disk_stats_get(&after);
	zassert_equal(after.interrupts - before.interrupts, 2U, "%u commands ended by interrupt",
		      after.interrupts - before.interrupts);
	zassert_equal(after.polled, before.polled);

	unsigned int key = irq_lock();

	zassert_ok(disk_read(0, rbuf, 8));
	irq_unlock(key);
	disk_stats_get(&before);
	zassert_equal(before.polled - after.polled, 1U, "a locked caller polls");
	zassert_equal(before.interrupts, after.interrupts);
	check_range(0, 16, 16);
}

static volatile uint32_t counter;
static volatile bool counting;

static void count_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	while (counting) {
		counter++;
	}
}

K_THREAD_STACK_DEFINE(count_stack, 4096);
static struct k_thread count_thread;

/* While the test thread sleeps on its transfers, a lower-priority thread runs. */
ZTEST(disk_ata, test_other_thread_runs_during_transfer)
{
	uint32_t during = 0;

	counting = true;
	counter = 0;
	k_thread_create(&count_thread, count_stack, K_THREAD_STACK_SIZEOF(count_stack), count_entry,
			NULL, NULL, NULL, k_thread_priority_get(k_current_get()) + 1, 0, K_NO_WAIT);
	/* QEMU may end a transfer before the caller got to sleep (the host's
	 * I/O thread was quick): then nothing else runs. Read until one did sleep.
	 */
	int reads = 0;

	while (during == 0U && reads < 1000) {
		uint32_t before = counter;

		zassert_ok(disk_read(1024, rbuf, 8));
		during += counter - before; /* the counter only runs while we sleep */
		reads++;
	}
	counting = false;
	k_thread_join(&count_thread, K_FOREVER);
	printk("the counter advanced %u times during %d page reads\n", during, reads);
	zassert_true(during > 0U, "the lower-priority thread never ran during a transfer");
}

/* A device that never answers: a timeout, -EIO, a reset; then all is well. */
ZTEST(disk_ata, test_timeout_then_recovery)
{
	struct disk_stats before, after;

	disk_stats_get(&before);
	disk_inject_timeouts(1);
	zassert_equal(disk_read(600, rbuf, 8), -EIO, "sleeping caller");
	disk_inject_timeouts(1);

	unsigned int key = irq_lock();
	int ret = disk_read(600, rbuf, 8);

	irq_unlock(key);
	zassert_equal(ret, -EIO, "polling caller");
	disk_stats_get(&after);
	zassert_equal(after.timeouts - before.timeouts, 2U);
	zassert_equal(after.errors - before.errors, 2U);
	check_range(592, 32, 8);
	write_gen(600, 8, 18, odd_sizes, 1);
	check_range(592, 32, 32);
}

static uint8_t dma_page[2][4096] __aligned(4096);

/* DMA to and from physical memory, and the regions it refuses. */
ZTEST(disk_ata, test_phys_transfers)
{
	uintptr_t phys = K_MEM_PHYS_ADDR(dma_page[0]);

	fill(dma_page[0], 700, 8, 19);
	zassert_ok(disk_write_phys(700, phys, 8));
	memset(&expected_gen[700], 19, 8);
	memset(dma_page[1], 0, sizeof(dma_page[1]));
	zassert_ok(disk_read_phys(700, K_MEM_PHYS_ADDR(dma_page[1]), 8));
	zassert_mem_equal(dma_page[0], dma_page[1], sizeof(dma_page[1]));
	check_range(696, 16, 16);

	zassert_equal(disk_read_phys(700, phys + 1U, 1), -EINVAL, "odd address");
	zassert_equal(disk_read_phys(700, 0x10000U - 512U, 2), -EINVAL, "across 64 KiB");
	zassert_equal(disk_read_phys(700, 0x20000U, 129), -EINVAL, "more than 64 KiB");
	zassert_equal(disk_read_phys(SECTORS, phys, 1), -EINVAL);
	zassert_equal(disk_write_phys(0, phys, 0), -EINVAL);
}

/* TSC cycles per microsecond, measured against the timer over 100 ms. */
static uint64_t cycles_per_us(void)
{
	int64_t t0 = k_uptime_get();
	uint64_t c0;

	while (k_uptime_get() == t0) {
	}
	c0 = k_cycle_get_64();
	t0 = k_uptime_get();
	while (k_uptime_get() - t0 < 100) {
	}
	return MAX((k_cycle_get_64() - c0) / 100000U, 1U);
}

ZTEST(disk_ata, test_page_transfer_timing)
{
	enum { ROUNDS = BUF_SECTS / PAGE_SECT };
	uint64_t rate = cycles_per_us();
	uint64_t start, wr, rd;

	fill(wbuf, 1024, ROUNDS * PAGE_SECT, 17);
	start = k_cycle_get_64();
	for (uint32_t i = 0; i < ROUNDS; i++) {
		zassert_ok(disk_write(1024 + i * PAGE_SECT,
				      (uint8_t *)wbuf + i * PAGE_SECT * DISK_SECTOR_SIZE,
				      PAGE_SECT));
	}
	wr = (k_cycle_get_64() - start) / ROUNDS;
	memset(&expected_gen[1024], 17, ROUNDS * PAGE_SECT);
	start = k_cycle_get_64();
	for (uint32_t i = 0; i < ROUNDS; i++) {
		zassert_ok(disk_read(1024 + i * PAGE_SECT,
				     (uint8_t *)rbuf + (i % 8U) * PAGE_SECT * DISK_SECTOR_SIZE,
				     PAGE_SECT));
	}
	rd = (k_cycle_get_64() - start) / ROUNDS;
	printk("one 4 KiB page: write+flush %llu cycles (%llu us), read %llu cycles (%llu us); "
	       "%llu cycles/us\n",
	       (unsigned long long)wr, (unsigned long long)(wr / rate), (unsigned long long)rd,
	       (unsigned long long)(rd / rate), (unsigned long long)rate);
	check_range(1024, ROUNDS * PAGE_SECT, 64);
}

ZTEST_SUITE(disk_ata, NULL, suite_setup, NULL, after_each, NULL);

#else /* !CONFIG_DISK_ATA_QEMU_DRIVE */

/* ---- no drive attached ------------------------------------------------------------ */

static uint32_t buf[WORDS];

ZTEST(disk_no_drive, test_init_fails_fast)
{
	uint64_t start = k_cycle_get_64();
	uint64_t spent;

	zassert_equal(disk_init(), -ENODEV);
	spent = k_cycle_get_64() - start;
	zassert_true(spent < (uint64_t)CONFIG_DISK_ATA_TIMEOUT_MCYCLES * 1000000U / 4U,
		     "init waited %llu cycles for a missing drive", (unsigned long long)spent);
	zassert_equal(disk_sector_count(), 0U);
	zassert_equal(disk_read(0, buf, 1), -ENODEV);
	zassert_equal(disk_write(0, buf, 1), -ENODEV);
}

ZTEST_SUITE(disk_no_drive, NULL, NULL, NULL, NULL, NULL);

#endif /* CONFIG_DISK_ATA_QEMU_DRIVE */
