/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory-management architecture interface: the whole contract between
 * the generic memory manager (kernel/mm/) and an architecture's page-table
 * code (arch/x86/core/mmu.c and mmu_dump.c). The generic layer never touches
 * a page-table entry; it only calls these.
 *
 * Common rules:
 * - Addresses and sizes are page-aligned (CONFIG_MMU_PAGE_SIZE); anything
 *   else is undefined (the arch asserts).
 * - Virtual addresses lie in the kernel window [CONFIG_KERNEL_VM_BASE,
 *   +CONFIG_KERNEL_VM_SIZE), for which every paging structure was
 *   preallocated at build time: no function here allocates memory.
 * - The memory manager serializes all calls (interrupts locked); every
 *   function is safe in an exception handler.
 * - Every change to a present entry is followed by the TLB invalidation it
 *   needs before the function returns.
 */
#ifndef PAGODA_INCLUDE_ARCH_MM_H
#define PAGODA_INCLUDE_ARCH_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The kernel keeps the top page of its window for arch_mem_scratch(); it
 * never allocates it.
 */
#define ARCH_SCRATCH_PAGE                                                                          \
	((void *)((uintptr_t)CONFIG_KERNEL_VM_BASE + (uintptr_t)CONFIG_KERNEL_VM_SIZE -            \
		  (uintptr_t)CONFIG_MMU_PAGE_SIZE))

/*
 * Map [virt, virt + size) to [phys, phys + size), replacing whatever was
 * mapped there. flags: one K_MEM_CACHE_* mode, K_MEM_PERM_RW (else
 * read-only), K_MEM_PERM_EXEC (else execute-disable where the paging mode
 * has it). K_MEM_PERM_USER is never passed (no user mode); other bits are
 * ignored. The memory itself is not accessed. Smallest pages only.
 */
void arch_mem_map(void *virt, uintptr_t phys, size_t size, uint32_t flags);

/*
 * Remove every mapping in [addr, addr + size), present or paged out; later
 * accesses fault and arch_page_location_get() says ARCH_PAGE_LOCATION_BAD.
 */
void arch_mem_unmap(void *addr, size_t size);

/*
 * Physical address mapped at virt, in *phys (which may be NULL). Returns 0
 * when a present mapping exists, -EFAULT otherwise. A page-table walk.
 */
int arch_page_phys_get(void *virt, uintptr_t *phys);

/*
 * Called once by the memory manager's init, after the kernel image's frames
 * are marked: mark the frames the kernel must never allocate (firmware
 * areas, holes in the loader's memory map) with z_page_frames_reserve().
 */
void arch_reserved_pages_update(void);

/*
 * Provided by the kernel for arch_reserved_pages_update(): frames in
 * [phys, phys + size) that lie in the page-frame database become reserved.
 * Parts outside the database are ignored.
 */
void z_page_frames_reserve(uintptr_t phys, size_t size);

/*
 * The highest physical address a mapping can name in this paging mode
 * (the kernel refuses physical ranges beyond it before calling
 * arch_mem_map()).
 */
uintptr_t arch_phys_addr_max(void);

/*
 * Alignment a virtual region for a physical mapping of [phys, phys + size)
 * should have (at least CONFIG_MMU_PAGE_SIZE; larger lets an architecture
 * use large pages).
 */
size_t arch_virt_region_align(uintptr_t phys, size_t size);

/* ---- demand-paging hooks ------------------------------------------------ */

enum arch_page_location {
	ARCH_PAGE_LOCATION_PAGED_OUT, /* in the backing store; location is valid */
	ARCH_PAGE_LOCATION_PAGED_IN,  /* resident; location is its physical address */
	ARCH_PAGE_LOCATION_BAD,       /* not mapped */
};

/* Bits returned by arch_page_info_get(). */
#define ARCH_DATA_PAGE_ACCESSED   (1UL << 0)
#define ARCH_DATA_PAGE_DIRTY      (1UL << 1)
#define ARCH_DATA_PAGE_LOADED     (1UL << 2)
#define ARCH_DATA_PAGE_NOT_MAPPED (1UL << 3)

/* Largest backing-store location arch_mem_page_out() can record, on every
 * paging mode (32-bit paging keeps bit 31 of the inverted address set).
 */
#define ARCH_PAGE_LOCATION_MAX ((uintptr_t)0x7FFFF000)

/*
 * Make the present page at addr fault on access in a way distinguishable
 * from an unmapped page, remembering location (page-aligned, at most
 * ARCH_PAGE_LOCATION_MAX, may be 0) for
 * arch_page_location_get(). Permissions and cache mode are kept for the
 * page-in. The stored entry never names real RAM (the address bits are
 * inverted, see the walker's header). Undefined on a page not present.
 */
void arch_mem_page_out(void *addr, uintptr_t location);

/*
 * Map the paged-out page at addr to frame phys with the permissions and
 * cache mode it had; accessed and dirty start clear. Undefined on a page
 * that is present.
 */
void arch_mem_page_in(void *addr, uintptr_t phys);

/* Map phys at ARCH_SCRATCH_PAGE, read-write, non-executable. */
void arch_mem_scratch(uintptr_t phys);

