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
 *   RW, PWT, PCD, XD    the mapping's, kept for arch_mem_page_in()
 *   address bits        the location INVERTED: ~location & X86_MMU_ADDR_MASK
 *   all other bits      0 (A, D, US, G, PS/PAT)
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
#define X86_MMU_PAGE_OUT_KEEP (X86_MMU_RW | X86_MMU_PWT | X86_MMU_PCD | X86_MMU_XD)
#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
#define X86_MMU_LOCATION_MAX ((uintptr_t)0xFFFFF000U)
#else
#define X86_MMU_LOCATION_MAX ((uintptr_t)0x7FFFF000U)
#endif

static inline pentry_t z_x86_paged_out_entry(pentry_t present, uintptr_t location)
{
	return (~(pentry_t)location & X86_MMU_ADDR_MASK) | X86_MMU_PAGED_OUT |
	       (present & X86_MMU_PAGE_OUT_KEEP);
}

static inline bool z_x86_is_paged_out(pentry_t entry)
{
	return (entry & (X86_MMU_P | X86_MMU_PAGED_OUT)) == X86_MMU_PAGED_OUT;
}

static inline uintptr_t z_x86_paged_out_location(pentry_t entry)
{
	return (uintptr_t)(~entry & X86_MMU_ADDR_MASK);
}

/* ---- the paging levels ------------------------------------------------- */

struct x86_paging_level {
	const char *name;
	uint8_t shift;    /* virtual-address bits below this level's index */
	uint16_t entries; /* entries in one table of this level (a power of two) */
	bool large_pages; /* PS makes an entry of this level a leaf */
};

/* Levels from the top (the table CR3 points at) to the page tables. PS is
 * reserved in the PAE PDPT and the PML4, so those never hold large pages.
 */
static const struct x86_paging_level z_x86_paging_levels[] = {
#if defined(CONFIG_X86_64)
	{"PML4", 39, 512, false},
	{"PDPT", 30, 512, true},
	{"PD", 21, 512, true},
	{"PT", 12, 512, false},
#elif defined(CONFIG_X86_PAE)
	{"PDPT", 30, 4, false},
	{"PD", 21, 512, true},
	{"PT", 12, 512, false},
#else
	{"PD", 22, 1024, true},
	{"PT", 12, 1024, false},
#endif
};
BUILD_ASSERT(ARRAY_SIZE(z_x86_paging_levels) == Z_X86_NUM_LEVELS,
	     "x86_mmu_size.h and the level table disagree");

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
#define Z_X86_VIRT_OFFSET ((uintptr_t)CONFIG_KERNEL_VM_BASE - (uintptr_t)CONFIG_SRAM_BASE_ADDRESS)
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

/*
 * The entry where the walk for virt stops: the page-table entry, a large
 * page, or the first non-present entry; its level (0 = top) in *level.
 * Any address: nothing is asserted.
 */
static ALWAYS_INLINE pentry_t *z_x86_walk(uintptr_t virt, unsigned int *level)
{
	pentry_t *table = z_x86_top_table();

	Z_X86_UNROLL_LEVELS
	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		pentry_t *entry = &table[z_x86_entry_index(virt, i)];

		if ((*entry & X86_MMU_P) == 0 || z_x86_is_leaf(*entry, i)) {
			*level = i;
			return entry;
		}
		table = z_x86_next_table(*entry);
	}
	CODE_UNREACHABLE;
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

/*
 * Store an entry. PAE entries take two 32-bit stores: the high half goes
 * first, so a walk between them never combines a new P bit with an old
 * high half (XD, inverted location bits). The compiler barrier keeps
 * accesses through the new mapping after the store.
 */
static ALWAYS_INLINE void z_x86_entry_write(pentry_t *entry, pentry_t value)
{
#if defined(CONFIG_X86_PAE)
	typedef uint32_t __attribute__((may_alias)) half_t;
	volatile half_t *half = (volatile half_t *)entry;

	half[1] = (uint32_t)(value >> 32);
	half[0] = (uint32_t)value;
#else
	*(volatile pentry_t *)entry = value;
#endif
	__asm__ volatile("" : : : "memory");
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

/* ---- out-of-line walks (paging.c) ------------------------------------------ */

/* z_x86_walk() for code outside the walker (tests, diagnostics). */
pentry_t *z_x86_entry_get(const void *virt, unsigned int *level);

/* Print the entry at every level for virt, with its flags decoded. */
void z_x86_dump_walk(const void *virt);

/* Read len bytes of physical memory at phys through the scratch page
 * (mmu.c); leaves the last page read mapped there.
 */
void z_x86_scratch_read(void *dst, uintptr_t phys, size_t len);

#endif /* PAGODA_ARCH_X86_MMU_H */
