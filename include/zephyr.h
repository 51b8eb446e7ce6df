/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's old umbrella header (before <zephyr/kernel.h>): the kernel API. */
#include <kernel.h>
