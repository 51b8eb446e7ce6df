/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's kernel-internal <mmu.h> names that its suites use (they
 * add the kernel's include folder to their include path), on Pagoda's
 * layout:
 *
 *   K_MEM_KERNEL_VIRT_START/_END/_SIZE  the image as mapped at boot (from
 *       Z_KERNEL_VIRT_*                  the boot page when the layout is
 *                                        the identity one, else from the
 *                                        kernel's first page)
 *   K_MEM_VM_FREE_START (Z_FREE_VM_START) the first page run-time mappings
 *                                        may take: the image's end
 *   K_MEM_PHYS_RAM_START/_END/_SIZE     the RAM the kernel manages
 *       Z_PHYS_RAM_*
 *   K_MEM_VIRT_RAM_START/_END/_SIZE     the kernel's virtual window
 *       Z_VIRT_RAM_*
 */
#ifndef PAGODA_KERNEL_INCLUDE_MMU_H
#define PAGODA_KERNEL_INCLUDE_MMU_H

#include <stdint.h>

#include <kernel/mm.h>
#include <linker/linker-defs.h>
#ifdef CONFIG_DEMAND_PAGING
#include <kernel/mm/demand_paging.h>
#endif

extern char __kernel_end[];

#define K_MEM_KERNEL_VIRT_START ((uint8_t *)z_mapped_start)
#define K_MEM_KERNEL_VIRT_END   ((uint8_t *)z_mapped_end)
#define K_MEM_KERNEL_VIRT_SIZE  ((size_t)(K_MEM_KERNEL_VIRT_END - K_MEM_KERNEL_VIRT_START))
#define Z_KERNEL_VIRT_START     K_MEM_KERNEL_VIRT_START
#define Z_KERNEL_VIRT_END       K_MEM_KERNEL_VIRT_END
#define Z_KERNEL_VIRT_SIZE      K_MEM_KERNEL_VIRT_SIZE

#define K_MEM_VM_FREE_START ((uint8_t *)__kernel_end)
#define Z_FREE_VM_START     K_MEM_VM_FREE_START

#define K_MEM_PHYS_RAM_START ((uintptr_t)CONFIG_SRAM_BASE_ADDRESS)
#define K_MEM_PHYS_RAM_SIZE  ((size_t)CONFIG_SRAM_SIZE * 1024U)
#define K_MEM_PHYS_RAM_END   (K_MEM_PHYS_RAM_START + K_MEM_PHYS_RAM_SIZE)
#define Z_PHYS_RAM_START     K_MEM_PHYS_RAM_START
#define Z_PHYS_RAM_SIZE      K_MEM_PHYS_RAM_SIZE
#define Z_PHYS_RAM_END       K_MEM_PHYS_RAM_END

#define K_MEM_VIRT_RAM_START ((uint8_t *)CONFIG_KERNEL_VM_BASE)
#define K_MEM_VIRT_RAM_SIZE  ((size_t)CONFIG_KERNEL_VM_SIZE)
#define K_MEM_VIRT_RAM_END   (K_MEM_VIRT_RAM_START + K_MEM_VIRT_RAM_SIZE)
#define Z_VIRT_RAM_START     K_MEM_VIRT_RAM_START
#define Z_VIRT_RAM_SIZE      K_MEM_VIRT_RAM_SIZE
#define Z_VIRT_RAM_END       K_MEM_VIRT_RAM_END

/* The reference's older names of two calls. */
#define z_page_frames_dump k_mem_page_frames_dump
#ifdef CONFIG_DEMAND_PAGING
#define z_num_pagefaults_get k_mem_num_pagefaults_get
#endif

#endif /* PAGODA_KERNEL_INCLUDE_MMU_H */
