/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <sys/libc-hooks.h>. */
#include <sys/libc-hooks.h>
