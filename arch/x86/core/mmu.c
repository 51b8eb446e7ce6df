/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory-management arch interface (<arch/mm.h>) on the x86 page tables:
 * mapping, unmapping, the demand-paging hooks and the queries. The entry
 * encodings are in x86_mmu.h.
 *
 * Everything the kernel maps lies in the window, whose tables gen_mmu.py
 * preallocated and linked for good, so writers find a page's table in
 * window_pts[] (read once by z_x86_mmu_init()) instead of walking, and
 * range writers look once per page table, not once per page. Queries accept
 * any address: a window page's entry is found the same way, any other
 * address by z_x86_walk().
 */
#include <arch/mem_domain.h>
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>
#include <sys/errno.h>
#include <x86_mmu.h>

BUILD_ASSERT(ARCH_PAGE_LOCATION_MAX <= X86_MMU_LOCATION_MAX,
	     "the contract promises more locations than the encoding holds");

#define PAGE    ((uintptr_t)CONFIG_MMU_PAGE_SIZE)
#define VM_BASE ((uintptr_t)CONFIG_KERNEL_VM_BASE)
#define VM_SIZE ((uintptr_t)CONFIG_KERNEL_VM_SIZE)

BUILD_ASSERT(CONFIG_MMU_PAGE_SIZE == 4096, "x86 maps 4 KiB pages");
#ifndef Z_X86_MMU_HOST_TEST
BUILD_ASSERT(K_MEM_PHYS_ADDR(Z_X86_VIRT_OFFSET) == 0,
	     "the kernel's and the arch's virtual offsets of the image differ");
#endif
#if !defined(CONFIG_X86_64) && !defined(CONFIG_X86_PAE)
/* A paged-out entry names an address at or above 2 GiB (see x86_mmu.h). */
BUILD_ASSERT((unsigned long long)CONFIG_SRAM_BASE_ADDRESS + CONFIG_SRAM_SIZE * 1024ULL <=
		     0x80000000ULL,
	     "32-bit paging: RAM must end below 2 GiB for the L1TF-safe paged-out encoding");
#endif

/* [virt, virt + size) is page-aligned and inside the kernel window. */
static ALWAYS_INLINE void assert_window(uintptr_t virt, size_t size)
{
	__ASSERT(((virt | size) & (PAGE - 1)) == 0, "unaligned range %p, size 0x%zx", (void *)virt,
		 size);
	__ASSERT(size <= VM_SIZE && virt - VM_BASE <= VM_SIZE - size,
		 "[%p, +0x%zx) is outside the kernel window", (void *)virt, size);
	ARG_UNUSED(virt);
	ARG_UNUSED(size);
}

pentry_t *z_x86_window_pts[Z_X86_WINDOW_PTS];
static pentry_t *scratch_entry; /* the scratch page's, rewritten by every transfer */

/* The page table covering a window address. */
static ALWAYS_INLINE pentry_t *window_pt(uintptr_t virt)
{
	return z_x86_window_pts[z_x86_window_pt_index(virt)];
}

/* The leaf entry of a window page. With assertions, the walk confirms the
 * index (and asserts every level above links a table).
 */
static ALWAYS_INLINE pentry_t *window_entry(uintptr_t virt)
{
	assert_window(virt, PAGE);
	__ASSERT(window_pt(virt) == z_x86_leaf_table(virt), "%p: page table moved", (void *)virt);
	return &window_pt(virt)[z_x86_entry_index(virt, Z_X86_LEAF_LEVEL)];
}

void z_x86_mmu_init(void)
{
	for (size_t i = 0; i < Z_X86_WINDOW_PTS; i++) {
		uintptr_t virt = ((VM_BASE >> Z_X86_PT_SHIFT) + i) << Z_X86_PT_SHIFT;

		z_x86_window_pts[i] = z_x86_leaf_table(MAX(virt, VM_BASE));
	}
	scratch_entry = window_entry((uintptr_t)ARCH_SCRATCH_PAGE);
}

/* Whether virt lies in the window: then every level above its entry links a table. */
static ALWAYS_INLINE bool in_window(uintptr_t virt)
{
	return virt - VM_BASE < VM_SIZE;
}

/*
 * z_x86_walk_state() for any address, a window page's entry without the
 * walk: the queries' common case (the generic layer asks about its pages).
 */
