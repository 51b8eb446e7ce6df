/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mappings: anonymous memory with guard pages, physical ranges, permission
 * updates. Every entry point validates its arguments completely before it
 * changes anything, and a k_mem_map() that runs out of frames halfway
 * undoes what it did, so a failed call leaves the frame database, the
 * virtual regions and the page tables exactly as they were.
 */
#include <arch/mm.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <string.h>
#include <sys/errno.h>
#include <virt_region.h>

#define GUARD_SIZE K_MEM_PAGE_SIZE
#define PERM_FLAGS (K_MEM_PERM_RW | K_MEM_PERM_EXEC | K_MEM_PERM_USER)
#define ANON_FLAGS (PERM_FLAGS | K_MEM_MAP_UNINIT | K_MEM_MAP_LOCK)
#define PHYS_FLAGS (PERM_FLAGS | K_MEM_CACHE_MASK)

static bool page_aligned(uintptr_t value)
{
	return value % K_MEM_PAGE_SIZE == 0U;
}

static int check_perms_and_cache(const char *fn, uint32_t flags, uint32_t allowed)
{
	if ((flags & ~allowed) != 0U) {
		MM_ERR("%s: unsupported flags 0x%x", fn, (unsigned int)(flags & ~allowed));
		return -EINVAL;
	}
	if ((flags & K_MEM_CACHE_MASK) > K_MEM_CACHE_NONE) {
		MM_ERR("%s: unknown cache mode %u", fn, (unsigned int)(flags & K_MEM_CACHE_MASK));
		return -EINVAL;
	}
	if ((flags & K_MEM_PERM_USER) != 0U && !IS_ENABLED(CONFIG_USERSPACE)) {
		MM_ERR("%s: K_MEM_PERM_USER: no user mode (CONFIG_USERSPACE=n)", fn);
		return -ENOTSUP;
	}
	if ((flags & (K_MEM_PERM_RW | K_MEM_PERM_EXEC)) == (K_MEM_PERM_RW | K_MEM_PERM_EXEC) &&
	    !IS_ENABLED(CONFIG_MM_ALLOW_WRITE_EXEC)) {
		MM_ERR("%s: K_MEM_PERM_RW | K_MEM_PERM_EXEC: no page is both writable and "
		       "executable unless CONFIG_MM_ALLOW_WRITE_EXEC=y",
		       fn);
		return -EINVAL;
	}
	return 0;
}

/* size is a non-zero page multiple that leaves room for the two guards. */
static int check_guarded_size(const char *fn, size_t size)
{
	if (size == 0U || !page_aligned(size)) {
		MM_ERR("%s: size 0x%zx is not a non-zero multiple of the page size", fn, size);
		return -EINVAL;
	}
	if (size > K_MEM_VM_SIZE - 2U * GUARD_SIZE) {
		MM_ERR("%s: size 0x%zx with its guard pages exceeds the kernel window", fn, size);
		return -EINVAL;
	}
	return 0;
}

/* The shared zero frames are the kernel's (see z_paging_range_has_zero_frame()). */
static int check_no_zero_frame(const char *fn, uintptr_t phys, size_t size)
{
	if (z_paging_range_has_zero_frame(phys, size)) {
		MM_ERR("%s: physical range 0x%lx+0x%zx holds a shared zero frame", fn,
		       (unsigned long)phys, size);
		return -EINVAL;
	}
	return 0;
}

extern char __text_start[], __rodata_end[];

/* Whether the non-empty ranges [a, a + a_size) and [b, b + b_size) meet (no wrap needed). */
static bool ranges_overlap(uintptr_t a, size_t a_size, uintptr_t b, size_t b_size)
{
	return b - a < a_size || a - b < b_size;
}

/*
 * Which RAM a physical mapping may alias: frames the memory manager does
 * not hand out (reserved: firmware, holes), and the kernel image's frames,
 * but not the structures that describe memory (the frame database, the
 * architecture's page tables), and no writable alias of text or rodata.
 * Free frames, frames of anonymous memory and the zero frames belong to
 * the memory manager: an alias would see them freed and reused under it.
 */
