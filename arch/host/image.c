/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel image's linker symbols, which page_frames.c, virt_region.c,
 * paging.c and layout.c read as addresses: a four-page fake image at the
 * bottom of the window (text, rodata, data and bss), loaded at the bottom
 * of RAM, and an empty boot section. Absolute symbols, so the program is
 * linked without PIE. (__data_start is renamed by autoconf.h: the C
 * library's crt1.o defines one.)
 * host_mmu_reset() maps these pages as gen_mmu.py would.
 */
#include <host_mmu.h>
#include <kernel.h>

#define STR_(x)             #x
#define STR(x)              STR_(x)
#define SYMBOL(name, value) __asm__(".globl " #name "\n\t.set " #name ", " STR(value) "\n")

BUILD_ASSERT(HOST_IMAGE_PAGES == 4, "the symbols below lay out four pages");

SYMBOL(__boot_start, CONFIG_SRAM_BASE_ADDRESS);
SYMBOL(__boot_end, CONFIG_SRAM_BASE_ADDRESS);
SYMBOL(__kernel_start, CONFIG_KERNEL_VM_BASE);
SYMBOL(__text_start, CONFIG_KERNEL_VM_BASE);
SYMBOL(__text_end, (CONFIG_KERNEL_VM_BASE + 0x1000));
SYMBOL(__rodata_start, (CONFIG_KERNEL_VM_BASE + 0x1000));
SYMBOL(__rodata_end, (CONFIG_KERNEL_VM_BASE + 0x2000));
SYMBOL(__pagoda_data_start, (CONFIG_KERNEL_VM_BASE + 0x2000));
SYMBOL(__bss_end, (CONFIG_KERNEL_VM_BASE + 0x4000));
SYMBOL(__kernel_end, (CONFIG_KERNEL_VM_BASE + 0x4000));
