/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory manager's layout constants (page size, the RAM the frame
 * database covers, the kernel window) and its entry point for the rest of
 * the kernel. Kernel-internal.
 */
#ifndef PAGODA_KERNEL_INCLUDE_MM_CORE_H
#define PAGODA_KERNEL_INCLUDE_MM_CORE_H

#include <kernel.h>
#include <kernel/mm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define K_MEM_PAGE_SIZE ((size_t)CONFIG_MMU_PAGE_SIZE)

/* RAM the page-frame database covers: [K_MEM_PHYS_RAM_START, K_MEM_PHYS_RAM_END). */
#define K_MEM_PHYS_RAM_START  ((uintptr_t)CONFIG_SRAM_BASE_ADDRESS)
#define K_MEM_PHYS_RAM_SIZE   ((size_t)CONFIG_SRAM_SIZE * 1024U)
#define K_MEM_PHYS_RAM_END    (K_MEM_PHYS_RAM_START + K_MEM_PHYS_RAM_SIZE)
#define K_MEM_NUM_PAGE_FRAMES (K_MEM_PHYS_RAM_SIZE / K_MEM_PAGE_SIZE)

/* The kernel window. */
#define K_MEM_VM_START     ((uintptr_t)CONFIG_KERNEL_VM_BASE)
#define K_MEM_VM_SIZE      ((size_t)CONFIG_KERNEL_VM_SIZE)
#define K_MEM_VM_END       (K_MEM_VM_START + K_MEM_VM_SIZE)
#define K_MEM_VM_NUM_PAGES (K_MEM_VM_SIZE / K_MEM_PAGE_SIZE)

/* Build the frame database, the virtual regions and (with demand paging) the pager. */
void z_mem_manage_init(void);

#define MM_ERR(fmt, ...) printk("<err> mm: " fmt "\n", ##__VA_ARGS__)

#endif /* PAGODA_KERNEL_INCLUDE_MM_CORE_H */
