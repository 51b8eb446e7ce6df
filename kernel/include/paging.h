/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The demand-paging hooks the rest of the memory manager calls (paging/).
 * Without CONFIG_DEMAND_PAGING each is a stub that says "nothing is paged",
 * so callers need no #ifdef. Kernel-internal.
 */
#ifndef PAGODA_KERNEL_INCLUDE_PAGING_H
#define PAGODA_KERNEL_INCLUDE_PAGING_H

#include <kernel/mm/demand_paging.h>
#include <page_frames.h>

/*
 * Backing-store transfers that may be under way at once: one a call started
 * with interrupts enabled (CONFIG_DEMAND_PAGING_ALLOW_IRQ) and one an
 * interrupt handler started in the middle of it. A transfer beyond that is
 * refused (-EBUSY).
 */
#define Z_PAGING_TRANSFER_NEST_MAX 2U

/*
 * Counters of paging with threads (kernel-internal, for tests and the
 * benchmark): transfers a thread slept through, waits for another
 * thread's transfer of the same page, and faults that had to write a page
 * out themselves before they could read theirs.
 */
struct z_paging_sleep_stats {
	unsigned long reads_slept;   /* page-ins during which the thread slept */
	unsigned long writes_slept;  /* page-outs during which the thread slept */
	unsigned long waits_read;    /* waits for a page another thread was paging in */
	unsigned long waits_write;   /* waits for a page another thread was paging out */
	unsigned long faults;        /* page faults resolved (only with DEMAND_PAGING_SLEEP) */
	unsigned long faults_wrote;  /* ... that wrote a page out (no clean frame at hand) */
	unsigned long pool_frames;   /* frames the paging thread freed ahead of demand */
	unsigned long write_retries; /* page-outs written again to another slot after an error */
};

/*
 * k_mem_paging_eviction_remove(pf) then k_mem_paging_eviction_add(pf) in
 * one call, each algorithm's (kernel/mm/eviction/): pf, in the evictable
 * set (the victim the page-fault path kept there through its transfers),
 * now holds another page. CLOCK-2Q and CLOCK make it a rotation when pf is
 * at their list's head, as the victim usually is.
 */
struct k_mem_page_frame;
void z_eviction_replace(struct k_mem_page_frame *pf);

#ifdef CONFIG_DEMAND_PAGING

void z_paging_sleep_stats_get(struct z_paging_sleep_stats *out);

#ifdef CONFIG_DEMAND_PAGING_POOL
/* The paging thread's pool (pool.c): wake the thread if the free frames
 * fell below the low watermark (interrupts locked; no switch here).
 */
void z_paging_pool_kick(void);
/* One step of the paging thread: if fewer than high frames are free, evict
 * one page (sleeping through its write) and free its frame. 1 when it
 * freed one, 0 when high are free, a negative errno when nothing can be
 * evicted.
 */
int z_paging_pool_refill_one(size_t high);
/* Sleep until the paging thread has nothing to do (tests: the memory
 * manager at rest for the invariant checker).
 */
void z_paging_pool_wait_idle(void);
#else
static inline void z_paging_pool_kick(void)
{
}
static inline void z_paging_pool_wait_idle(void)
{
}
#endif

/* Why the last page fault at addr's page could not be served (the fatal
 * dump names it), or NULL.
 */
const char *z_paging_fault_failure(const void *addr);

void z_paging_init(void);
/* A free frame, evicting a page when none is free (interrupts stay locked
 * throughout); NULL when impossible.
 */
struct k_mem_page_frame *z_paging_frame_get(void);
/* Frames k_mem_free_get() keeps out of its count. */
static inline size_t z_paging_frames_reserved(void)
{
	return CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE;
}
/* Pages an eager map may place beyond the free frames (one eviction each),
 * counted up to enough at least.
 */
size_t z_paging_eager_room(size_t enough);

