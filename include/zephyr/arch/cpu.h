/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the CPU arch interface: Pagoda's <arch/cpu.h>. */
#include <arch/cpu.h>
