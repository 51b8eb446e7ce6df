/*
 * Kernel-internal memory-manager definitions: the page-frame database and
 * the virtual-region allocator, shared by kernel/mm/ files (and, later, the
 * demand-paging code, eviction algorithms and backing stores).
 */
#ifndef PAGODA_KERNEL_INCLUDE_MMU_H
#define PAGODA_KERNEL_INCLUDE_MMU_H

#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define K_MEM_PAGE_SIZE ((size_t)CONFIG_MMU_PAGE_SIZE)

/* RAM the page-frame database covers: [K_MEM_PHYS_RAM_START, K_MEM_PHYS_RAM_END). */
#define K_MEM_PHYS_RAM_START  ((uintptr_t)CONFIG_SRAM_BASE_ADDRESS)
#define K_MEM_PHYS_RAM_SIZE   ((size_t)CONFIG_SRAM_SIZE * 1024U)
#define K_MEM_PHYS_RAM_END    (K_MEM_PHYS_RAM_START + K_MEM_PHYS_RAM_SIZE)
#define K_MEM_NUM_PAGE_FRAMES (K_MEM_PHYS_RAM_SIZE / K_MEM_PAGE_SIZE)

/* The kernel window. */
#define K_MEM_VM_START     ((uintptr_t)CONFIG_KERNEL_VM_BASE)
#define K_MEM_VM_SIZE      ((size_t)CONFIG_KERNEL_VM_SIZE)
#define K_MEM_VM_END       (K_MEM_VM_START + K_MEM_VM_SIZE)
#define K_MEM_VM_NUM_PAGES (K_MEM_VM_SIZE / K_MEM_PAGE_SIZE)

/*
 * One record per RAM frame: a single machine word. The upper bits hold
 * the page-aligned virtual address the frame backs when MAPPED, or, on the
 * free list, the index of the next free frame plus one (0 ends the list).
 * The low bits hold the K_MEM_PAGE_FRAME_* flags.
 */
struct k_mem_page_frame {
	uintptr_t va_and_flags;
};

#define K_MEM_PAGE_FRAME_FREE       BIT(0) /* on the free list */
#define K_MEM_PAGE_FRAME_RESERVED   BIT(1) /* never allocated: not usable RAM */
#define K_MEM_PAGE_FRAME_MAPPED     BIT(2) /* backs the virtual page in the upper bits */
#define K_MEM_PAGE_FRAME_PINNED     BIT(3) /* never evicted */
#define K_MEM_PAGE_FRAME_BUSY       BIT(4) /* in transit to or from the backing store */
#define K_MEM_PAGE_FRAME_BACKED     BIT(5) /* the backing store holds a copy */
#define K_MEM_PAGE_FRAME_FLAGS_MASK ((uintptr_t)K_MEM_PAGE_SIZE - 1U)

extern struct k_mem_page_frame k_mem_page_frames[K_MEM_NUM_PAGE_FRAMES];

static inline bool k_mem_is_page_frame(uintptr_t phys)
{
	return phys >= K_MEM_PHYS_RAM_START && phys < K_MEM_PHYS_RAM_END;
}

static inline struct k_mem_page_frame *k_mem_phys_to_page_frame(uintptr_t phys)
{
	return &k_mem_page_frames[(phys - K_MEM_PHYS_RAM_START) / K_MEM_PAGE_SIZE];
}

static inline uintptr_t k_mem_page_frame_to_phys(const struct k_mem_page_frame *pf)
{
	return K_MEM_PHYS_RAM_START + (uintptr_t)(pf - k_mem_page_frames) * K_MEM_PAGE_SIZE;
}

static inline uintptr_t k_mem_page_frame_flags(const struct k_mem_page_frame *pf)
{
	return pf->va_and_flags & K_MEM_PAGE_FRAME_FLAGS_MASK;
}

static inline bool k_mem_page_frame_is(const struct k_mem_page_frame *pf, uintptr_t flag)
{
	return (pf->va_and_flags & flag) != 0U;
}

static inline void k_mem_page_frame_set(struct k_mem_page_frame *pf, uintptr_t flags)
{
	pf->va_and_flags |= flags;
}

static inline void k_mem_page_frame_clear(struct k_mem_page_frame *pf, uintptr_t flags)
{
	pf->va_and_flags &= ~flags;
}

