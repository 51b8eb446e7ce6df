/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The multiboot (version 1) information structure the loader passes in EBX,
 * as far as Pagoda reads it: the memory fields and the memory map.
 */
#ifndef PAGODA_ARCH_X86_MULTIBOOT_H
#define PAGODA_ARCH_X86_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/util.h>

#define X86_MULTIBOOT_INFO_MEMORY BIT(0) /* mem_lower and mem_upper are valid */
#define X86_MULTIBOOT_INFO_MMAP   BIT(6) /* mmap_length and mmap_addr are valid */

#define X86_MULTIBOOT_MMAP_AVAILABLE 1 /* memory map type of usable RAM */

/* Where mem_upper counts from: the first MiB. */
#define X86_MULTIBOOT_UPPER_BASE 0x100000ULL

/* The fields up to the memory map (offsets 0-51 of the specification). */
struct x86_multiboot_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB from 0 */
	uint32_t mem_upper; /* KiB from 1 MiB, up to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length; /* bytes */
	uint32_t mmap_addr;   /* physical */
};

/* One memory-map entry; size counts the bytes after itself (at least 20),
 * so the next entry starts size + 4 bytes further.
 */
struct x86_multiboot_mmap {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __packed;

/* Copies len bytes of physical memory at phys to dst. */
typedef void (*z_x86_phys_read_t)(void *dst, uintptr_t phys, size_t len);
/* Marks [phys, phys + size) reserved. */
typedef void (*z_x86_reserve_t)(uintptr_t phys, size_t size);

/*
 * Call reserve, in ascending order and once per maximal run, for every part
 * of [ram_start, ram_end) that the multiboot information at info_phys (read
 * with read) does not describe as available RAM. Available means inside a
 * memory-map entry of type 1 and inside no entry of another type (entries
 * may be unsorted, overlap or lie outside the range); without a memory map,
 * inside [1 MiB, +mem_upper KiB). Returns 0, or -ENOENT after a warning
 * (nothing reserved) when the information has neither.
 */
int z_x86_multiboot_reserve(uintptr_t info_phys, uint64_t ram_start, uint64_t ram_end,
			    z_x86_phys_read_t read, z_x86_reserve_t reserve);

#endif /* PAGODA_ARCH_X86_MULTIBOOT_H */
