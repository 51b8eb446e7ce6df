/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Demand paging: the page-fault path, eviction, page-in/out, pinning, and
 * the zero page behind demand-mapped anonymous memory.
 *
 * A pageable page is in one of three states, all told by its page-table
 * entry (never by a scan):
 * - zero: mapped read-only to one of two shared zero frames (zero_rw for
 *   pages whose mapping is writable, zero_ro for read-only ones); the first
 *   write faults and takes a frame (copy-on-write of the zero page);
 * - resident: mapped to its own frame, whose record holds the address;
 * - paged out: a non-present entry holding its backing-store location.
 *
 * Every operation runs with interrupts locked; with
 * CONFIG_DEMAND_PAGING_ALLOW_IRQ they are re-enabled around backing-store
 * transfers when the caller had them enabled (the frame is BUSY then).
 *
 * With CONFIG_DEMAND_PAGING_SLEEP (the disk store) a thread that may block
 * sleeps through its transfers instead, and other threads run: the page
 * is then in transition, paging in or paging out (transit.h), and every
 * other caller that meets it waits for that transfer and looks again.
 * Callers that cannot sleep (interrupts locked, an interrupt handler)
 * transfer with interrupts locked, as before; a page fault in an interrupt
 * handler or with the scheduler locked that needs a transfer is refused
 * (fatal).
 */
#include <arch/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <page_copy.h>
#include <page_frames.h>
#include <paging.h>
#include <store_policy.h>
#include <string.h>
#include <sys/errno.h>
#include <virt_region.h>

#include "paging_stats.h"
#include "shadow.h"
#include "transit.h"

uintptr_t z_paging_zero_rw_phys; /* zeros for pages mapped writable */
uintptr_t z_paging_zero_ro_phys; /* zeros for pages mapped read-only */

/* Only with ALLOW_IRQ can a transfer be interrupted, and a call start inside it. */
#define NESTING IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ)

/*
 * What one memory-manager call allows the paging code to do, built by each
 * entry point and passed down (never kept in a global, which a nested call
 * from an interrupt handler would overwrite).
 */
struct paging_ctx {
	bool irq_ok;     /* transfers may re-enable interrupts (ALLOW_IRQ, caller had them on) */
	bool page_fault; /* the backing store's location kept for faults may be used */
	bool can_sleep;  /* transfers sleep, other threads run (DEMAND_PAGING_SLEEP) */
	bool no_io;      /* a fault that must not wait for a transfer: refuse it */
	bool wrote;      /* a page-out was written during this call (statistics) */
	const char *why; /* why no frame could be found, for the caller's message */
};

/*
 * Whether the call sleeps through its transfers, and whether it may not
 * transfer at all: both only with CONFIG_DEMAND_PAGING_SLEEP, which
 * these say to the compiler (ctx is passed down by address).
 */
static ALWAYS_INLINE bool ctx_sleeps(const struct paging_ctx *ctx)
{
	return IS_ENABLED(CONFIG_DEMAND_PAGING_SLEEP) && ctx->can_sleep;
}

static ALWAYS_INLINE bool ctx_no_io(const struct paging_ctx *ctx)
{
	return IS_ENABLED(CONFIG_DEMAND_PAGING_SLEEP) && ctx->no_io;
}

static struct paging_ctx ctx_for(bool irq_was_enabled, bool page_fault)
{
	return (struct paging_ctx){
		.irq_ok = IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ) && irq_was_enabled,
		.page_fault = page_fault,
		.can_sleep = z_transit_may_sleep(irq_was_enabled),
	};
}

/* End a call's locked section: a sleeping call may have readied better threads. */
static void ctx_unlock(const struct paging_ctx *ctx, unsigned int key)
{
	if (ctx_sleeps(ctx)) {
		z_transit_reschedule(key);
	} else {
		irq_unlock(key);
	}
}

/*
 * Whether va is in transition: 0 when not; when it is, a caller that can
 * sleep waits for the transfer and gets -EAGAIN (look at the page again),
 * any other -EBUSY (it may not wait).
 */
static int busy_check(struct paging_ctx *ctx, void *va)
{
	struct z_transit *t = z_transit_find(va, K_MEM_PAGE_SIZE);

	if (t != NULL && ctx_sleeps(ctx)) {
		z_paging_count_transit_wait(t->out);
		z_transit_wait(t);
		return -EAGAIN;
	}
	return (t != NULL || z_paging_range_in_transit(va, K_MEM_PAGE_SIZE)) ? -EBUSY : 0;
}

bool z_paging_range_has_zero_frame(uintptr_t phys, size_t size)
{
	return z_paging_zero_rw_phys - phys < size || z_paging_zero_ro_phys - phys < size;
}

/*
 * The backing-store transfers under way, innermost last. With
 * CONFIG_DEMAND_PAGING_ALLOW_IRQ a transfer runs with interrupts enabled,
 * so an interrupt handler may call the memory manager in the middle of
 * one: the record says which page is in transit (nested calls must leave
 * it alone) and which frame the scratch page maps, so that a nested
 * transfer can give the scratch page back before the interrupted copy
 * resumes through it. Entries change only with interrupts locked, and a
 * nested transfer ends before the one it interrupted goes on: a stack.
 * (Threads extend this to one record per preempted thread.)
 */
struct transfer {
	void *va;       /* the page in transit */
	uintptr_t phys; /* its frame, mapped at the scratch page during the copy */
#ifdef CONFIG_ZTEST
	int64_t start_ticks;
#endif
};

static struct transfer transfers[Z_PAGING_TRANSFER_NEST_MAX];
static unsigned int transfer_depth;

#ifdef PAGODA_BUG_SHARED_TRANSFER_STATE
/*
 * A proof switch for the fuzzer (tests/scripts/test_fuzz_proof.py), never
 * set by a firmware build: the bug class the hardening fixed, back. Whether
 * a transfer re-enabled interrupts is a static flag each transfer sets (a
 * nested one overwrites it), and the scratch page is one shared slot that a
 * nested transfer does not give back.
 */
static bool transfer_irq;
#endif