/* pf now backs the anonymous page at va: the eviction algorithm may take it. */
static inline void z_paging_frame_evictable(struct k_mem_page_frame *pf)
{
	k_mem_paging_eviction_add(pf);
}
/* The store copy a BACKED frame keeps is no longer needed (rare: out of line). */
void z_paging_backed_copy_drop(struct k_mem_page_frame *pf);
/* pf's page is being unmapped: out of the eviction algorithm, store copy dropped. */
static inline void z_paging_frame_forget(struct k_mem_page_frame *pf)
{
	if (!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED)) {
		k_mem_paging_eviction_remove(pf);
	}
	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED)) {
		z_paging_backed_copy_drop(pf);
	}
}
/* The backing-store location of a paged-out page being unmapped is free. */
void z_paging_location_free(uintptr_t location);

/* The shared zero frames (paging.c); here so the unmap path inlines the test. */
extern uintptr_t z_paging_zero_rw_phys, z_paging_zero_ro_phys;

/* Whether phys is one of the shared zero frames. */
static inline bool z_paging_is_zero_frame(uintptr_t phys)
{
	return phys == z_paging_zero_rw_phys || phys == z_paging_zero_ro_phys;
}
/*
 * Whether the page-aligned physical range [phys, phys + size) holds one of
 * the shared zero frames. A physical mapping of one would pass for
 * demand-mapped memory (a page that maps a zero frame), so none is allowed.
 */
bool z_paging_range_has_zero_frame(uintptr_t phys, size_t size);
/* Whether va maps the zero frame of pages mapped writable (still unwritten). */
bool z_paging_page_is_zero_rw(void *va);
/* True when va is an anonymous page that holds no frame of its own: paged
 * out, or mapping a shared zero frame.
 */
bool z_paging_page_is_frameless_anon(void *va);
/* Map the pages of [va, va + size) to the shared zero frame (demand mapping). */
void z_paging_map_zero(uint8_t *va, size_t size, uint32_t flags);

/* Make the page at va resident (interrupts stay locked): 0, -ENOMEM, -EIO,
 * -EBUSY (in transit in an interrupted call) or -EFAULT (not pageable).
 */
int z_paging_page_make_resident(void *va, bool pin);
/* Keep the resident page at va from being evicted until z_paging_unhold(). */
void z_paging_hold(void *va);
void z_paging_unhold(void *va);
/* If va maps a zero frame, remap it to the zero frame for flags (update_flags). */
bool z_paging_zero_page_update(void *va, uint32_t flags);
/* A new entry for va starts clean: a dirty page gives up its older store copy. */
void z_paging_drop_stale_copy(void *va);

bool z_paging_range_in_transit_nested(const void *addr, size_t size);
/* Whether a page of [addr, addr + size) is in transit in a transfer that the
 * current call interrupted (an interrupt handler's call must leave it alone).
 * Only with ALLOW_IRQ can a transfer be interrupted.
 */
static inline bool z_paging_range_in_transit(const void *addr, size_t size)
{
	return (IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ) ||
		IS_ENABLED(CONFIG_DEMAND_PAGING_SLEEP)) &&
	       z_paging_range_in_transit_nested(addr, size);
}
/* Transfers under way (0 outside the memory manager), and the page the one
 * at level (0: outermost) moves.
 */
unsigned int z_paging_transfer_depth(void);
void *z_paging_transfer_page(unsigned int level);

#ifdef CONFIG_ZTEST
/* Timer ticks that arrived during backing-store transfers (tests only). */
int64_t z_paging_ticks_in_transfers(void);
/* Transfers that started inside another one (an interrupt handler's). */
unsigned long z_paging_nested_transfers(void);
#endif

#else /* !CONFIG_DEMAND_PAGING: nothing is ever paged */

static inline const char *z_paging_fault_failure(const void *addr)
{
	ARG_UNUSED(addr);
	return NULL;
}

