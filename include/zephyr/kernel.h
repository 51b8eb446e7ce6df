/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the kernel API: Pagoda's <kernel.h>. */
#include <kernel.h>
