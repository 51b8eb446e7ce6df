/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inline forms of the demand-paging hooks of <arch/mm.h> for pages of the
 * kernel window on the x86 page tables, reached only through <arch/mm.h>
 * (ARCH_HAS_INLINE_PAGE_HOOKS). A page fault makes up to ten such queries
 * and changes; as calls into mmu.c each paid its frame and registers, a
 * third of the fault's overhead (docs/PERFORMANCE.md). The generic layer
 * still never sees an entry: it calls the arch_* functions below, whose
 * contracts are <arch/mm.h>'s.
 *
 * A window page's entry is an index into its page table, found in
 * z_x86_window_pts[] (mmu.c), whose links gen_mmu.py made for good. With
 * user mode, once a domain holds copies of page tables (mem_domain.c), or
 * (KPTI) for a user page or a page table user mode's view shares, every
 * function here takes mmu.c's out-of-line path, which keeps those views
 * in step (z_x86_pte_inline_ok()).
 *
 * The first part (the entry type, its bits, the paged-out encoding, the
 * entry store) is also the arch layer's own (x86_mmu.h includes this file,
 * so both speak one encoding).
 */
#ifndef PAGODA_INCLUDE_ARCH_X86_MM_INLINE_H
#define PAGODA_INCLUDE_ARCH_X86_MM_INLINE_H

#include <arch/x86/mmustructs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/util.h>

#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
typedef uint64_t z_x86_pte_t;
#define Z_X86_PTE_ADDR_MASK     0x000FFFFFFFFFF000ULL /* bits 12-51 */
#define Z_X86_PTE_TABLE_SHIFT   21U                   /* what one page table maps: 2 MiB */
#define Z_X86_PTE_TABLE_ENTRIES 512U
#else
typedef uint32_t z_x86_pte_t;
#define Z_X86_PTE_ADDR_MASK     0xFFFFF000U
#define Z_X86_PTE_TABLE_SHIFT   22U /* 4 MiB */
#define Z_X86_PTE_TABLE_ENTRIES 1024U
#endif

/* Index in z_x86_window_pts[] of the page table covering window address virt. */
static ALWAYS_INLINE size_t z_x86_window_pt_index(uintptr_t virt)
{
	return (size_t)((virt >> Z_X86_PTE_TABLE_SHIFT) -
			((uintptr_t)CONFIG_KERNEL_VM_BASE >> Z_X86_PTE_TABLE_SHIFT));
}

/* A software bit (ignored by the MMU) of a paged-out entry: see x86_mmu.h for the encoding. */
#define Z_X86_PTE_PAGED_OUT ((z_x86_pte_t)1 << 9)
/* What a paged-out entry keeps of the mapping for its page-in. */
#define Z_X86_PTE_PAGE_OUT_KEEP                                                                    \
	((z_x86_pte_t)(Z_X86_MMU_RW | Z_X86_MMU_US | Z_X86_MMU_PWT | Z_X86_MMU_PCD | Z_X86_MMU_XD))

/* The paged-out entry of a present one, holding location (inverted: no RAM named). */
static ALWAYS_INLINE z_x86_pte_t z_x86_pte_paged_out(z_x86_pte_t present, uintptr_t location)
{
	return (~(z_x86_pte_t)location & Z_X86_PTE_ADDR_MASK) | Z_X86_PTE_PAGED_OUT |
	       (present & Z_X86_PTE_PAGE_OUT_KEEP);
}

static ALWAYS_INLINE bool z_x86_pte_is_paged_out(z_x86_pte_t entry)
{
	return (entry & ((z_x86_pte_t)Z_X86_MMU_P | Z_X86_PTE_PAGED_OUT)) == Z_X86_PTE_PAGED_OUT;
}

static ALWAYS_INLINE uintptr_t z_x86_pte_location(z_x86_pte_t entry)
{
	return (uintptr_t)(~entry & Z_X86_PTE_ADDR_MASK);
}

/*
 * Store an entry. PAE entries take two 32-bit stores: the high half goes
 * first, so a walk between them never combines a new P bit with an old
 * high half (XD, inverted location bits). The compiler barrier keeps
 * accesses through the new mapping after the store.
 */