/* Virtual address a MAPPED frame backs. */
static inline void *k_mem_page_frame_to_virt(const struct k_mem_page_frame *pf)
{
	return (void *)(pf->va_and_flags & ~K_MEM_PAGE_FRAME_FLAGS_MASK);
}

/* Record that pf backs the page at va (MAPPED), keeping PINNED/BACKED. */
static inline void k_mem_page_frame_mapped_set(struct k_mem_page_frame *pf, void *va)
{
	pf->va_and_flags = (uintptr_t)va | K_MEM_PAGE_FRAME_MAPPED |
			   (pf->va_and_flags & (K_MEM_PAGE_FRAME_PINNED | K_MEM_PAGE_FRAME_BACKED));
}

/* The frame a kernel-image address was loaded at, and back. */
#define K_MEM_VIRT_OFFSET ((uintptr_t)CONFIG_KERNEL_VM_BASE - (uintptr_t)CONFIG_SRAM_BASE_ADDRESS)

/* ---- free list (page_frames.c) ------------------------------------------ */

/* Take a free frame, or NULL when none is left. O(1). */
struct k_mem_page_frame *z_page_frame_alloc(void);
/*
 * Take up to max free frames that are physically consecutive (the free
 * list's head and the frames after it that follow it in memory): *first is
 * the lowest; returns how many (0 when none is free). O(count).
 */
size_t z_page_frame_alloc_run(size_t max, struct k_mem_page_frame **first);
/* Return a frame to the free list; its record becomes FREE only. O(1). */
void z_page_frame_free(struct k_mem_page_frame *pf);
/* Frames on the free list. */
size_t z_free_page_frame_count(void);
/* Build the database: image frames mapped and pinned, arch reservations, free list. */
void z_page_frames_init(void);
/* Mix every frame record and the free-list head into a hash. Test builds
 * only (CONFIG_ZTEST): like the dump, it walks every frame.
 */
uint32_t z_page_frames_digest(uint32_t hash);

/* ---- virtual regions (virt_region.c) ----------------------------------------- */

/*
 * Page-granular allocator over the kernel window, top-down, with exact
 * region records: every allocation remembers where it starts, so a free
 * (or an unmap) with a wrong address or size is detected, never guessed.
 */
void z_virt_region_init(uintptr_t image_end);
/* A free region of size bytes aligned to align (a page multiple), or NULL. */
void *z_virt_region_alloc(size_t size, size_t align);
/* True when [addr, addr + size) is exactly one allocated region. */
bool z_virt_region_is_exact(const void *addr, size_t size);
/* True when every page of [addr, addr + size) is allocated (any regions). */
bool z_virt_region_is_allocated(const void *addr, size_t size);
/* Release a region z_virt_region_is_exact() accepts. */
void z_virt_region_free(void *addr, size_t size);
/* Record that the region starting at addr holds anonymous memory. */
void z_virt_region_mark_anon(void *addr);
/* Whether the region starting at addr holds anonymous memory. */
bool z_virt_region_is_anon(const void *addr);
/* FNV-1a step over one word, for the state digests. */
static inline uint32_t z_mm_hash(uint32_t hash, uintptr_t value)
{
	for (size_t i = 0; i < sizeof(value); i++) {
		hash = (hash ^ ((value >> (8 * i)) & 0xffU)) * 16777619U;
	}
	return hash;
}

/* Mix the allocator's state into a hash (for z_mm_state_digest()). */
uint32_t z_virt_region_digest(uint32_t hash);

/* ---- demand paging hooks (paging/paging.c) ------------------------------------ */

/*
 * Backing-store transfers that may be under way at once: one a call started
 * with interrupts enabled (CONFIG_DEMAND_PAGING_ALLOW_IRQ) and one an
 * interrupt handler started in the middle of it. A transfer beyond that is
 * refused (-EBUSY).
 */
#define Z_PAGING_TRANSFER_NEST_MAX 2U

#ifdef CONFIG_DEMAND_PAGING
/* A free frame, evicting a page when none is free (interrupts stay locked
 * throughout); NULL when impossible.
 */
struct k_mem_page_frame *z_paging_frame_get(void);
/* True when va is an anonymous page that holds no frame of its own: paged
 * out, or mapping a shared zero frame.
 */
bool z_paging_page_is_frameless_anon(void *va);
/*
 * Release whatever backed the count anonymous pages from first (frame, zero
 * mapping or backing-store location), last page first; held[i] is what
 * arch_mem_unmap_collect() found in page i.
 */
