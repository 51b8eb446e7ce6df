/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: <errno.h> for freestanding kernel code. The kernel has no errno
 * variable; its APIs return negative error numbers. Host builds do not put
 * include/libc/ on the include path and see the C library's header instead.
 */
#ifndef PAGODA_INCLUDE_LIBC_ERRNO_H_
#define PAGODA_INCLUDE_LIBC_ERRNO_H_

#include <sys/errno.h>

#endif /* PAGODA_INCLUDE_LIBC_ERRNO_H_ */
