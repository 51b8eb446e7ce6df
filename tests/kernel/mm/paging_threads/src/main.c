/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Demand paging with threads over the disk store (CONFIG_DEMAND_PAGING_SLEEP):
 *
 * - a thread faulting on pages on the disk sleeps through each read while a
 *   lower-priority thread counts, and gets the right data;
 * - two, then eight threads faulting on the same page at once: one disk
 *   read, the others wait for it, all see the data;
 * - eight threads over an arena four times the free RAM, random accesses
 *   with a 1-tick time slice: no word wrong, statistics consistent, the
 *   invariant checker clean, free frames and store slots back where they
 *   started once the arena is unmapped;
 * - k_mem_page_out(), k_mem_pin() and k_mem_unmap() of a page another
 *   thread is faulting on wait for its read; a frame being written out is
 *   busy (not free) until the write ends, and a fault on its page waits;
 * - a fault that needs the disk in an interrupt handler, or with the
 *   scheduler locked, is a fatal error;
 * - the paging thread keeps the pool of free frames between its watermarks
 *   under load, and gives up without harm when everything is pinned;
 * - a priority lent by a mutex waiter outlives the end of the transfer of
 *   the owner, which a faulting waiter lent another;
 * - k_thread_abort() of a thread asleep in its read waits until the read and
 *   the fault end, then the thread is dead and the page whole;
 * - injected disk errors: a read that fails is fatal to the faulting thread
 *   only (its page stays paged out, the others are untouched); a write that
 *   fails goes to another slot, and when that fails too the page stays
 *   resident and dirty.
 *
 * Patterns mix in a seed taken from the TSC at boot, so a stale disk image
 * cannot pass for a working write path.
 */
#include <arch/mm.h>
#include <drivers/disk.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <page_frames.h>
#include <paging.h>
#include <string.h>
#include <ztest.h>

#include "page_pattern.h"

#define PAGE        CONFIG_MMU_PAGE_SIZE
#define STACK_SIZE  4096
#define MAX_THREADS 8

static bool is_paged_out(void *va)
{
	return arch_page_location_get(va, NULL) == ARCH_PAGE_LOCATION_PAGED_OUT;
}

K_THREAD_STACK_ARRAY_DEFINE(stacks, MAX_THREADS + 1, STACK_SIZE);
static struct k_thread threads[MAX_THREADS + 1];

static void start(int i, k_thread_entry_t entry, void *p1, void *p2, int prio)
{
	k_thread_create(&threads[i], stacks[i], STACK_SIZE, entry, p1, p2, NULL, prio, 0,
			K_NO_WAIT);
}

static void join(int n)
{
	for (int i = 0; i < n; i++) {
		zassert_ok(k_thread_join(&threads[i], K_FOREVER));
	}
}

/* ---- a fault sleeps while another thread runs ------------------------------------- */

#define COUNT_PAGES 32

static volatile bool counting;
static volatile uint32_t counter;
static volatile uint32_t counted_during_faults;
static volatile size_t faulter_bad;

static void counter_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	while (counting) {
		counter++;
	}
}

static void faulter_entry(void *p1, void *p2, void *p3)
{
	uint8_t *arena = p1;

	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (size_t p = 0; p < COUNT_PAGES; p++) {
		uint32_t before = counter;
		size_t bad = check_page(arena, p, 1); /* the first read faults */

		/* The counter runs only while this (better) thread sleeps. */
		counted_during_faults += counter - before;
		faulter_bad += bad;
	}
	counting = false;
}