static ALWAYS_INLINE enum z_x86_entry_state walk_state(uintptr_t virt, pentry_t **entry,
						       unsigned int *level)
{
	if (likely(in_window(virt))) {
		*entry = &window_pt(virt)[z_x86_entry_index(virt, Z_X86_LEAF_LEVEL)];
		*level = Z_X86_LEAF_LEVEL;
		return z_x86_entry_state(**entry, Z_X86_LEAF_LEVEL);
	}
	return z_x86_walk_state(virt, entry, level);
}

/*
 * Present entry bits for K_MEM_* flags, one table entry per combination of
 * the cache mode (bits 0-2) and K_MEM_PERM_RW / _EXEC / _USER (bits 3-5):
 * a load instead of a computation on every map. Default PAT: PWT selects
 * write-through, PCD|PWT strong uncacheable; invalid modes (asserted) get
 * the strongest.
 */
#define ATTR_CACHE(c)                                                                              \
	((c) == K_MEM_CACHE_WB   ? 0                                                               \
	 : (c) == K_MEM_CACHE_WT ? X86_MMU_PWT                                                     \
				 : X86_MMU_PCD | X86_MMU_PWT)
#define ATTR(f)                                                                                    \
	(X86_MMU_P | ATTR_CACHE((f)&K_MEM_CACHE_MASK) |                                            \
	 (((f)&K_MEM_PERM_RW) != 0 ? X86_MMU_RW : 0) |                                             \
	 (((f)&K_MEM_PERM_EXEC) != 0 ? 0 : X86_MMU_XD) |                                           \
	 (((f)&K_MEM_PERM_USER) != 0 ? X86_MMU_US : 0))
#define ATTR8(f)                                                                                   \
	ATTR(f), ATTR((f) + 1), ATTR((f) + 2), ATTR((f) + 3), ATTR((f) + 4), ATTR((f) + 5),        \
		ATTR((f) + 6), ATTR((f) + 7)
#define ATTR_INDEX (K_MEM_CACHE_MASK | K_MEM_PERM_RW | K_MEM_PERM_EXEC | K_MEM_PERM_USER)
BUILD_ASSERT(ATTR_INDEX == 63, "the attribute table covers bits 0-5 of the flags");

static const pentry_t entry_attr_table[ATTR_INDEX + 1] = {
	ATTR8(0), ATTR8(8), ATTR8(16), ATTR8(24), ATTR8(32), ATTR8(40), ATTR8(48), ATTR8(56)};

static ALWAYS_INLINE pentry_t entry_attrs(uint32_t flags)
{
	__ASSERT((flags & K_MEM_CACHE_MASK) <= K_MEM_CACHE_NONE, "unknown cache mode in 0x%x",
		 flags);
	return entry_attr_table[flags & ATTR_INDEX];
}

/* Replace one entry; a TLB entry can only exist if the old one was present. */
static ALWAYS_INLINE void entry_replace(pentry_t *entry, uintptr_t virt, pentry_t value)
{
	pentry_t old = *entry;

	z_x86_entry_write(entry, value);
	if ((old & X86_MMU_P) != 0) {
		z_x86_tlb_flush_page(virt);
	}
	/* Last, so the common case (no copy) keeps no frame for the call. */
	z_x86_domains_update(virt, value);
}

/*
 * Set the entries of [virt, virt + size) to value, value + step, ...: one
 * walk per page table, then a tight loop over its entries. Single pages
 * (the generic layer maps frame by frame) skip the range bookkeeping.
 */
static ALWAYS_INLINE void entries_set(uintptr_t virt, size_t size, pentry_t value, pentry_t step)
{
	size_t pages = size / PAGE;

	if (size == PAGE) {
		entry_replace(window_entry(virt), virt, value);
		return;
	}
	assert_window(virt, size);
	while (pages > 0) {
		unsigned int index = z_x86_entry_index(virt, Z_X86_LEAF_LEVEL);
		size_t count = MIN(pages, (size_t)(Z_X86_PT_ENTRIES - index));
		pentry_t *entry = &window_pt(virt)[index];
		pentry_t *end = entry + count;

		pages -= count;
		do {
			entry_replace(entry, virt, value);
			value += step;
			virt += PAGE;
		} while (++entry != end);
	}
}

