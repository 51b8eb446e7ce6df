/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 paging structures: entry bits, the paged-out entry encoding, and the
 * one table of paging levels that drives every walk in all three modes
 * (32-bit two-level, PAE, IA-32e).
 *
 * The walk primitives are inline over a static const level table, so the
 * compiler unrolls each walk into straight-line code for the configured
 * mode: one loop in the source, no per-level table loads at run time.
 */
#ifndef PAGODA_ARCH_X86_MMU_H
#define PAGODA_ARCH_X86_MMU_H

#include <arch/x86/mm_inline.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/__assert.h>
#include <sys/util.h>
#include <x86_cpu.h>
#include <x86_mmu_size.h>

#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
typedef uint64_t pentry_t;
#define X86_MMU_ADDR_MASK 0x000FFFFFFFFFF000ULL /* bits 12-51 */
#define X86_MMU_XD        (1ULL << 63)
#else
typedef uint32_t pentry_t;
#define X86_MMU_ADDR_MASK 0xFFFFF000U
#define X86_MMU_XD        0 /* no execute-disable in 32-bit paging */
#endif

#define X86_MMU_P   ((pentry_t)1 << 0)
#define X86_MMU_RW  ((pentry_t)1 << 1)
#define X86_MMU_US  ((pentry_t)1 << 2)
#define X86_MMU_PWT ((pentry_t)1 << 3)
#define X86_MMU_PCD ((pentry_t)1 << 4)
#define X86_MMU_A   ((pentry_t)1 << 5)
#define X86_MMU_D   ((pentry_t)1 << 6)
#define X86_MMU_PS  ((pentry_t)1 << 7) /* large page, in non-leaf levels */
#define X86_MMU_G   ((pentry_t)1 << 8)

/*
 * Paged-out leaf entry (arch_mem_page_out()), all three modes:
 *
 *   bit 0 (P)           0: every access faults
 *   bit 9 (PAGED_OUT)   1: a software bit, ignored by the MMU
 *   RW, US, PWT, PCD, XD  the mapping's, kept for arch_mem_page_in()
 *   address bits        the location INVERTED: ~location & X86_MMU_ADDR_MASK
 *   all other bits      0 (A, D, G, PS/PAT)
 *
 * An unmapped entry is all zeroes; a paged-out one always has PAGED_OUT
 * set, so the two never meet, whatever the location (0 included).
 *
 * Inverting keeps the entry from naming real RAM (L1 Terminal Fault: a CPU
 * may speculatively read the frame a non-present entry names). location
 * must be page-aligned and at most X86_MMU_LOCATION_MAX, so the stored
 * address always has its high bits set: bits 32-51 with PAE and IA-32e
 * (the top 4 GiB of any physical address width, far above RAM), bit 31 in
 * 32-bit paging (at or above 2 GiB; mmu.c checks that RAM ends below).
 */
#define X86_MMU_PAGED_OUT     ((pentry_t)1 << 9)
#define X86_MMU_PAGE_OUT_KEEP (X86_MMU_RW | X86_MMU_US | X86_MMU_PWT | X86_MMU_PCD | X86_MMU_XD)
#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
#define X86_MMU_LOCATION_MAX ((uintptr_t)0xFFFFF000U)
#else
#define X86_MMU_LOCATION_MAX ((uintptr_t)0x7FFFF000U)
#endif

/* The encoding is <arch/x86/mm_inline.h>'s, which the kernel's inline hooks share. */
BUILD_ASSERT(sizeof(pentry_t) == sizeof(z_x86_pte_t) && X86_MMU_ADDR_MASK == Z_X86_PTE_ADDR_MASK &&
		     X86_MMU_PAGED_OUT == Z_X86_PTE_PAGED_OUT &&
		     X86_MMU_PAGE_OUT_KEEP == Z_X86_PTE_PAGE_OUT_KEEP,
	     "x86_mmu.h and <arch/x86/mm_inline.h> disagree on an entry");