ZTEST(paging_threads, test_fault_sleeps_while_lower_priority_counts)
{
	uint8_t *arena = k_mem_map(COUNT_PAGES * PAGE, K_MEM_PERM_RW);
	struct z_paging_sleep_stats before, after;

	zassert_not_null(arena);
	for (size_t p = 0; p < COUNT_PAGES; p++) {
		fill_page(arena, p, 1);
	}
	counted_during_faults = 0;
	faulter_bad = 0;
	z_paging_sleep_stats_get(&before);
	/* QEMU may end a read before the faulting thread got to sleep (its I/O
	 * thread was quick): a round where that always happened is repeated.
	 */
	for (int round = 0; round < 8 && counted_during_faults == 0U; round++) {
		zassert_ok(k_mem_page_out(arena, COUNT_PAGES * PAGE));
		counting = true;
		counter = 0;
		start(0, faulter_entry, arena, NULL, 2);
		start(1, counter_entry, NULL, NULL, 10);
		join(2);
	}
	z_paging_sleep_stats_get(&after);
	printk("the counter advanced %u times during %u faults\n", counted_during_faults,
	       COUNT_PAGES);
	zassert_equal(faulter_bad, 0, "%zu words wrong", faulter_bad);
	zassert_true(counted_during_faults > 0, "the lower-priority thread never ran");
	zassert_true(after.reads_slept - before.reads_slept >= COUNT_PAGES,
		     "%lu reads slept through, %u faults", after.reads_slept - before.reads_slept,
		     COUNT_PAGES);
	zassert_ok(k_mem_unmap(arena, COUNT_PAGES * PAGE));
}

/* ---- many threads, one page: one read ------------------------------------------------ */

static volatile size_t shared_bad;

static void same_page_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	shared_bad += check_page(p1, 0, 7);
}

static void same_page(int n)
{
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);
	struct z_paging_sleep_stats before, after;
	struct disk_stats dbefore, dafter;

	zassert_not_null(page);
	fill_page(page, 0, 7);
	zassert_ok(k_mem_page_out(page, PAGE));
	shared_bad = 0;
	z_paging_sleep_stats_get(&before);
	disk_stats_get(&dbefore);
	/* This (cooperative) thread runs on until it joins: all start together,
	 * and the slow disk keeps the first one's read under way while the
	 * others fault.
	 */
	disk_inject_latency(2);
	for (int i = 0; i < n; i++) {
		start(i, same_page_entry, page, NULL, 1);
	}
	join(n);
	disk_inject_latency(0);
	z_paging_sleep_stats_get(&after);
	disk_stats_get(&dafter);
	zassert_equal(shared_bad, 0, "%zu words wrong", shared_bad);
	zassert_equal(dafter.reads - dbefore.reads, 1U, "%d threads: %u disk reads", n,
		      dafter.reads - dbefore.reads);
	zassert_equal(after.reads_slept - before.reads_slept, 1U);
	zassert_equal(after.waits_read - before.waits_read, (unsigned long)n - 1U,
		      "%lu threads waited for the read", after.waits_read - before.waits_read);
	zassert_ok(k_mem_unmap(page, PAGE));
}

ZTEST(paging_threads, test_two_then_eight_threads_fault_one_page_one_read)
{
	same_page(2);
	same_page(8);
}

/* ---- eight threads, an arena four times RAM ---------------------------------------- */

#define OPS_PER_THREAD 200

static uint8_t *big;
static size_t big_pages;
static uint8_t *gens; /* generation of each page; page p belongs to thread p % 8 */
static volatile size_t words_wrong[MAX_THREADS];

static void random_entry(void *p1, void *p2, void *p3)
{
	int id = (int)(uintptr_t)p1;
	uint32_t x = seed ^ (uint32_t)(id * 0x9E3779B9U) ^ 1U;
	size_t own = (big_pages - (size_t)id + MAX_THREADS - 1U) / MAX_THREADS;

	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (int op = 0; op < OPS_PER_THREAD; op++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;

		size_t p = (size_t)id + (x % own) * MAX_THREADS;

		words_wrong[id] += check_page(big, p, gens[p]);
		if ((x & 0x300U) != 0U) { /* three writes in four */
			gens[p]++;
			fill_page(big, p, gens[p]);
		}
	}
}

