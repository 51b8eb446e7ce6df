/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <sys/barrier.h>. */
#include <sys/barrier.h>
