/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel heaps, the system heap and CPU masks: a full heap's allocation
 * waits and is served by a k_heap_free() (or times out, having waited its
 * timeout), an interrupt handler never waits, k_malloc() and friends keep
 * their alignment and refuse overflowing or misaligned requests, a realloc
 * keeps the contents, a thread's resource pool is inherited and
 * z_thread_malloc() uses it, and a thread's CPU mask changes only while it
 * cannot run and decides whether it runs once started.
 */
#include <irq_offload.h>
#include <kernel.h>
#include <kernel_internal.h>
#include <string.h>
#include <ztest.h>

#define STACK_SIZE 4096
#define HEAP_BYTES 2048
#define BLOCK      256

K_HEAP_DEFINE(test_heap, HEAP_BYTES);
K_THREAD_STACK_DEFINE(helper_stack, STACK_SIZE);
static struct k_thread helper;

static void *blocks[HEAP_BYTES / 16];
static int nblocks;

/* Take every block of BLOCK bytes test_heap has. */
static void fill_heap(void)
{
	void *p;

	nblocks = 0;
	while ((p = k_heap_alloc(&test_heap, BLOCK, K_NO_WAIT)) != NULL) {
		zassert_true(nblocks < (int)ARRAY_SIZE(blocks));
		blocks[nblocks++] = p;
	}
	zassert_true(nblocks > 1, "the heap held %d blocks", nblocks);
}

static void empty_heap(void)
{
	while (nblocks > 0) {
		k_heap_free(&test_heap, blocks[--nblocks]);
	}
	zassert_true(sys_heap_validate(&test_heap.heap));
}

ZTEST(kernel_heap, test_k_heap_define_usable)
{
	fill_heap();
	/* Distinct, writable, aligned blocks. */
	for (int i = 0; i < nblocks; i++) {
		zassert_true(IS_ALIGNED(blocks[i], Z_HEAP_ALIGN));
		memset(blocks[i], i, BLOCK);
	}
	for (int i = 0; i < nblocks; i++) {
		zassert_equal(((uint8_t *)blocks[i])[BLOCK - 1], (uint8_t)i);
	}
	zassert_is_null(k_heap_alloc(&test_heap, 0, K_NO_WAIT));
	zassert_is_null(k_heap_aligned_alloc(&test_heap, 48, 8, K_NO_WAIT));
	empty_heap();
	/* Aligned: every power of two up to a page. */
	for (size_t align = 1; align <= 512; align <<= 1) {
		void *p = k_heap_aligned_alloc(&test_heap, align, 40, K_NO_WAIT);

		zassert_not_null(p, "align %zu", align);
		zassert_true(IS_ALIGNED(p, align));
		k_heap_free(&test_heap, p);
	}
	zassert_true(sys_heap_validate(&test_heap.heap));
}

ZTEST(kernel_heap, test_k_heap_alloc_times_out)
{
	fill_heap();
	int64_t start = k_uptime_ticks();
	void *p = k_heap_alloc(&test_heap, BLOCK, K_MSEC(50));

	zassert_is_null(p);
	zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(50),
		     "gave up before its timeout");
	empty_heap();
}

static void *helper_got;
static volatile bool helper_done;

static void waiter(void *timeout_ticks, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_timeout_t timeout =
		((intptr_t)timeout_ticks < 0) ? K_FOREVER : K_TICKS((intptr_t)timeout_ticks);

	helper_got = k_heap_alloc(&test_heap, BLOCK, timeout);
	helper_done = true;
}