void arch_mem_map(void *virt, uintptr_t phys, size_t size, uint32_t flags)
{
	__ASSERT(((pentry_t)phys & ~X86_MMU_ADDR_MASK) == 0, "bad physical address 0x%lx",
		 (unsigned long)phys);
	entries_set((uintptr_t)virt, size, (pentry_t)phys | entry_attrs(flags), PAGE);
}

void arch_mem_unmap(void *addr, size_t size)
{
	entries_set((uintptr_t)addr, size, 0, 0);
}

bool arch_mem_range_is_private(uintptr_t phys, size_t size)
{
	uintptr_t tables = z_x86_table_phys(z_x86_top_table());

#if defined(CONFIG_USERSPACE) && !defined(Z_X86_MMU_HOST_TEST)
	/* The memory domains' tables too (mem_domain.c's pool, in the image). */
	if (arch_mem_domain_range_is_private(phys + Z_X86_VIRT_OFFSET, size)) {
		return true;
	}
#endif
	return tables - phys < size || phys - tables < (uintptr_t)Z_X86_PAGETABLES_SIZE;
}

void arch_mem_scratch(uintptr_t phys)
{
	__ASSERT(((pentry_t)phys & ~X86_MMU_ADDR_MASK) == 0, "bad physical address 0x%lx",
		 (unsigned long)phys);
	entry_replace(scratch_entry, (uintptr_t)ARCH_SCRATCH_PAGE,
		      (pentry_t)phys | entry_attrs(K_MEM_CACHE_WB | K_MEM_PERM_RW));
}

void z_x86_scratch_read(void *dst, uintptr_t phys, size_t len)
{
	uint8_t *out = dst;

	while (len > 0) {
		uintptr_t offset = phys & (PAGE - 1);
		size_t chunk = MIN(len, (size_t)(PAGE - offset));

		arch_mem_scratch(phys - offset);
		memcpy(out, (const uint8_t *)ARCH_SCRATCH_PAGE + offset, chunk);
		out += chunk;
		phys += chunk;
		len -= chunk;
	}
}

/* Physical address virt maps to through a present entry at level. */
static ALWAYS_INLINE uintptr_t entry_phys(pentry_t entry, unsigned int level, uintptr_t virt)
{
	uintptr_t span = ((uintptr_t)1 << z_x86_paging_levels[level].shift) - 1;

	/* A large page maps the low bits of virt unchanged (and keeps PAT in bit 12). */
	return (uintptr_t)(entry & X86_MMU_ADDR_MASK & ~(pentry_t)span) | (virt & span);
}

int arch_page_phys_get(void *virt, uintptr_t *phys)
{
	unsigned int level;
	pentry_t *entry;

	if (walk_state((uintptr_t)virt, &entry, &level) != Z_X86_ENTRY_PRESENT) {
		return -EFAULT;
	}
	if (phys != NULL) {
		*phys = entry_phys(*entry, level, (uintptr_t)virt);
	}
	return 0;
}

uintptr_t arch_phys_addr_max(void)
{
	/* 32-bit paging: all of uintptr_t; PAE: all of it too (entries hold
	 * more bits than a 32-bit address has); IA-32e: the entries' 52 bits.
	 */
	return (uintptr_t)(X86_MMU_ADDR_MASK | (PAGE - 1));
}

size_t arch_virt_region_align(uintptr_t phys, size_t size)
{
	/* Only 4 KiB pages are mapped, so nothing gains from more alignment. */
	ARG_UNUSED(phys);
	ARG_UNUSED(size);
	return PAGE;
}

void arch_mem_page_out(void *addr, uintptr_t location)
{
	pentry_t *entry = window_entry((uintptr_t)addr);
	pentry_t old = *entry;

	__ASSERT(z_x86_entry_state(old, Z_X86_LEAF_LEVEL) == Z_X86_ENTRY_PRESENT,
		 "page out of %p: not present (0x%llx)", addr, (unsigned long long)old);
	__ASSERT((location & (PAGE - 1)) == 0 && location <= X86_MMU_LOCATION_MAX,
		 "page out of %p: bad location 0x%lx", addr, (unsigned long)location);
	z_x86_entry_write(entry, z_x86_paged_out_entry(old, location));
#ifndef PAGODA_BUG_NO_PAGE_OUT_TLB_FLUSH /* a proof switch of the fuzzer's tests, never set */
	z_x86_tlb_flush_page((uintptr_t)addr);
#endif
	z_x86_domains_update((uintptr_t)addr, *entry);
}

