/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading the page tables for people: the walk for the fatal-error path,
 * the one-character-per-page dump of the kernel window, and the usage of
 * the preallocated area. Nothing here is on a hot path. The entry encodings
 * and the present / paged-out / unmapped test are in x86_mmu.h.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <x86_mmu.h>

#define PAGE ((uintptr_t)CONFIG_MMU_PAGE_SIZE)

pentry_t *z_x86_entry_get(const void *virt, unsigned int *level)
{
	return z_x86_walk((uintptr_t)virt, level);
}

/* The walk of z_x86_walk_state() from any top-level table. */
static enum z_x86_entry_state walk_from(const pentry_t *top, uintptr_t virt, pentry_t *val,
					unsigned int *level)
{
	const pentry_t *table = top;

	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		pentry_t entry = table[z_x86_entry_index(virt, i)];
		enum z_x86_entry_state state = z_x86_entry_state(entry, i);

		if (state != Z_X86_ENTRY_PRESENT || z_x86_is_leaf(entry, i)) {
			*val = entry;
			*level = i;
			return state;
		}
		table = z_x86_next_table(entry);
	}
	CODE_UNREACHABLE;
}

void z_x86_pentry_get(int *paging_level, pentry_t *val, pentry_t *ptables, void *virt)
{
	unsigned int level;

	(void)walk_from(ptables, (uintptr_t)virt, val, &level);
	*paging_level = (int)level;
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
	z_x86_dump_walk_tables(z_x86_top_table(), virt);
}

void z_x86_dump_walk_tables(const pentry_t *table, const void *virt)
{
	printk("Page-table walk for %p (%s):\n", virt, arch_paging_mode_name());
	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		unsigned int index = z_x86_entry_index((uintptr_t)virt, i);
		pentry_t entry = table[index];

		printk("  %-4s[%4u] = 0x%0*llx", z_x86_paging_levels[i].name, index,
		       (int)(2 * sizeof(pentry_t)), (unsigned long long)entry);
		switch (z_x86_entry_state(entry, i)) {
		case Z_X86_ENTRY_PRESENT:
			break;
		case Z_X86_ENTRY_PAGED_OUT:
			printk("  paged out, location 0x%lx\n",
			       (unsigned long)z_x86_paged_out_location(entry));
			return;
		default:
			printk("  not present\n");
			return;
		}
		print_flags(entry);
		printk("  -> phys 0x%llx\n", (unsigned long long)(entry & X86_MMU_ADDR_MASK));
		if (z_x86_is_leaf(entry, i)) {
			return;
		}
		table = z_x86_next_table(entry);
	}
}

/* ---- arch_page_tables_dump() -------------------------------------------- */

#define DUMP_PER_LINE 64

enum page_kind { KIND_UNMAPPED, KIND_RO, KIND_RW, KIND_RX, KIND_RWX, KIND_PAGED_OUT, KIND_COUNT };

static const struct {
	char c;
	const char *color; /* ANSI SGR */
	const char *meaning;
} kinds[KIND_COUNT] = {
	[KIND_UNMAPPED] = {'.', "\x1b[90m", "unmapped"},
	[KIND_RO] = {'R', "\x1b[32m", "read-only"},
	[KIND_RW] = {'W', "\x1b[36m", "read-write"},
	[KIND_RX] = {'X', "\x1b[33m", "read-only executable"},
	[KIND_RWX] = {'!', "\x1b[1;31m", "writable and executable"},
	[KIND_PAGED_OUT] = {'p', "\x1b[35m", "paged out"},
};
#define COLOR_RESET "\x1b[0m"

static enum page_kind page_kind(const pentry_t *top, uintptr_t virt)
{
	unsigned int level;
	pentry_t entry;
	enum z_x86_entry_state state = walk_from(top, virt, &entry, &level);
	bool exec;

	switch (state) {
	case Z_X86_ENTRY_PRESENT:
		break;
	case Z_X86_ENTRY_PAGED_OUT:
		return KIND_PAGED_OUT;
	default:
		return KIND_UNMAPPED;
	}
	exec = (entry & X86_MMU_XD) == 0;
	if ((entry & X86_MMU_RW) != 0) {
		return exec ? KIND_RWX : KIND_RW;
	}
	return exec ? KIND_RX : KIND_RO;
}

