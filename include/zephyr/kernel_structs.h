/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <kernel_structs.h>. */
#include <kernel_structs.h>