ZTEST(paging_threads, test_eight_threads_random_over_four_times_ram)
{
	struct k_mem_paging_stats_t before, after;
	struct z_paging_sleep_stats sbefore, safter;
	struct disk_stats dbefore, dafter;
	size_t wrong = 0;

	z_paging_pool_wait_idle();

	size_t free_start = k_mem_free_get();
	size_t slots_start = k_mem_paging_backing_store_free_get();

	big_pages = 4U * (free_start / PAGE);
	zassert_true(big_pages + 2U <= CONFIG_BACKING_STORE_DISK_PAGES, "store too small");
	big = k_mem_map(big_pages * PAGE, K_MEM_PERM_RW);
	gens = k_mem_map(ROUND_UP(big_pages, PAGE), K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	zassert_not_null(big);
	zassert_not_null(gens);
	for (size_t p = 0; p < big_pages; p++) {
		gens[p] = 1;
		fill_page(big, p, 1);
	}
	k_mem_paging_stats_get(&before);
	z_paging_sleep_stats_get(&sbefore);
	disk_stats_get(&dbefore);
	k_sched_time_slice_set((int32_t)k_ticks_to_ms_ceil32(1), 3);
	for (int i = 0; i < MAX_THREADS; i++) {
		words_wrong[i] = 0;
		start(i, random_entry, (void *)(uintptr_t)i, NULL, 3);
	}
	join(MAX_THREADS);
	k_sched_time_slice_set(0, 0);
	k_mem_paging_stats_get(&after);
	z_paging_sleep_stats_get(&safter);
	disk_stats_get(&dafter);
	for (int i = 0; i < MAX_THREADS; i++) {
		wrong += words_wrong[i];
	}
	for (size_t p = 0; p < big_pages; p++) {
		wrong += check_page(big, p, gens[p]);
	}

	unsigned long faults = after.pagefaults.cnt - before.pagefaults.cnt;
	unsigned long reads = safter.reads_slept - sbefore.reads_slept;

	printk("%zu pages, %d threads x %d ops: %lu faults, %lu reads and %lu writes slept "
	       "through, %lu waits for a read, %lu for a write, %u disk reads, %lu faults "
	       "wrote a page, the paging thread freed %lu frames\n",
	       big_pages, MAX_THREADS, OPS_PER_THREAD, faults, reads,
	       safter.writes_slept - sbefore.writes_slept, safter.waits_read - sbefore.waits_read,
	       safter.waits_write - sbefore.waits_write, dafter.reads - dbefore.reads,
	       safter.faults_wrote - sbefore.faults_wrote,
	       safter.pool_frames - sbefore.pool_frames);
	zassert_equal(wrong, 0, "%zu words wrong", wrong);
	zassert_true(faults > 0);
	/* Every fault of the run is counted once, and each read is one disk read. */
	zassert_equal(safter.faults - sbefore.faults, faults);
	zassert_equal(dafter.reads - dbefore.reads, reads);
	zassert_true(reads <= faults, "%lu reads for %lu faults", reads, faults);
	zassert_equal(dafter.errors, dbefore.errors);
	z_paging_pool_wait_idle(); /* at rest: the paging thread too */
	zassert_equal(k_mem_check_invariants(), 0, "the invariant checker found violations");
	zassert_ok(k_mem_unmap(big, big_pages * PAGE));
	zassert_ok(k_mem_unmap(gens, ROUND_UP(big_pages, PAGE)));
	z_paging_pool_wait_idle();
	zassert_equal(k_mem_free_get(), free_start, "free memory %zu, was %zu", k_mem_free_get(),
		      free_start);
	zassert_equal(k_mem_paging_backing_store_free_get(), slots_start);
	z_paging_pool_wait_idle();
	zassert_equal(k_mem_check_invariants(), 0);
}

/* ---- page-out, pin, unmap of a page another thread is faulting on ---------------- */

enum other_op {
	OP_PAGE_OUT,
	OP_PIN,
	OP_UNMAP,
};

static volatile int other_ret;

static void one_fault_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	shared_bad += check_page(p1, 0, 9);
}

static void other_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p3);
	switch ((enum other_op)(uintptr_t)p2) {
	case OP_PAGE_OUT:
		other_ret = k_mem_page_out(p1, PAGE);
		break;
	case OP_PIN:
		k_mem_pin(p1, PAGE);
		other_ret = 0;
		break;
	case OP_UNMAP:
		other_ret = k_mem_unmap(p1, PAGE);
		break;
	}
}

