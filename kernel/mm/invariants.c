/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_mem_check_invariants(): cross-checks every record the memory manager
 * keeps against every other, so tests and the host fuzzer can tell a
 * consistent state from a corrupted one without knowing how it was reached.
 *
 * - frames: the free list matches the FREE records; each MAPPED frame's
 *   page maps back to it; no frame is busy at rest, leaked (in use but
 *   neither mapped nor a zero frame) or BACKED without a page;
 * - window: every run of allocated pages is made of whole regions; free
 *   pages are unmapped; an anonymous region is [guard][pages][guard] with
 *   each page owning a frame that records it, mapping a zero frame
 *   read-only, or paged out; a physical region is mapped (with or without
 *   guards), never paged out;
 * - both ways: anonymous pages owning a frame and frames recording an
 *   anonymous page are equally many, so together with the checks above
 *   they pair up exactly (no frame in two places);
 * - backing store: no location holds two pages (paged out or BACKED);
 * - transfers: none under way (the nesting records are empty), so no
 *   frame is BUSY and the scratch page serves nobody.
 *
 * A walk of every frame and every page of the window: a debugging aid
 * (CONFIG_MM_INVARIANTS), never on a fast path.
 */
#include <arch/mm.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <stdarg.h>
#include <string.h>
#include <virt_region.h>

#include "paging/shadow.h"

#ifdef CONFIG_MM_INVARIANTS

#define MAX_REPORTS 16 /* the first breaks explain; the rest only count */

static int breaks;