static inline pentry_t z_x86_paged_out_entry(pentry_t present, uintptr_t location)
{
	return z_x86_pte_paged_out(present, location);
}

static inline bool z_x86_is_paged_out(pentry_t entry)
{
	return z_x86_pte_is_paged_out(entry);
}

static inline uintptr_t z_x86_paged_out_location(pentry_t entry)
{
	return z_x86_pte_location(entry);
}

/* ---- the paging levels ------------------------------------------------- */

struct x86_paging_level {
	const char *name;
	uint8_t shift;    /* virtual-address bits below this level's index */
	uint16_t entries; /* entries in one table of this level (a power of two) */
	bool large_pages; /* PS makes an entry of this level a leaf */
};

/* Levels from the top (the table CR3 points at) to the page tables, with the
 * geometry of x86_mmu_size.h. PS is reserved in the PAE PDPT and the PML4, so
 * those never hold large pages.
 */
static const struct x86_paging_level z_x86_paging_levels[] = {
#if defined(CONFIG_X86_64)
	{"PML4", Z_X86_LEVEL_SHIFT(0), Z_X86_LEVEL_ENTRIES(0), false},
	{"PDPT", Z_X86_LEVEL_SHIFT(1), Z_X86_LEVEL_ENTRIES(1), true},
	{"PD", Z_X86_LEVEL_SHIFT(2), Z_X86_LEVEL_ENTRIES(2), true},
	{"PT", Z_X86_LEVEL_SHIFT(3), Z_X86_LEVEL_ENTRIES(3), false},
#elif defined(CONFIG_X86_PAE)
	{"PDPT", Z_X86_LEVEL_SHIFT(0), Z_X86_LEVEL_ENTRIES(0), false},
	{"PD", Z_X86_LEVEL_SHIFT(1), Z_X86_LEVEL_ENTRIES(1), true},
	{"PT", Z_X86_LEVEL_SHIFT(2), Z_X86_LEVEL_ENTRIES(2), false},
#else
	{"PD", Z_X86_LEVEL_SHIFT(0), Z_X86_LEVEL_ENTRIES(0), true},
	{"PT", Z_X86_LEVEL_SHIFT(1), Z_X86_LEVEL_ENTRIES(1), false},
#endif
};

/*
 * The geometry must be the hardware's: one table per level in the table
 * above, each entry of a level covering exactly one table of the next
 * (shift = next shift + log2(next entries)), 4 KiB pages and tables (the
 * 32-byte PAE PDPT excepted), the top level spanning the virtual-address
 * bits, and entries the size of pentry_t. gen_mmu.py's PAGING_MODES must
 * say the same (tests/scripts/test_gen_mmu.py).
 */
#define Z_X86_LEVELS_CHAINED(n, m)                                                                 \
	(Z_X86_LEVEL_SHIFT(n) > Z_X86_LEVEL_SHIFT(m) &&                                            \
	 (1ULL << (Z_X86_LEVEL_SHIFT(n) - Z_X86_LEVEL_SHIFT(m))) == Z_X86_LEVEL_ENTRIES(m) &&      \
	 Z_X86_LEVEL_ENTRIES(m) * Z_X86_ENTRY_SIZE == 4096)
BUILD_ASSERT(ARRAY_SIZE(z_x86_paging_levels) == Z_X86_NUM_LEVELS,
	     "x86_mmu_size.h and the level table disagree");
BUILD_ASSERT(sizeof(pentry_t) == Z_X86_ENTRY_SIZE, "x86_mmu_size.h: wrong entry size");
BUILD_ASSERT((unsigned long long)Z_X86_LEVEL_ENTRIES(0) << Z_X86_LEVEL_SHIFT(0) ==
		     1ULL << Z_X86_VA_BITS,
	     "x86_mmu_size.h: the top level does not span the virtual-address bits");