/* After the current call used the scratch page: back to the interrupted copy's frame. */
static void scratch_give_back(void)
{
#ifndef PAGODA_BUG_SHARED_TRANSFER_STATE
	if (transfer_depth > 0U) {
		arch_mem_scratch(transfers[transfer_depth - 1U].phys);
	}
#endif
}

#ifdef CONFIG_ZTEST
/* Timer ticks that arrived while a transfer was under way: shows tests
 * that ALLOW_IRQ really lets interrupts in (and that nothing else does).
 */
static int64_t ticks_in_transfers;
static unsigned long nested_transfers;

int64_t z_paging_ticks_in_transfers(void)
{
	return ticks_in_transfers;
}

unsigned long z_paging_nested_transfers(void)
{
	return nested_transfers;
}
#endif

unsigned int z_paging_transfer_depth(void)
{
	return transfer_depth;
}

void *z_paging_transfer_page(unsigned int level)
{
	return level < transfer_depth ? transfers[level].va : NULL;
}

bool z_paging_range_in_transit_nested(const void *addr, size_t size)
{
	if (z_transit_find(addr, size) != NULL) {
		return true;
	}
	for (unsigned int i = 0; i < transfer_depth; i++) {
		if ((uintptr_t)transfers[i].va - (uintptr_t)addr < size) {
			return true;
		}
	}
	return false;
}

#ifdef CONFIG_DEMAND_PAGING_SLEEP
/*
 * The sleeping transfer: interrupts on, the store moves the frame by its
 * physical address (no scratch page, which other threads use meanwhile),
 * and the thread sleeps until the device is done. The caller has made va
 * busy (transit.h), so nobody else touches the page or the frame.
 */
static int transfer_sleeping(void *va, uintptr_t phys, uintptr_t location, bool out)
{
	uint64_t start = Z_PAGING_TIMESTAMP();
	int ret;

#ifdef CONFIG_MM_SHADOW_TAGS
	arch_mem_scratch(phys);
	uint32_t sum = out ? z_shadow_scratch_sum() : 0U;
#endif
	arch_irq_enable_all();
	ret = z_backing_store_frame_io(location, phys, out);
	(void)arch_irq_lock();
#ifdef CONFIG_MM_SHADOW_TAGS
	if (ret == 0 && out) {
		z_shadow_paged_out(va, k_mem_phys_to_page_frame(phys), location, sum);
	} else if (ret == 0) {
		arch_mem_scratch(phys);
		z_shadow_paged_in(va, k_mem_phys_to_page_frame(phys), location);
	}
#else
	ARG_UNUSED(va);
#endif
	z_paging_count_sleeping_transfer(out);
	if (out) {
		z_paging_histogram_page_out(Z_PAGING_TIMESTAMP() - start);
	} else {
		z_paging_histogram_page_in(Z_PAGING_TIMESTAMP() - start);
	}
	return ret;
}
#endif

/*
 * Copy the page va between its frame phys and location, through the
 * scratch page (or, for a caller that can sleep, by the sleeping transfer
 * above). -EBUSY when transfers are nested too deep already (a handler
 * interrupting a handler): refused, nothing moved. -EDEADLK for a fault
 * that may not wait for one.
 */
static int transfer(struct paging_ctx *ctx, void *va, uintptr_t phys, uintptr_t location, bool out)
{
	uint64_t start = Z_PAGING_TIMESTAMP();
	bool irq_on = NESTING && ctx->irq_ok;
	int ret;

	if (ctx_no_io(ctx)) {
		return -EDEADLK;
	}
	ctx->wrote = ctx->wrote || out;
#ifdef CONFIG_DEMAND_PAGING_SLEEP
	if (ctx_sleeps(ctx)) {
		return transfer_sleeping(va, phys, location, out);
	}
#endif

	if (NESTING) {
		if (transfer_depth == Z_PAGING_TRANSFER_NEST_MAX) {
			return -EBUSY;
		}

		struct transfer *t = &transfers[transfer_depth++];

		t->va = va;
		t->phys = phys;
#ifdef CONFIG_ZTEST
		t->start_ticks = k_uptime_ticks();
		nested_transfers += transfer_depth > 1U;
#endif
	}
	arch_window_scratch(phys);
#ifdef CONFIG_MM_SHADOW_TAGS
	uint32_t sum = out ? z_shadow_scratch_sum() : 0U;
#endif
#ifdef PAGODA_BUG_SHARED_TRANSFER_STATE
	transfer_irq = irq_on;
	if (transfer_irq) {
		arch_irq_enable_all();
	}
	ret = z_store_page_copy(location, out);
	if (transfer_irq) {
		(void)arch_irq_lock();
	}
#else
	if (irq_on) {
		arch_irq_enable_all();
	}
	ret = z_store_page_copy(location, out);
	if (irq_on) {
		(void)arch_irq_lock();
	}
#endif
#ifdef CONFIG_MM_SHADOW_TAGS
	if (ret == 0 && out) {
		z_shadow_paged_out(va, k_mem_phys_to_page_frame(phys), location, sum);
	} else if (ret == 0) {
		arch_mem_scratch(phys); /* the frame itself, whatever the copy went through */
		z_shadow_paged_in(va, k_mem_phys_to_page_frame(phys), location);
	}
#endif
	if (NESTING) {
#ifdef CONFIG_ZTEST
		if (transfer_depth == 1U) {
			ticks_in_transfers += k_uptime_ticks() - transfers[0].start_ticks;
		}
#endif
		transfer_depth--;
		/* The interrupted copy resumes through the scratch page: give it back. */
		scratch_give_back();
	}
	if (out) {
		z_paging_histogram_page_out(Z_PAGING_TIMESTAMP() - start);
	} else {
		z_paging_histogram_page_in(Z_PAGING_TIMESTAMP() - start);
	}
	return ret;
}

/*
 * With the disk store (a device whose slots can go bad), a failed page-out
 * is written again to another slot, and an eviction whose victim cannot be
 * written picks another. Other stores keep the reference's behaviour: the
 * call fails (the fault-injection suite pins that down step by step).
 */