/*
 * Where the page at addr is: PAGED_IN (*location = its physical address),
 * PAGED_OUT (*location = the value given to arch_mem_page_out()), or BAD.
 * location may be NULL when only the state matters.
 */
enum arch_page_location arch_page_location_get(void *addr, uintptr_t *location);

/*
 * arch_mem_unmap() of count pages from addr (all in the window) that first
 * records what each page held: held[i] is what arch_page_location_get()
 * said of page i, its location with the enum arch_page_location in the low
 * bits (locations are page-aligned); split them with ARCH_PAGE_HELD_STATE()
 * and ARCH_PAGE_HELD_LOCATION(). One walk per page table and one pass over
 * the entries: for releasing a whole region.
 */
void arch_mem_unmap_collect(void *addr, size_t count, uintptr_t *held);

#define ARCH_PAGE_HELD_STATE(held)    ((enum arch_page_location)((held)&3U))
#define ARCH_PAGE_HELD_LOCATION(held) ((held) & ~(uintptr_t)3U)

/*
 * ARCH_DATA_PAGE_* bits for the page at addr, from the hardware accessed
 * and dirty bits: LOADED when present (then *location, if not NULL, is the
 * physical address, and ACCESSED/DIRTY are meaningful), NOT_MAPPED when not
 * mapped at all, neither when paged out (*location is then the backing
 * store location). location may be NULL. clear_accessed clears the accessed
 * bit of a present page (and its TLB entry, so the next access sets it again).
 */
uintptr_t arch_page_info_get(void *addr, uintptr_t *location, bool clear_accessed);

/*
 * Provided by the kernel (with CONFIG_DEMAND_PAGING): the architecture's
 * page-fault handler calls it for every page fault before treating it as
 * fatal. addr is the faulting address; irq_was_enabled and in_isr describe
 * the faulting context. Returns true when the fault was resolved and the
 * instruction must be retried.
 */
bool z_mem_page_fault(void *addr, bool irq_was_enabled, bool in_isr);

/*
 * Provided by the kernel (with CONFIG_DEMAND_PAGING): whether the present,
 * read-only page at addr is a demand-mapped page whose mapping is
 * writable, so that a write fault there is served (the page gets a frame
 * of its own). User-mode buffer validation counts such a page writable.
 */
bool z_mem_page_write_resolves(void *addr);

/*
 * Provided by the kernel: print one "Address 0x...: ..." line saying what
 * addr is (a guard page below or above a mapping, a paged-out page, an
 * unmapped page, the kernel image...), for the fatal page-fault report.
 * Takes no lock; safe in the exception handler.
 */
void z_mem_fault_print(const void *addr);

/* ---- Pagoda extensions ---------------------------------------------------- */

/*
 * Whether the physical range [phys, phys + size) overlaps memory the
 * architecture keeps for itself (the page tables): the kernel refuses to
 * map an alias of it.
 */
bool arch_mem_range_is_private(uintptr_t phys, size_t size);

/*
 * The K_MEM_PERM_* and K_MEM_CACHE_* flags of the page at virt, present or
 * paged out (whose entry keeps them for the page-in), in *flags. Returns 0,
 * or -EFAULT when virt is not mapped.
 */
int arch_page_flags_get(void *virt, uint32_t *flags);

/*
 * Bytes of the preallocated page-table area that hold entries (*used) and
 * its total size (*size).
 */
void arch_pagetables_usage(size_t *used, size_t *size);

/*
 * Print the kernel window one character per page (coloured on a terminal):
 * '.' unmapped, 'R' read-only, 'W' read-write, 'X' read-only executable,
 * '!' writable and executable, 'p' paged out; a legend first.
 */
void arch_page_tables_dump(void);

/* ---- inline forms of the hooks (the page-fault path) ---------------------- */

/*
 * An architecture may provide these inline, in a header of its own that
 * this one includes (x86: <arch/x86/mm_inline.h>), and defines
 * ARCH_HAS_INLINE_PAGE_HOOKS; otherwise they are the calls above.
 *
 * - arch_page_look(addr, clear_accessed): arch_page_info_get(addr, NULL,
 *   clear_accessed) of a present window page (the eviction algorithms'
 *   look).
 * - arch_window_page_location_get(addr, location): arch_page_location_get()
 *   of a window page, location not NULL.
 * - arch_window_page_out(), arch_window_page_in(), arch_window_scratch():
 *   arch_mem_page_out(), arch_mem_page_in() and arch_mem_scratch().
 */
#ifdef CONFIG_X86
#include <arch/x86/mm_inline.h>
#endif

#ifndef ARCH_HAS_INLINE_PAGE_HOOKS
static inline uintptr_t arch_page_look(void *addr, bool clear_accessed)
{
	return arch_page_info_get(addr, NULL, clear_accessed);
}

static inline enum arch_page_location arch_window_page_location_get(void *addr, uintptr_t *location)
{
	return arch_page_location_get(addr, location);
}

static inline void arch_window_page_out(void *addr, uintptr_t location)
{
	arch_mem_page_out(addr, location);
}

static inline void arch_window_page_in(void *addr, uintptr_t phys)
{
	arch_mem_page_in(addr, phys);
}

static inline void arch_window_scratch(uintptr_t phys)
{
	arch_mem_scratch(phys);
}
#endif

#endif /* PAGODA_INCLUDE_ARCH_MM_H */
