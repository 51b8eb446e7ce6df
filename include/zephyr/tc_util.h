/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for test-case output helpers: Pagoda's <tc_util.h>. */
#include <tc_util.h>
