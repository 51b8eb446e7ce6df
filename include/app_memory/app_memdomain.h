/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Application memory, the reference RTOS's names: globals placed in a
 * partition of their own, for user threads of the domains given it.
 *
 *   K_APPMEM_PARTITION_DEFINE(part);   (one file)
 *   K_APP_DMEM(part) int counter = 1;  (initialised data)
 *   K_APP_BMEM(part) char buf[64];     (zero-initialised)
 *   k_mem_domain_add_partition(&dom, &part);
 *
 * The linker collects each partition's objects between two page-aligned
 * markers (linker/common.ld, app_smem); the partition's start and size are
 * filled in at boot, before main(), attribute K_MEM_PARTITION_P_RW_U_RW.
 * Without CONFIG_USERSPACE the objects are ordinary data and bss.
 */
#ifndef PAGODA_INCLUDE_APP_MEMORY_APP_MEMDOMAIN_H
#define PAGODA_INCLUDE_APP_MEMORY_APP_MEMDOMAIN_H

#include <app_memory/mem_domain.h>
#include <sys/util.h>

#ifdef CONFIG_USERSPACE

#define Z_APP_SECTION(id, kind) __attribute__((section(".app_smem." #id "." kind)))

/* Initialised data of partition id. */
#define K_APP_DMEM(id) Z_APP_SECTION(id, "d")
/* Zero-initialised data of partition id. */
#define K_APP_BMEM(id) Z_APP_SECTION(id, "z")

/* Where a partition's objects begin and end, for its descriptor at boot.
 * Pointer-aligned and pointer-sized members, so the linker packs the
 * entries of every file into one array; writable, as the data around it.
 */
struct z_app_region {
	struct k_mem_partition *partition;
	char *start;
	char *bss_start; /* zeroed at boot, as the reference does: an initialiser is ignored */
	char *end;
};

/* Markers: zero-sized, in sections that sort before ("0", page-aligned)
 * the partition's data ("d"), between it and its bss ("y": "z") and after
 * them ("~", page-aligned).
 */
#define K_APPMEM_PARTITION_DEFINE(name)                                                            \
	char z_data_smem_##name##_part_start[0] __aligned(CONFIG_MMU_PAGE_SIZE)                    \
		Z_APP_SECTION(name, "0");                                                          \
	char z_data_smem_##name##_bss_start[0] Z_APP_SECTION(name, "y");                           \
	char z_data_smem_##name##_part_end[0] __aligned(CONFIG_MMU_PAGE_SIZE)                      \
		Z_APP_SECTION(name, "~");                                                          \
	struct k_mem_partition name = {0, 0, K_MEM_PARTITION_P_RW_U_RW};                           \
	static struct z_app_region z_app_region_##name __used __aligned(sizeof(void *))            \
		__attribute__((section(".z_app_regions." #name))) = {                              \
			&name, z_data_smem_##name##_part_start, z_data_smem_##name##_bss_start,    \
			z_data_smem_##name##_part_end}

/* Kernel-internal: give every application partition its start and size. */
void z_app_regions_init(void);

#else

#define K_APP_DMEM(id)
#define K_APP_BMEM(id)
#define K_APPMEM_PARTITION_DEFINE(name)

#endif /* CONFIG_USERSPACE */

#endif /* PAGODA_INCLUDE_APP_MEMORY_APP_MEMDOMAIN_H */