static int check_phys_owner(const char *fn, uintptr_t phys, size_t size, uint32_t flags)
{
	uintptr_t db = K_MEM_PHYS_ADDR(k_mem_page_frames);
	uintptr_t ro_start = K_MEM_PHYS_ADDR(__text_start);
	uintptr_t ro_end = K_MEM_PHYS_ADDR(__rodata_end);
	const char *why = NULL;

	if (ranges_overlap(phys, size, db, sizeof(k_mem_page_frames))) {
		why = "the page-frame database";
	} else if (arch_mem_range_is_private(phys, size)) {
		why = "the page tables";
	} else if ((flags & K_MEM_PERM_RW) != 0U &&
		   ranges_overlap(phys, size, ro_start, ro_end - ro_start)) {
		why = "kernel text or rodata, mapped writable";
	}
	for (uintptr_t pos = phys; why == NULL && pos - phys < size; pos += K_MEM_PAGE_SIZE) {
		if (!k_mem_is_page_frame(pos)) {
			continue; /* device memory, or RAM the database does not cover */
		}

		const struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(pos);
		bool image = k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED) &&
			     k_mem_page_frame_to_virt(pf) < (void *)__kernel_end;

		if (!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_RESERVED) && !image) {
			why = k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_FREE)
				      ? "a free page frame"
				      : "a page frame of anonymous memory (or a zero frame)";
		}
	}
	if (why != NULL) {
		MM_ERR("%s: physical range 0x%lx+0x%zx holds %s: the memory manager owns it", fn,
		       (unsigned long)phys, size, why);
		return -EINVAL;
	}
	return 0;
}

/* [phys, phys + size) (non-empty, not wrapping) is addressable by the paging mode. */
static int check_phys_reach(const char *fn, uintptr_t phys, size_t size)
{
	if (phys + (size - 1U) > arch_phys_addr_max()) {
		MM_ERR("%s: physical range 0x%lx+0x%zx is beyond the highest physical address "
		       "0x%lx",
		       fn, (unsigned long)phys, size, (unsigned long)arch_phys_addr_max());
		return -EINVAL;
	}
	return 0;
}

static int check_map_args(uintptr_t phys, size_t size, uint32_t flags, bool is_anon)
{
	static const char fn[] = "k_mem_map";
	int ret;

	if (is_anon) {
		if ((flags & K_MEM_PERM_USER) != 0U && (flags & K_MEM_MAP_UNINIT) != 0U) {
			MM_ERR("%s: user access to uninitialized memory is forbidden", fn);
			return -EINVAL;
		}
		ret = check_perms_and_cache(fn, flags, ANON_FLAGS);
	} else {
		ret = check_perms_and_cache(fn, flags, PHYS_FLAGS);
		if (ret == 0 &&
		    (!page_aligned(phys) || (size != 0U && size - 1U > UINTPTR_MAX - phys))) {
			MM_ERR("%s: physical range 0x%lx+0x%zx is unaligned or wraps", fn,
			       (unsigned long)phys, size);
			ret = -EINVAL;
		}
	}
	ret = (ret != 0) ? ret : check_guarded_size(fn, size);
	ret = (ret != 0 || is_anon) ? ret : check_phys_reach(fn, phys, size);
	ret = (ret != 0 || is_anon) ? ret : check_no_zero_frame(fn, phys, size);
	return (ret != 0 || is_anon) ? ret : check_phys_owner(fn, phys, size, flags);
}

/* Pages one arch_mem_unmap_collect() call takes (stack use). */
#define RELEASE_BATCH 32U