static inline void z_paging_init(void)
{
}
static inline struct k_mem_page_frame *z_paging_frame_get(void)
{
	return z_page_frame_alloc();
}
static inline size_t z_paging_frames_reserved(void)
{
	return 0;
}
static inline size_t z_paging_eager_room(size_t enough)
{
	ARG_UNUSED(enough);
	return 0;
}
static inline void z_paging_frame_evictable(struct k_mem_page_frame *pf)
{
	ARG_UNUSED(pf);
}
static inline void z_paging_frame_forget(struct k_mem_page_frame *pf)
{
	ARG_UNUSED(pf);
}
static inline void z_paging_location_free(uintptr_t location)
{
	ARG_UNUSED(location);
	__ASSERT(false, "a paged-out page without demand paging");
}
static inline bool z_paging_is_zero_frame(uintptr_t phys)
{
	ARG_UNUSED(phys);
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
static inline bool z_paging_page_is_frameless_anon(void *va)
{
	ARG_UNUSED(va);
	return false;
}
static inline void z_paging_map_zero(uint8_t *va, size_t size, uint32_t flags)
{
	ARG_UNUSED(va);
	ARG_UNUSED(size);
	ARG_UNUSED(flags);
}
static inline int z_paging_page_make_resident(void *va, bool pin)
{
	ARG_UNUSED(va);
	ARG_UNUSED(pin);
	return 0; /* every mapped page is resident */
}
static inline void z_paging_hold(void *va)
{
	ARG_UNUSED(va);
}
static inline void z_paging_unhold(void *va)
{
	ARG_UNUSED(va);
}
static inline bool z_paging_zero_page_update(void *va, uint32_t flags)
{
	ARG_UNUSED(va);
	ARG_UNUSED(flags);
	return false;
}
static inline void z_paging_drop_stale_copy(void *va)
{
	ARG_UNUSED(va);
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

#endif /* CONFIG_DEMAND_PAGING */

/* Sleeping transfers (CONFIG_DEMAND_PAGING_SLEEP, which needs demand paging). */
#ifdef CONFIG_DEMAND_PAGING_SLEEP
/*
 * The disk store's sleeping transfer (backing_store/disk.c): move the
 * frame at phys to (out) or from location by DMA, the calling thread
 * asleep until it is done. Interrupts enabled; 0 or -EIO.
 */
int z_backing_store_frame_io(uintptr_t location, uintptr_t phys, bool out);
/* Wait until no page of [addr, addr + size) is in transition, if the
 * caller can sleep (irq_was_enabled: its interrupts were on); interrupts
 * locked, still locked on return.
 */
void z_paging_wait_range_idle(const void *addr, size_t size, bool irq_was_enabled);
/* Pages in transition now: threads asleep in their transfers (their frames are BUSY). */
unsigned int z_paging_transitions(void);
/* Whether t is asleep in a transfer of its own (it owns a page in transition). */
bool z_paging_thread_in_transfer(const struct k_thread *t);
/* prio, or the best priority of a thread waiting for a page owner moves, if better. */
int z_paging_waiter_prio(const struct k_thread *owner, int prio);
#else
static inline void z_paging_wait_range_idle(const void *addr, size_t size, bool irq_was_enabled)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	ARG_UNUSED(irq_was_enabled);
}
static inline unsigned int z_paging_transitions(void)
{
	return 0;
}
static inline bool z_paging_thread_in_transfer(const struct k_thread *t)
{
	ARG_UNUSED(t);
	return false;
}
static inline int z_paging_waiter_prio(const struct k_thread *owner, int prio)
{
	ARG_UNUSED(owner);
	return prio;
}
#endif

/*
 * pf now backs the anonymous page at va: record it, and pin it or hand it
 * to the eviction algorithm.
 */
static inline void z_mm_anon_frame_mapped(struct k_mem_page_frame *pf, void *va, bool pinned)
{
	k_mem_page_frame_mapped_set(pf, va);
	if (pinned) {
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_PINNED);
	} else {
		z_paging_frame_evictable(pf);
	}
}

#endif /* PAGODA_KERNEL_INCLUDE_PAGING_H */
