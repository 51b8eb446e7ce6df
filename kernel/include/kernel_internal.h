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
 * The interrupt stacks, one per CPU (CONFIG_ISR_STACK_SIZE bytes each). The
 * boot code runs on the first, at its address in the image, until the first
 * thread; the kernel then maps it again between guard pages for the
 * interrupt handlers (arch_irq_stack_set()).
 */
K_KERNEL_STACK_ARRAY_DECLARE(z_interrupt_stacks, CONFIG_MP_MAX_NUM_CPUS, CONFIG_ISR_STACK_SIZE);

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