#define WRITE_RETRY IS_ENABLED(CONFIG_DEMAND_PAGING_SLEEP)

/*
 * A page-out failed on the device (after the store's own retries): the slot
 * may be bad, so the page gets a fresh one (the failed one goes back after,
 * so it is not the one handed out) and one more write. The frame is BUSY
 * and the page unmapped throughout; *location is the slot in use.
 */
static int write_elsewhere(struct paging_ctx *ctx, struct k_mem_page_frame *pf, void *va,
			   uintptr_t *location)
{
	uintptr_t other;

	/* Its copy in a BACKED slot is torn now: no longer a copy. */
	k_mem_page_frame_clear(pf, K_MEM_PAGE_FRAME_BACKED);
	if (k_mem_paging_backing_store_location_get(pf, &other, ctx->page_fault) != 0) {
		return -EIO; /* no other slot: the caller keeps the page resident */
	}
	k_mem_paging_backing_store_location_free(*location);
	*location = other;
	/* The entry records the new slot (mapped back for an instant, locked). */
	arch_mem_page_in(va, k_mem_page_frame_to_phys(pf));
	arch_mem_page_out(va, other);
	z_paging_count_write_retry();
	MM_ERR("page-out of %p failed: writing it to another slot", va);
	return transfer(ctx, va, k_mem_page_frame_to_phys(pf), other, true);
}

/* A resident page's store copy is a cache (the frame holds the page): it may be given up. */
static bool copy_is_droppable(const struct k_mem_page_frame *pf)
{
	return k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED) &&
	       !k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BUSY);
}

/*
 * The store is out of locations (but the fault's): a resident page's copy
 * is given up for pf's page, as z_paging_eager_room() counted those. A
 * store that failed for another reason fails the call with nothing given
 * up. Out of line: the common case never gets here.
 */
static __noinline int location_from_a_copy(struct paging_ctx *ctx, struct k_mem_page_frame *pf,
					   uintptr_t *location)
{
	int ret = -ENOMEM;

	if (k_mem_paging_backing_store_free_get() > 1U) {
		return ret;
	}
	for (size_t i = 0; ret != 0 && i < K_MEM_NUM_PAGE_FRAMES; i++) {
		struct k_mem_page_frame *other = &k_mem_page_frames[i];

		if (other != pf && copy_is_droppable(other)) {
			z_paging_backed_copy_drop(other);
			k_mem_page_frame_clear(other, K_MEM_PAGE_FRAME_BACKED);
			ret = k_mem_paging_backing_store_location_get(pf, location,
								      ctx->page_fault);
		}
	}
	return ret;
}

/* A location for pf's page. */
static ALWAYS_INLINE int location_for(struct paging_ctx *ctx, struct k_mem_page_frame *pf,
				      uintptr_t *location)
{
	int ret = z_store_location_get(pf, location, ctx->page_fault);

	return (ret == 0) ? 0 : location_from_a_copy(ctx, pf, location);
}

/*
 * Move the page held by pf (resident, evictable) to the backing store and
 * leave pf free of it (not on the free list). A page needs copying when it
 * is dirty or the store has no copy of it (not BACKED). On failure the page
 * stays resident and nothing is lost. With keep_linked (see FUSED) pf stays
 * in the eviction algorithm's set, for the caller's z_eviction_replace().
 */
static ALWAYS_INLINE int evict_page(struct paging_ctx *ctx, struct k_mem_page_frame *pf, bool dirty,
				    bool keep_linked)
{
	void *va = k_mem_page_frame_to_virt(pf);
	uintptr_t phys = k_mem_page_frame_to_phys(pf);
	bool copy = dirty || !k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED);
	uintptr_t location;
	int ret;

	__ASSERT(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED) &&
			 !k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED | K_MEM_PAGE_FRAME_BUSY),
		 "frame 0x%lx is not evictable", (unsigned long)phys);
	ret = location_for(ctx, pf, &location);
	if (ret != 0) {
		return -ENOMEM;
	}
	if (!keep_linked) {
		k_mem_paging_eviction_remove(pf);
	}
	k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BUSY);
	/* Out of reach first, so no write can slip in during the copy. */
	arch_window_page_out(va, location);
#ifdef CONFIG_MM_SHADOW_TAGS
	if (!copy) {
		/* The store's copy stands for the page: the frame must still match it. */
		arch_mem_scratch(phys);
		z_shadow_evicted_clean(va, pf, location);
		if (transfer_depth > 0U) {
			arch_mem_scratch(transfers[transfer_depth - 1U].phys);
		}
	}
#endif
	if (copy) {
		struct z_transit t;

		/* Paging out: whoever meets the page waits for the write. */
		if (ctx_sleeps(ctx)) {
			z_transit_begin(&t, va, true);
		}
		ret = transfer(ctx, va, phys, location, true);
		if (ret == -EIO && WRITE_RETRY) {
			ret = write_elsewhere(ctx, pf, va, &location);
		}
		if (ret != 0) {
			/* The frame holds the only good copy: map it back, drop the slot. */
			arch_mem_page_in(va, phys);
			k_mem_paging_backing_store_location_free(location);
			k_mem_page_frame_clear(pf, K_MEM_PAGE_FRAME_BUSY | K_MEM_PAGE_FRAME_BACKED);
			if (keep_linked) {
				k_mem_paging_eviction_remove(pf); /* then back, as when unlinked */
			}
			k_mem_paging_eviction_add(pf);
			if (ctx_sleeps(ctx)) {
				z_transit_end(&t);
			}
			if (ret != -EBUSY && ret != -EDEADLK) {
				MM_ERR("page-out of %p failed (%d); it stays resident", va, ret);
			}
			return ret;
		}
		z_paging_count_eviction(copy);
		pf->va_and_flags = 0;
		if (ctx_sleeps(ctx)) {
			z_transit_end(&t);
		}
		return 0;
	}
	z_paging_count_eviction(copy);
	pf->va_and_flags = 0;
	return 0;
}