/* Thread 0 faults on the page and sleeps on the read; thread 1 (lower) then calls op. */
static void op_during_fault(uint8_t *page, enum other_op op)
{
	struct z_paging_sleep_stats before, after;

	fill_page(page, 0, 9);
	zassert_ok(k_mem_page_out(page, PAGE));
	shared_bad = 0;
	other_ret = -1;
	z_paging_sleep_stats_get(&before);
	disk_inject_latency(2); /* the read outlasts the other thread's call */
	start(0, one_fault_entry, page, NULL, 1);
	start(1, other_entry, page, (void *)(uintptr_t)op, 5);
	join(2);
	disk_inject_latency(0);
	z_paging_sleep_stats_get(&after);
	zassert_equal(shared_bad, 0, "the faulting thread read %zu words wrong", shared_bad);
	zassert_equal(other_ret, 0, "the call returned %d", other_ret);
	zassert_equal(after.waits_read - before.waits_read, 1U,
		      "the call did not wait for the read (%lu waits)",
		      after.waits_read - before.waits_read);
}

ZTEST(paging_threads, test_page_out_pin_unmap_wait_for_a_faulting_thread)
{
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(page);
	op_during_fault(page, OP_PAGE_OUT);
	zassert_true(is_paged_out(page), "page-out after the read did not happen");
	zassert_equal(check_page(page, 0, 9), 0);

	op_during_fault(page, OP_PIN);
	zassert_false(is_paged_out(page));
	zassert_equal(k_mem_page_out(page, PAGE), -EFAULT, "a pinned page paged out");
	k_mem_unpin(page, PAGE);

	op_during_fault(page, OP_UNMAP);
	zassert_equal(arch_page_location_get(page, NULL), ARCH_PAGE_LOCATION_BAD,
		      "the page is still mapped");
	z_paging_pool_wait_idle();
	zassert_equal(k_mem_check_invariants(), 0);
}

/* ---- k_thread_abort() of a thread asleep in its own transfer ---------------------- */

/* Sleep (letting lower threads run) until t is asleep in a transfer of its own. */
static void wait_until_in_transfer(struct k_thread *t)
{
	for (int tries = 0; !z_paging_thread_in_transfer(t) && tries < 100; tries++) {
		k_sleep(K_TICKS(1));
	}
	zassert_true(z_paging_thread_in_transfer(t), "the thread never slept in its read");
}

static volatile bool ran_on;

static void fault_then_flag_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	(void)*(volatile uint8_t *)p1;
	ran_on = true;
}

ZTEST(paging_threads, test_abort_of_a_thread_in_its_transfer_waits_for_the_transfer)
{
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);
	zassert_not_null(page);
	fill_page(page, 0, 12);
	zassert_ok(k_mem_page_out(page, PAGE));
	ran_on = false;
	disk_inject_latency(10); /* the read stays under way while this thread looks */
	start(0, fault_then_flag_entry, page, NULL, 1);
	wait_until_in_transfer(&threads[0]);

	k_thread_abort(&threads[0]);
	disk_inject_latency(0);

	/* Returned: the thread is dead, at the end of its fault, not before. */
	zassert_equal(k_thread_join(&threads[0], K_NO_WAIT), 0, "the thread is not dead");
	zassert_false(ran_on, "the thread ran on after its fault");
	zassert_equal(z_paging_transitions(), 0U, "a page is still in transition");
	zassert_false(is_paged_out(page), "the fault did not complete");
	zassert_equal(check_page(page, 0, 12), 0, "the page's data are wrong");
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(page, PAGE));
}

/* ---- a lent priority outlives the transfer that lent another ---------------------- */

K_MUTEX_DEFINE(lend_mutex);
static volatile int prio_after_fault;

static void lock_then_fault_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_mutex_lock(&lend_mutex, K_FOREVER);
	(void)*(volatile uint8_t *)p1;
	prio_after_fault = k_current_get()->base.prio;
	k_mutex_unlock(&lend_mutex);
}

static void lock_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_mutex_lock(&lend_mutex, K_FOREVER);
	k_mutex_unlock(&lend_mutex);
}

/*
 * Thread 0 (10) holds a mutex and sleeps in its read; thread 1 (5) faults on
 * the same page and lends it 5; thread 2 (2) waits for the mutex and lends
 * it 2. The read's end gives back the 5, not the 2: thread 2 still waits.
 */
