/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <drivers/disk.h>. */
#include <drivers/disk.h>
