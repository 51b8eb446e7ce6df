/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Paging over the disk store with threads (CONFIG_DEMAND_PAGING_SLEEP and
 * the paging thread's pool): what a fault costs the CPU, what share of the
 * CPU a compute thread keeps while another thread pages, and how many
 * faults had to write a page out themselves.
 *
 * A fault now waits for the device, and QEMU completes the transfer on a
 * host thread, so the instructions that run meanwhile vary from run to
 * run. They are the compute thread's: a loop of a fixed number of
 * instructions per turn (measured first), so its turns count them, and
 * whatever else ran is the paging work (the faulting thread, the switches,
 * the disk interrupt, the paging thread, timer ticks). Interrupts stay on.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <page_frames.h>
#include <paging.h>

#include "bench.h"

#ifdef CONFIG_DEMAND_PAGING_SLEEP

#define STACK_SIZE   4096
#define COLD_PAGES   64
#define RANDOM_OPS   2000
#define COMPUTE_PRIO 13 /* below the faulting thread, above the paging thread */
#define PAGER_PRIO   2

static volatile bool spinning;
static volatile uint32_t turns;

/* The compute thread: one turn is a fixed instruction sequence. */
static void __attribute__((noinline)) spin(uint32_t limit)
{
	while (spinning && turns != limit) {
		turns++;
	}
}

static void compute_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	spin(UINT32_MAX);
}

K_THREAD_STACK_DEFINE(compute_stack, STACK_SIZE);
K_THREAD_STACK_DEFINE(pager_stack, STACK_SIZE);
static struct k_thread compute_thread, pager_thread;

/* Instructions per turn of spin(), measured here with interrupts locked. */
static uint64_t instr_per_turn(void)
{
	unsigned int key = irq_lock();
	uint64_t t0, t1;

	spinning = true;
	turns = 0;
	t0 = now();
	spin(100000);
	t1 = now();
	irq_unlock(key);
	return per(elapsed(t0, t1), 100000);
}

struct workload {
	uint8_t *arena;
	size_t pages;
	size_t ops; /* 0: touch each page once, in order (cold reads) */
	uint64_t cycles;
};

static void pager_entry(void *p1, void *p2, void *p3)
{
	struct workload *w = p1;
	uint32_t x = 0x2545F491U;
	uint64_t t0 = now();

	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	if (w->ops == 0U) {
		for (size_t p = 0; p < w->pages; p++) {
			(void)*(volatile uint8_t *)(w->arena + p * PAGE);
		}
	} else {
		for (size_t op = 0; op < w->ops; op++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			w->arena[(x % w->pages) * PAGE + (x >> 20) % PAGE]++;
		}
	}
	w->cycles = now() - t0;
	spinning = false;
}

/* Run the workload, beside the compute thread or alone; the compute thread's turns. */
static uint32_t run(struct workload *w, bool compute)
{
	spinning = true;
	turns = 0;
	if (compute) {
		k_thread_create(&compute_thread, compute_stack, STACK_SIZE, compute_entry, NULL,
				NULL, NULL, COMPUTE_PRIO, 0, K_NO_WAIT);
	}
	k_thread_create(&pager_thread, pager_stack, STACK_SIZE, pager_entry, w, NULL, NULL,
			PAGER_PRIO, 0, K_NO_WAIT);
	(void)k_thread_join(&pager_thread, K_FOREVER);
	if (compute) {
		(void)k_thread_join(&compute_thread, K_FOREVER);
	}
	return turns;
}

/* Twice the free RAM, every page written once (half of them end on the disk). */
static void hot_setup(struct workload *w)
{
	z_paging_pool_wait_idle();
	w->pages = 2U * z_page_frames_free;
	w->ops = RANDOM_OPS;
	w->arena = k_mem_map(w->pages * PAGE, K_MEM_PERM_RW);
	for (size_t p = 0; p < w->pages; p++) {
		w->arena[p * PAGE] = 1;
	}
	z_paging_pool_wait_idle();
}

void bench_paging_disk(void)
{
	uint64_t k = instr_per_turn();
	struct z_paging_sleep_stats s0, s1;

	report("disk_spin_turn", "-", k, "instr");

	/* Cold reads: pages on the disk, clean frames in the pool, no write.
	 * Whatever ran beside the compute thread is the faults' CPU work.
	 */
	struct workload cold = {.pages = COLD_PAGES};

	cold.arena = k_mem_map(COLD_PAGES * PAGE, K_MEM_PERM_RW);
	for (size_t p = 0; p < COLD_PAGES; p++) {
		cold.arena[p * PAGE] = (uint8_t)p;
	}
	(void)k_mem_page_out(cold.arena, COLD_PAGES * PAGE);
	z_paging_pool_wait_idle();
	z_paging_sleep_stats_get(&s0);

	uint32_t t = run(&cold, true);

	z_paging_sleep_stats_get(&s1);

	uint64_t spun = (uint64_t)t * k;
	uint64_t work = cold.cycles > spun ? cold.cycles - spun : 0;

	report("disk_fault_cpu", "read", per(work, COLD_PAGES), "instr");
	report("disk_fault_reads", "-", s1.reads_slept - s0.reads_slept, "count");
	report("disk_fault_wrote", "-", s1.faults_wrote - s0.faults_wrote, "count");
	(void)k_mem_unmap(cold.arena, COLD_PAGES * PAGE);

	/* Steady random reads and writes over twice the free RAM: the share of
	 * the CPU a compute thread (below the pager, above the paging thread)
	 * keeps while the pager faults.
	 */
	struct workload hot;

	hot_setup(&hot);
	z_paging_sleep_stats_get(&s0);
	t = run(&hot, true);
	z_paging_sleep_stats_get(&s1);
	spun = (uint64_t)t * k;
	report("disk_random_faults", "compute", s1.faults - s0.faults, "count");
	report("disk_compute_share", "permille", per(spun * 1000U, MAX(hot.cycles, 1U)),
	       "permille");
	(void)k_mem_unmap(hot.arena, hot.pages * PAGE);

	/* The same load alone: the paging thread refills the pool while the
	 * pager sleeps on its reads. How many faults still had to write a page
	 * out before their read.
	 */
	hot_setup(&hot);
	z_paging_sleep_stats_get(&s0);
	(void)run(&hot, false);
	z_paging_sleep_stats_get(&s1);

	unsigned long faults = s1.faults - s0.faults;
	unsigned long wrote = s1.faults_wrote - s0.faults_wrote;

	report("disk_random_faults", "alone", faults, "count");
	report("disk_random_fault_wrote", "permille", per(wrote * 1000U, MAX(faults, 1U)),
	       "permille");
	report("disk_pool_frames", "-", s1.pool_frames - s0.pool_frames, "count");
	(void)k_mem_unmap(hot.arena, hot.pages * PAGE);
}

#endif /* CONFIG_DEMAND_PAGING_SLEEP */
