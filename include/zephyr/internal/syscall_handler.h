/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <syscall_handler.h> (kernel/include). */
#include <syscall_handler.h>