ZTEST(paging_threads, test_transfer_end_keeps_a_mutex_priority_boost)
{
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);
	zassert_not_null(page);
	fill_page(page, 0, 13);
	zassert_ok(k_mem_page_out(page, PAGE));
	prio_after_fault = 99;
	disk_inject_latency(10);
	start(0, lock_then_fault_entry, page, NULL, 10);
	wait_until_in_transfer(&threads[0]);
	start(1, fault_then_flag_entry, page, NULL, 5);
	k_sleep(K_TICKS(1));
	zassert_equal(threads[0].base.prio, 5, "the faulting waiter lent no priority");
	start(2, lock_entry, NULL, NULL, 2);
	k_sleep(K_TICKS(1));
	zassert_equal(threads[0].base.prio, 2, "the mutex waiter lent no priority");
	join(3);
	disk_inject_latency(0);
	zassert_equal(prio_after_fault, 2, "after the read the mutex owner ran at %d, not 2",
		      prio_after_fault);
	zassert_equal(threads[0].base.prio, 10);
	zassert_equal(check_page(page, 0, 13), 0);
	zassert_ok(k_mem_unmap(page, PAGE));
}

/* ---- a page being written out ---------------------------------------------------- */

static volatile uintptr_t out_phys;
static volatile bool frame_busy_seen;

static void page_out_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	other_ret = k_mem_page_out(p1, PAGE);
}

static void watch_entry(void *p1, void *p2, void *p3)
{
	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(out_phys);

	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	/* The write is under way: the frame is the evicting thread's, not free. */
	frame_busy_seen = k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BUSY) &&
			  !k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_FREE);
	shared_bad += check_page(p1, 0, 14); /* waits for the write, then reads it back */
}

ZTEST(paging_threads, test_frame_being_written_is_not_reused_and_faults_wait)
{
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);
	struct z_paging_sleep_stats before, after;
	uintptr_t phys;

	zassert_not_null(page);
	fill_page(page, 0, 14);
	zassert_ok(arch_page_phys_get(page, &phys));
	out_phys = phys;
	shared_bad = 0;
	other_ret = -1;
	frame_busy_seen = false;
	z_paging_pool_wait_idle();
	z_paging_sleep_stats_get(&before);
	disk_inject_latency(2); /* the write outlasts the other thread's look */
	start(0, page_out_entry, page, NULL, 1);
	start(1, watch_entry, page, NULL, 5);
	join(2);
	disk_inject_latency(0);
	z_paging_sleep_stats_get(&after);
	zassert_equal(other_ret, 0);
	zassert_true(frame_busy_seen, "the frame being written was free or not busy");
	zassert_equal(after.waits_write - before.waits_write, 1U,
		      "the fault did not wait for the write");
	zassert_equal(shared_bad, 0, "%zu words wrong after the write", shared_bad);
	zassert_ok(k_mem_unmap(page, PAGE));
}

/* ---- the paging thread's pool ------------------------------------------------------ */

#ifdef CONFIG_DEMAND_PAGING_POOL

#define POOL_OPS 600

/*
 * Under a random load over twice the free RAM the paging thread refills the
 * pool to its high watermark whenever it gets the CPU, so that most faults
 * find a clean frame; when every page is pinned it cannot, the pool shrinks
 * below its low watermark, and nothing else is harmed.
 */
