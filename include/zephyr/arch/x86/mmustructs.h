/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <arch/x86/mmustructs.h>. */
#include <arch/x86/mmustructs.h>
