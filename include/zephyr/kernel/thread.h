/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the thread API: Pagoda's <kernel/thread.h> (via <kernel.h>). */
#include <kernel.h>
