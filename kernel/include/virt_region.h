/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual-region allocator over the kernel window. Kernel-internal.
 */
#ifndef PAGODA_KERNEL_INCLUDE_VIRT_REGION_H
#define PAGODA_KERNEL_INCLUDE_VIRT_REGION_H

#include <arch/mm.h>
#include <mm_core.h>

extern char __kernel_end[];

/* Anonymous k_mem_map() memory can only lie between the image and the scratch page. */
static inline bool z_virt_is_anon_space(const void *va)
{
	/* One unsigned comparison: below __kernel_end wraps to a huge offset. */
	return (uintptr_t)va - (uintptr_t)__kernel_end <
	       (uintptr_t)ARCH_SCRATCH_PAGE - (uintptr_t)__kernel_end;
}

/*
 * Page-granular allocator over the kernel window, top-down, with exact
 * region records: every allocation remembers where it starts, so a free
 * (or an unmap) with a wrong address or size is detected, never guessed.
 */
void z_virt_region_init(uintptr_t image_end);
/* A free region of size bytes aligned to align (a page multiple), or NULL. */
void *z_virt_region_alloc(size_t size, size_t align);
/* z_virt_region_alloc(size, K_MEM_PAGE_SIZE) and z_virt_region_mark_anon()
 * in one, for a caller that cannot fail once it has the region.
 */
void *z_virt_region_alloc_anon(size_t size);
/* True when [addr, addr + size) is exactly one allocated region. */
bool z_virt_region_is_exact(const void *addr, size_t size);
/* z_virt_region_is_exact() and z_virt_region_is_anon() in one: -1 when not
 * exactly one region, else 1 for an anonymous region, 0 for another.
 */
int z_virt_region_exact_kind(const void *addr, size_t size);
/* True when every page of [addr, addr + size) is allocated (any regions). */
bool z_virt_region_is_allocated(const void *addr, size_t size);
/* Release a region z_virt_region_is_exact() accepts. */
void z_virt_region_free(void *addr, size_t size);
/* Record that the region starting at addr holds anonymous memory. */
void z_virt_region_mark_anon(void *addr);
/* Whether the region starting at addr holds anonymous memory. */
bool z_virt_region_is_anon(const void *addr);
/* Mix the allocator's state into a hash (for z_mm_state_digest()). */
uint32_t z_virt_region_digest(uint32_t hash);

/* One page of the window as the region allocator sees it (virt_region.c). */
struct z_virt_page_bits {
	bool allocated;    /* belongs to some region */
	bool region_start; /* first page of a region */
	bool anon;         /* first page of an anonymous region */
};
void z_virt_region_page_bits(size_t page, struct z_virt_page_bits *bits);

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

#endif /* PAGODA_KERNEL_INCLUDE_VIRT_REGION_H */