/* Free what backed an unmapped anonymous page: held is what arch_mem_unmap_collect() found. */
static ALWAYS_INLINE void release_held(uintptr_t held)
{
	uintptr_t location = ARCH_PAGE_HELD_LOCATION(held);
	enum arch_page_location state = ARCH_PAGE_HELD_STATE(held);

	if (state == ARCH_PAGE_LOCATION_PAGED_OUT) {
		z_paging_location_free(location);
		return;
	}
	__ASSERT(state == ARCH_PAGE_LOCATION_PAGED_IN,
		 "an anonymous page of the region was not mapped");
	if (z_paging_is_zero_frame(location)) {
		return;
	}

	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(location);

	z_paging_frame_forget(pf);
	z_page_frame_free(pf);
}

/* release_anon() of more than one page, in batches (out of line: its frame is large). */
static __noinline void release_anon_batches(uint8_t *start, size_t size)
{
	uintptr_t held[RELEASE_BATCH];

	for (size_t pages = size / K_MEM_PAGE_SIZE; pages > 0U;) {
		size_t count = MIN(pages, RELEASE_BATCH);
		uint8_t *first = start + (pages - count) * K_MEM_PAGE_SIZE;

		arch_mem_unmap_collect(first, count, held);
		for (size_t i = count; i-- > 0U;) {
			release_held(held[i]);
		}
		pages -= count;
	}
}

/*
 * Unmap the anonymous pages in [start, start + size) and free what backed
 * them. Last page first: undoing a map restores the free list's exact order.
 */
static ALWAYS_INLINE void release_anon(uint8_t *start, size_t size)
{
	if (size == K_MEM_PAGE_SIZE) {
		uintptr_t held; /* a single page (a stack, a buffer): no batch */

		arch_mem_unmap_collect(start, 1, &held);
		release_held(held);
	} else {
		release_anon_batches(start, size);
	}
}

/* Demand mapping: the pages start on the shared zero frame, taking no frame. */
static bool maps_lazily(uint32_t flags)
{
	return IS_ENABLED(CONFIG_DEMAND_MAPPING) && (flags & K_MEM_MAP_LOCK) == 0U;
}

/*
 * Frames an eager map leaves to others: an unlocked one the
 * CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE frames k_mem_free_get() leaves
 * out, kept for locked maps (stacks, privileged stacks) and page faults.
 */
static inline size_t frames_held_from(uint32_t flags)
{
	return (flags & K_MEM_MAP_LOCK) != 0U ? 0U : z_paging_frames_reserved();
}

/*
 * Pages an eager map can back: the free frames, and with demand paging one
 * eviction per page beyond them, as many as z_paging_eager_room() allows
 * (the store's free and droppable locations less the fault's), less the
 * frames it leaves to others; for an unlocked map that is k_mem_free_get()
 * and the free locations less one. Checked before anything changes, so a
 * map beyond it fails with nothing moved.
 */
static bool exceeds_eager_capacity(size_t pages, size_t free_frames, uint32_t flags)
{
	size_t want = pages + frames_held_from(flags);

	return want > free_frames && want - free_frames > z_paging_eager_room(want - free_frames);
}

/*
 * Back each page with a free frame. The free list hands out ascending
 * frames after boot, so pages are mapped in physically contiguous runs: one
 * page-table walk per run, not per page. Frames become evictable only once
 * their entries exist and, when the map evicts (it is larger than the free
 * frames), once they are zeroed: a page evicted before its zeroing would
 * come back from the store only to be overwritten. A read-only page is
 * zeroed through a writable mapping first. *zeroed says whether the pages
 * were zeroed here (else the caller zeroes them after the lock).
 */
