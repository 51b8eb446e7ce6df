/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for irq_offload(): Pagoda's <irq_offload.h>. */
#include <irq_offload.h>
