/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's toolchain macros (__aligned, __packed, FUNC_NORETURN, __syscall...): Pagoda's
 * <sys/util.h>, and the section attributes (__in_section_unique...) of <linker/section_tags.h>. */
#include <linker/section_tags.h>
#include <sys/util.h>
