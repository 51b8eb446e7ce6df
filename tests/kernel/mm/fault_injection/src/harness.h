/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every fault-injection case shares: live mappings whose every page
 * holds a known pattern (checked after each injected failure and after
 * each case), frames consumed for real, the kernel window filled for real,
 * and the console captured to check what a fatal error said.
 */
#ifndef FI_HARNESS_H
#define FI_HARNESS_H

#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/errno.h>
#include <virt_region.h>
#include <ztest.h>

#include "fi_store.h"

#define PAGE         CONFIG_MMU_PAGE_SIZE
#define LIVE_MAX     8
#define LIVE_PAGES   8 /* at most, per mapping */
#define STEPS        4 /* pages of a multi-page operation */
#define INJECT_LIMIT 16

/* A mapping the suite keeps a pattern record of. */
struct live {
	uint8_t *va;
	size_t pages;
	bool bystander;            /* the suite's, outlives the case */
	uint32_t seed[LIVE_PAGES]; /* 0: the page reads as zeros */
};

/* Map pages of anonymous memory (all zeros) and record it; fails the case on NULL. */
struct live *live_map(size_t pages, uint32_t flags);
/* Record a mapping the case already made. */
struct live *live_add(void *va, size_t pages);
/* The record of the mapping at va (fails the case when there is none). */
struct live *live_find(void *va);
/* Unmap and forget. */
void live_unmap(struct live *l);
/* Write a fresh pattern to one page (this may fault). */
void live_write(struct live *l, size_t page);
/* Write every page. */
void live_write_all(struct live *l);
/* Address of a page. */
static inline uint8_t *live_page(const struct live *l, size_t page)
{
	return l->va + page * PAGE;
}

/*
 * Pages of every live mapping that do not hold their pattern, read without
 * faulting: resident pages in place, paged-out pages in the store's slot.
 * Changes no state. Prints the first few bad pages.
 */
size_t live_bad_quiet(void);
/* The same, reading every page through its address (pages fault in). */
size_t live_bad_access(void);

/* How a page is held. */
enum page_state {
	PAGE_OUT,  /* paged out */
	PAGE_OWN,  /* resident in a frame of its own */
	PAGE_ZERO, /* maps a shared zero frame */
	PAGE_BAD,  /* not mapped */
};
enum page_state page_state(void *va);
/* The pages of l in [first, last) are all in state s (fails the case otherwise). */
void assert_states(const struct live *l, size_t first, size_t last, enum page_state s);
/* The frame record of a resident page (fails the case otherwise). */
struct k_mem_page_frame *page_frame(void *va);
/* Slots the store should hold: paged-out live pages and BACKED live frames. */
size_t slots_expected(void);

/*
 * Page out the pageable bystanders, so that nothing outside the case is
 * evictable (the suite's locked bystander and the consumer are pinned).
 */
void bystanders_evict(void);

/* Consume free frames with a locked mapping until exactly k are free. */
void frames_leave(size_t k);
/* Give the consumed frames back. */
void frames_release(void);

/* Fill the kernel window with physical mappings until not one page is free. */
void vspace_fill(void);
/* Unmap the fill. */
void vspace_release(void);

/*
 * The coming access must end in a fatal error whose console output says
 * why (contains reason) next to "cannot be served"; after() checks it.
 */
void expect_fatal_fault(const char *reason);

#define assert_invariants() zassert_equal(k_mem_check_invariants(), 0, "invariants broken")
#define assert_data_quiet() zassert_equal(live_bad_quiet(), 0, "pages lost their data")
#define assert_slots()                                                                             \
	zassert_equal(fi_store_used(), slots_expected(), "store slots leaked or lost")

#endif /* FI_HARNESS_H */