ZTEST(paging_threads, test_pool_watermarks_held_and_shrinks_when_tight)
{
	struct z_paging_sleep_stats before, after;
	size_t wrong = 0;

	z_paging_pool_wait_idle();

	size_t pages = 2U * z_page_frames_free;
	uint8_t *arena = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	uint8_t *gen = k_mem_map(ROUND_UP(pages, PAGE), K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uint32_t x = seed | 1U;

	zassert_not_null(arena);
	zassert_not_null(gen);
	for (size_t p = 0; p < pages; p++) {
		gen[p] = 1;
		fill_page(arena, p, 1);
	}
	z_paging_pool_wait_idle();
	zassert_true(z_page_frames_free >= CONFIG_DEMAND_PAGING_POOL_HIGH_PAGES,
		     "%zu frames free after the paging thread ran, high watermark %d",
		     z_page_frames_free, CONFIG_DEMAND_PAGING_POOL_HIGH_PAGES);

	z_paging_sleep_stats_get(&before);
	for (int op = 0; op < POOL_OPS; op++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;

		size_t p = x % pages;

		wrong += check_page(arena, p, gen[p]);
		gen[p]++;
		fill_page(arena, p, gen[p]);
	}
	z_paging_sleep_stats_get(&after);

	unsigned long faults = after.faults - before.faults;
	unsigned long wrote = after.faults_wrote - before.faults_wrote;

	printk("pool: %zu pages over %zu free frames, %d ops: %lu faults, %lu of them wrote a "
	       "page (%lu.%lu %%), the paging thread freed %lu frames\n",
	       pages, pages / 2U, POOL_OPS, faults, wrote, wrote * 100U / MAX(faults, 1U),
	       wrote * 1000U / MAX(faults, 1U) % 10U, after.pool_frames - before.pool_frames);
	zassert_equal(wrong, 0, "%zu words wrong", wrong);
	zassert_true(faults > POOL_OPS / 4, "%lu faults", faults);
	zassert_true(after.pool_frames > before.pool_frames, "the paging thread freed nothing");
	/* How many faults still wrote depends on when the device answers (host
	 * timing under TCG); the benchmark measures it under -icount.
	 */
	zassert_true(wrote < faults, "%lu of %lu faults wrote a page themselves", wrote, faults);
	z_paging_pool_wait_idle();
	zassert_true(z_page_frames_free >= CONFIG_DEMAND_PAGING_POOL_HIGH_PAGES);

	zassert_ok(k_mem_unmap(arena, pages * PAGE));

	/* Tight: all but four free frames pinned, nothing to evict. The pool
	 * cannot refill; the thread gives up (it does not spin), and the
	 * pinned pages keep their data.
	 */
	z_paging_pool_wait_idle();

	size_t pin = z_page_frames_free - 4U;
	uint8_t *tight = k_mem_map(pin * PAGE, K_MEM_PERM_RW);

	zassert_not_null(tight);
	for (size_t p = 0; p < pin; p++) {
		gen[p] = 5;
		fill_page(tight, p, 5);
	}
	k_mem_pin(tight, pin * PAGE);
	z_paging_pool_wait_idle();
	zassert_true(z_page_frames_free < CONFIG_DEMAND_PAGING_POOL_LOW_PAGES,
		     "%zu frames free with everything pinned", z_page_frames_free);
	for (size_t p = 0; p < pin; p++) {
		wrong += check_page(tight, p, 5);
	}
	k_mem_unpin(tight, pin * PAGE);
	z_paging_pool_wait_idle();
	zassert_true(z_page_frames_free >= CONFIG_DEMAND_PAGING_POOL_LOW_PAGES,
		     "the pool did not grow back (%zu frames free)", z_page_frames_free);
	for (size_t p = 0; p < pin; p++) {
		wrong += check_page(tight, p, 5);
	}
	zassert_equal(wrong, 0, "%zu words wrong", wrong);
	z_paging_pool_wait_idle();
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(tight, pin * PAGE));
	zassert_ok(k_mem_unmap(gen, ROUND_UP(pages, PAGE)));
}

#endif /* CONFIG_DEMAND_PAGING_POOL */

/* ---- faults that may not wait ------------------------------------------------------- */

static uint8_t *isr_page;
static volatile bool isr_touched;

static void tick_touch(void *arg)
{
	ARG_UNUSED(arg);
	if (isr_touched) {
		return;
	}
	isr_touched = true;
	z_test_tick_hook_set(NULL, NULL);
	ztest_set_fault_valid(true);
	(void)check_page(isr_page, 0, 3); /* paged out: needs a read */
}

ZTEST(paging_threads, test_fault_in_isr_needing_io_is_fatal)
{
	isr_page = k_mem_map(PAGE, K_MEM_PERM_RW);
	zassert_not_null(isr_page);
	fill_page(isr_page, 0, 3);
	zassert_ok(k_mem_page_out(isr_page, PAGE));
	isr_touched = false;
	z_test_tick_hook_set(tick_touch, NULL);
	for (int64_t t0 = k_uptime_get(); k_uptime_get() - t0 < 2000;) {
	}
	zassert_unreachable("the fault in the interrupt handler was not fatal (touched: %d)",
			    isr_touched);
}

ZTEST(paging_threads, test_fault_in_isr_recovered)
{
	/* Runs after the case above (name order): the page is intact and a thread gets it. */
	zassert_true(isr_touched);
	zassert_true(is_paged_out(isr_page));
	zassert_equal(check_page(isr_page, 0, 3), 0);
	zassert_ok(k_mem_unmap(isr_page, PAGE));
}

