/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <arch/thread.h>. */
#include <arch/thread.h>
