/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <kernel/sync.h>. */
#include <kernel/sync.h>
