/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <linker/sections.h>. */
#include <linker/sections.h>