void z_paging_pages_release(uint8_t *first, size_t count, const uintptr_t *held);
/* Map the pages of [va, va + size) to the shared zero frame (demand mapping). */
void z_paging_map_zero(uint8_t *va, size_t size, uint32_t flags);
/*
 * Whether the page-aligned physical range [phys, phys + size) holds one of
 * the shared zero frames. A physical mapping of one would pass for
 * demand-mapped memory (a page that maps a zero frame), so none is allowed.
 */
bool z_paging_range_has_zero_frame(uintptr_t phys, size_t size);
/* Make the page at va resident (interrupts stay locked): 0, -ENOMEM, -EIO,
 * -EBUSY (in transit in an interrupted call) or -EFAULT (not pageable).
 */
int z_paging_page_make_resident(void *va, bool pin);
/* Whether va maps the zero frame of pages mapped writable (still unwritten). */
bool z_paging_page_is_zero_rw(void *va);
/* If va maps a zero frame, remap it to the zero frame for flags (update_flags). */
bool z_paging_zero_page_update(void *va, uint32_t flags);
/* Whether a page of [addr, addr + size) is in transit in a transfer that the
 * current call interrupted (an interrupt handler's call must leave it alone).
 */
bool z_paging_range_in_transit(const void *addr, size_t size);
/* Transfers under way (0 outside the memory manager), and the page the one
 * at level (0: outermost) moves.
 */
unsigned int z_paging_transfer_depth(void);
void *z_paging_transfer_page(unsigned int level);
void z_paging_init(void);
#ifdef CONFIG_ZTEST
/* Timer ticks that arrived during backing-store transfers (tests only). */
int64_t z_paging_ticks_in_transfers(void);
/* Transfers that started inside another one (an interrupt handler's). */
unsigned long z_paging_nested_transfers(void);
#endif
#else
static inline struct k_mem_page_frame *z_paging_frame_get(void)
{
	return z_page_frame_alloc();
}
static inline bool z_paging_page_is_frameless_anon(void *va)
{
	ARG_UNUSED(va);
	return false;
}
static inline bool z_paging_range_has_zero_frame(uintptr_t phys, size_t size)
{
	ARG_UNUSED(phys);
	ARG_UNUSED(size);
	return false;
}
static inline bool z_paging_page_is_zero_rw(void *va)
{
	ARG_UNUSED(va);
	return false;
}
static inline bool z_paging_range_in_transit(const void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	return false;
}
static inline unsigned int z_paging_transfer_depth(void)
{
	return 0;
}
static inline void *z_paging_transfer_page(unsigned int level)
{
	ARG_UNUSED(level);
	return NULL;
}
#endif

/*
 * pf now backs the anonymous page at va: record it, pin it or (with demand
 * paging) hand it to the eviction algorithm.
 */
static inline void z_mm_anon_frame_mapped(struct k_mem_page_frame *pf, void *va, bool pinned)
{
	k_mem_page_frame_mapped_set(pf, va);
	if (pinned) {
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_PINNED);
	}
#ifdef CONFIG_DEMAND_PAGING
	else {
		k_mem_paging_eviction_add(pf);
	}
#endif
}

/* ---- invariant checker (invariants.c, CONFIG_MM_INVARIANTS) -------------------- */

#ifdef CONFIG_MM_INVARIANTS
/* Record one broken invariant: printed (the first few), counted. */
__printf_like(1, 2) void z_mm_invariant_broken(const char *fmt, ...);
/* The free list against the frame records (page_frames.c). */
void z_page_frames_check(void);
/* One page of the window as the region allocator sees it (virt_region.c). */
struct z_virt_page_bits {
	bool allocated;    /* belongs to some region */
	bool region_start; /* first page of a region */
	bool anon;         /* first page of an anonymous region */
};
void z_virt_region_page_bits(size_t page, struct z_virt_page_bits *bits);
#ifdef CONFIG_DEMAND_PAGING
/* Whether phys is one of the shared zero frames (paging.c). */
bool z_paging_is_zero_frame(uintptr_t phys);
#endif
#endif /* CONFIG_MM_INVARIANTS */

/* ---- whole memory manager (mm.c) -------------------------------------------- */

void z_mem_manage_init(void);

