/* The memory-management arch interface (<arch/mm.h>) on x86 page tables. */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <sys/errno.h>
#include <x86_mmu.h>
#include <x86_mmu_size.h>

extern char z_x86_pagetables_start[];
extern char z_x86_pagetables_end[];

static pentry_t *mapped_entry(void *virt)
{
	unsigned int level;
	pentry_t *entry = z_x86_entry_get(virt, &level);

	return ((*entry & X86_MMU_P) != 0) ? entry : NULL;
}

int arch_page_phys_get(void *virt, uintptr_t *phys)
{
	unsigned int level;
	pentry_t *entry = z_x86_entry_get(virt, &level);

	if ((*entry & X86_MMU_P) == 0) {
		return -EFAULT;
	}
	if (phys != NULL) {
		/* A large page maps the low bits of virt unchanged. */
		uintptr_t span = (uintptr_t)1 << z_x86_paging_levels[level].shift;

		*phys = (uintptr_t)(*entry & X86_MMU_ADDR_MASK & ~(pentry_t)(span - 1)) +
			((uintptr_t)virt & (span - 1));
	}
	return 0;
}

int arch_page_flags_get(void *virt, uint32_t *flags)
{
	pentry_t *entry = mapped_entry(virt);
	uint32_t result = 0;

	if (entry == NULL) {
		return -EFAULT;
	}
	if ((*entry & X86_MMU_RW) != 0) {
		result |= K_MEM_PERM_RW;
	}
	if ((*entry & X86_MMU_US) != 0) {
		result |= K_MEM_PERM_USER;
	}
	if (X86_MMU_XD == 0 || (*entry & X86_MMU_XD) == 0) {
		result |= K_MEM_PERM_EXEC;
	}
	if ((*entry & X86_MMU_PCD) != 0) {
		result |= K_MEM_CACHE_NONE;
	} else if ((*entry & X86_MMU_PWT) != 0) {
		result |= K_MEM_CACHE_WT;
	} else {
		result |= K_MEM_CACHE_WB;
	}
	*flags = result;
	return 0;
}

/* gen_mmu.py fills tables from the start of the area; unused tables stay
 * zero. A table with any entry set counts as in use.
 */
void arch_pagetables_usage(size_t *used, size_t *size)
{
	size_t tables = (size_t)(z_x86_pagetables_end - z_x86_pagetables_start) / 4096;
	size_t in_use = 0;

	for (size_t t = 0; t < tables; t++) {
		const pentry_t *table = (const pentry_t *)(z_x86_pagetables_start + t * 4096);

		for (size_t i = 0; i < 4096 / sizeof(pentry_t); i++) {
			if (table[i] != 0) {
				in_use++;
				break;
			}
		}
	}
	*used = in_use * 4096;
	*size = tables * 4096;
}