/* evict_page() for the callers off the fault path (out of line: one copy of it). */
static __noinline int evict(struct paging_ctx *ctx, struct k_mem_page_frame *pf, bool dirty)
{
	return evict_page(ctx, pf, dirty, false);
}

/* Victims a frame_get() tries when writing them out fails. */
#define EVICT_VICTIMS_MAX 3

/*
 * Whether a page fault's victim may stay in the eviction algorithm's set
 * through the transfers, to be handed over to the page brought in with one
 * z_eviction_replace() instead of a remove and an add (two calls, and for
 * CLOCK-2Q a rotation of probation instead of an unlink and an append).
 * Only where nothing can run meanwhile: interrupts stay locked through the
 * transfers (no ALLOW_IRQ) and the caller does not sleep. The victim is
 * BUSY in the set then; nothing selects until the caller is done.
 */
#define FUSED(ctx) (!NESTING && !ctx_sleeps(ctx))

/*
 * A free frame, evicting a page when none is free; NULL (ctx->why set) when
 * impossible. Inline, with the eviction in it, in each fault path: their
 * calls' frames were a tenth of a fault's overhead. With keep_linked, a
 * victim's frame stays in the eviction set and *linked says so: the caller
 * then ends with z_eviction_replace() or k_mem_paging_eviction_remove().
 */
static ALWAYS_INLINE struct k_mem_page_frame *frame_get_linked(struct paging_ctx *ctx,
							       bool keep_linked, bool *linked)
{
	struct k_mem_page_frame *pf = z_page_frame_alloc();
	bool dirty;
	int ret;

	z_paging_pool_kick(); /* below the low watermark: the paging thread refills */
	if (pf != NULL) {
		return pf;
	}

	/* A victim whose write fails stays resident: another one is tried. */
	for (int victims = 0;; victims++) {
		uint64_t start = Z_PAGING_TIMESTAMP();

		pf = k_mem_paging_eviction_select(&dirty);
		z_paging_histogram_eviction(Z_PAGING_TIMESTAMP() - start);
		if (pf == NULL) {
			ctx->why = "no page to evict (every frame in use is pinned or in transit)";
			return NULL;
		}
		/* Inline: the fault path's own step. */
		ret = evict_page(ctx, pf, dirty, keep_linked);
		if (ret == 0) {
			*linked = keep_linked;
			return pf;
		}
		if (ret != -EIO || !WRITE_RETRY || victims + 1 == EVICT_VICTIMS_MAX) {
			break;
		}
	}
	if (ret == -ENOMEM) {
		ctx->why = "evicting a page failed: the backing store is full";
	} else if (ret == -EBUSY) {
		ctx->why = "evicting a page failed: backing-store transfers are nested too deep";
	} else if (ret == -EDEADLK) {
		ctx->why = "evicting a page needs a transfer, which this fault may not wait for";
		ctx->no_io = true; /* tells the caller */
	} else {
		ctx->why = "evicting a page failed: writing it to the backing store failed";
	}
	return NULL;
}

static ALWAYS_INLINE struct k_mem_page_frame *frame_get(struct paging_ctx *ctx)
{
	bool linked;

	return frame_get_linked(ctx, false, &linked);
}

/* A frame from frame_get_linked() goes back to the free list. */
static void frame_give_back(struct k_mem_page_frame *pf, bool linked)
{
	if (linked) {
		k_mem_paging_eviction_remove(pf);
	}
	z_page_frame_free(pf);
}

/* The frame from frame_get_linked() now holds va's page (not pinned): evictable. */
static ALWAYS_INLINE void frame_mapped(struct k_mem_page_frame *pf, void *va, bool pin, bool linked)
{
	if (linked) {
		k_mem_page_frame_mapped_set(pf, va);
		z_eviction_replace(pf);
	} else {
		z_mm_anon_frame_mapped(pf, va, pin);
	}
}

#ifdef CONFIG_DEMAND_PAGING_POOL
int z_paging_pool_refill_one(size_t high)
{
	struct paging_ctx ctx = ctx_for(arch_irq_enabled(), false);
	unsigned int key = irq_lock();
	int ret = 0;

	if (z_page_frames_free < high) {
		bool dirty;
		struct k_mem_page_frame *pf = k_mem_paging_eviction_select(&dirty);

		ret = (pf != NULL) ? evict(&ctx, pf, dirty) : -ENOMEM;
		if (ret == 0) {
			z_page_frame_free(pf);
			z_paging_count_pool_frame();
			ret = 1;
		}
	}
	ctx_unlock(&ctx, key);
	return ret;
}
#endif

struct k_mem_page_frame *z_paging_frame_get(void)
{
	struct paging_ctx ctx = ctx_for(false, false);

	return frame_get(&ctx);
}

bool z_paging_page_is_frameless_anon(void *va)
{
	uintptr_t location;

	switch (arch_page_location_get(va, &location)) {
	case ARCH_PAGE_LOCATION_PAGED_OUT:
		return true;
	case ARCH_PAGE_LOCATION_PAGED_IN:
		return z_paging_is_zero_frame(location);
	default:
		return false;
	}
}

void z_paging_backed_copy_drop(struct k_mem_page_frame *pf)
{
	uintptr_t slot;

	(void)k_mem_paging_backing_store_location_get(pf, &slot, false);
	k_mem_paging_backing_store_location_free(slot);
}

void z_paging_location_free(uintptr_t location)
{
	k_mem_paging_backing_store_location_free(location);
}

/*
 * Each page an eager map places beyond the free frames costs one eviction,
 * which takes a free store location or one a resident page's copy gives
 * up (the reference frees a page's location when it is paged in, so there
 * such a location is free), less the location kept for page faults: the
 * most an eager map takes is the free frames plus the free and droppable
 * locations less one, the reference's rule that its demand-paging suite
 * checks. The copies are counted by walking the frames, only until
 * `enough` is reached.
 */
