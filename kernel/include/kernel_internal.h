/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's umbrella of kernel-internal declarations
 * (kernel/include/kernel_internal.h), as its own tests include it: the
 * scheduler's and the threads' internal interfaces.
 */
#ifndef PAGODA_KERNEL_INCLUDE_KERNEL_INTERNAL_H
#define PAGODA_KERNEL_INCLUDE_KERNEL_INTERNAL_H

#include <kthread.h>

#endif /* PAGODA_KERNEL_INCLUDE_KERNEL_INTERNAL_H */
