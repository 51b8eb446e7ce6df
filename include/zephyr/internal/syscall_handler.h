/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for what a system call's verification function uses:
 * kernel/include/syscall_handler.h. */
#include <syscall_handler.h>