static int map_anon_pages(uint8_t *dst, size_t size, uint32_t flags, bool evicts, bool *zeroed)
{
	uint32_t final = (flags & PERM_FLAGS) | K_MEM_CACHE_WB;
	bool lock = (flags & K_MEM_MAP_LOCK) != 0U;
	bool zero = (flags & K_MEM_MAP_UNINIT) == 0U;
	bool zero_each = zero && (final & K_MEM_PERM_RW) == 0U;
	bool zero_runs = zero && !zero_each && evicts;
	uint8_t *end = dst + size;

	*zeroed = zero_each || zero_runs;
	if (maps_lazily(flags)) {
		z_paging_map_zero(dst, size, final);
		*zeroed = true; /* the zero frame reads as zeros */
		return 0;
	}
	for (uint8_t *pos = dst; pos < end;) {
		struct k_mem_page_frame *pf;
		size_t pages = z_page_frame_alloc_run(
			zero_each ? 1U : (size_t)(end - pos) / K_MEM_PAGE_SIZE, &pf);

		if (pages == 0U) {
			/* None free: demand paging may still evict a page for this one. */
			pf = z_paging_frame_get();
			if (pf == NULL) {
				release_anon(dst, (size_t)(pos - dst));
				return -ENOMEM;
			}
			pages = 1;
		}
		uintptr_t phys = k_mem_page_frame_to_phys(pf);

		if (zero_each) {
			arch_mem_map(pos, phys, K_MEM_PAGE_SIZE, final | K_MEM_PERM_RW);
			memset(pos, 0, K_MEM_PAGE_SIZE);
		}
		arch_mem_map(pos, phys, pages * K_MEM_PAGE_SIZE, final);
		if (zero_runs) {
			memset(pos, 0, pages * K_MEM_PAGE_SIZE);
		}
		for (size_t i = 0; i < pages; i++) {
			z_mm_anon_frame_mapped(pf + i, pos, lock);
			pos += K_MEM_PAGE_SIZE;
		}
	}
	return 0;
}

/*
 * The commonest anonymous map, recognised in three tests: read-write,
 * write-back, eager (locked, or demand mapping off), of a size that leaves
 * room for the guards. Such arguments are valid (check_map_args() would
 * pass them), and map_plain() serves them when the free frames suffice.
 */
static ALWAYS_INLINE bool anon_args_plain(size_t size, uint32_t flags)
{
	uint32_t base = flags & ~K_MEM_MAP_UNINIT;

	return (base == (K_MEM_PERM_RW | K_MEM_MAP_LOCK) ||
		(base == K_MEM_PERM_RW && !IS_ENABLED(CONFIG_DEMAND_MAPPING))) &&
	       size - 1U < K_MEM_VM_SIZE - 2U * GUARD_SIZE && page_aligned(size);
}

/*
 * map_plain() of more than one page: frames in physically consecutive runs,
 * one arch call per run. Frames fresh from the free list have no flag to
 * keep: a locked one is recorded in one store.
 */
static __noinline void map_plain_runs(uint8_t *dst, size_t pages, bool lock)
{
	for (uint8_t *pos = dst; pages > 0U;) {
		struct k_mem_page_frame *first;
		size_t run = z_page_frame_alloc_run(pages, &first); /* >= 1: enough are free */
		struct k_mem_page_frame *pf = first;
		struct k_mem_page_frame *end = first + run;

		arch_mem_map(pos, k_mem_page_frame_to_phys(pf), run * K_MEM_PAGE_SIZE,
			     K_MEM_PERM_RW | K_MEM_CACHE_WB);
		pages -= run;
		if (lock) {
			for (; pf != end; pf++, pos += K_MEM_PAGE_SIZE) {
				pf->va_and_flags = (uintptr_t)pos | K_MEM_PAGE_FRAME_MAPPED |
						   K_MEM_PAGE_FRAME_PINNED;
			}
		} else {
			for (; pf != end; pf++, pos += K_MEM_PAGE_SIZE) {
				z_mm_anon_frame_mapped(pf, pos, false);
			}
		}
	}
}

/*
 * A plain anonymous map (see anon_args_plain()) while the free frames cover
 * it: nothing to evict, so nothing can fail once the region is taken, and
 * none of the general path's cases apply. NULL: not so (no change made);
 * the general path then serves the call, or reports why it cannot.
 */
