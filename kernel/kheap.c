/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel heaps (<kernel/heap.h>): a sys_heap under the interrupt lock, whose
 * allocations may wait for a k_heap_free(). A free wakes every waiter, each
 * retries (the freed block may suit one and not another), and those that
 * still find no room wait again for what is left of their timeout.
 */
#include <ksched.h>
#include <string.h>

/* A K_HEAP_DEFINE() heap is laid out at its first use (interrupts locked). */
static struct sys_heap *heap_of(struct k_heap *h)
{
	if (h->heap.heap == NULL && h->heap.init_mem != NULL) {
		sys_heap_init(&h->heap, h->heap.init_mem, h->heap.init_bytes);
	}
	return &h->heap;
}

void k_heap_init(struct k_heap *h, void *mem, size_t bytes)
{
	z_waitq_init(&h->wait_q);
	sys_heap_init(&h->heap, mem, bytes);
}

/* Ticks left before the deadline end (K_TICKS_FOREVER: none), at least 0. */
static k_timeout_t time_left(k_ticks_t end)
{
	if (end == K_TICKS_FOREVER) {
		return K_FOREVER;
	}
	k_ticks_t now = k_uptime_ticks();

	return Z_TIMEOUT_TICKS(end > now ? end - now : 0);
}

/*
 * try(h, arg) under the lock until it gives memory or timeout passes. A
 * wait ends on a k_heap_free() (0) or on the timeout (-EAGAIN).
 */
static void *alloc_wait(struct k_heap *h, void *(*try)(struct sys_heap *, void *), void *arg,
			k_timeout_t timeout)
{
	k_ticks_t end = K_TIMEOUT_EQ(timeout, K_FOREVER) ? K_TICKS_FOREVER
							 : k_uptime_ticks() + timeout.ticks;
	unsigned int key = irq_lock();
	void *mem = try(heap_of(h), arg);

	while (mem == NULL && !K_TIMEOUT_EQ(timeout, K_NO_WAIT) && !k_is_in_isr()) {
		if (z_pend_curr(key, &h->wait_q, timeout) != 0) {
			return NULL;
		}
		key = irq_lock();
		mem = try(heap_of(h), arg);
		timeout = time_left(end);
	}
	irq_unlock(key);
	return mem;
}

struct alloc_req {
	size_t align;
	size_t bytes;
	void *ptr; /* the block to resize, for a realloc */
};

static void *try_alloc(struct sys_heap *heap, void *arg)
{
	struct alloc_req *r = arg;

	return sys_heap_aligned_alloc(heap, r->align, r->bytes);
}

void *k_heap_aligned_alloc(struct k_heap *h, size_t align, size_t bytes, k_timeout_t timeout)
{
	struct alloc_req r = {.align = align, .bytes = bytes};

	if (bytes == 0U || (align != 0U && !IS_POWER_OF_TWO(align))) {
		return NULL; /* no wait can help */
	}
	return alloc_wait(h, try_alloc, &r, timeout);
}

void *k_heap_alloc(struct k_heap *h, size_t bytes, k_timeout_t timeout)
{
	return k_heap_aligned_alloc(h, 0, bytes, timeout);
}

void *k_heap_calloc(struct k_heap *h, size_t num, size_t size, k_timeout_t timeout)
{
	size_t bytes;

	if (__builtin_mul_overflow(num, size, &bytes)) {
		return NULL;
	}
	void *mem = k_heap_alloc(h, bytes, timeout);

	if (mem != NULL) {
		memset(mem, 0, bytes);
	}
	return mem;
}

static void *try_realloc(struct sys_heap *heap, void *arg)
{
	struct alloc_req *r = arg;

	return sys_heap_aligned_realloc(heap, r->ptr, r->align, r->bytes);
}

void *z_heap_aligned_realloc(struct k_heap *h, void *ptr, size_t align, size_t bytes,
			     k_timeout_t timeout)
{
	struct alloc_req r = {.align = align, .bytes = bytes, .ptr = ptr};

	if (bytes == 0U) {
		k_heap_free(h, ptr);
		return NULL;
	}
	if (ptr == NULL) {
		return k_heap_aligned_alloc(h, align, bytes, timeout);
	}
	unsigned int key = irq_lock();
	bool held = sys_heap_usable_size(heap_of(h), ptr) != 0U;

	irq_unlock(key);
	if (!held || (align != 0U && !IS_POWER_OF_TWO(align))) {
		return NULL; /* waiting would not change that */
	}
	void *mem = alloc_wait(h, try_realloc, &r, timeout);

	if (mem != NULL && mem != ptr) {
		key = irq_lock();
		if (z_wake_all(&h->wait_q, 0) != 0) {
			z_reschedule(key); /* the old block is free: let waiters retry */
		} else {
			irq_unlock(key);
		}
	}
	return mem;
}

void *k_heap_realloc(struct k_heap *h, void *ptr, size_t bytes, k_timeout_t timeout)
{
	return z_heap_aligned_realloc(h, ptr, 0, bytes, timeout);
}

void k_heap_free(struct k_heap *h, void *mem)
{
	if (mem == NULL) {
		return;
	}
	unsigned int key = irq_lock();

	sys_heap_free(heap_of(h), mem);
	if (z_wake_all(&h->wait_q, 0) != 0) {
		z_reschedule(key);
	} else {
		irq_unlock(key);
	}
}