BUILD_ASSERT(Z_X86_LEVELS_CHAINED(0, 1), "x86_mmu_size.h: levels 0 and 1 do not chain");
#if Z_X86_NUM_LEVELS == 2
BUILD_ASSERT(Z_X86_LEVEL_SHIFT(1) == 12, "x86_mmu_size.h: the leaf level maps 4 KiB pages");
BUILD_ASSERT(Z_X86_LEVEL_ENTRIES(0) * Z_X86_ENTRY_SIZE == 4096, "x86_mmu_size.h: 4 KiB tables");
#elif Z_X86_NUM_LEVELS == 3
BUILD_ASSERT(Z_X86_LEVELS_CHAINED(1, 2), "x86_mmu_size.h: levels 1 and 2 do not chain");
BUILD_ASSERT(Z_X86_LEVEL_SHIFT(2) == 12, "x86_mmu_size.h: the leaf level maps 4 KiB pages");
BUILD_ASSERT(Z_X86_LEVEL_ENTRIES(0) * Z_X86_ENTRY_SIZE == 32, "x86_mmu_size.h: the PAE PDPT");
#elif Z_X86_NUM_LEVELS == 4
BUILD_ASSERT(Z_X86_LEVELS_CHAINED(1, 2), "x86_mmu_size.h: levels 1 and 2 do not chain");
BUILD_ASSERT(Z_X86_LEVELS_CHAINED(2, 3), "x86_mmu_size.h: levels 2 and 3 do not chain");
BUILD_ASSERT(Z_X86_LEVEL_SHIFT(3) == 12, "x86_mmu_size.h: the leaf level maps 4 KiB pages");
BUILD_ASSERT(Z_X86_LEVEL_ENTRIES(0) * Z_X86_ENTRY_SIZE == 4096, "x86_mmu_size.h: 4 KiB tables");
#else
#error "x86_mmu_size.h: unknown number of paging levels"
#endif

#define Z_X86_LEAF_LEVEL (Z_X86_NUM_LEVELS - 1)
#define Z_X86_PT_ENTRIES (z_x86_paging_levels[Z_X86_LEAF_LEVEL].entries)

/* Walk loops are unrolled, so each level's shift and size become constants. */
#define Z_X86_UNROLL_LEVELS _Pragma("GCC unroll 4")

/* ---- where the tables are ------------------------------------------------ */

/* The kernel's tables, from gen_mmu.py: the top-level table comes first.
 * CR3 always points here (boot.S); there is no other set of tables.
 */
extern char z_x86_pagetables_start[];

#ifdef Z_X86_MMU_HOST_TEST
/* Host unit tests (tests/unit/x86_mmu_*) keep "physical" table addresses
 * small (so 32-bit entries hold them) and record every invalidation.
 */
extern uintptr_t z_x86_host_virt_offset;
void z_x86_host_invlpg(uintptr_t virt);
#define Z_X86_VIRT_OFFSET z_x86_host_virt_offset
#else
/* Every paging structure lives in the image's .pagetables area. */
#define Z_X86_VIRT_OFFSET ((uintptr_t)Z_X86_KERNEL_VIRT_OFFSET)
#endif

static ALWAYS_INLINE pentry_t *z_x86_top_table(void)
{
	return (pentry_t *)z_x86_pagetables_start;
}

/* Kernel virtual address of a paging structure from its physical address. */
static ALWAYS_INLINE pentry_t *z_x86_table_virt(uintptr_t phys)
{
	return (pentry_t *)(phys + Z_X86_VIRT_OFFSET);
}

/* Physical address of a paging structure (the inverse of z_x86_table_virt()). */
static ALWAYS_INLINE uintptr_t z_x86_table_phys(const pentry_t *table)
{
	return (uintptr_t)table - Z_X86_VIRT_OFFSET;
}

/* The table a present non-leaf entry points to. */
static ALWAYS_INLINE pentry_t *z_x86_next_table(pentry_t entry)
{
	return z_x86_table_virt((uintptr_t)(entry & X86_MMU_ADDR_MASK));
}

static ALWAYS_INLINE unsigned int z_x86_entry_index(uintptr_t virt, unsigned int level)
{
	return (unsigned int)(virt >> z_x86_paging_levels[level].shift) &
	       (z_x86_paging_levels[level].entries - 1U);
}

