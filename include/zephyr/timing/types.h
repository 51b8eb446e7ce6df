/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for timing_t: Pagoda's <timing/types.h>. */
#include <timing/types.h>