/* A waiter (K_FOREVER, then a long timeout) gets the block a free gives back. */
ZTEST(kernel_heap, test_k_heap_alloc_woken_by_free)
{
	static const intptr_t timeouts[] = {-1, 10 * CONFIG_SYS_CLOCK_TICKS_PER_SEC};

	for (size_t i = 0; i < ARRAY_SIZE(timeouts); i++) {
		fill_heap();
		helper_got = NULL;
		helper_done = false;
		k_thread_create(&helper, helper_stack, STACK_SIZE, waiter, (void *)timeouts[i],
				NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
		k_msleep(20);
		zassert_false(helper_done, "the allocation did not wait");
		zassert_equal(helper.base.pended_on, &test_heap.wait_q);

		void *freed = blocks[--nblocks];

		k_heap_free(&test_heap, freed);
		k_msleep(20);
		zassert_true(helper_done, "k_heap_free() did not wake the waiter");
		zassert_equal(helper_got, freed, "the waiter did not get the freed block");
		zassert_ok(k_thread_join(&helper, K_FOREVER));
		k_heap_free(&test_heap, helper_got);
		empty_heap();
	}
}

static void *isr_got;

static void isr_alloc(const void *arg)
{
	ARG_UNUSED(arg);
	isr_got = k_heap_alloc(&test_heap, BLOCK, K_FOREVER);
}

/* An interrupt handler never waits: it gets NULL at once from a full heap. */
ZTEST(kernel_heap, test_k_heap_alloc_in_isr_does_not_wait)
{
	fill_heap();
	isr_got = (void *)1;
	irq_offload(isr_alloc, NULL);
	zassert_is_null(isr_got);
	k_heap_free(&test_heap, blocks[--nblocks]);
	irq_offload(isr_alloc, NULL);
	zassert_not_null(isr_got);
	k_heap_free(&test_heap, isr_got);
	empty_heap();
}

ZTEST(kernel_heap, test_k_heap_calloc_realloc)
{
	uint8_t *p = k_heap_calloc(&test_heap, 10, 20, K_NO_WAIT);

	zassert_not_null(p);
	for (int i = 0; i < 200; i++) {
		zassert_equal(p[i], 0);
	}
	zassert_is_null(k_heap_calloc(&test_heap, SIZE_MAX / 2, 3, K_NO_WAIT));
	memset(p, 0x5a, 200);
	p = k_heap_realloc(&test_heap, p, 600, K_NO_WAIT);
	zassert_not_null(p);
	zassert_equal(p[199], 0x5a);
	zassert_is_null(k_heap_realloc(&test_heap, p, 0, K_NO_WAIT)); /* frees */
	zassert_true(sys_heap_validate(&test_heap.heap));
}

ZTEST(kernel_heap, test_k_malloc_family)
{
	uint8_t *a = k_malloc(100);

	zassert_not_null(a);
	zassert_true(IS_ALIGNED(a, sizeof(void *)));
	memset(a, 0x33, 100);

	/* calloc: zeroed, and an overflowing product refused. */
	uint32_t *z = k_calloc(16, sizeof(uint32_t));

	zassert_not_null(z);
	for (int i = 0; i < 16; i++) {
		zassert_equal(z[i], 0U);
	}
	zassert_is_null(k_calloc(SIZE_MAX / 4, 8));
	zassert_is_null(
		k_calloc((size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)));

	/* aligned: kept; a bad alignment refused. */
	for (size_t align = sizeof(void *); align <= 256; align <<= 1) {
		void *p = k_aligned_alloc(align, 24);

		zassert_not_null(p, "align %zu", align);
		zassert_true(IS_ALIGNED(p, align));
		k_free(p);
	}
	zassert_is_null(k_aligned_alloc(sizeof(void *) * 3, 24));
	zassert_is_null(k_aligned_alloc(1, 24));

	/* realloc: the contents follow; an aligned block stays aligned. */
	a = k_realloc(a, 1000);
	zassert_not_null(a);
	for (int i = 0; i < 100; i++) {
		zassert_equal(a[i], 0x33);
	}
	uint8_t *al = k_aligned_alloc(128, 8);

	zassert_not_null(al);
	al[0] = 0x44;
	al = k_realloc(al, 700);
	zassert_not_null(al);
	zassert_true(IS_ALIGNED(al, 128));
	zassert_equal(al[0], 0x44);
	zassert_is_null(k_realloc(al, SIZE_MAX - 4)); /* too big: kept */
	zassert_equal(al[0], 0x44);

	/* Exhaustion: NULL, and everything comes back. */
	void *many[64];
	int n = 0;

	while (n < (int)ARRAY_SIZE(many) && (many[n] = k_malloc(200)) != NULL) {
		n++;
	}
	zassert_true(n > 0 && n < (int)ARRAY_SIZE(many), "%d blocks of a 4 KiB heap", n);
	while (n > 0) {
		k_free(many[--n]);
	}
	k_free(a);
	k_free(z);
	k_free(al);
	k_free(NULL);
	a = k_malloc(3000); /* one large block again: nothing leaked or split for good */
	zassert_not_null(a);
	k_free(a);
	zassert_is_null(k_realloc(NULL, 0));
}

static void *child_pool_block;
static struct k_heap *child_pool;

static void child_alloc(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	child_pool = k_current_get()->resource_pool;
	child_pool_block = z_thread_malloc(64);
}

ZTEST(kernel_heap, test_thread_resource_pool)
{
	struct k_thread *self = k_current_get();
	struct k_heap *saved = self->resource_pool;

	k_thread_heap_assign(self, NULL);
	zassert_is_null(z_thread_malloc(16), "no pool, no memory");

	k_thread_heap_assign(self, &test_heap);
	void *p = z_thread_malloc(16);

	zassert_not_null(p);
	zassert_true((uintptr_t)p >= (uintptr_t)kheap_test_heap &&
			     (uintptr_t)p < (uintptr_t)kheap_test_heap + HEAP_BYTES,
		     "not from the thread's pool");
	k_free(p);

	/* A new thread inherits its creator's pool. */
	k_thread_system_pool_assign(self);
	child_pool_block = NULL;
	k_thread_create(&helper, helper_stack, STACK_SIZE, child_alloc, NULL, NULL, NULL,
			K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	zassert_ok(k_thread_join(&helper, K_FOREVER));
	zassert_not_null(child_pool);
	zassert_not_null(child_pool_block);
	zassert_false((uintptr_t)child_pool_block >= (uintptr_t)kheap_test_heap &&
			      (uintptr_t)child_pool_block < (uintptr_t)kheap_test_heap + HEAP_BYTES,
		      "the child's block is not from the system heap");
	k_free(child_pool_block);
	k_thread_heap_assign(self, saved);
	zassert_true(sys_heap_validate(&test_heap.heap));
}

/* ---- CPU masks ---------------------------------------------------------------------- */

static volatile bool child_ran;

static void mark_ran(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	child_ran = true;
}

ZTEST(kernel_heap, test_cpu_mask)
{
	struct k_thread *self = k_current_get();

	/* The caller is runnable: every change refused. */
	zassert_equal(k_thread_cpu_mask_clear(self), -EINVAL);
	zassert_equal(k_thread_cpu_mask_enable_all(self), -EINVAL);
	zassert_equal(k_thread_cpu_mask_enable(self, 0), -EINVAL);
	zassert_equal(k_thread_cpu_mask_disable(self, 0), -EINVAL);
	zassert_equal(k_thread_cpu_pin(self, 0), -EINVAL);
	zassert_equal(self->base.cpu_mask, BIT(0), "the refusals changed the mask");

	for (int pass = 0; pass < 5; pass++) {
		child_ran = false;
		k_tid_t t = k_thread_create(&helper, helper_stack, STACK_SIZE, mark_ran, NULL, NULL,
					    NULL, K_HIGHEST_APPLICATION_THREAD_PRIO, 0, K_FOREVER);
		bool runs;

		/* Not a CPU of the system: refused, nothing changed. */
		zassert_equal(k_thread_cpu_pin(t, 1), -EINVAL);
		zassert_equal(k_thread_cpu_mask_enable(t, -1), -EINVAL);
		zassert_equal(t->base.cpu_mask, BIT(0));
		switch (pass) {
		case 0:
			zassert_ok(k_thread_cpu_mask_clear(t));
			runs = false;
			break;
		case 1:
			zassert_ok(k_thread_cpu_mask_clear(t));
			zassert_ok(k_thread_cpu_mask_enable_all(t));
			runs = true;
			break;
		case 2:
			zassert_ok(k_thread_cpu_mask_disable(t, 0));
			runs = false;
			break;
		case 3:
			zassert_ok(k_thread_cpu_mask_clear(t));
			zassert_ok(k_thread_cpu_pin(t, 0));
			runs = true;
			break;
		default:
			/* Suspended after its start, it may change too. */
			k_thread_suspend(t);
			k_thread_start(t);
			zassert_ok(k_thread_cpu_mask_clear(t));
			zassert_ok(k_thread_cpu_mask_enable(t, 0));
			zassert_ok(k_thread_cpu_mask_disable(t, 0));
			k_thread_resume(t);
			runs = false;
			break;
		}
		if (pass != 4) {
			k_thread_start(t);
		}
		k_msleep(10);
		zassert_equal(child_ran, runs, "pass %d", pass);
		k_thread_abort(t);
	}
}

ZTEST_SUITE(kernel_heap, NULL, NULL, NULL, NULL, NULL);
