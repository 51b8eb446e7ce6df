/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the cache arch interface: Pagoda's <arch/cache.h>. */
#include <arch/cache.h>
