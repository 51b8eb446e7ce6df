/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <linker/linker-defs.h>. */
#include <linker/linker-defs.h>
