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

#endif /* PAGODA_INCLUDE_KERNEL_STRUCTS_H */