void arch_mem_page_in(void *addr, uintptr_t phys)
{
	pentry_t *entry = window_entry((uintptr_t)addr);
	pentry_t old = *entry;

	__ASSERT(z_x86_entry_state(old, Z_X86_LEAF_LEVEL) == Z_X86_ENTRY_PAGED_OUT,
		 "page in of %p: not paged out (0x%llx)", addr, (unsigned long long)old);
	__ASSERT(((pentry_t)phys & ~X86_MMU_ADDR_MASK) == 0, "bad physical address 0x%lx",
		 (unsigned long)phys);
	/* The old entry was not present: nothing to invalidate. */
	z_x86_entry_write(entry, (pentry_t)phys | X86_MMU_P | (old & X86_MMU_PAGE_OUT_KEEP));
	z_x86_domains_update((uintptr_t)addr, *entry);
}

enum arch_page_location arch_page_location_get(void *addr, uintptr_t *location)
{
	unsigned int level;
	pentry_t *entry;
	enum z_x86_entry_state state = walk_state((uintptr_t)addr, &entry, &level);
	uintptr_t where;
	enum arch_page_location result;

	if (state == Z_X86_ENTRY_PRESENT) {
		where = entry_phys(*entry, level, (uintptr_t)addr & ~(PAGE - 1));
		result = ARCH_PAGE_LOCATION_PAGED_IN;
	} else if (state == Z_X86_ENTRY_PAGED_OUT) {
		where = z_x86_paged_out_location(*entry);
		result = ARCH_PAGE_LOCATION_PAGED_OUT;
	} else {
		return ARCH_PAGE_LOCATION_BAD;
	}
	if (location != NULL) {
		*location = where;
	}
	return result;
}

void arch_mem_unmap_collect(void *addr, size_t count, uintptr_t *held)
{
	uintptr_t virt = (uintptr_t)addr;

	assert_window(virt, count * PAGE);
	while (count > 0) {
		unsigned int index = z_x86_entry_index(virt, Z_X86_LEAF_LEVEL);
		size_t run = MIN(count, (size_t)(Z_X86_PT_ENTRIES - index));
		pentry_t *entry = &window_pt(virt)[index];

		count -= run;
		for (pentry_t *end = entry + run; entry != end; entry++, virt += PAGE) {
			pentry_t value = *entry;
			enum z_x86_entry_state state = z_x86_entry_state(value, Z_X86_LEAF_LEVEL);

			if (state == Z_X86_ENTRY_PRESENT) {
				*held++ = (uintptr_t)(value & X86_MMU_ADDR_MASK) |
					  ARCH_PAGE_LOCATION_PAGED_IN;
				z_x86_entry_write(entry, 0);
				z_x86_domains_update(virt, 0);
				z_x86_tlb_flush_page(virt);
			} else if (state == Z_X86_ENTRY_PAGED_OUT) {
				*held++ = z_x86_paged_out_location(value) |
					  ARCH_PAGE_LOCATION_PAGED_OUT;
				z_x86_entry_write(entry, 0);
				z_x86_domains_update(virt, 0);
			} else {
				*held++ = ARCH_PAGE_LOCATION_BAD;
			}
		}
	}
}

/*
 * arch_page_info_get() of the entry at level, where the walk for addr
 * stopped. With domains, the accessed and dirty bits of the domains'
 * copies of its page table count too (the CPU sets them in the tables it
 * walks).
 */
