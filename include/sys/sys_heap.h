/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: a general-purpose allocator over one caller-given memory region,
 * with the reference RTOS's (Zephyr's) sys_heap API. It does no locking:
 * struct k_heap (<kernel.h>) wraps it for threads and interrupt handlers.
 *
 * The region holds a small control block, then chunks laid end to end. A
 * chunk starts with a two-word boundary tag (the previous chunk's size, its
 * own size and an in-use bit), so a freed chunk merges with free neighbours
 * in constant time. Free chunks sit on segregated lists, one per power-of-two
 * size class, with a bitmap of the non-empty classes: an allocation looks at
 * a few chunks of its own class, then takes the first chunk of the next
 * non-empty larger class, which always fits. Every operation is O(1) but for
 * that bounded look and the copy of a moving realloc.
 *
 * Returned memory is aligned to Z_HEAP_ALIGN (two words: 8 bytes on 32-bit
 * targets, 16 on 64-bit ones). Misuse changes nothing: a size of 0, one the
 * region cannot hold, an alignment that is not a power of two get NULL; a
 * pointer this heap did not return, or one already freed, is ignored by
 * sys_heap_free() and refused (NULL) by sys_heap_aligned_realloc().
 */
#ifndef PAGODA_INCLUDE_SYS_SYS_HEAP_H_
#define PAGODA_INCLUDE_SYS_SYS_HEAP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct z_heap;

struct sys_heap {
	struct z_heap *heap; /* the control block, inside the region; NULL before init */
	void *init_mem;      /* the region (kept for K_HEAP_DEFINE()'s deferred init) */
	size_t init_bytes;
};

/* The granule: chunk sizes and returned addresses are multiples of it. */
#define Z_HEAP_ALIGN (2U * sizeof(size_t))

/* Smallest region that holds one allocation of a few bytes (the control
 * block, one chunk and the end tag).
 */
#define Z_HEAP_MIN_SIZE (16U * sizeof(size_t))

/* Lay out the heap in [mem, mem + bytes). A region below Z_HEAP_MIN_SIZE
 * gives a heap from which every allocation fails.
 */
void sys_heap_init(struct sys_heap *heap, void *mem, size_t bytes);

/* bytes of memory aligned to Z_HEAP_ALIGN, or NULL (0 bytes, not enough room). */
void *sys_heap_alloc(struct sys_heap *heap, size_t bytes);

/* As sys_heap_alloc(), the address a multiple of align (a power of two; 0
 * asks for the default alignment); NULL for any other align.
 */
void *sys_heap_aligned_alloc(struct sys_heap *heap, size_t align, size_t bytes);

/* Give mem back (NULL: nothing). A pointer the heap does not hold is ignored. */
void sys_heap_free(struct sys_heap *heap, void *mem);

/*
 * Resize ptr's block to bytes, aligned to align: in place when it fits or
 * the next chunk is free, else a new block with the contents copied (the old
 * one freed). ptr NULL: as sys_heap_aligned_alloc(); bytes 0: frees ptr and
 * returns NULL. On failure NULL, and ptr is untouched and still held.
 */
void *sys_heap_aligned_realloc(struct sys_heap *heap, void *ptr, size_t align, size_t bytes);

#define sys_heap_realloc(heap, ptr, bytes) sys_heap_aligned_realloc(heap, ptr, 0, bytes)

/* The bytes mem's block really offers (at least what was asked); 0 for a bad pointer. */
size_t sys_heap_usable_size(struct sys_heap *heap, void *mem);

/* Walk every chunk and free list: true when the heap is consistent. */
bool sys_heap_validate(struct sys_heap *heap);

/* Bytes in free chunks (the payload a single allocation could get is less). */
size_t z_heap_free_bytes(struct sys_heap *heap);

#endif /* PAGODA_INCLUDE_SYS_SYS_HEAP_H_ */
