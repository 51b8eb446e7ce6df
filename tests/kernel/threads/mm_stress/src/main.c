/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Eight threads of one priority, time-sliced every tick, map, fill, page
 * out, checksum and unmap memory at the same time, so that every memory-
 * manager call and page fault is preempted somewhere by the others. Each
 * page's contents name its thread, round and page, so a page that comes
 * back with another's data is caught. At the end the invariant checker
 * runs and the free-frame count is back where it started.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <ztest.h>

#define NUM_THREADS 8
#define STACK_SIZE  8192
#define PAGE        CONFIG_MMU_PAGE_SIZE
#define PAGES       64 /* per thread: 8 x 64 pages exceed the free frames */
#define ROUNDS      6

K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_THREADS, STACK_SIZE);
static struct k_thread threads[NUM_THREADS];
static volatile int errors[NUM_THREADS];
static volatile uint32_t checked[NUM_THREADS];

static uint32_t tag(int id, int round, int page, int word)
{
	return ((uint32_t)id << 28) ^ ((uint32_t)round << 20) ^ ((uint32_t)page << 8) ^
	       (uint32_t)word;
}

static void fill(uint32_t *mem, int id, int round)
{
	for (int p = 0; p < PAGES; p++) {
		for (int w = 0; w < PAGE / 4; w += 61) {
			mem[p * (PAGE / 4) + w] = tag(id, round, p, w);
		}
	}
}

static int verify(const uint32_t *mem, int id, int round)
{
	int bad = 0;

	for (int p = 0; p < PAGES; p++) {
		for (int w = 0; w < PAGE / 4; w += 61) {
			bad += mem[p * (PAGE / 4) + w] != tag(id, round, p, w);
		}
	}
	return bad;
}

static void worker(void *idp, void *unused2, void *unused3)
{
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	int id = POINTER_TO_INT(idp);

	for (int round = 0; round < ROUNDS; round++) {
		uint32_t *mem = k_mem_map(PAGES * PAGE, K_MEM_PERM_RW);

		if (mem == NULL) {
			errors[id] += 1000; /* the store is sized for all of them */
			return;
		}
		fill(mem, id, round);
		errors[id] += verify(mem, id, round);
		if (k_mem_page_out(mem, PAGES * PAGE / 2) != 0) {
			errors[id] += 100;
		}
		errors[id] += verify(mem, id, round); /* faults the first half back in */
		k_mem_pin(mem, PAGE * 4);
		k_yield();
		errors[id] += verify(mem, id, round);
		k_mem_unpin(mem, PAGE * 4);
		checked[id]++;
		if (k_mem_unmap(mem, PAGES * PAGE) != 0) {
			errors[id] += 10000;
		}
	}
}

ZTEST(threads_mm_stress, test_eight_threads_map_page_out_and_checksum)
{
	size_t free_before = k_mem_free_get();
	struct k_mem_paging_stats_t before, after;

	k_mem_paging_stats_get(&before);
	k_sched_time_slice_set(1000 / CONFIG_SYS_CLOCK_TICKS_PER_SEC, K_PRIO_PREEMPT(0));
	for (int i = 0; i < NUM_THREADS; i++) {
		errors[i] = 0;
		checked[i] = 0;
		zassert_not_null(k_thread_create(&threads[i], stacks[i], STACK_SIZE, worker,
						 INT_TO_POINTER(i), NULL, NULL, K_PRIO_PREEMPT(5),
						 0, K_NO_WAIT));
	}
	for (int i = 0; i < NUM_THREADS; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(120)));
	}
	k_sched_time_slice_set(0, 0);
	k_mem_paging_stats_get(&after);
	for (int i = 0; i < NUM_THREADS; i++) {
		zassert_equal(errors[i], 0, "thread %d: %d errors", i, errors[i]);
		zassert_equal(checked[i], ROUNDS);
	}
	zassert_true(after.pagefaults.cnt > before.pagefaults.cnt + NUM_THREADS * PAGES / 2,
		     "the threads faulted each other's pages out and in (%lu faults)",
		     after.pagefaults.cnt - before.pagefaults.cnt);
	zassert_equal(k_mem_check_invariants(), 0);
	zassert_equal(k_mem_free_get(), free_before, "every frame back");
}

ZTEST_SUITE(threads_mm_stress, NULL, NULL, NULL, NULL, NULL);
