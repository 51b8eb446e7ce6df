/* Reading the live page tables: the walk and its diagnostic dump. */
#include <kernel.h>
#include <x86_cpu.h>
#include <x86_mmu.h>

const struct x86_paging_level z_x86_paging_levels[] = {
#if defined(CONFIG_X86_64)
	{"PML4", 39, 512},
	{"PDPT", 30, 512},
	{"PD", 21, 512},
	{"PT", 12, 512},
#elif defined(CONFIG_X86_PAE)
	{"PDPT", 30, 4},
	{"PD", 21, 512},
	{"PT", 12, 512},
#else
	{"PD", 22, 1024},
	{"PT", 12, 1024},
#endif
};
const unsigned int z_x86_num_levels = ARRAY_SIZE(z_x86_paging_levels);

/* From the linker script: kernel virtual minus physical load address. */
extern char z_x86_virt_offset[];

pentry_t *z_x86_table_virt(uintptr_t phys)
{
	return (pentry_t *)(phys + (uintptr_t)z_x86_virt_offset);
}

static unsigned int entry_index(const void *virt, unsigned int level)
{
	const struct x86_paging_level *info = &z_x86_paging_levels[level];

	return ((uintptr_t)virt >> info->shift) % info->entries;
}

static pentry_t *top_table(void)
{
	/* PAE's CR3 holds a 32-byte-aligned PDPT address; the low bits are flags. */
	uintptr_t cr3 = z_x86_cr3_get() & ~(uintptr_t)(IS_ENABLED(CONFIG_X86_PAE) ? 0x1f : 0xfff);

	return z_x86_table_virt(cr3);
}

/* PS marks a large page except in the top level of PAE and IA-32e paging,
 * where the bit is reserved; 32-bit paging allows 4 MiB pages in its top level.
 */
static bool is_leaf(pentry_t entry, unsigned int level)
{
	bool large_allowed = level > 0 || z_x86_num_levels == 2;

	return level == z_x86_num_levels - 1 || (large_allowed && (entry & X86_MMU_PS) != 0);
}

pentry_t *z_x86_entry_get(const void *virt, unsigned int *level)
{
	pentry_t *table = top_table();

	for (unsigned int i = 0;; i++) {
		pentry_t *entry = &table[entry_index(virt, i)];

		if ((*entry & X86_MMU_P) == 0 || is_leaf(*entry, i)) {
			*level = i;
			return entry;
		}
		table = z_x86_table_virt((uintptr_t)(*entry & X86_MMU_ADDR_MASK));
	}
}

static void print_flags(pentry_t entry)
{
	static const struct {
		pentry_t bit;
		const char *name;
	} bits[] = {
		{X86_MMU_P, "P"},     {X86_MMU_RW, "RW"},   {X86_MMU_US, "US"},
		{X86_MMU_PWT, "PWT"}, {X86_MMU_PCD, "PCD"}, {X86_MMU_A, "A"},
		{X86_MMU_D, "D"},     {X86_MMU_PS, "PS"},   {X86_MMU_G, "G"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		if ((entry & bits[i].bit) != 0) {
			printk(" %s", bits[i].name);
		}
	}
	if (X86_MMU_XD != 0 && (entry & X86_MMU_XD) != 0) {
		printk(" XD");
	}
}

void z_x86_dump_walk(const void *virt)
{
	pentry_t *table = top_table();

	printk("Page-table walk for %p (%s):\n", virt, arch_paging_mode_name());
	for (unsigned int i = 0; i < z_x86_num_levels; i++) {
		unsigned int index = entry_index(virt, i);
		pentry_t entry = table[index];

		printk("  %-4s[%3u] = 0x%0*llx", z_x86_paging_levels[i].name, index,
		       (int)(2 * sizeof(pentry_t)), (unsigned long long)entry);
		if ((entry & X86_MMU_P) == 0) {
			printk("  not present\n");
			return;
		}
		print_flags(entry);
		printk("  -> phys 0x%llx\n", (unsigned long long)(entry & X86_MMU_ADDR_MASK));
		if (is_leaf(entry, i)) {
			return;
		}
		table = z_x86_table_virt((uintptr_t)(entry & X86_MMU_ADDR_MASK));
	}
}
