/* SPDX-License-Identifier: Apache-2.0 */
/* 64-bit kernel: IA-32e four-level paging. Linked below 2 GiB (small code model). */
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)

z_x86_paging_mode = 3;

#include "common.ld"

/* The reference's x86_64 "locore": the code that runs in low memory before
 * long mode and paging. Pagoda's is the boot page (its 32-bit entry), which
 * has no rodata or data of its own; supervisor-only, as the reference's
 * without KPTI, and outside z_mapped_start/_end.
 */
_locore_start = __boot_start;
_locore_size = __boot_end - __boot_start;
_lorodata_start = __boot_end;
_lorodata_size = 0;
_lodata_start = __boot_end;
_lodata_end = __boot_end;

ASSERT(CONFIG_KERNEL_VM_BASE + CONFIG_KERNEL_VM_SIZE <= 0x80000000,
       "x86_64 kernel window must end below 2 GiB (small code model)")