static ALWAYS_INLINE void z_x86_pte_write(z_x86_pte_t *entry, z_x86_pte_t value)
{
#if defined(CONFIG_X86_PAE)
	typedef uint32_t __attribute__((may_alias)) half_t;
	volatile half_t *half = (volatile half_t *)entry;

	half[1] = (uint32_t)(value >> 32);
	half[0] = (uint32_t)value;
#else
	*(volatile z_x86_pte_t *)entry = value;
#endif
	__asm__ volatile("" : : : "memory");
}

#if defined(CONFIG_X86) && !defined(Z_X86_MMU_HOST_TEST)

/* Before <arch/mm.h>, which otherwise declares its out-of-line stand-ins. */
#define ARCH_HAS_INLINE_PAGE_HOOKS 1
#include <arch/mm.h>

/* The window's page tables in address order (mmu.c; x86_mmu.h gives the size). */
extern z_x86_pte_t *z_x86_window_pts[];
#ifdef CONFIG_USERSPACE
/* Per window page table: how many domains have a copy of their own; and
 * how many copies exist in all (0: the tests below cost one load).
 */
extern uint8_t z_x86_pt_copies[];
extern size_t z_x86_pt_copies_total;
#endif
#ifdef CONFIG_X86_KPTI
/* Per window page table: its entries that user mode's shared view (the
 * kernel's user pages and the trampoline, mem_domain.c) does not leave
 * empty, plus the domains' copies of it. One count, so the test below is
 * one load.
 */
extern uint16_t z_x86_pt_synced[];
#endif

#ifdef CONFIG_USERSPACE
/* Whether some domain has its own copy of the page table of window page
 * virt, or (KPTI) user mode's shared view maps something in it.
 */
static ALWAYS_INLINE bool z_x86_pt_is_copied(uintptr_t virt)
{
#ifdef CONFIG_X86_KPTI
	return z_x86_pt_synced[z_x86_window_pt_index(virt)] != 0U;
#else
	return unlikely(z_x86_pt_copies_total != 0U) &&
	       z_x86_pt_copies[z_x86_window_pt_index(virt)] != 0U;
#endif
}
#endif

/*
 * Whether window page virt, whose kernel entry is value, has no other
 * entry to keep in step: no domain holds a copy of its page table and,
 * with KPTI, user mode's shared view maps nothing in it and the page is no
 * user page (a user page enters that view). Otherwise mmu.c's out-of-line
 * path updates every view (z_x86_domains_update()), and collects the
 * accessed and dirty bits user mode set there (a write seen only in a user
 * view would otherwise be taken for a clean page and lost).
 */
static ALWAYS_INLINE bool z_x86_pte_inline_ok(uintptr_t virt, z_x86_pte_t value)
{
#ifdef CONFIG_USERSPACE
	return likely(!z_x86_pt_is_copied(virt) &&
		      !(IS_ENABLED(CONFIG_X86_KPTI) && (value & Z_X86_MMU_US) != 0U));
#else
	ARG_UNUSED(virt);
	ARG_UNUSED(value);
	return true;
#endif
}

/* The entry of window page virt. */
static ALWAYS_INLINE z_x86_pte_t *z_x86_window_pte(uintptr_t virt)
{
	z_x86_pte_t *table = z_x86_window_pts[z_x86_window_pt_index(virt)];

	return &table[(virt / CONFIG_MMU_PAGE_SIZE) & (Z_X86_PTE_TABLE_ENTRIES - 1U)];
}