/* Only meaningful on a present entry. */
static ALWAYS_INLINE bool z_x86_is_leaf(pentry_t entry, unsigned int level)
{
	return level == Z_X86_LEAF_LEVEL ||
	       (z_x86_paging_levels[level].large_pages && (entry & X86_MMU_PS) != 0);
}

/* ---- what an entry means ------------------------------------------------ */

enum z_x86_entry_state {
	Z_X86_ENTRY_UNMAPPED,  /* not present, and not a paged-out page */
	Z_X86_ENTRY_PRESENT,   /* P set: a page, a large page or a link to a table */
	Z_X86_ENTRY_PAGED_OUT, /* a page-table entry from arch_mem_page_out() */
};

/*
 * The one test of present / paged out / unmapped, for the entry of level
 * where a walk stopped (z_x86_walk()) or any page-table entry (level
 * Z_X86_LEAF_LEVEL). Only page-table entries are ever paged out: a
 * non-present upper entry is unmapped, whatever its other bits. With a
 * constant level, as at the leaf, the level test folds away. Present is the
 * common case on the fault and unmap paths: the hint keeps it the straight
 * line there, as the open-coded P tests did.
 */
static ALWAYS_INLINE enum z_x86_entry_state z_x86_entry_state(pentry_t entry, unsigned int level)
{
	if (likely((entry & X86_MMU_P) != 0)) {
		return Z_X86_ENTRY_PRESENT;
	}
	if (level == Z_X86_LEAF_LEVEL && z_x86_is_paged_out(entry)) {
		return Z_X86_ENTRY_PAGED_OUT;
	}
	return Z_X86_ENTRY_UNMAPPED;
}

/*
 * The walk for virt: the entry where it stops (the page-table entry, a
 * large page, or the first non-present entry) in *entry, its level (0 =
 * top) in *level, and what that entry means. Each unrolled level returns
 * its own state, so a caller's test of it becomes a jump from that level.
 * Any address: nothing is asserted.
 */
static ALWAYS_INLINE enum z_x86_entry_state z_x86_walk_state(uintptr_t virt, pentry_t **entry,
							     unsigned int *level)
{
	pentry_t *table = z_x86_top_table();

	Z_X86_UNROLL_LEVELS
	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		pentry_t *at = &table[z_x86_entry_index(virt, i)];
		pentry_t value = *at;
		enum z_x86_entry_state state = z_x86_entry_state(value, i);

		if (state != Z_X86_ENTRY_PRESENT || z_x86_is_leaf(value, i)) {
			*entry = at;
			*level = i;
			return state;
		}
		table = z_x86_next_table(value);
	}
	CODE_UNREACHABLE;
}

/* z_x86_walk_state() without the state: the entry where the walk stops. */
static ALWAYS_INLINE pentry_t *z_x86_walk(uintptr_t virt, unsigned int *level)
{
	pentry_t *entry;

	(void)z_x86_walk_state(virt, &entry, level);
	return entry;
}

/*
 * The page table (last level) covering virt, which must lie where gen_mmu.py
 * preallocated tables (the kernel window): every level above must link one.
 */
static ALWAYS_INLINE pentry_t *z_x86_leaf_table(uintptr_t virt)
{
	pentry_t *table = z_x86_top_table();

	Z_X86_UNROLL_LEVELS
	for (unsigned int i = 0; i < Z_X86_LEAF_LEVEL; i++) {
		pentry_t entry = table[z_x86_entry_index(virt, i)];

		/* gen_mmu.py links a table in every entry above the window's
		 * pages and never makes large pages there: checking P suffices.
		 */
		__ASSERT((entry & X86_MMU_P) != 0, "%p: no preallocated page table (%s entry)",
			 (void *)virt, z_x86_paging_levels[i].name);
		table = z_x86_next_table(entry);
	}
	return table;
}

/* Store an entry (<arch/x86/mm_inline.h>: PAE's two halves in a safe order). */
static ALWAYS_INLINE void z_x86_entry_write(pentry_t *entry, pentry_t value)
{
	z_x86_pte_write(entry, value);
}

