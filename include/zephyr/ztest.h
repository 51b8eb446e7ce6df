/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the ztest framework: Pagoda's <ztest.h>. */
#include <ztest.h>