static void *map_plain(size_t size, uint32_t flags)
{
	size_t pages = size / K_MEM_PAGE_SIZE;
	bool lock = (flags & K_MEM_MAP_LOCK) != 0U;
	unsigned int key = irq_lock();
	uint8_t *region = (pages + frames_held_from(flags) <= z_free_page_frame_count())
				  ? z_virt_region_alloc_anon(size + 2U * GUARD_SIZE)
				  : NULL;

	if (region == NULL) {
		irq_unlock(key);
		return NULL;
	}

	uint8_t *dst = region + GUARD_SIZE;

	if (pages == 1U) {
		/* A single page (a stack, a buffer): no run to look for. */
		struct k_mem_page_frame *pf = z_page_frame_alloc();

		arch_mem_map(dst, k_mem_page_frame_to_phys(pf), K_MEM_PAGE_SIZE,
			     K_MEM_PERM_RW | K_MEM_CACHE_WB);
		if (lock) {
			/* A frame fresh from the free list has no other flag to keep. */
			pf->va_and_flags =
				(uintptr_t)dst | K_MEM_PAGE_FRAME_MAPPED | K_MEM_PAGE_FRAME_PINNED;
		} else {
			z_mm_anon_frame_mapped(pf, dst, false);
		}
	} else {
		/* Physically consecutive frames map one page table at a time. */
		map_plain_runs(dst, pages, lock);
	}
	irq_unlock(key);
	return dst;
}

/* Every other map, checked arguments and all (out of line: the plain map's frame stays small). */
static __noinline void *map_general(uintptr_t phys, size_t size, uint32_t flags, bool is_anon,
				    bool checked)
{
	if (!checked && check_map_args(phys, size, flags, is_anon) != 0) {
		return NULL;
	}

	unsigned int key = irq_lock();
	size_t free_frames = z_free_page_frame_count();
	bool eager = is_anon && !maps_lazily(flags);

	if (eager && exceeds_eager_capacity(size / K_MEM_PAGE_SIZE, free_frames, flags)) {
		irq_unlock(key);
		MM_ERR("k_mem_map: 0x%zx bytes (%zu pages) exceed what RAM and the backing store "
		       "can hold: %zu frames free, room for %zu more pages in the backing store",
		       size, size / K_MEM_PAGE_SIZE, free_frames, z_paging_eager_room(SIZE_MAX));
		return NULL;
	}

	uint8_t *region = z_virt_region_alloc(size + 2U * GUARD_SIZE, K_MEM_PAGE_SIZE);

	if (region == NULL) {
		irq_unlock(key);
		MM_ERR("k_mem_map: no free virtual region of 0x%zx bytes", size + 2U * GUARD_SIZE);
		return NULL;
	}

	uint8_t *dst = region + GUARD_SIZE; /* only now: NULL + offset is undefined */
	bool zeroed = true;

	/* Free virtual pages are never mapped, so the guards already fault. */
	if (!is_anon) {
		arch_mem_map(dst, phys, size, flags);
	} else if (map_anon_pages(dst, size, flags, size / K_MEM_PAGE_SIZE > free_frames,
				  &zeroed) == 0) {
		z_virt_region_mark_anon(region);
	} else {
		z_virt_region_free(region, size + 2U * GUARD_SIZE);
		irq_unlock(key);
		MM_ERR("k_mem_map: out of page frames for 0x%zx bytes (%zu frames free; no "
		       "page could be evicted for the rest)",
		       size, z_free_page_frame_count());
		return NULL;
	}
	irq_unlock(key);

	/* Nobody else knows dst yet: zero it outside the lock, in one go. */
	if (!zeroed && (flags & K_MEM_MAP_UNINIT) == 0U) {
		memset(dst, 0, size);
	}
	return dst;
}

void *k_mem_map_phys_guard(uintptr_t phys, size_t size, uint32_t flags, bool is_anon)
{
	if (is_anon && anon_args_plain(size, flags)) {
		uint8_t *dst = map_plain(size, flags);

		if (dst == NULL) {
			return map_general(phys, size, flags, is_anon, true);
		}
		/* Nobody else knows dst yet: zeroed outside the lock. */
		if ((flags & K_MEM_MAP_UNINIT) == 0U) {
			memset(dst, 0, size);
		}
		return dst;
	}
	return map_general(phys, size, flags, is_anon, false);
}