/* Drop the TLB entry for the page at virt (after changing a present entry). */
static ALWAYS_INLINE void z_x86_tlb_flush_page(uintptr_t virt)
{
#ifdef Z_X86_MMU_HOST_TEST
	z_x86_host_invlpg(virt);
#else
	z_x86_invlpg((const void *)virt);
#endif
}

/* Read the window's page-table links (mmu.c): before any other call of mmu.c. */
void z_x86_mmu_init(void);

/*
 * The window's page tables, in address order (mmu.c): one per entry of the
 * level above the page tables that the window touches. Those links never
 * change after gen_mmu.py made them, so a window page's entry is an index
 * into this array and into its table, not a walk of every level.
 */
#if Z_X86_NUM_LEVELS == 4
#define Z_X86_PT_SHIFT Z_X86_LEVEL2_SHIFT /* log2 of what one page table maps */
#elif Z_X86_NUM_LEVELS == 3
#define Z_X86_PT_SHIFT Z_X86_LEVEL1_SHIFT
#else
#define Z_X86_PT_SHIFT Z_X86_LEVEL0_SHIFT
#endif
BUILD_ASSERT(Z_X86_PT_SHIFT == Z_X86_PTE_TABLE_SHIFT &&
		     (1U << (Z_X86_PT_SHIFT - 12U)) == Z_X86_PTE_TABLE_ENTRIES,
	     "<arch/x86/mm_inline.h> has another page-table geometry");
#define Z_X86_WINDOW_PTS                                                                           \
	((size_t)((Z_X86_VM_LAST >> Z_X86_PT_SHIFT) - (Z_X86_VM_FIRST >> Z_X86_PT_SHIFT) + 1U))

extern pentry_t *z_x86_window_pts[Z_X86_WINDOW_PTS];

/* z_x86_window_pt_index(): <arch/x86/mm_inline.h>. */

/* ---- memory domains (mem_domain.c) ------------------------------------------ */

/*
 * Software bits (ignored by the MMU in all three modes) of an entry in a
 * domain's own page table: PART, the page is in one of the domain's
 * partitions; PART_W, that partition lets user mode write it (so a write
 * fault on it while read-only, the first write to a demand-mapped page,
 * is served). Kernel entries never have them.
 */
#define X86_MMU_PART   ((pentry_t)1 << 10)
#define X86_MMU_PART_W ((pentry_t)1 << 11)

/* Whether a page fault user mode took at va (a write, an instruction
 * fetch) is one demand paging may serve: the current tables let user mode
 * make that access once the page is in (buffer_validate.c).
 */
bool z_x86_user_fault_resolvable(uintptr_t va, bool write, bool fetch);

#if defined(CONFIG_USERSPACE) && !defined(Z_X86_MMU_HOST_TEST)
/* The tables CR3 holds (a domain's, or at boot the kernel's). */
extern pentry_t *z_x86_current_ptables;

/* z_x86_pt_copies[], z_x86_pt_copies_total, z_x86_pt_synced[] (KPTI),
 * z_x86_pt_is_copied() and z_x86_pte_inline_ok(): <arch/x86/mm_inline.h>.
 */

/* The kernel's entry for window page virt became value: update each
 * domain's copy (mem_domain.c).
 */
void z_x86_domains_sync(uintptr_t virt, pentry_t value);

/* The accessed and dirty bits of window page virt in the domains' copies
 * (cleared there with clear_accessed: A only).
 */
pentry_t z_x86_domains_ad(uintptr_t virt, bool clear_accessed);

static ALWAYS_INLINE void z_x86_domains_update(uintptr_t virt, pentry_t value)
{
	if (!z_x86_pte_inline_ok(virt, value)) {
		z_x86_domains_sync(virt, value);
	}
}

static ALWAYS_INLINE pentry_t *z_x86_current_top(void)
{
	return z_x86_current_ptables;
}

struct k_thread;

