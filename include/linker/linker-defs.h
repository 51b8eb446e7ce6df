/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image's linker symbols under the reference's names (linker/common.ld
 * defines them). Each region is [_start, _end) with _size = _end - _start,
 * all page-aligned; a _size symbol's address is the size.
 *
 *   __text_region_*       the kernel's text (read-only, executable)
 *   __rodata_region_*     its rodata (read-only)
 *   lnkr_boot_*           the boot page (CONFIG_LINKER_USE_BOOT_SECTION)
 *   lnkr_pinned_*         the part of the image never paged out: all of it
 *                         after the boot page (CONFIG_LINKER_USE_PINNED_SECTION)
 *   z_mapped_start/_end   the image as mapped at boot, boot page included
 *   _app_smem_*           the memory partitions' region (CONFIG_USERSPACE):
 *                         every K_APPMEM_PARTITION_DEFINE() partition's pages
 */
#ifndef PAGODA_INCLUDE_LINKER_LINKER_DEFS_H
#define PAGODA_INCLUDE_LINKER_LINKER_DEFS_H

extern char __text_region_start[];
extern char __text_region_end[];
extern char __text_region_size[];
extern char __rodata_region_start[];
extern char __rodata_region_end[];
extern char __rodata_region_size[];

extern char z_mapped_start[];
extern char z_mapped_end[];

#ifdef CONFIG_USERSPACE
extern char _app_smem_start[];
extern char _app_smem_end[];
extern char _app_smem_size[];
#endif

#ifdef CONFIG_LINKER_USE_BOOT_SECTION
extern char lnkr_boot_start[];
extern char lnkr_boot_end[];
extern char lnkr_boot_text_start[];
extern char lnkr_boot_text_end[];
extern char lnkr_boot_text_size[];
extern char lnkr_boot_rodata_start[];
extern char lnkr_boot_rodata_end[];
extern char lnkr_boot_rodata_size[];
#endif

#ifdef CONFIG_LINKER_USE_PINNED_SECTION
extern char lnkr_pinned_start[];
extern char lnkr_pinned_end[];
extern char lnkr_pinned_text_start[];
extern char lnkr_pinned_text_end[];
extern char lnkr_pinned_text_size[];
extern char lnkr_pinned_rodata_start[];
extern char lnkr_pinned_rodata_end[];
extern char lnkr_pinned_rodata_size[];
extern char lnkr_pinned_data_start[];
extern char lnkr_pinned_data_end[];
extern char lnkr_pinned_data_size[];
extern char lnkr_pinned_bss_start[];
extern char lnkr_pinned_bss_end[];
extern char lnkr_pinned_bss_size[];
extern char lnkr_pinned_noinit_start[];
extern char lnkr_pinned_noinit_end[];
extern char lnkr_pinned_noinit_size[];
#endif

#endif /* PAGODA_INCLUDE_LINKER_LINKER_DEFS_H */