int k_mem_unmap_phys_guard(void *addr, size_t size, bool is_anon)
{
	static const char fn[] = "k_mem_unmap";
	uint8_t *dst = addr;

	if (check_guarded_size(fn, size) != 0) {
		return -EINVAL; /* one line printed, as for every failed call */
	}
	if (!page_aligned((uintptr_t)addr) || (uintptr_t)addr < K_MEM_VM_START + GUARD_SIZE) {
		MM_ERR("%s: %p+0x%zx is not a mapped region", fn, addr, size);
		return -EINVAL;
	}

	uint8_t *region = dst - GUARD_SIZE;
	size_t total = size + 2U * GUARD_SIZE;
	bool irq_on = arch_irq_enabled();
	unsigned int key = irq_lock();

	z_paging_wait_range_idle(dst, size, irq_on); /* a page moving: its transfer ends first */

	int kind = z_virt_region_exact_kind(region, total);
	const char *why = NULL;

	if (kind < 0) {
		why = "not a mapped region, already unmapped, or the wrong size";
	} else if ((kind != 0) != is_anon) {
		why = is_anon ? "not anonymous memory" : "not a physical mapping";
	} else if (!is_anon &&
		   (arch_page_location_get(region, NULL) != ARCH_PAGE_LOCATION_BAD ||
		    arch_page_location_get(dst + size, NULL) != ARCH_PAGE_LOCATION_BAD)) {
		/* Only k_mem_map() marks a region anonymous: those have their guards. */
		why = "its guard pages are mapped: not made by k_mem_map";
	} else if (is_anon && z_paging_range_in_transit(dst, size)) {
		irq_unlock(key);
		MM_ERR("%s: %p+0x%zx: a page of it is in transit to or from the backing store in "
		       "the code this interrupt handler interrupted",
		       fn, addr, size);
		return -EBUSY;
	}
	if (why != NULL) {
		irq_unlock(key);
		MM_ERR("%s: %p+0x%zx: %s", fn, addr, size, why);
		return -EINVAL;
	}

	if (is_anon) {
		release_anon(dst, size);
	} else {
		arch_mem_unmap(dst, size);
	}
	z_virt_region_free(region, total);
	irq_unlock(key);
	return 0;
}

size_t k_mem_region_align(uintptr_t *aligned_addr, size_t *aligned_size, uintptr_t addr,
			  size_t size, size_t align)
{
	size_t offset = (align != 0U) ? addr % align : 0U;

	/* No error return: a misuse gives the empty region at addr, offset 0. */
	if (aligned_addr == NULL || aligned_size == NULL || align == 0U ||
	    offset > SIZE_MAX - (align - 1U) || size > SIZE_MAX - (align - 1U) - offset) {
		MM_ERR("k_mem_region_align: 0x%lx+0x%zx to 0x%zx: NULL output, zero alignment "
		       "or overflow",
		       (unsigned long)addr, size, align);
		if (aligned_addr != NULL) {
			*aligned_addr = addr;
		}
		if (aligned_size != NULL) {
			*aligned_size = 0;
		}
		return 0;
	}
	*aligned_addr = ROUND_DOWN(addr, align);
	*aligned_size = ROUND_UP(size + (addr - *aligned_addr), align);
	return addr - *aligned_addr;
}

/* A physical range's page-aligned cover, if it neither is empty nor wraps. */
static int phys_cover(const char *fn, uintptr_t addr, size_t size, uintptr_t *aligned,
		      size_t *aligned_size)
{
	if (size == 0U || size - 1U > UINTPTR_MAX - addr ||
	    size > K_MEM_VM_SIZE - K_MEM_PAGE_SIZE) {
		MM_ERR("%s: range 0x%lx+0x%zx is empty, wraps or exceeds the window", fn,
		       (unsigned long)addr, size);
		return -EINVAL;
	}
	k_mem_region_align(aligned, aligned_size, addr, size, K_MEM_PAGE_SIZE);
	return 0;
}

