/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for device interrupts: Pagoda's <irq.h>. */
#include <irq.h>