/* One line: address, then the pages, a colour code only where the kind changes. */
static void print_line(uintptr_t start, const uint8_t *line, size_t count)
{
	char buf[DUMP_PER_LINE * 10 + sizeof(COLOR_RESET)];
	size_t pos = 0;
	int current = -1;

	for (size_t i = 0; i < count; i++) {
		if (line[i] != current) {
			current = line[i];
			for (const char *s = kinds[current].color; *s != '\0'; s++) {
				buf[pos++] = *s;
			}
		}
		buf[pos++] = kinds[current].c;
	}
	buf[pos] = '\0';
	printk("0x%08lx %s" COLOR_RESET "\n", (unsigned long)start, buf);
}

static void print_unmapped_run(uintptr_t start, uintptr_t end)
{
	printk("0x%08lx %s(unmapped up to 0x%08lx, %lu pages)" COLOR_RESET "\n",
	       (unsigned long)start, kinds[KIND_UNMAPPED].color, (unsigned long)(end - 1),
	       (unsigned long)((end - start) / PAGE));
}

static void dump_window(const pentry_t *top)
{
	uintptr_t base = (uintptr_t)CONFIG_KERNEL_VM_BASE;
	uintptr_t end = base + ((uintptr_t)CONFIG_KERNEL_VM_SIZE - 1) + 1; /* may wrap to 0 */
	uintptr_t run_start = 0;
	bool in_run = false;

	printk("Kernel window 0x%08lx-0x%08lx (%s), one character per %lu KiB page:\n",
	       (unsigned long)base, (unsigned long)(end - 1), arch_paging_mode_name(),
	       (unsigned long)(PAGE / 1024));
	printk(" ");
	for (int k = 0; k < KIND_COUNT; k++) {
		printk(" %s%c" COLOR_RESET " %s", kinds[k].color, kinds[k].c, kinds[k].meaning);
	}
	printk("\n");
	if (X86_MMU_XD == 0) {
		printk("  (32-bit paging has no execute-disable: every present page is "
		       "executable)\n");
	}

	/* Whole lines of unmapped pages collapse into one, so a large window stays readable. */
	for (uintptr_t line_va = base; line_va - base < (uintptr_t)CONFIG_KERNEL_VM_SIZE;
	     line_va += DUMP_PER_LINE * PAGE) {
		uint8_t line[DUMP_PER_LINE];
		size_t count =
			MIN((size_t)DUMP_PER_LINE,
			    (size_t)(((uintptr_t)CONFIG_KERNEL_VM_SIZE - (line_va - base)) / PAGE));
		bool empty = true;

		for (size_t i = 0; i < count; i++) {
			line[i] = (uint8_t)page_kind(top, line_va + i * PAGE);
			empty = empty && line[i] == KIND_UNMAPPED;
		}
		if (empty) {
			if (!in_run) {
				run_start = line_va;
				in_run = true;
			}
			continue;
		}
		if (in_run) {
			print_unmapped_run(run_start, line_va);
			in_run = false;
		}
		print_line(line_va, line, count);
	}
	if (in_run) {
		print_unmapped_run(run_start, end);
	}
}

void arch_page_tables_dump(void)
{
	dump_window(z_x86_top_table());
}

void z_x86_dump_page_tables(pentry_t *ptables)
{
	dump_window(ptables);
}

/* gen_mmu.py fills tables from the start of the area; unused tables stay
 * zero. A table with any entry set counts as in use.
 */
void arch_pagetables_usage(size_t *used, size_t *size)
{
	size_t tables = (size_t)(Z_X86_PAGETABLES_SIZE / PAGE);
	size_t in_use = 0;

	for (size_t t = 0; t < tables; t++) {
		const pentry_t *table = (const pentry_t *)(z_x86_pagetables_start + t * PAGE);

		for (size_t i = 0; i < PAGE / sizeof(pentry_t); i++) {
			if (table[i] != 0) {
				in_use++;
				break;
			}
		}
	}
	*used = in_use * PAGE;
	*size = tables * PAGE;
}