ZTEST(paging_threads, test_fault_with_scheduler_locked_is_fatal)
{
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(page);
	fill_page(page, 0, 4);
	zassert_ok(k_mem_page_out(page, PAGE));
	k_sched_lock();
	ztest_set_fault_valid(true);
	(void)check_page(page, 0, 4);
	zassert_unreachable("the fault with the scheduler locked was not fatal");
}

/* ---- disk errors ------------------------------------------------------------------- */

#define MANY 1000U /* injected errors: more than any retry budget */

static struct k_thread *expected_victim;
static volatile int victim_reason = -1;

/* A fatal error of the thread a case expects it of: recorded, the thread is
 * aborted and the rest runs on. Anything else fails the case as usual.
 */
void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);
	if (expected_victim != NULL && k_current_get() == expected_victim) {
		expected_victim = NULL;
		victim_reason = (int)reason;
		return;
	}
	if (z_ztest_fatal_error_unexpected(reason)) {
		return;
	}
	k_fatal_halt(reason);
}

static void touch_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	shared_bad += check_page(p1, 0, 11);
	shared_bad += 1000000U; /* never reached when the read fails */
}

ZTEST(paging_threads, test_read_error_is_fatal_to_the_faulting_thread_only)
{
	uint8_t *pages = k_mem_map(4 * PAGE, K_MEM_PERM_RW);

	zassert_not_null(pages);
	for (size_t p = 0; p < 4; p++) {
		fill_page(pages, p, 11);
	}
	zassert_ok(k_mem_page_out(pages, 4 * PAGE));
	shared_bad = 0;
	victim_reason = -1;
	expected_victim = &threads[0];
	disk_inject_errors(DISK_OP_READ, MANY);
	start(0, touch_entry, pages + PAGE, NULL, 1);
	join(1);
	disk_inject_errors(DISK_OP_READ, 0);
	zassert_equal(victim_reason, K_ERR_CPU_EXCEPTION, "the faulting thread got no fatal error");
	zassert_equal(shared_bad, 0, "the faulting thread went on");
	zassert_true(is_paged_out(pages + PAGE), "the failed page is not paged out");
	for (size_t p = 0; p < 4; p++) {
		zassert_equal(check_page(pages, p, 11), 0, "page %zu damaged", p);
	}
	z_paging_pool_wait_idle();
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(pages, 4 * PAGE));
}

ZTEST(paging_threads, test_write_error_retried_elsewhere_or_page_stays_dirty)
{
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);
	struct z_paging_sleep_stats before, after;

	zassert_not_null(page);
	z_paging_pool_wait_idle();
	fill_page(page, 0, 12);
	z_paging_sleep_stats_get(&before);
	/* Every try of the store on the first slot fails; the second slot works. */
	disk_inject_errors(DISK_OP_WRITE, 3);
	zassert_ok(k_mem_page_out(page, PAGE));
	disk_inject_errors(DISK_OP_WRITE, 0);
	z_paging_sleep_stats_get(&after);
	zassert_equal(after.write_retries - before.write_retries, 1U);
	zassert_true(is_paged_out(page));
	zassert_equal(check_page(page, 0, 12), 0, "the page written elsewhere is wrong");

	/* Both slots fail: the page stays resident with its data, and is still
	 * dirty (a later page-out writes it).
	 */
	fill_page(page, 0, 13);
	disk_inject_errors(DISK_OP_WRITE, MANY);
	zassert_equal(k_mem_page_out(page, PAGE), -EIO);
	disk_inject_errors(DISK_OP_WRITE, 0);
	zassert_false(is_paged_out(page));
	zassert_equal(check_page(page, 0, 13), 0);
	zassert_ok(k_mem_page_out(page, PAGE));
	zassert_equal(check_page(page, 0, 13), 0, "the failed page-out lost the data");
	z_paging_pool_wait_idle();
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_ok(k_mem_unmap(page, PAGE));
}

static void *suite_setup(void)
{
	seed = (uint32_t)k_cycle_get_64() | 1U;
	printk("pattern seed 0x%08x\n", seed);
	return NULL;
}

ZTEST_SUITE(paging_threads, NULL, suite_setup, NULL, NULL, NULL);
