/* SPDX-License-Identifier: Apache-2.0 */
/* The host tables of the x86 unit tests (host_tables.h). */
#include <kernel.h>
#include <string.h>
#include <ztest.h>

#include "host_tables.h"

#define PAGE    ((uintptr_t)CONFIG_MMU_PAGE_SIZE)
#define VM_BASE ((uintptr_t)CONFIG_KERNEL_VM_BASE)
#define VM_SIZE ((uintptr_t)CONFIG_KERNEL_VM_SIZE)

/* "Physical" address of the table area: small, so 32-bit entries hold it. */
#define TABLES_PHYS 0x00800000UL

char z_x86_pagetables_start[Z_X86_PAGETABLES_SIZE] __aligned(4096);
uintptr_t z_x86_host_virt_offset;

/* ---- recorded invalidations --------------------------------------------- */

uintptr_t host_flushes[HOST_MAX_FLUSHES];
size_t host_num_flushes;

void z_x86_host_invlpg(uintptr_t virt)
{
	zassert_true(host_num_flushes < HOST_MAX_FLUSHES, "too many invalidations");
	zassert_equal(virt % PAGE, 0, "invalidation of unaligned %p", (void *)virt);
	host_flushes[host_num_flushes++] = virt;
}

/* ---- the tables ----------------------------------------------------------- */

static size_t next_slot;

static uintptr_t phys_of(const void *table)
{
	return (uintptr_t)table - z_x86_host_virt_offset;
}

static pentry_t *table_alloc(void)
{
	zassert_true(next_slot > 0, "more tables than x86_mmu_size.h counts");
	return (pentry_t *)(z_x86_pagetables_start + next_slot-- * PAGE);
}

void host_tables_build(void)
{
	size_t tables = (size_t)(Z_X86_PAGETABLES_SIZE / PAGE);

	memset(z_x86_pagetables_start, 0, sizeof(z_x86_pagetables_start));
	z_x86_host_virt_offset = (uintptr_t)z_x86_pagetables_start - TABLES_PHYS;
	next_slot = tables - 1;
	for (uintptr_t va = VM_BASE; va - VM_BASE < VM_SIZE; va += PAGE) {
		pentry_t *table = (pentry_t *)z_x86_pagetables_start;

		for (unsigned int level = 0; level < Z_X86_LEAF_LEVEL; level++) {
			const struct x86_paging_level *info = &z_x86_paging_levels[level];
			pentry_t *entry = &table[(va >> info->shift) & (info->entries - 1U)];

			if (*entry == 0) {
				/* PAE PDPTEs have no RW bit. */
				bool pdpte = IS_ENABLED(CONFIG_X86_PAE) && level == 0;

				*entry = phys_of(table_alloc()) | X86_MMU_P |
					 (pdpte ? 0 : X86_MMU_RW);
			}
			table = (pentry_t *)((uintptr_t)(*entry & X86_MMU_ADDR_MASK) +
					     z_x86_host_virt_offset);
		}
	}
	zassert_equal(next_slot, 0, "%zu tables of x86_mmu_size.h unused", next_slot);
	z_x86_mmu_init();
}

pentry_t *host_pte(uintptr_t va)
{
	pentry_t *table = (pentry_t *)z_x86_pagetables_start;

	zassert_true(va - VM_BASE < VM_SIZE, "%p outside the window", (void *)va);
	for (unsigned int level = 0;; level++) {
		const struct x86_paging_level *info = &z_x86_paging_levels[level];
		pentry_t entry = table[(va >> info->shift) & (info->entries - 1U)];

		if (level == Z_X86_LEAF_LEVEL) {
			return &table[(va >> info->shift) & (info->entries - 1U)];
		}
		table = (pentry_t *)((uintptr_t)(entry & X86_MMU_ADDR_MASK) +
				     z_x86_host_virt_offset);
	}
}
