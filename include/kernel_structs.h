/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's <zephyr/kernel_structs.h>: the kernel's own view of the
 * running thread, _current (supervisor mode only: it is kernel data).
 */
#ifndef PAGODA_INCLUDE_KERNEL_STRUCTS_H
#define PAGODA_INCLUDE_KERNEL_STRUCTS_H

#include <kernel.h>

extern struct k_thread *z_current;
#define _current z_current

/* The reference's per-CPU record, what Pagoda keeps of it (one CPU). */
struct _cpu {
	struct k_thread *idle_thread;
};

struct z_kernel {
	struct _cpu cpus[CONFIG_MP_MAX_NUM_CPUS];
};

extern struct z_kernel _kernel;

static inline struct _cpu *arch_curr_cpu(void)
{
	return &_kernel.cpus[0];
}

#define _current_cpu (arch_curr_cpu())

#endif /* PAGODA_INCLUDE_KERNEL_STRUCTS_H */
