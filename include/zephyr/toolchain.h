/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's toolchain macros (__aligned, __packed, FUNC_NORETURN...): Pagoda's <sys/util.h>. */
#include <sys/util.h>
