/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <linker/section_tags.h>. */
#include <linker/section_tags.h>
