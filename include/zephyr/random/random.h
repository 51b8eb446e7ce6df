/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the random-number API: Pagoda's <random/random.h>. */
#include <random/random.h>
