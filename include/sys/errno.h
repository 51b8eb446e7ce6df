/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: error numbers. Kernel APIs return them negated (-EINVAL).
 *
 * The values are Linux's, so that host unit tests, which see the C library's
 * <errno.h> instead of this file, compare against the same numbers. Each one
 * is guarded because a host header may already have defined it (glibc spells
 * ENOTSUP as EOPNOTSUPP, which would otherwise be a redefinition).
 */
#ifndef PAGODA_INCLUDE_SYS_ERRNO_H_
#define PAGODA_INCLUDE_SYS_ERRNO_H_

#ifndef EPERM
#define EPERM 1 /* Operation not permitted */
#endif
#ifndef ENOENT
#define ENOENT 2 /* No such entry */
#endif
#ifndef ESRCH
#define ESRCH 3 /* No such process */
#endif
#ifndef EINTR
#define EINTR 4 /* Interrupted */
#endif
#ifndef EIO
#define EIO 5 /* I/O error */
#endif
#ifndef ENXIO
#define ENXIO 6 /* No such device or address */
#endif
#ifndef E2BIG
#define E2BIG 7 /* Argument too large */
#endif
#ifndef EBADF
#define EBADF 9 /* Bad descriptor */
#endif
#ifndef EAGAIN
#define EAGAIN 11 /* Try again */
#endif
#ifndef ENOMEM
#define ENOMEM 12 /* Out of memory */
#endif
#ifndef EACCES
#define EACCES 13 /* Permission denied */
#endif
#ifndef EFAULT
#define EFAULT 14 /* Bad address */
#endif
#ifndef EBUSY
#define EBUSY 16 /* Resource busy */
#endif
#ifndef EEXIST
#define EEXIST 17 /* Already exists */
#endif
#ifndef ENODEV
#define ENODEV 19 /* No such device */
#endif
#ifndef EINVAL
#define EINVAL 22 /* Invalid argument */
#endif
#ifndef ENOSPC
#define ENOSPC 28 /* No space left */
#endif
#ifndef EPIPE
#define EPIPE 32 /* Broken pipe */
#endif
#ifndef EDOM
#define EDOM 33 /* Argument out of domain */
#endif
#ifndef ERANGE
#define ERANGE 34 /* Result out of range */
#endif
#ifndef EDEADLK
#define EDEADLK 35 /* Deadlock would occur */
#endif
#ifndef ENOSYS
#define ENOSYS 38 /* Function not implemented */
#endif
#ifndef ENOTEMPTY
#define ENOTEMPTY 39 /* Not empty */
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75 /* Value too large */
#endif
#ifndef ENOTSUP
#define ENOTSUP 95 /* Not supported */
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT 110 /* Timed out */
#endif
#ifndef EALREADY
#define EALREADY 114 /* Already in progress */
#endif
#ifndef ECANCELED
#define ECANCELED 125 /* Cancelled */
#endif

#endif /* PAGODA_INCLUDE_SYS_ERRNO_H_ */