static ALWAYS_INLINE void z_x86_pte_invlpg(const void *addr)
{
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

/*
 * arch_page_info_get(addr, NULL, clear_accessed) of window page addr
 * (the eviction algorithms' look at a page they hold, present).
 */
static ALWAYS_INLINE uintptr_t arch_page_look(void *addr, bool clear_accessed)
{
	z_x86_pte_t *entry = z_x86_window_pte((uintptr_t)addr);
	z_x86_pte_t value = *entry;

	if (!z_x86_pte_inline_ok((uintptr_t)addr, value) || (value & Z_X86_MMU_P) == 0U) {
		return arch_page_info_get(addr, NULL, clear_accessed);
	}
	/* A (bit 5) and D (bit 6) become ACCESSED (bit 0) and DIRTY (bit 1). */
	BUILD_ASSERT(Z_X86_MMU_A == (1ULL << 5) && Z_X86_MMU_D == (1ULL << 6) &&
			     ARCH_DATA_PAGE_ACCESSED == 1U && ARCH_DATA_PAGE_DIRTY == 2U,
		     "the bit shuffle below");
	if (clear_accessed && (value & Z_X86_MMU_A) != 0U) {
		/* A clear bit means no TLB entry holds the translation: only this case flushes. */
		z_x86_pte_write(entry, value & ~(z_x86_pte_t)Z_X86_MMU_A);
		z_x86_pte_invlpg(addr);
	}
	return ARCH_DATA_PAGE_LOADED | ((uintptr_t)(value >> 5) & 3U);
}

/* arch_page_location_get() of window page addr (location not NULL). */
static ALWAYS_INLINE enum arch_page_location arch_window_page_location_get(void *addr,
									   uintptr_t *location)
{
	z_x86_pte_t value = *z_x86_window_pte((uintptr_t)addr);

	if (likely((value & Z_X86_MMU_P) != 0U)) {
		*location = (uintptr_t)(value & Z_X86_PTE_ADDR_MASK);
		return ARCH_PAGE_LOCATION_PAGED_IN;
	}
	if (z_x86_pte_is_paged_out(value)) {
		*location = z_x86_pte_location(value);
		return ARCH_PAGE_LOCATION_PAGED_OUT;
	}
	return ARCH_PAGE_LOCATION_BAD;
}

/* arch_mem_page_out(), inline. */
static ALWAYS_INLINE void arch_window_page_out(void *addr, uintptr_t location)
{
	z_x86_pte_t *entry = z_x86_window_pte((uintptr_t)addr);

	if (!z_x86_pte_inline_ok((uintptr_t)addr, *entry)) {
		arch_mem_page_out(addr, location);
		return;
	}
	z_x86_pte_write(entry, z_x86_pte_paged_out(*entry, location));
#ifndef PAGODA_BUG_NO_PAGE_OUT_TLB_FLUSH /* a proof switch of the fuzzer's tests, never set */
	z_x86_pte_invlpg(addr);
#endif
}

/* arch_mem_page_in(), inline (the entry was not present: nothing to invalidate). */
static ALWAYS_INLINE void arch_window_page_in(void *addr, uintptr_t phys)
{
	z_x86_pte_t *entry = z_x86_window_pte((uintptr_t)addr);

	if (!z_x86_pte_inline_ok((uintptr_t)addr, *entry)) {
		arch_mem_page_in(addr, phys);
		return;
	}
	z_x86_pte_write(entry,
			(z_x86_pte_t)phys | Z_X86_MMU_P | (*entry & Z_X86_PTE_PAGE_OUT_KEEP));
}

/* arch_mem_scratch(), inline (the entry mmu.c's attribute table gives WB | RW). */
static ALWAYS_INLINE void arch_window_scratch(uintptr_t phys)
{
	z_x86_pte_t *entry = z_x86_window_pte((uintptr_t)ARCH_SCRATCH_PAGE);
	z_x86_pte_t old = *entry;

	if (!z_x86_pte_inline_ok((uintptr_t)ARCH_SCRATCH_PAGE, old)) {
		arch_mem_scratch(phys);
		return;
	}

	z_x86_pte_write(entry, (z_x86_pte_t)phys | Z_X86_MMU_P | Z_X86_MMU_RW | Z_X86_MMU_XD);
	if ((old & Z_X86_MMU_P) != 0U) {
		z_x86_pte_invlpg(ARCH_SCRATCH_PAGE);
	}
}

#endif /* CONFIG_X86 && !Z_X86_MMU_HOST_TEST */

#endif /* PAGODA_INCLUDE_ARCH_X86_MM_INLINE_H */
