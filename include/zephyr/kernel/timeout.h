/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <kernel/timeout.h>. */
#include <kernel/timeout.h>
