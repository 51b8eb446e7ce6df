/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <kernel/mm/eviction.h>. */
#include <kernel/mm/eviction.h>