int k_mem_map_phys_bare(uint8_t **virt_ptr, uintptr_t phys, size_t size, uint32_t flags)
{
	static const char fn[] = "k_mem_map_phys_bare";
	uintptr_t aligned_phys;
	size_t aligned_size;
	int ret;

	if (virt_ptr == NULL) {
		MM_ERR("%s: virt_ptr is NULL", fn);
		return -EINVAL;
	}
	*virt_ptr = NULL;
	ret = check_perms_and_cache(fn, flags, PHYS_FLAGS);
	if (ret == 0) {
		ret = phys_cover(fn, phys, size, &aligned_phys, &aligned_size);
	}
	if (ret == 0) {
		ret = check_phys_reach(fn, aligned_phys, aligned_size);
	}
	if (ret == 0) {
		ret = check_no_zero_frame(fn, aligned_phys, aligned_size);
	}
	if (ret == 0) {
		ret = check_phys_owner(fn, aligned_phys, aligned_size, flags);
	}
	if (ret != 0) {
		return ret;
	}

	unsigned int key = irq_lock();
	uint8_t *dst = z_virt_region_alloc(
		aligned_size,
		MAX(arch_virt_region_align(aligned_phys, aligned_size), K_MEM_PAGE_SIZE));

	if (dst != NULL) {
		arch_mem_map(dst, aligned_phys, aligned_size, flags);
	}
	irq_unlock(key);
	if (dst == NULL) {
		MM_ERR("%s: no free virtual region of 0x%zx bytes", fn, aligned_size);
		return -ENOMEM;
	}
	*virt_ptr = dst + (phys - aligned_phys);
	return 0;
}

int k_mem_unmap_phys_bare(uint8_t *virt, size_t size)
{
	static const char fn[] = "k_mem_unmap_phys_bare";
	uintptr_t aligned_virt;
	size_t aligned_size;

	if (phys_cover(fn, (uintptr_t)virt, size, &aligned_virt, &aligned_size) != 0) {
		return -EINVAL;
	}

	uint8_t *dst = (uint8_t *)aligned_virt;
	unsigned int key = irq_lock();
	/* Guarded regions (anonymous or physical) are exact only with their
	 * guards, and an unmapped first page tells them from bare mappings.
	 */
	bool ok = z_virt_region_is_exact(dst, aligned_size) && !z_virt_region_is_anon(dst) &&
		  arch_page_location_get(dst, NULL) != ARCH_PAGE_LOCATION_BAD;

	if (ok) {
		arch_mem_unmap(dst, aligned_size);
		z_virt_region_free(dst, aligned_size);
	}
	irq_unlock(key);
	if (!ok) {
		MM_ERR("%s: %p+0x%zx is not a physical mapping (or the wrong size)", fn, virt,
		       size);
		return -EINVAL;
	}
	return 0;
}

/* k_mem_update_flags(), step 1: only what k_mem_map*() mapped, all of it. */
static int update_flags_check(const char *fn, uint8_t *start, size_t size)
{
	/* Not the image (text, the frame database, the page tables...) nor the
	 * scratch page, even while a transfer left it mapped.
	 */
	if (!z_virt_is_anon_space(start) ||
	    size > (uintptr_t)ARCH_SCRATCH_PAGE - (uintptr_t)start) {
		MM_ERR("%s: %p+0x%zx is not memory k_mem_map() or k_mem_map_phys_*() mapped", fn,
		       start, size);
		return -EINVAL;
	}
	if (z_paging_range_in_transit(start, size)) {
		MM_ERR("%s: %p+0x%zx: a page of it is in transit to or from the backing store in "
		       "the code this interrupt handler interrupted",
		       fn, start, size);
		return -EBUSY;
	}

	bool ok = z_virt_region_is_allocated(start, size);

	for (uint8_t *pos = start; ok && pos < start + size; pos += K_MEM_PAGE_SIZE) {
		ok = arch_page_phys_get(pos, NULL) == 0 || z_paging_page_is_frameless_anon(pos);
	}
	if (!ok) {
		MM_ERR("%s: %p+0x%zx is not entirely mapped memory", fn, start, size);
		return -EINVAL;
	}
	return 0;
}