static ALWAYS_INLINE uintptr_t page_info(void *addr, pentry_t *entry, unsigned int level,
					 enum z_x86_entry_state state, uintptr_t *location,
					 bool clear_accessed, bool domains)
{
	pentry_t value = *entry;
	uintptr_t info;
	uintptr_t where;

	if (state == Z_X86_ENTRY_PRESENT) {
		pentry_t ad = value;

#if defined(CONFIG_USERSPACE) && !defined(Z_X86_MMU_HOST_TEST)
		if (domains && level == Z_X86_LEAF_LEVEL && in_window((uintptr_t)addr) &&
		    z_x86_pt_is_copied((uintptr_t)addr)) {
			ad |= z_x86_domains_ad((uintptr_t)addr, clear_accessed);
		}
#else
		ARG_UNUSED(domains);
#endif
		info = ARCH_DATA_PAGE_LOADED;
		if ((ad & X86_MMU_D) != 0) {
			info |= ARCH_DATA_PAGE_DIRTY;
		}
		if ((ad & X86_MMU_A) != 0) {
			info |= ARCH_DATA_PAGE_ACCESSED;
			/* A clear means no TLB entry holds this translation (the
			 * CPU sets A when it caches one), so only this case
			 * needs the invalidation.
			 */
			if (clear_accessed) {
				z_x86_entry_write(entry, value & ~X86_MMU_A);
				z_x86_tlb_flush_page((uintptr_t)addr);
			}
		}
		if (location == NULL) {
			return info; /* the eviction algorithms' look: bits only */
		}
		where = entry_phys(value, level, (uintptr_t)addr & ~(PAGE - 1));
	} else if (state == Z_X86_ENTRY_PAGED_OUT) {
		info = 0;
		where = z_x86_paged_out_location(value);
	} else {
		return ARCH_DATA_PAGE_NOT_MAPPED;
	}
	if (location != NULL) {
		*location = where;
	}
	return info;
}

static ALWAYS_INLINE uintptr_t info_get(void *addr, uintptr_t *location, bool clear_accessed,
					bool domains)
{
	uintptr_t virt = (uintptr_t)addr;
	unsigned int level;
	pentry_t *entry;
	enum z_x86_entry_state state;

	if (likely(in_window(virt))) {
		/* Separate from the walk: at a constant level the physical address is a mask. */
		entry = &window_pt(virt)[z_x86_entry_index(virt, Z_X86_LEAF_LEVEL)];
		state = z_x86_entry_state(*entry, Z_X86_LEAF_LEVEL);
		return page_info(addr, entry, Z_X86_LEAF_LEVEL, state, location, clear_accessed,
				 domains);
	}
	state = z_x86_walk_state(virt, &entry, &level);
	return page_info(addr, entry, level, state, location, clear_accessed, domains);
}

#if defined(CONFIG_USERSPACE) && !defined(Z_X86_MMU_HOST_TEST)
static __noinline uintptr_t info_get_domains(void *addr, uintptr_t *location, bool clear_accessed)
{
	return info_get(addr, location, clear_accessed, true);
}
#endif

uintptr_t arch_page_info_get(void *addr, uintptr_t *location, bool clear_accessed)
{
#if defined(CONFIG_USERSPACE) && !defined(Z_X86_MMU_HOST_TEST)
	/* Apart, so the path without other views keeps no frame for the call.
	 * The page table's own count decides (z_x86_pt_is_copied(), as for
	 * the inline hooks): a domain's copy of it or, with KPTI, user mode's
	 * shared view, which maps the user pages even when no domain holds a
	 * copy, so that a write made through it sets D there only.
	 */
	if (unlikely(in_window((uintptr_t)addr) && z_x86_pt_is_copied((uintptr_t)addr))) {
		return info_get_domains(addr, location, clear_accessed);
	}
#endif
	return info_get(addr, location, clear_accessed, false);
}

int arch_page_flags_get(void *virt, uint32_t *flags)
{
	unsigned int level;
	pentry_t *at;
	pentry_t entry;
	uint32_t result;

	/* A paged-out entry keeps the permissions and cache mode for its page-in. */
	if (walk_state((uintptr_t)virt, &at, &level) == Z_X86_ENTRY_UNMAPPED) {
		return -EFAULT;
	}
	entry = *at;
	if ((entry & X86_MMU_PCD) != 0) {
		result = K_MEM_CACHE_NONE;
	} else if ((entry & X86_MMU_PWT) != 0) {
		result = K_MEM_CACHE_WT;
	} else {
		result = K_MEM_CACHE_WB;
	}
	if ((entry & X86_MMU_RW) != 0) {
		result |= K_MEM_PERM_RW;
	}
	if ((entry & X86_MMU_US) != 0) {
		result |= K_MEM_PERM_USER;
	}
	/* Without XD (32-bit paging) every present page is executable. */
	if ((entry & X86_MMU_XD) == 0) {
		result |= K_MEM_PERM_EXEC;
	}
	*flags = result;
	return 0;
}