/* Load thread's domain's tables into CR3 unless they are there already
 * (with KPTI: make them the ones the next return to user mode loads).
 */
void z_x86_tables_load(const struct k_thread *thread);

#ifdef CONFIG_X86_KPTI
/* Fill user mode's view of the kernel's window page tables (mem_domain.c). */
void z_x86_user_base_init(void);
/* Whether window page va is one of the kernel's that user mode's tables keep. */
bool z_x86_kpti_kept(uintptr_t va);
#endif
#else
static ALWAYS_INLINE void z_x86_domains_update(uintptr_t virt, pentry_t value)
{
	ARG_UNUSED(virt);
	ARG_UNUSED(value);
}

static ALWAYS_INLINE pentry_t *z_x86_current_top(void)
{
	return z_x86_top_table();
}
#endif

/* ---- out-of-line walks (mmu_dump.c) ---------------------------------------- */

/* z_x86_walk() for code outside the walker (tests, diagnostics). */
pentry_t *z_x86_entry_get(const void *virt, unsigned int *level);

/* Print the entry at every level for virt, with its flags decoded. */
void z_x86_dump_walk(const void *virt);

/* The same in the tables under top (user mode's with KPTI). */
void z_x86_dump_walk_tables(const pentry_t *top, const void *virt);

/* Read len bytes of physical memory at phys through the scratch page
 * (mmu.c); leaves the last page read mapped there.
 */
void z_x86_scratch_read(void *dst, uintptr_t phys, size_t len);

/* ---- the reference's names (its x86_mmu.h), thin layers over the above ---- */

#include <arch/x86/mmustructs.h>

#define MMU_P   X86_MMU_P
#define MMU_RW  X86_MMU_RW
#define MMU_US  X86_MMU_US
#define MMU_PWT X86_MMU_PWT
#define MMU_PCD X86_MMU_PCD
#define MMU_A   X86_MMU_A
#define MMU_D   X86_MMU_D
#define MMU_PS  X86_MMU_PS
#define MMU_G   X86_MMU_G
#define MMU_XD  X86_MMU_XD
BUILD_ASSERT(MMU_P == Z_X86_MMU_P && MMU_RW == Z_X86_MMU_RW && MMU_US == Z_X86_MMU_US &&
		     MMU_PWT == Z_X86_MMU_PWT && MMU_PCD == Z_X86_MMU_PCD && MMU_A == Z_X86_MMU_A &&
		     MMU_D == Z_X86_MMU_D && MMU_PS == Z_X86_MMU_PS && MMU_G == Z_X86_MMU_G &&
		     MMU_XD == Z_X86_MMU_XD,
	     "<arch/x86/mmustructs.h> and x86_mmu.h disagree on an entry bit");

/* printf format of a pentry_t (uint64_t is unsigned long on x86_64, unsigned long long on ia32). */
#if defined(CONFIG_X86_64)
#define PRI_ENTRY "0x%016lx"
#elif defined(CONFIG_X86_PAE)
#define PRI_ENTRY "0x%016llx"
#else
#define PRI_ENTRY "0x%08x"
#endif

struct k_thread;

/* The top-level table of the kernel's page tables (the only set: every
 * thread runs on them).
 */
static inline pentry_t *z_x86_page_tables_get(void)
{
	return z_x86_top_table();
}

/* The tables thread runs on: the kernel's, for every thread. */
static inline pentry_t *z_x86_thread_page_tables_get(struct k_thread *thread)
{
	(void)thread;
	return z_x86_page_tables_get();
}

/*
 * Walk ptables for virt: *val is the entry where the walk stops (a page,
 * a large page or the first non-present entry), *paging_level its level
 * (0 = top; the page tables are Z_X86_NUM_LEVELS - 1).
 */
void z_x86_pentry_get(int *paging_level, pentry_t *val, pentry_t *ptables, void *virt);

/* Print the kernel window as ptables map it, one character per page. */
void z_x86_dump_page_tables(pentry_t *ptables);

#endif /* PAGODA_ARCH_X86_MMU_H */
