/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path before it became <zephyr/internal/syscall_handler.h>. */
#include <syscall_handler.h>
