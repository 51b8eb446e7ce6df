/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for utility macros: Pagoda's <sys/util.h>. */
#include <sys/util.h>