/*
 * Step 2: bring paged-out pages in, so that applying cannot fail halfway,
 * and hold every page resident until the update is done: a later page-in
 * would otherwise send back a page brought in before.
 */
static int update_flags_hold(const char *fn, uint8_t *start, size_t size)
{
	for (uint8_t *pos = start; pos < start + size; pos += K_MEM_PAGE_SIZE) {
		if (arch_page_location_get(pos, NULL) == ARCH_PAGE_LOCATION_PAGED_OUT) {
			int ret = z_paging_page_make_resident(pos, false);

			if (ret != 0) {
				MM_ERR("%s: %p+0x%zx: paging it in failed (%d), no permission "
				       "changed",
				       fn, start, size, ret);
				return ret;
			}
		}
		z_paging_hold(pos);
	}
	return 0;
}

/* Step 3: the new entries. */
static void update_flags_apply(uint8_t *start, size_t size, uint32_t flags)
{
	for (uint8_t *pos = start; pos < start + size; pos += K_MEM_PAGE_SIZE) {
		uintptr_t phys;

		if (z_paging_zero_page_update(pos, flags)) {
			continue;
		}
		z_paging_drop_stale_copy(pos);
		(void)arch_page_phys_get(pos, &phys);
		arch_mem_map(pos, phys, K_MEM_PAGE_SIZE, flags);
	}
}

/* Step 4: evictable again (also the pages step 2 reached before it failed). */
static void update_flags_release(uint8_t *start, size_t size)
{
	for (uint8_t *pos = start; pos < start + size; pos += K_MEM_PAGE_SIZE) {
		z_paging_unhold(pos);
	}
}

int k_mem_update_flags(void *addr, size_t size, uint32_t flags)
{
	static const char fn[] = "k_mem_update_flags";
	uint8_t *start = addr;
	int ret = check_perms_and_cache(fn, flags, PHYS_FLAGS);

	if (ret != 0) {
		return ret;
	}
	if (!page_aligned((uintptr_t)addr) || size == 0U || !page_aligned(size)) {
		MM_ERR("%s: %p+0x%zx is not a page-aligned range", fn, addr, size);
		return -EINVAL;
	}

	bool irq_on = arch_irq_enabled();
	unsigned int key = irq_lock();

	z_paging_wait_range_idle(start, size, irq_on); /* a page moving: its transfer ends first */
	ret = update_flags_check(fn, start, size);
	if (ret == 0) {
		ret = update_flags_hold(fn, start, size);
		if (ret == 0) {
			update_flags_apply(start, size, flags);
		}
		update_flags_release(start, size);
	}
	irq_unlock(key);
	return ret;
}

int k_mem_page_flags_get(const void *addr, uint32_t *flags)
{
	if (flags == NULL) {
		MM_ERR("k_mem_page_flags_get: %p: flags is NULL", addr);
		return -EINVAL;
	}
	void *va = (void *)ROUND_DOWN((uintptr_t)addr, CONFIG_MMU_PAGE_SIZE);
	int ret = arch_page_flags_get(va, flags);

	/* A demand-mapped page maps the writable zero frame read-only until its
	 * first write: report the permissions it was mapped with.
	 */
	if (ret == 0 && z_paging_page_is_zero_rw(va)) {
		*flags |= K_MEM_PERM_RW;
	}
	return ret;
}

size_t k_mem_free_get(void)
{
	size_t frames = z_free_page_frame_count();
	size_t reserved = z_paging_frames_reserved();

	return (frames > reserved ? frames - reserved : 0U) * K_MEM_PAGE_SIZE;
}

void z_mem_manage_init(void)
{
	z_page_frames_init();
	z_virt_region_init((uintptr_t)__kernel_end);
	z_paging_init();
}
