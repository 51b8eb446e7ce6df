/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <arch/mm.h>. */
#include <arch/mm.h>
