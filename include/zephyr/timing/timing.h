/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the timing API: Pagoda's <timing/timing.h>. */
#include <timing/timing.h>
