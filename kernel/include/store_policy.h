/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The slot policy of the built-in backing stores (RAM, disk), inline: the
 * page-fault path asks it for a location and hands it the page it read,
 * and as calls those were a tenth of a clean fault's overhead. store_policy.c
 * implements the reference's k_mem_paging_backing_store_location_get(),
 * _location_free() and _page_finalize() with these very functions, so
 * both paths are one policy. With CONFIG_BACKING_STORE_CUSTOM the names
 * below are the application's k_mem_paging_backing_store_* calls.
 *
 * - Free slots sit on a stack (O(1) get and free); with CONFIG_ASSERT a bit
 *   per slot catches a slot freed twice.
 * - One slot is always kept for the page-fault path, so a fault can be
 *   served when page-outs have filled the store.
 * - A page paged in keeps its slot while more than a quarter of the slots
 *   are free: the frame is marked BACKED and a later clean eviction of it
 *   needs no copy (the reference frees the slot at once).
 */
#ifndef PAGODA_KERNEL_INCLUDE_STORE_POLICY_H
#define PAGODA_KERNEL_INCLUDE_STORE_POLICY_H

#include <kernel/mm/backing_store.h>
#include <page_frames.h>
#include <sys/errno.h>
#include <sys/util.h>

#ifdef CONFIG_BACKING_STORE_RAM
#include <arch/mm.h>
#include <page_copy.h>
#include <string.h>

/* The RAM store's slots (ram.c): its copies are a memcpy, inline. */
extern uint8_t z_ram_store_slots[CONFIG_BACKING_STORE_RAM_PAGES][CONFIG_MMU_PAGE_SIZE];

/* k_mem_paging_backing_store_page_in() / _page_out() of the RAM store. */
static ALWAYS_INLINE int z_store_page_copy(uintptr_t location, bool out)
{
	uint8_t *slot = z_ram_store_slots[location / CONFIG_MMU_PAGE_SIZE];

	if (out) {
		z_page_copy(slot, ARCH_SCRATCH_PAGE);
	} else {
		z_page_copy(ARCH_SCRATCH_PAGE, slot);
	}
	return 0;
}
#else
static ALWAYS_INLINE int z_store_page_copy(uintptr_t location, bool out)
{
	return out ? k_mem_paging_backing_store_page_out(location)
		   : k_mem_paging_backing_store_page_in(location);
}
#endif

#ifdef CONFIG_BACKING_STORE_CUSTOM
#define z_store_location_get  k_mem_paging_backing_store_location_get
#define z_store_location_free k_mem_paging_backing_store_location_free
#define z_store_page_finalize k_mem_paging_backing_store_page_finalize
#else

#define Z_STORE_SLOTS CONFIG_BACKING_STORE_PAGES

/* A slot number; 16 bits when that is enough (the stack and the BACKED map are per slot/frame). */
#if Z_STORE_SLOTS <= 65536
typedef uint16_t z_store_slot_t;
#else
typedef uint32_t z_store_slot_t;
#endif

/* store_policy.c's state. */
extern z_store_slot_t z_store_free_stack[Z_STORE_SLOTS];
extern size_t z_store_free_top;
extern uint32_t z_store_slot_used[(Z_STORE_SLOTS + 31) / 32];
extern z_store_slot_t z_store_backed_slot[K_MEM_NUM_PAGE_FRAMES]; /* each BACKED frame's */

static inline bool z_store_slot_is_used(size_t slot)
{
	return (z_store_slot_used[slot / 32U] & BIT(slot % 32U)) != 0U;
}

static inline size_t z_store_slot_of(uintptr_t location)
{
	__ASSERT(location % CONFIG_MMU_PAGE_SIZE == 0U &&
			 location / CONFIG_MMU_PAGE_SIZE < Z_STORE_SLOTS,
		 "bad location 0x%lx", (unsigned long)location);
	return location / CONFIG_MMU_PAGE_SIZE;
}

/* k_mem_paging_backing_store_location_get(). */
static ALWAYS_INLINE int z_store_location_get(struct k_mem_page_frame *pf, uintptr_t *location,
					      bool page_fault)
{
	size_t slot;

	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED)) {
		slot = z_store_backed_slot[pf - k_mem_page_frames];
		__ASSERT(z_store_slot_is_used(slot), "BACKED frame's slot %zu is free", slot);
	} else {
		if (z_store_free_top == 0U || (!page_fault && z_store_free_top == 1U)) {
			return -ENOMEM;
		}
		slot = z_store_free_stack[--z_store_free_top];
		if (IS_ENABLED(CONFIG_ASSERT)) {
			z_store_slot_used[slot / 32U] |= BIT(slot % 32U);
		}
	}
	*location = (uintptr_t)slot * CONFIG_MMU_PAGE_SIZE;
	return 0;
}

/* k_mem_paging_backing_store_location_free(). */
static ALWAYS_INLINE void z_store_location_free(uintptr_t location)
{
	size_t slot = z_store_slot_of(location);

	__ASSERT(z_store_slot_is_used(slot), "slot %zu freed twice", slot);
	__ASSERT(z_store_free_top < Z_STORE_SLOTS, "more slots freed than exist");
	if (IS_ENABLED(CONFIG_ASSERT)) {
		z_store_slot_used[slot / 32U] &= ~BIT(slot % 32U);
	}
	z_store_free_stack[z_store_free_top++] = (z_store_slot_t)slot;
}

/* k_mem_paging_backing_store_page_finalize(). */
static ALWAYS_INLINE void z_store_page_finalize(struct k_mem_page_frame *pf, uintptr_t location)
{
	__ASSERT(!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED),
		 "frame %p is already BACKED: its old slot would leak", pf);
	if (z_store_free_top > Z_STORE_SLOTS / 4U) {
		z_store_backed_slot[pf - k_mem_page_frames] =
			(z_store_slot_t)z_store_slot_of(location);
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BACKED);
	} else {
		z_store_location_free(location);
	}
}
#endif /* CONFIG_BACKING_STORE_CUSTOM */

#endif /* PAGODA_KERNEL_INCLUDE_STORE_POLICY_H */
