/* SPDX-License-Identifier: Apache-2.0 */
/* A system call declared by the application (CONFIG_APPLICATION_DEFINED_SYSCALL). */
#ifndef COMPAT_SYSCALLS_H
#define COMPAT_SYSCALLS_H

#include <stdint.h>

__syscall int compat_add(int a, int b);
__syscall void compat_store(uint32_t *where, uint32_t value);
/* No z_vrfy_ function and no _mrsh.c: user mode's call must oops. */
__syscall int compat_unimplemented(int a);

#include <zephyr/syscalls/compat_syscalls.h>

#endif