size_t z_paging_eager_room(size_t enough)
{
	size_t held = 1U; /* the page fault's location */
	size_t have = k_mem_paging_backing_store_free_get();

	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES && (have < held || have - held < enough);
	     i++) {
		have += copy_is_droppable(&k_mem_page_frames[i]) ? 1U : 0U;
	}
	return (have > held) ? have - held : 0U;
}

/* The frame of the anonymous page at va if the page may be evicted, else NULL. */
static struct k_mem_page_frame *evictable_frame(void *va)
{
	uintptr_t phys;
	struct k_mem_page_frame *pf;

	if (arch_page_phys_get(va, &phys) != 0 || !k_mem_is_page_frame(phys)) {
		return NULL;
	}
	pf = k_mem_phys_to_page_frame(phys);
	return z_page_frame_backs(pf, va, K_MEM_PAGE_FRAME_PINNED) ? pf : NULL;
}

void z_paging_hold(void *va)
{
	struct k_mem_page_frame *pf = evictable_frame(va);

	if (pf != NULL) {
		k_mem_paging_eviction_remove(pf);
	}
}

void z_paging_unhold(void *va)
{
	struct k_mem_page_frame *pf = evictable_frame(va);

	if (pf != NULL) {
		k_mem_paging_eviction_add(pf);
	}
}

/*
 * A new entry starts clean: a dirty page must give up its older store copy
 * (BACKED), or its next eviction would skip the write and lose the data.
 */
void z_paging_drop_stale_copy(void *va)
{
	uintptr_t phys;
	uintptr_t slot;

	if ((arch_page_info_get(va, &phys, false) & ARCH_DATA_PAGE_DIRTY) == 0U ||
	    !k_mem_is_page_frame(phys)) {
		return;
	}

	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);

	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED)) {
		if (k_mem_paging_backing_store_location_get(pf, &slot, false) == 0) {
			k_mem_paging_backing_store_location_free(slot);
		}
		k_mem_page_frame_clear(pf, K_MEM_PAGE_FRAME_BACKED);
	}
}

void z_paging_map_zero(uint8_t *va, size_t size, uint32_t flags)
{
	uintptr_t zero =
		(flags & K_MEM_PERM_RW) != 0U ? z_paging_zero_rw_phys : z_paging_zero_ro_phys;

	for (uint8_t *pos = va; pos < va + size; pos += K_MEM_PAGE_SIZE) {
		arch_mem_map(pos, zero, K_MEM_PAGE_SIZE, flags & ~K_MEM_PERM_RW);
	}
}

bool z_paging_page_is_zero_rw(void *va)
{
	uintptr_t phys;

	return arch_page_phys_get(va, &phys) == 0 && phys == z_paging_zero_rw_phys;
}

bool z_mem_page_write_resolves(void *addr)
{
	return z_paging_page_is_zero_rw(addr);
}

bool z_paging_zero_page_update(void *va, uint32_t flags)
{
	uintptr_t phys;

	if (arch_page_phys_get(va, &phys) != 0 || !z_paging_is_zero_frame(phys)) {
		return false;
	}
	z_paging_map_zero(va, K_MEM_PAGE_SIZE, flags);
	return true;
}

/*
 * Zero the frame at phys through the scratch page. A transfer this call
 * interrupted copies through the scratch page too: it gets its frame back.
 */
static void frame_zero(uintptr_t phys)
{
	arch_window_scratch(phys);
	z_page_zero(ARCH_SCRATCH_PAGE);
	scratch_give_back();
}

static int make_resident(struct paging_ctx *ctx, void *va, bool pin);

/*
 * Whether the entry of va still says what the caller read before
 * frame_get(): that may evict with interrupts enabled (ALLOW_IRQ), and a
 * handler may page va in, map it a frame or unmap it meanwhile. If not, the
 * frame goes back and the page is looked at again (make_resident()).
 */
static bool entry_unchanged(void *va, enum arch_page_location was, uintptr_t where)
{
	uintptr_t now;

	return !NESTING || (arch_page_location_get(va, &now) == was && now == where);
}

/* Give a zero-mapped page a frame of its own, zero-filled, with its intended permissions. */
static int materialize_frame(struct paging_ctx *ctx, void *va, uintptr_t zero, bool pin)
{
	bool linked = false;
	struct k_mem_page_frame *pf = frame_get_linked(ctx, !pin && FUSED(ctx), &linked);
	uint32_t flags;

	if (pf == NULL) {
		return ctx_no_io(ctx) ? -EDEADLK : -ENOMEM;
	}
	if (!entry_unchanged(va, ARCH_PAGE_LOCATION_PAGED_IN, zero)) {
		frame_give_back(pf, linked);
		return make_resident(ctx, va, pin);
	}
	uintptr_t phys = k_mem_page_frame_to_phys(pf);

	(void)arch_page_flags_get(va, &flags);
	if (zero == z_paging_zero_rw_phys) {
		flags |= K_MEM_PERM_RW;
	}
	frame_zero(phys);
	arch_mem_map(va, phys, K_MEM_PAGE_SIZE, flags);
	frame_mapped(pf, va, pin, linked);
	return 0;
}

/*
 * Give va its frame with bring(ctx, va, arg, pin), once no transfer holds
 * the page (busy_check()). A caller that sleeps keeps the page busy
 * (paging in) from before it looks for a frame until the page is mapped:
 * getting the frame may evict, and a second thread faulting on the page
 * meanwhile waits for this one instead of giving it a second frame (or
 * starting a second read). Inline with a constant bring: a direct call.
 */
static ALWAYS_INLINE int bring_in(struct paging_ctx *ctx, void *va, uintptr_t arg, bool pin,
				  int (*bring)(struct paging_ctx *, void *, uintptr_t, bool))
{
	struct z_transit t;
	int ret = busy_check(ctx, va);

	if (ret != 0) {
		return ret;
	}
	if (!ctx_sleeps(ctx)) {
		return bring(ctx, va, arg, pin);
	}
	z_transit_begin(&t, va, false);
	ret = bring(ctx, va, arg, pin);
	z_transit_end(&t);
	return ret;
}