/*
 * A hash of everything a failed call must leave unchanged: the free-frame
 * count and list, the virtual-region allocator and the state of every page
 * of the window. Tests compare it before and after misuse (CONFIG_ZTEST
 * builds only).
 */
uint32_t z_mm_state_digest(void);

#define MM_ERR(fmt, ...) printk("<err> mm: " fmt "\n", ##__VA_ARGS__)

/* ---- fault diagnostics (virt_region.c, fault_report.c) ---------------------- */

/* Who owns a page of the window, as the region allocator records it. */
enum z_virt_region_owner {
	Z_VIRT_REGION_FREE,    /* in no region */
	Z_VIRT_REGION_IMAGE,   /* the kernel image's permanent region */
	Z_VIRT_REGION_SCRATCH, /* the scratch page */
	Z_VIRT_REGION_MAPPING, /* a region z_virt_region_alloc() handed out */
};

struct z_virt_region_span {
	enum z_virt_region_owner owner;
	uint8_t *start; /* first page of the region (a guard page, if it has guards) */
	size_t size;    /* bytes, guards included */
	bool anon;      /* marked by z_virt_region_mark_anon() */
};

/*
 * The region that holds addr, in *span (owner FREE when none does).
 * Returns false when addr is outside the window. O(size of that region);
 * takes no lock, so it is safe in an exception handler; for an answer that
 * no concurrent map or unmap can tear, call it with interrupts locked.
 */
bool z_virt_region_lookup(const void *addr, struct z_virt_region_span *span);

/* What a faulting address is, for the fatal report and stack-overflow reports. */
enum z_mem_fault_kind {
	Z_MEM_FAULT_NULL_PAGE,      /* the first page of the address space */
	Z_MEM_FAULT_OUTSIDE_WINDOW, /* outside the kernel window (and not the boot page) */
	Z_MEM_FAULT_UNMAPPED,       /* a page of the window in no region */
	Z_MEM_FAULT_GUARD_BELOW,    /* the guard page just below the mapping */
	Z_MEM_FAULT_GUARD_ABOVE,    /* the guard page just above the mapping */
	Z_MEM_FAULT_PAGED_OUT,      /* a page of the mapping that is in the backing store */
	Z_MEM_FAULT_ZERO_PAGE,      /* a never-written page of the mapping (shared zero frame) */
	Z_MEM_FAULT_MAPPED,         /* a present page of the mapping: a protection fault */
	Z_MEM_FAULT_NOT_PRESENT,    /* a page of the mapping without an entry (mid map/unmap) */
	Z_MEM_FAULT_KERNEL_IMAGE,   /* the kernel image; section says which part */
	Z_MEM_FAULT_SCRATCH,        /* the memory manager's scratch page */
};

enum z_mem_image_section {
	Z_MEM_IMAGE_BOOT,   /* .boot */
	Z_MEM_IMAGE_TEXT,   /* .text */
	Z_MEM_IMAGE_RODATA, /* .rodata */
	Z_MEM_IMAGE_DATA,   /* .data, the page tables, .bss, the stacks */
	Z_MEM_IMAGE_OTHER,  /* padding between sections or after the image */
};

struct z_mem_fault_info {
	enum z_mem_fault_kind kind;
	/*
	 * Kinds GUARD_BELOW to NOT_PRESENT: the mapping the address lies in or
	 * guards. Guarded (k_mem_map(), k_mem_map_phys_guard()): the address
	 * those returned and the size they were given; bare: the page-aligned
	 * region.
	 */
	uint8_t *mapping;
	size_t size;
	/* The whole region, guards included (also for KERNEL_IMAGE and SCRATCH). */
	uint8_t *region;
	size_t region_size;
	bool anon;    /* k_mem_map() memory, not a physical mapping */
	bool guarded; /* the region has a guard page each side */
	/* MAPPED, ZERO_PAGE: the page's K_MEM_PERM_* and K_MEM_CACHE_* flags. */
	uint32_t flags;
	enum z_mem_image_section section; /* KERNEL_IMAGE */
};

/*
 * Classify addr from the region bits and its page-table entry. Lock-free
 * and allocation-free, O(size of the region it lies in): callable from the
 * page-fault handler with interrupts disabled.
 */
void z_mem_fault_describe(const void *addr, struct z_mem_fault_info *info);

/* z_mem_fault_print(), for the fault report, is declared in <arch/mm.h>. */

#endif /* PAGODA_KERNEL_INCLUDE_MMU_H */
