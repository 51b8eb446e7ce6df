/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system heap and the allocations the kernel makes for a thread. A
 * block of k_malloc() and friends starts with a two-word record just below
 * the address returned: how far the heap's block starts before it, and the
 * heap it came from, so that k_free() and k_realloc() need only the address.
 */
#include <kernel_internal.h>
#include <string.h>

struct block_ref {
	size_t offset; /* from the heap's block to the address returned */
	struct k_heap *heap;
};

static inline struct block_ref *ref_of(void *ptr)
{
	return (struct block_ref *)ptr - 1;
}

/* size bytes aligned to align (0: sizeof(void *)) from heap, the record below them. */
static void *heap_aligned_alloc(struct k_heap *heap, size_t align, size_t size)
{
	size_t offset = MAX(align, sizeof(struct block_ref));
	size_t total;

	if ((align != 0U && !IS_POWER_OF_TWO(align)) ||
	    __builtin_add_overflow(size, offset, &total)) {
		return NULL;
	}
	uint8_t *block = k_heap_aligned_alloc(heap, MAX(align, Z_HEAP_ALIGN), total, K_NO_WAIT);

	if (block == NULL) {
		return NULL;
	}
	void *ptr = block + offset;

	ref_of(ptr)->offset = offset;
	ref_of(ptr)->heap = heap;
	return ptr;
}

void k_free(void *ptr)
{
	if (ptr != NULL) {
		struct block_ref *ref = ref_of(ptr);

		k_heap_free(ref->heap, (uint8_t *)ptr - ref->offset);
	}
}

#if K_HEAP_MEM_POOL_SIZE > 0
K_HEAP_DEFINE(_system_heap, K_HEAP_MEM_POOL_SIZE);
#define SYSTEM_HEAP (&_system_heap)

void *k_aligned_alloc(size_t align, size_t size)
{
	/* The reference asserts this; here it is refused. */
	if (align % sizeof(void *) != 0U) {
		return NULL;
	}
	return heap_aligned_alloc(SYSTEM_HEAP, align, size);
}

void *k_malloc(size_t size)
{
	return k_aligned_alloc(sizeof(void *), size);
}

void *k_calloc(size_t nmemb, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(nmemb, size, &bytes)) {
		return NULL;
	}
	void *ptr = k_malloc(bytes);

	if (ptr != NULL) {
		memset(ptr, 0, bytes);
	}
	return ptr;
}

void *k_realloc(void *ptr, size_t size)
{
	if (size == 0U) {
		k_free(ptr);
		return NULL;
	}
	if (ptr == NULL) {
		return k_malloc(size);
	}
	struct block_ref ref = *ref_of(ptr);
	size_t total;

	if (__builtin_add_overflow(size, ref.offset, &total)) {
		return NULL;
	}
	/* The record moves with the contents; the offset is the alignment kept. */
	uint8_t *block = z_heap_aligned_realloc(ref.heap, (uint8_t *)ptr - ref.offset,
						ref.offset > Z_HEAP_ALIGN ? ref.offset : 0U, total,
						K_NO_WAIT);

	return (block == NULL) ? NULL : block + ref.offset;
}

#else
#define SYSTEM_HEAP NULL
#endif /* K_HEAP_MEM_POOL_SIZE > 0 */

void k_thread_system_pool_assign(struct k_thread *thread)
{
	thread->resource_pool = SYSTEM_HEAP;
}

void *z_thread_aligned_alloc(size_t align, size_t size)
{
	struct k_heap *heap = k_is_in_isr() ? SYSTEM_HEAP : k_current_get()->resource_pool;

	return (heap == NULL) ? NULL : heap_aligned_alloc(heap, align, size);
}