/* A zero-mapped page gets its frame, zeroed or copied from zero's page. */
static int materialize(struct paging_ctx *ctx, void *va, uintptr_t zero, bool pin)
{
	return bring_in(ctx, va, zero, pin, materialize_frame);
}

/* Inline in both its callers: the fault's own path (fault_paged_out()) has it in one frame. */
static ALWAYS_INLINE int page_in_frame(struct paging_ctx *ctx, void *va, uintptr_t location,
				       bool pin)
{
	bool linked = false;
	struct k_mem_page_frame *pf = frame_get_linked(ctx, !pin && FUSED(ctx), &linked);

	if (pf == NULL) {
		return ctx_no_io(ctx) ? -EDEADLK : -ENOMEM;
	}
	if (!entry_unchanged(va, ARCH_PAGE_LOCATION_PAGED_OUT, location)) {
		frame_give_back(pf, linked);
		return make_resident(ctx, va, pin);
	}
	uintptr_t phys = k_mem_page_frame_to_phys(pf);
	int ret;

	k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BUSY);
	ret = transfer(ctx, va, phys, location, false);
	if (ret != 0) {
		frame_give_back(pf, linked);
		if (ret != -EBUSY && ret != -EDEADLK) {
			MM_ERR("page-in of %p from location 0x%lx failed (%d)", va,
			       (unsigned long)location, ret);
		}
		return ret;
	}
	arch_window_page_in(va, phys);
	frame_mapped(pf, va, pin, linked); /* also ends BUSY */
	z_store_page_finalize(pf, location);
	return 0;
}

/* Page va in from location (one read, however many threads fault on it). */
static ALWAYS_INLINE int page_in(struct paging_ctx *ctx, void *va, uintptr_t location, bool pin)
{
	return bring_in(ctx, va, location, pin, page_in_frame);
}

static int make_resident(struct paging_ctx *ctx, void *va, bool pin)
{
	uintptr_t location;

	if (!z_virt_is_anon_space(va)) {
		return -EFAULT;
	}
	switch (arch_page_location_get(va, &location)) {
	case ARCH_PAGE_LOCATION_PAGED_OUT:
		return page_in(ctx, va, location, pin);
	case ARCH_PAGE_LOCATION_PAGED_IN:
		if (z_paging_is_zero_frame(location)) {
			/* Resident already; pinning must also make later writes fault-free. */
			return pin ? materialize(ctx, va, location, true) : 0;
		}
		struct k_mem_page_frame *pf = z_page_frame_of(va, location);

		if (pf == NULL) {
			return -EFAULT; /* not anonymous memory */
		}
		if (pin) {
			if (!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED)) {
				k_mem_paging_eviction_remove(pf);
				k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_PINNED);
			}
		}
		return 0;
	default:
		return -EFAULT;
	}
}

int z_paging_page_make_resident(void *va, bool pin)
{
	struct paging_ctx ctx = ctx_for(false, false);

	return make_resident(&ctx, va, pin);
}

/* The last fault that could not be served, for the fatal dump that follows it. */
static struct {
	const void *va;
	const char *why;
} fault_failure;

static __noinline void fault_failure_record_error(void *va, int ret, const struct paging_ctx *ctx,
						  bool in_isr)
{
	switch (ret) {
	case -EFAULT:
		return; /* not demand paging's to serve */
	case -ENOMEM:
		fault_failure.why = ctx->why != NULL ? ctx->why : "no free page frame";
		break;
	case -EBUSY:
		fault_failure.why = "the page is in transit in the code this handler interrupted";
		break;
	case -EDEADLK:
		fault_failure.why = in_isr ? "it needs a backing-store transfer, which an "
					     "interrupt handler cannot wait for"
					   : "it needs a backing-store transfer, which a thread "
					     "holding the scheduler lock cannot wait for";
		break;
	default:
		fault_failure.why = "reading the page from the backing store failed (I/O "
				    "error); the page stays paged out";
		break;
	}
	fault_failure.va = va;
}

static ALWAYS_INLINE void fault_failure_record(void *va, int ret, const struct paging_ctx *ctx,
					       bool in_isr)
{
	if (likely(ret == 0)) {
		if (unlikely(fault_failure.va == va)) {
			fault_failure.va = NULL; /* served now: the old reason is stale */
		}
		return;
	}
	fault_failure_record_error(va, ret, ctx, in_isr);
}

const char *z_paging_fault_failure(const void *addr)
{
	const void *va = (const void *)ROUND_DOWN((uintptr_t)addr, K_MEM_PAGE_SIZE);

	return (fault_failure.va == va) ? fault_failure.why : NULL;
}

/* A fault's end with interrupts locked (key): counters, diagnostics, unlock. */
static ALWAYS_INLINE bool fault_done(void *addr, int ret, struct paging_ctx *ctx, unsigned int key,
				     bool irq_was_enabled, bool in_isr)
{
	void *va = (void *)ROUND_DOWN((uintptr_t)addr, K_MEM_PAGE_SIZE);

	if (likely(ret == 0)) {
		z_paging_count_fault(irq_was_enabled, in_isr);
		z_paging_count_fault_wrote(ctx->wrote);
	} else if (ret == -ENOMEM) {
		MM_ERR("page fault at %p cannot be served: no free page frame, and %s", addr,
		       ctx->why);
	} else if (ret == -EBUSY) {
		MM_ERR("page fault at %p cannot be served: the page is in transit to or from the "
		       "backing store in the code this handler interrupted",
		       addr);
	} else if (ret == -EDEADLK) {
		MM_ERR("page fault at %p cannot be served: it needs a backing-store transfer, and "
		       "a fault %s cannot wait for one",
		       addr, in_isr ? "in an interrupt handler" : "with the scheduler locked");
	} else if (ret != -EFAULT) {
		MM_ERR("page fault at %p cannot be served: reading the page from the backing "
		       "store failed (%d)",
		       addr, ret);
	}
	fault_failure_record(va, ret, ctx, in_isr);
	ctx_unlock(ctx, key);
	return ret == 0;
}

