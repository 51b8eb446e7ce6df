/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The paging thread (CONFIG_DEMAND_PAGING_POOL): a low-priority kernel
 * thread that keeps free frames between two watermarks, so that a typical
 * page fault finds a clean frame and costs one read and no write. When an
 * allocation leaves fewer than CONFIG_DEMAND_PAGING_POOL_LOW_PAGES free
 * frames, the thread is woken; it evicts pages (writing the dirty ones, a
 * sleeping transfer each) until CONFIG_DEMAND_PAGING_POOL_HIGH_PAGES are
 * free, then sleeps again. The pool is the free list itself, so
 * k_mem_free_get() counts it exactly. When nothing can be evicted (every
 * frame pinned or busy, the store full) the thread stops and the pool
 * shrinks to nothing: faults then evict for themselves, as without it.
 */
#include <ksched.h>
#include <page_frames.h>
#include <paging.h>

#include "paging_stats.h"

#ifdef CONFIG_DEMAND_PAGING_POOL

BUILD_ASSERT(CONFIG_DEMAND_PAGING_POOL_LOW_PAGES <= CONFIG_DEMAND_PAGING_POOL_HIGH_PAGES,
	     "the pool's low watermark is above its high one");

static _wait_q_t idle_q = Z_WAIT_Q_INIT(&idle_q);
static bool wanted;  /* the pool fell below its low watermark since the thread looked */
static bool working; /* the thread is between two waits */

void z_paging_pool_kick(void)
{
	if (z_page_frames_free >= CONFIG_DEMAND_PAGING_POOL_LOW_PAGES || wanted) {
		return;
	}
	wanted = true;

	/* Ready, but no switch: the caller is in the middle of its call. */
	struct k_thread *t = z_unpend_first(&idle_q);

	if (t != NULL) {
		t->swap_retval = 0;
		z_ready_thread(t);
	}
}

static void paging_thread(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (;;) {
		unsigned int key = irq_lock();

		if (!wanted) {
			working = false;
			(void)z_pend_curr(key, &idle_q, K_FOREVER);
			continue;
		}
		wanted = false;
		working = true;
		irq_unlock(key);
		/* One eviction per call, each a call of its own: faults get in between. */
		while (z_paging_pool_refill_one(CONFIG_DEMAND_PAGING_POOL_HIGH_PAGES) > 0) {
		}
	}
}

void z_paging_pool_wait_idle(void)
{
	while (wanted || working) {
		k_sleep(K_TICKS(1));
	}
}

K_THREAD_DEFINE(z_paging_thread, CONFIG_DEMAND_PAGING_THREAD_STACK_SIZE, paging_thread, NULL, NULL,
		NULL, CONFIG_DEMAND_PAGING_THREAD_PRIORITY, 0, 0);

#endif /* CONFIG_DEMAND_PAGING_POOL */
