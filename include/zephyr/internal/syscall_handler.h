/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path of the system-call verification helpers
 * (k_object_find(), K_OOPS(), K_SYSCALL_*): Pagoda's kernel-internal
 * <syscall_handler.h> (kernel/include, which every app sees).
 */
#include <syscall_handler.h>
