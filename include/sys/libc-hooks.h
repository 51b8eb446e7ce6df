/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's libc hooks header, for what its suites read from it:
 * Z_LIBC_PARTITION_EXISTS says whether the C library keeps globals in a
 * memory partition (z_libc_partition) that user threads need in their
 * domain. Pagoda's libc has none (no malloc() arena, no errno), so 0.
 */
#ifndef PAGODA_INCLUDE_SYS_LIBC_HOOKS_H
#define PAGODA_INCLUDE_SYS_LIBC_HOOKS_H

#define Z_LIBC_PARTITION_EXISTS 0

#endif /* PAGODA_INCLUDE_SYS_LIBC_HOOKS_H */
