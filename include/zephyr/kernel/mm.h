/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the memory-management API: Pagoda's <kernel/mm.h>. */
#include <kernel/mm.h>
