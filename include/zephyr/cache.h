/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the cache API: Pagoda's <cache.h>. */
#include <cache.h>
