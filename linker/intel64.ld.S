/* SPDX-License-Identifier: Apache-2.0 */
/* 64-bit kernel: IA-32e four-level paging. Linked below 2 GiB (small code model). */
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)

z_x86_paging_mode = 3;

#include "common.ld"

ASSERT(CONFIG_KERNEL_VM_BASE + CONFIG_KERNEL_VM_SIZE <= 0x80000000,
       "x86_64 kernel window must end below 2 GiB (small code model)")
