/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the sys_heap allocator: Pagoda's <sys/sys_heap.h>. */
#include <sys/sys_heap.h>
