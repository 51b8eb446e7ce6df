/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for spinlocks: Pagoda's <spinlock.h>. */
#include <spinlock.h>
