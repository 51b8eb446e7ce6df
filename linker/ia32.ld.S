/* SPDX-License-Identifier: Apache-2.0 */
/* 32-bit kernel: two-level paging, or PAE with CONFIG_X86_PAE. */
OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)

#ifdef CONFIG_X86_PAE
z_x86_paging_mode = 2;
#else
z_x86_paging_mode = 1;
#endif

#include "common.ld"