/*
 * The commonest fault, apart: a window page paged out, where nothing can
 * run during its transfers (FUSED). z_mem_page_fault() jumps here (a tail
 * call) with interrupts locked, so the page-in and its eviction are one
 * function's body, with one frame.
 */
static __noinline bool fault_paged_out(void *addr, uintptr_t location, unsigned int key,
				       bool irq_was_enabled, bool in_isr)
{
	void *va = (void *)ROUND_DOWN((uintptr_t)addr, K_MEM_PAGE_SIZE);
	struct paging_ctx ctx = ctx_for(irq_was_enabled, true);

	return fault_done(addr, page_in(&ctx, va, location, false), &ctx, key, irq_was_enabled,
			  in_isr);
}

/* Every other fault (and every fault where transfers may sleep or nest), locked (key). */
static __noinline bool fault_general(void *addr, unsigned int key, bool irq_was_enabled,
				     bool in_isr)
{
	void *va = (void *)ROUND_DOWN((uintptr_t)addr, K_MEM_PAGE_SIZE);
	struct paging_ctx ctx = ctx_for(irq_was_enabled, true);
	uintptr_t location;
	int ret;
	bool waited = false;

	/* A fault that could only spin on the device where nothing may wait. */
	ctx.no_io = IS_ENABLED(CONFIG_DEMAND_PAGING_SLEEP) && (in_isr || z_transit_sched_locked());

	do {
		ret = -EFAULT;
		if (!z_virt_is_anon_space(va)) {
			break;
		}
		switch (arch_window_page_location_get(va, &location)) {
		case ARCH_PAGE_LOCATION_PAGED_OUT:
			ret = page_in(&ctx, va, location, false);
			break;
		case ARCH_PAGE_LOCATION_PAGED_IN:
			/* Only the writable zero frame faults for a good reason, or a
			 * page another thread brought in while this one waited (the
			 * retried access tells a permission fault, which faults again).
			 */
			if (location == z_paging_zero_rw_phys) {
				ret = materialize(&ctx, va, location, false);
			} else if (waited && z_page_frame_of(va, location) != NULL) {
				ret = 0;
			}
			break;
		default:
			break;
		}
		waited = waited || ret == -EAGAIN;
		/* Waited for another thread's transfer: look again. */
	} while (IS_ENABLED(CONFIG_DEMAND_PAGING_SLEEP) && ret == -EAGAIN);
	return fault_done(addr, ret, &ctx, key, irq_was_enabled, in_isr);
}

bool z_mem_page_fault(void *addr, bool irq_was_enabled, bool in_isr)
{
	void *va = (void *)ROUND_DOWN((uintptr_t)addr, K_MEM_PAGE_SIZE);
	uintptr_t location;

	if (in_isr && IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ)) {
		printk("Page fault at %p in an interrupt handler: not allowed with "
		       "CONFIG_DEMAND_PAGING_ALLOW_IRQ\n",
		       addr);
		return false;
	}

	unsigned int key = irq_lock();

	/* Where transfers neither sleep nor nest (a build-time fact here). */
	if (!NESTING && !IS_ENABLED(CONFIG_DEMAND_PAGING_SLEEP) &&
	    likely(z_virt_is_anon_space(va)) &&
	    likely(arch_window_page_location_get(va, &location) == ARCH_PAGE_LOCATION_PAGED_OUT)) {
		return fault_paged_out(addr, location, key, irq_was_enabled, in_isr);
	}
	return fault_general(addr, key, irq_was_enabled, in_isr);
}

bool k_mem_page_fault(void *addr)
{
	return z_mem_page_fault(addr, arch_irq_enabled(), false);
}

/*
 * Run op on every page of [addr, addr + size) (rounded out to pages) with
 * the lock held, up to the first error. An empty range has no page; one
 * that leaves the window (or wraps) is refused whole: that also bounds the
 * walk, which a huge size would otherwise stretch for ages.
 */
static int for_each_page(void *addr, size_t size, int (*op)(struct paging_ctx *ctx, void *va))
{
	if (size == 0U) {
		return 0;
	}
	if ((uintptr_t)addr < K_MEM_VM_START || (uintptr_t)addr >= K_MEM_VM_END ||
	    size > K_MEM_VM_END - (uintptr_t)addr) {
		return -EFAULT;
	}

	uint8_t *start = (uint8_t *)ROUND_DOWN((uintptr_t)addr, K_MEM_PAGE_SIZE);
	uint8_t *end = (uint8_t *)ROUND_UP((uintptr_t)addr + size, K_MEM_PAGE_SIZE);
	struct paging_ctx ctx = ctx_for(arch_irq_enabled(), false);
	unsigned int key = irq_lock();
	int ret = 0;

	for (uint8_t *pos = start; pos < end && ret == 0;) {
		ret = op(&ctx, pos);
		if (ret == -EAGAIN) {
			ret = 0; /* waited for the page's transfer: the same page again */
		} else {
			pos += K_MEM_PAGE_SIZE;
		}
	}
	ctx_unlock(&ctx, key);
	return ret;
}

static int page_out_one(struct paging_ctx *ctx, void *va)
{
	uintptr_t phys;

	if (!z_virt_is_anon_space(va)) {
		return -EFAULT;
	}

	int busy = busy_check(ctx, va); /* moving already: wait for it, or -EBUSY */

	if (busy != 0) {
		return busy;
	}

	/* One walk gives the state, the frame and the dirty bit. */
	uintptr_t info = arch_page_info_get(va, &phys, false);

	if ((info & ARCH_DATA_PAGE_NOT_MAPPED) != 0U) {
		return -EFAULT;
	}
	if ((info & ARCH_DATA_PAGE_LOADED) == 0U || z_paging_is_zero_frame(phys)) {
		return 0; /* paged out already, or holds no frame: nothing to evict */
	}

	if (!k_mem_is_page_frame(phys)) {
		return -EFAULT; /* a physical mapping of device memory */
	}

	/* Backs va (not an alias of another page's frame), neither pinned nor
	 * in transit: one compare.
	 */
	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);

	if (!z_page_frame_backs(pf, va, K_MEM_PAGE_FRAME_PINNED | K_MEM_PAGE_FRAME_BUSY)) {
		return -EFAULT;
	}

	int ret = evict(ctx, pf, (info & ARCH_DATA_PAGE_DIRTY) != 0U);

	if (ret == 0) {
		z_page_frame_free(pf);
	}
	return ret;
}

