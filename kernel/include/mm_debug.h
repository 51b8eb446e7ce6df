/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debugging aids of the memory manager: the invariant checker's internal
 * API, the state digest tests compare around a misuse, and the description
 * of a faulting address. Kernel-internal.
 */
#ifndef PAGODA_KERNEL_INCLUDE_MM_DEBUG_H
#define PAGODA_KERNEL_INCLUDE_MM_DEBUG_H

#include <mm_core.h>

/* FNV-1a step over one word, for the state digests. */
static inline uint32_t z_mm_hash(uint32_t hash, uintptr_t value)
{
	for (size_t i = 0; i < sizeof(value); i++) {
		hash = (hash ^ ((value >> (8 * i)) & 0xffU)) * 16777619U;
	}
	return hash;
}

/*
 * A hash of everything a failed call must leave unchanged: the free-frame
 * count and list, the virtual-region allocator and the state of every page
 * of the window. Tests compare it before and after misuse (CONFIG_ZTEST
 * builds only).
 */
uint32_t z_mm_state_digest(void);

#ifdef CONFIG_MM_INVARIANTS
/* Record one broken invariant: printed (the first few), counted. */
__printf_like(1, 2) void z_mm_invariant_broken(const char *fmt, ...);
/* The free list against the frame records (page_frames.c). */
void z_page_frames_check(void);
#endif

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

#endif /* PAGODA_KERNEL_INCLUDE_MM_DEBUG_H */