void z_mm_invariant_broken(const char *fmt, ...)
{
	va_list ap;

	if (breaks++ >= MAX_REPORTS) {
		return;
	}
	printk("<err> mm: invariant: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
}

static void *page_va(size_t page)
{
	return (void *)(K_MEM_VM_START + page * K_MEM_PAGE_SIZE);
}

#ifdef CONFIG_DEMAND_PAGING
/* One bit per location a paged-out entry can hold. */
#define LOCATION_SLOTS ((size_t)(ARCH_PAGE_LOCATION_MAX / CONFIG_MMU_PAGE_SIZE) + 1U)
static uint32_t locations_seen[(LOCATION_SLOTS + 31U) / 32U];

static void location_claim(uintptr_t location, const void *va)
{
	size_t slot = location / K_MEM_PAGE_SIZE;

	if (location % K_MEM_PAGE_SIZE != 0U || slot >= LOCATION_SLOTS) {
		z_mm_invariant_broken("page %p: backing-store location 0x%lx is invalid", va,
				      (unsigned long)location);
		return;
	}
	if ((locations_seen[slot / 32U] & BIT(slot % 32U)) != 0U) {
		z_mm_invariant_broken(
			"page %p: backing-store location 0x%lx holds another page too", va,
			(unsigned long)location);
	}
	locations_seen[slot / 32U] |= BIT(slot % 32U);
}
#endif

/* Returns whether the page owns a frame of its own. */
static bool check_anon_page(void *va)
{
	uintptr_t location;
	uint32_t flags;

	switch (arch_page_location_get(va, &location)) {
	case ARCH_PAGE_LOCATION_PAGED_OUT:
#ifdef CONFIG_DEMAND_PAGING
		location_claim(location, va);
#else
		z_mm_invariant_broken("page %p is paged out without demand paging", va);
#endif
		return false;
	case ARCH_PAGE_LOCATION_PAGED_IN:
		break;
	default:
		z_mm_invariant_broken("anonymous page %p is not mapped", va);
		return false;
	}
	if (z_paging_is_zero_frame(location)) {
		/* Writable would let one page's data reach every other's. */
		if (arch_page_flags_get(va, &flags) == 0 && (flags & K_MEM_PERM_RW) != 0U) {
			z_mm_invariant_broken("page %p maps a zero frame writable", va);
		}
		return false;
	}
	if (!k_mem_is_page_frame(location)) {
		z_mm_invariant_broken("anonymous page %p maps 0x%lx, not a RAM frame", va,
				      (unsigned long)location);
		return false;
	}

	const struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(location);

	if (!z_page_frame_backs(pf, va, 0)) {
		z_mm_invariant_broken("page %p maps frame 0x%lx, whose record says 0x%lx", va,
				      (unsigned long)location, (unsigned long)pf->va_and_flags);
	}
	return true;
}

/* Guards unmapped, the rest mapped; returns the pages owning a frame. */
static size_t check_region(size_t first, size_t pages, bool anon)
{
	uint8_t *start = page_va(first);
	uint8_t *last = start + (pages - 1U) * K_MEM_PAGE_SIZE;
	size_t owned = 0;

	if (first == 0U || (void *)start == ARCH_SCRATCH_PAGE) {
		if (anon) {
			z_mm_invariant_broken("permanent region %p is marked anonymous", start);
		}
		return 0; /* the image (mapped by the build) and the scratch page */
	}

	bool first_bad = arch_page_location_get(start, NULL) == ARCH_PAGE_LOCATION_BAD;
	bool last_bad = arch_page_location_get(last, NULL) == ARCH_PAGE_LOCATION_BAD;
	bool guarded = anon || first_bad;

	if (guarded && (pages < 3U || !first_bad || !last_bad)) {
		z_mm_invariant_broken("region %p+0x%zx: guard pages %s, %s", start,
				      pages * K_MEM_PAGE_SIZE, first_bad ? "unmapped" : "mapped",
				      last_bad ? "unmapped" : "mapped");
	}
	for (size_t i = guarded ? 1U : 0U; i < (guarded ? pages - 1U : pages); i++) {
		uint8_t *va = start + i * K_MEM_PAGE_SIZE;

		if (anon) {
			owned += check_anon_page(va) ? 1U : 0U;
		} else if (arch_page_location_get(va, NULL) != ARCH_PAGE_LOCATION_PAGED_IN) {
			z_mm_invariant_broken("page %p of physical mapping %p is not mapped", va,
					      start);
		}
	}
	return owned;
}

/* Splits the window into regions; returns the anonymous pages owning a frame. */
static size_t check_window(void)
{
	size_t owned = 0;
	size_t page = 0;

	while (page < K_MEM_VM_NUM_PAGES) {
		struct z_virt_page_bits bits;

		z_virt_region_page_bits(page, &bits);
		if (!bits.allocated) {
			if (bits.region_start || bits.anon) {
				z_mm_invariant_broken("free page %p has a region-start bit",
						      page_va(page));
			}
			if (arch_page_location_get(page_va(page), NULL) != ARCH_PAGE_LOCATION_BAD) {
				z_mm_invariant_broken("free page %p is mapped", page_va(page));
			}
			page++;
			continue;
		}
		if (!bits.region_start) {
			z_mm_invariant_broken("allocated page %p starts no region and follows none",
					      page_va(page));
			page++;
			continue;
		}

		size_t pages = 1;

		for (;;) {
			struct z_virt_page_bits next;

			if (page + pages == K_MEM_VM_NUM_PAGES) {
				break;
			}
			z_virt_region_page_bits(page + pages, &next);
			if (!next.allocated || next.region_start) {
				break;
			}
			if (next.anon) {
				z_mm_invariant_broken(
					"page %p inside a region has an anonymous bit",
					page_va(page + pages));
			}
			pages++;
		}
		owned += check_region(page, pages, bits.anon);
		page += pages;
	}
	return owned;
}

/* Returns the frames that record an anonymous page. */
static size_t check_frames(void)
{
	size_t recorded = 0;

	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES; i++) {
		struct k_mem_page_frame *pf = &k_mem_page_frames[i];
		uintptr_t flags = k_mem_page_frame_flags(pf);
		uintptr_t phys = k_mem_page_frame_to_phys(pf);

		if ((flags & K_MEM_PAGE_FRAME_FREE) != 0U) {
			continue; /* z_page_frames_check() */
		}
		if ((flags & K_MEM_PAGE_FRAME_RESERVED) != 0U) {
			if (flags != K_MEM_PAGE_FRAME_RESERVED) {
				z_mm_invariant_broken("reserved frame 0x%lx has flags 0x%lx",
						      (unsigned long)phys, (unsigned long)flags);
			}
			continue;
		}
		if ((flags & K_MEM_PAGE_FRAME_BUSY) != 0U) {
			if (z_paging_transitions() > 0U) {
				continue; /* a thread sleeps in its transfer
					     (CONFIG_DEMAND_PAGING_SLEEP) */
			}
			z_mm_invariant_broken("frame 0x%lx is busy with no transfer under way",
					      (unsigned long)phys);
		}
		if ((flags & K_MEM_PAGE_FRAME_MAPPED) == 0U) {
			if (flags != K_MEM_PAGE_FRAME_PINNED || !z_paging_is_zero_frame(phys)) {
				z_mm_invariant_broken(
					"frame 0x%lx (flags 0x%lx) is neither free nor "
					"mapped: leaked",
					(unsigned long)phys, (unsigned long)flags);
			}
			continue;
		}

		uintptr_t va = (uintptr_t)k_mem_page_frame_to_virt(pf);
		uintptr_t location;

		if (va < K_MEM_VM_START || va >= K_MEM_VM_END) {
			continue; /* the boot code's identity-mapped page */
		}
		if (arch_page_location_get((void *)va, &location) != ARCH_PAGE_LOCATION_PAGED_IN ||
		    location != phys) {
			z_mm_invariant_broken(
				"frame 0x%lx records page 0x%lx, which does not map it",
				(unsigned long)phys, (unsigned long)va);
		}
		if (!z_virt_is_anon_space((void *)va)) {
			continue;
		}
		recorded++;
#ifdef CONFIG_DEMAND_PAGING
		if ((flags & K_MEM_PAGE_FRAME_BACKED) != 0U) {
			(void)k_mem_paging_backing_store_location_get(pf, &location, false);
			location_claim(location, (void *)va);
		}
#endif
	}
	return recorded;
}

int k_mem_check_invariants(void)
{
	unsigned int key = irq_lock();

	breaks = 0;
#ifdef CONFIG_DEMAND_PAGING
	memset(locations_seen, 0, sizeof(locations_seen));
#endif
	z_page_frames_check();
	/* At rest no transfer is under way: a record left over is a call
	 * abandoned in the middle of one (its frame BUSY, its page half moved).
	 */
	for (unsigned int level = 0; level < z_paging_transfer_depth(); level++) {
		z_mm_invariant_broken("a backing-store transfer of page %p is still under way "
				      "(level %u)",
				      z_paging_transfer_page(level), level);
	}

	size_t owned = check_window();
	size_t recorded = check_frames();

	if (owned != recorded) {
		z_mm_invariant_broken("%zu anonymous pages own a frame, %zu frames record one",
				      owned, recorded);
	}

	/* Shadow tags report when they break (at the transfer); here they count. */
	int found = breaks + z_shadow_breaks_take();

	irq_unlock(key);
	if (found > MAX_REPORTS) {
		printk("<err> mm: invariant: %d more not shown\n", found - MAX_REPORTS);
	}
	return found;
}

#endif /* CONFIG_MM_INVARIANTS */
