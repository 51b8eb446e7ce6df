/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel heaps and the system heap, with the reference RTOS's (Zephyr's)
 * names, signatures and semantics. Included by <kernel.h>.
 *
 * A struct k_heap is a sys_heap (<sys/sys_heap.h>) made safe for threads and
 * interrupt handlers, whose allocations may wait: a thread that asks with a
 * timeout sleeps until a k_heap_free() on the same heap lets it retry, or
 * the timeout passes. An interrupt handler never waits (as K_NO_WAIT).
 *
 * The system heap (CONFIG_HEAP_MEM_POOL_SIZE bytes; 0, the default, means
 * none, and then k_malloc() and the functions beside it do not exist, as in
 * the reference) serves k_malloc(), k_aligned_alloc(), k_calloc(),
 * k_realloc() and k_free(); each block carries the heap it came from.
 */
#ifndef PAGODA_INCLUDE_KERNEL_HEAP_H
#define PAGODA_INCLUDE_KERNEL_HEAP_H

#include <kernel/thread.h>
#include <sys/sys_heap.h>

struct k_heap {
	struct sys_heap heap;
	_wait_q_t wait_q; /* threads waiting for a k_heap_free() */
};

/*
 * A heap over a static buffer of bytes (at least Z_HEAP_MIN_SIZE), usable
 * at once: it is laid out at its first use.
 */
#define K_HEAP_DEFINE(name, bytes)                                                                 \
	char __noinit __aligned(Z_HEAP_ALIGN) kheap_##name[MAX(bytes, Z_HEAP_MIN_SIZE)];           \
	struct k_heap name = {                                                                     \
		.heap = {.init_mem = kheap_##name, .init_bytes = MAX(bytes, Z_HEAP_MIN_SIZE)},     \
		.wait_q = Z_WAIT_Q_INIT(&(name).wait_q),                                           \
	}

/* The reference's variant for uncached memory: memory is cached here. */
#define K_HEAP_DEFINE_NOCACHE(name, bytes) K_HEAP_DEFINE(name, bytes)

/* Lay a heap out over [mem, mem + bytes). */
void k_heap_init(struct k_heap *h, void *mem, size_t bytes);

/*
 * bytes of memory aligned to align (a power of two; 0: the default,
 * Z_HEAP_ALIGN), waiting up to timeout for a k_heap_free() to make room;
 * NULL when none came in time, for 0 bytes, or for a bad align.
 */
void *k_heap_aligned_alloc(struct k_heap *h, size_t align, size_t bytes, k_timeout_t timeout);
void *k_heap_alloc(struct k_heap *h, size_t bytes, k_timeout_t timeout);
/* num * size zeroed bytes; NULL when the product overflows. */
void *k_heap_calloc(struct k_heap *h, size_t num, size_t size, k_timeout_t timeout);
/*
 * Resize ptr's block (see sys_heap_aligned_realloc()), waiting as
 * k_heap_alloc() does when it must move and there is no room; NULL on
 * failure with ptr untouched. bytes 0: frees ptr, NULL.
 */
void *k_heap_realloc(struct k_heap *h, void *ptr, size_t bytes, k_timeout_t timeout);
/* k_heap_realloc() with an alignment kept (k_realloc() of a k_aligned_alloc() block). */
void *z_heap_aligned_realloc(struct k_heap *h, void *ptr, size_t align, size_t bytes,
			     k_timeout_t timeout);
/* Give mem back (NULL: nothing) and let every waiter retry. */
void k_heap_free(struct k_heap *h, void *mem);

/* ---- the system heap ------------------------------------------------------------- */

#define K_HEAP_MEM_POOL_SIZE CONFIG_HEAP_MEM_POOL_SIZE

/* k_free() takes any block of k_malloc() and friends (NULL: nothing). */
void k_free(void *ptr);

#if K_HEAP_MEM_POOL_SIZE > 0
/* align: a power of two, at least sizeof(void *); NULL otherwise or when full. */
void *k_aligned_alloc(size_t align, size_t size);
void *k_malloc(size_t size);
/* nmemb * size zeroed bytes; NULL when the product overflows. */
void *k_calloc(size_t nmemb, size_t size);
/* NULL ptr: k_malloc(); size 0: k_free(), NULL; on failure NULL, ptr kept. */
void *k_realloc(void *ptr, size_t size);
#endif
/* The system heap becomes thread's resource pool (with no system heap,
 * CONFIG_HEAP_MEM_POOL_SIZE=0: none; the reference declares it only with one).
 */
void k_thread_system_pool_assign(struct k_thread *thread);

/* heap becomes thread's resource pool (NULL: none). */
static inline void k_thread_heap_assign(struct k_thread *thread, struct k_heap *heap)
{
	thread->resource_pool = heap;
}

#endif /* PAGODA_INCLUDE_KERNEL_HEAP_H */