int k_mem_page_out(void *addr, size_t size)
{
	int ret = for_each_page(addr, size, page_out_one);

	if (ret != 0) {
		MM_ERR("k_mem_page_out: %p+0x%zx: %d", addr, size, ret);
	}
	return ret;
}

/*
 * k_mem_page_in() and k_mem_pin() return nothing (as in the reference): in
 * an interrupt handler that interrupted a transfer of the same page there
 * is no way to serve them, nor to tell the caller, so that is fatal.
 */
static void refuse_in_transit(const char *fn, void *addr, size_t size, int ret)
{
	if (ret == -EBUSY && k_is_in_isr()) {
		printk("%s(%p, 0x%zx) in an interrupt handler: a page of the range is in transit "
		       "to or from the backing store in the code the handler interrupted, so "
		       "the call cannot be served\n",
		       fn, addr, size);
		k_panic();
	}
}

static int page_in_one(struct paging_ctx *ctx, void *va)
{
	int ret = make_resident(ctx, va, false);

	return (ret == -EFAULT) ? 0 : ret; /* not pageable: resident already or unmapped */
}

/* A page k_mem_pin() can take: checked for the whole range before pinning any. */
static int pin_check_one(struct paging_ctx *ctx, void *va)
{
	uintptr_t location;

	if (!z_virt_is_anon_space(va)) {
		return -EFAULT;
	}

	int busy = busy_check(ctx, va);

	if (busy != 0) {
		return busy;
	}
	switch (arch_page_location_get(va, &location)) {
	case ARCH_PAGE_LOCATION_PAGED_OUT:
		return 0;
	case ARCH_PAGE_LOCATION_PAGED_IN:
		return (z_paging_is_zero_frame(location) || z_page_frame_of(va, location) != NULL)
			       ? 0
			       : -EFAULT;
	default:
		return -EFAULT;
	}
}

static int pin_one(struct paging_ctx *ctx, void *va)
{
	return make_resident(ctx, va, true);
}

static int unpin_one(struct paging_ctx *ctx, void *va)
{
	uintptr_t phys;

	ARG_UNUSED(ctx);
	if (z_virt_is_anon_space(va) && arch_page_phys_get(va, &phys) == 0) {
		struct k_mem_page_frame *pf = z_page_frame_of(va, phys);

		if (pf != NULL && k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED)) {
			k_mem_page_frame_clear(pf, K_MEM_PAGE_FRAME_PINNED);
			k_mem_paging_eviction_add(pf);
			z_paging_pool_kick(); /* something to evict again: the pool may refill */
		}
	}
	return 0;
}

void k_mem_page_in(void *addr, size_t size)
{
	int ret = for_each_page(addr, size, page_in_one);

	/* Out of frames and store, or a device error: the pages stay where they are. */
	if (ret != 0) {
		refuse_in_transit("k_mem_page_in", addr, size, ret);
		MM_ERR("k_mem_page_in: %p+0x%zx: %d", addr, size, ret);
	}
}

void k_mem_pin(void *addr, size_t size)
{
	/* An unmapped or foreign page fails the call before anything is pinned. */
	int ret = for_each_page(addr, size, pin_check_one);

	if (ret == 0) {
		ret = for_each_page(addr, size, pin_one);
	}
	if (ret != 0) {
		refuse_in_transit("k_mem_pin", addr, size, ret);
		MM_ERR("k_mem_pin: %p+0x%zx: %d", addr, size, ret);
	}
}

void k_mem_unpin(void *addr, size_t size)
{
	int ret = for_each_page(addr, size, unpin_one); /* only the range can fail */

	if (ret != 0) {
		MM_ERR("k_mem_unpin: %p+0x%zx: %d", addr, size, ret);
	}
}

int k_mem_page_frame_evict(uintptr_t phys)
{
	if (!k_mem_is_page_frame(phys)) {
		MM_ERR("k_mem_page_frame_evict: 0x%lx is not a RAM frame", (unsigned long)phys);
		return -EINVAL;
	}

	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);
	struct paging_ctx ctx = ctx_for(arch_irq_enabled(), false);
	unsigned int key = irq_lock();
	int ret = 0;

	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED | K_MEM_PAGE_FRAME_BUSY |
					    K_MEM_PAGE_FRAME_RESERVED)) {
		ret = -EBUSY;
	} else if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED)) {
		void *va = k_mem_page_frame_to_virt(pf);
		bool dirty = (arch_page_info_get(va, NULL, false) & ARCH_DATA_PAGE_DIRTY) != 0U;

		ret = evict(&ctx, pf, dirty);
		if (ret == 0) {
			z_page_frame_free(pf);
		}
	}
	ctx_unlock(&ctx, key);
	if (ret == -EBUSY || ret == -ENOMEM) { /* evict() reports -EIO itself */
		MM_ERR("k_mem_page_frame_evict: 0x%lx: %d", (unsigned long)phys, ret);
	}
	return ret;
}

/* A pinned frame of zeros that no page owns. */
static uintptr_t zero_frame_create(void)
{
	struct k_mem_page_frame *pf = z_page_frame_alloc();

	__ASSERT(pf != NULL, "no frame for the zero page");
	k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_PINNED);

	uintptr_t phys = k_mem_page_frame_to_phys(pf);

	frame_zero(phys);
	return phys;
}

void z_paging_init(void)
{
	z_paging_zero_rw_phys = zero_frame_create();
	z_paging_zero_ro_phys = zero_frame_create();
	arch_mem_unmap(ARCH_SCRATCH_PAGE, K_MEM_PAGE_SIZE);
#ifdef CONFIG_MM_SHADOW_TAGS
	z_shadow_init();
#endif
	k_mem_paging_eviction_init();
	k_mem_paging_backing_store_init();
}
