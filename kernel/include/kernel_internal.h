/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's umbrella of kernel-internal declarations
 * (kernel/include/kernel_internal.h), as its own tests include it: the
 * scheduler's and the threads' internal interfaces.
 */
#ifndef PAGODA_KERNEL_INCLUDE_KERNEL_INTERNAL_H
#define PAGODA_KERNEL_INCLUDE_KERNEL_INTERNAL_H

#include <kernel_structs.h> /* _current, as the reference's <kernel.h> gives it */
#include <kthread.h>

/*
 * Memory the kernel takes on the current thread's behalf: from its resource
 * pool (k_thread_heap_assign()), from the system heap in an interrupt
 * handler; NULL when there is none or it is full (kernel/mempool.c). Freed
 * with k_free().
 */
void *z_thread_aligned_alloc(size_t align, size_t size);

static inline void *z_thread_malloc(size_t size)
{
	return z_thread_aligned_alloc(0, size);
}

#endif /* PAGODA_KERNEL_INCLUDE_KERNEL_INTERNAL_H */
