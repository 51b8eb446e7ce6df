/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory-manager calls from an interrupt handler in the middle of paging.
 *
 * The main code pages over an arena larger than the free frames (random
 * writes, reads and page-outs); a timer interrupt handler calls the memory
 * manager on every tick. With CONFIG_DEMAND_PAGING_ALLOW_IRQ transfers run
 * with interrupts enabled, so the handler lands inside them: the cases run
 * until that happened often (z_paging_nested_transfers()), and fail if it
 * never did. Every page carries a tag (its index and a generation) at both
 * ends; a page holding another page's contents, or an old generation, is
 * counted bad. ztest runs k_mem_check_invariants() after each case.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <sys/errno.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE           CONFIG_MMU_PAGE_SIZE
#define HANDLER_PAGES  8U    /* arena pages only the handler touches (case 1) */
#define MAX_PAGES      4096U /* bound of the shadow generations */
#define MIN_NESTED     200UL /* handler transfers inside a transfer, with ALLOW_IRQ */
#define MIN_ITERATIONS 4000U
#define MAX_ITERATIONS 400000U
#define MAX_RUN_MS     8000
/* Ticks between handler calls: a disk transfer takes far longer than a
 * tick, and a handler that runs back to back would starve the main code.
 */
#define HANDLER_PERIOD (IS_ENABLED(CONFIG_BACKING_STORE_DISK) ? 10U : 1U)

struct tag {
	uint32_t page;
	uint32_t gen;
};

static uint8_t *arena;
static size_t arena_pages;
static uint32_t gens[MAX_PAGES];

/* What the handler saw; read by the test body once the hook is removed. */
static volatile unsigned long handler_calls;
static volatile unsigned long handler_errors;
static volatile unsigned long handler_busy;
static volatile unsigned long handler_maps;
static volatile size_t handler_bad;
static volatile uint32_t handler_seed = 0x9e3779b9U;
static volatile unsigned int handler_ticks;

static uint32_t next_random(volatile uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static uint8_t *page_at(size_t p)
{
	return arena + p * PAGE;
}

static void tag_write(size_t p)
{
	struct tag t = {.page = (uint32_t)p, .gen = ++gens[p]};

	*(volatile struct tag *)page_at(p) = t;
	*(volatile struct tag *)(page_at(p) + PAGE - sizeof(t)) = t;
}

static bool tag_ok(size_t p)
{
	struct tag head = *(volatile struct tag *)page_at(p);
	struct tag tail = *(volatile struct tag *)(page_at(p) + PAGE - sizeof(head));

	return head.page == p && tail.page == p && head.gen == gens[p] && tail.gen == gens[p];
}

static size_t bad_pages(size_t first, size_t count)
{
	size_t bad = 0;

	for (size_t p = first; p < first + count; p++) {
		if (!tag_ok(p)) {
			if (bad < 4) {
				struct tag t = *(volatile struct tag *)page_at(p);

				printk("page %zu holds page %u generation %u (expected %u)\n", p,
				       t.page, t.gen, gens[p]);
			}
			bad++;
		}
	}
	return bad;
}

static bool is_resident(size_t p)
{
	return arch_page_location_get(page_at(p), NULL) == ARCH_PAGE_LOCATION_PAGED_IN;
}

/* An arena 30% larger than the free frames (the store holds the rest), every page tagged. */
static void arena_setup(void)
{
	size_t free_pages = k_mem_free_get() / PAGE;
	size_t slots = k_mem_paging_backing_store_free_get();

	arena_pages = MIN(free_pages + free_pages * 3 / 10, free_pages + slots / 2);
	zassert_true(arena_pages <= MAX_PAGES && arena_pages > free_pages + HANDLER_PAGES,
		     "arena of %zu pages does not fit the test (%zu free)", arena_pages,
		     free_pages);
	arena = k_mem_map(arena_pages * PAGE, K_MEM_PERM_RW);
	zassert_not_null(arena, "could not map %zu pages", arena_pages);
	for (size_t p = 0; p < arena_pages; p++) {
		gens[p] = 0;
		tag_write(p);
	}
	handler_calls = 0;
	handler_errors = 0;
	handler_busy = 0;
	handler_maps = 0;
	handler_bad = 0;
}

/*
 * Random writes, reads and page-outs over the arena's first pages pages
 * until the handler has run inside enough transfers (or the bounds end it).
 * Returns the handler's nested transfers.
 */
static unsigned long main_workload(size_t pages)
{
	uint32_t seed = 12345;
	unsigned long nested_before = z_paging_nested_transfers();
	int64_t start = k_uptime_get();
	unsigned int i;

	for (i = 0; i < MAX_ITERATIONS; i++) {
		uint32_t r = next_random(&seed);
		size_t p = (r >> 4) % pages;

		switch (r & 7U) {
		case 0:
		case 1:
			zassert_ok(k_mem_page_out(page_at(p), PAGE), "page-out of page %zu", p);
			break;
		case 2:
		case 3:
			zassert_true(tag_ok(p), "page %zu read back wrong", p);
			break;
		default:
			tag_write(p);
			break;
		}
		if (i >= MIN_ITERATIONS && (i % 256U) == 0U) {
			unsigned long nested = z_paging_nested_transfers() - nested_before;

			if (!IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ) || nested >= MIN_NESTED ||
			    k_uptime_get() - start > MAX_RUN_MS) {
				break;
			}
		}
	}
	unsigned long nested = z_paging_nested_transfers() - nested_before;

	printk("%u iterations, %lu handler calls, %lu of its transfers inside a transfer, "
	       "%lu refused as busy\n",
	       i, handler_calls, nested, handler_busy);
	return nested;
}

/* The timer hook: the case's handler every HANDLER_PERIOD ticks. */
static void (*volatile case_handler)(void);

static void tick(void *arg)
{
	ARG_UNUSED(arg);
	if (handler_ticks++ % HANDLER_PERIOD == 0U) {
		case_handler();
	}
}

/* The main workload over the first pages pages with handler on the timer. */
static unsigned long run_with_handler(void (*handler)(void), size_t pages)
{
	unsigned long nested;

	case_handler = handler;
	z_test_tick_hook_set(tick, NULL);
	nested = main_workload(pages);
	z_test_tick_hook_set(NULL, NULL);
	return nested;
}

static void check_nesting(unsigned long nested)
{
	zassert_true(handler_calls > 0, "the handler never ran");
	if (IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ)) {
		zassert_true(nested > 0, "no handler call landed inside a transfer");
	} else {
		zassert_equal(nested, 0, "a transfer ran with interrupts enabled");
	}
}

static void remove_hook(void *fixture)
{
	ARG_UNUSED(fixture);
	z_test_tick_hook_set(NULL, NULL);
	if (arena != NULL) {
		(void)k_mem_unmap(arena, arena_pages * PAGE);
		arena = NULL;
	}
}

ZTEST_SUITE(nesting, NULL, NULL, NULL, remove_hook, NULL);

/* Case 1: the handler pages one of its own pages in, checks and rewrites it, pages it out. */
static void handler_page_cycle(void)
{
	size_t first = arena_pages - HANDLER_PAGES;
	size_t p = first + handler_calls % HANDLER_PAGES;

	handler_calls++;
	k_mem_page_in(page_at(p), PAGE);
	if (!is_resident(p)) {
		handler_errors++; /* k_mem_page_in() printed why */
		return;
	}
	if (!tag_ok(p)) {
		handler_bad++;
	}
	tag_write(p);
	if (k_mem_page_out(page_at(p), PAGE) != 0) {
		handler_errors++;
	}
}

ZTEST(nesting, test_handler_pages_in_writes_and_pages_out)
{
	arena_setup();
	zassert_ok(k_mem_page_out(page_at(arena_pages - HANDLER_PAGES), HANDLER_PAGES * PAGE));

	unsigned long nested = run_with_handler(handler_page_cycle, arena_pages - HANDLER_PAGES);

	zassert_equal(handler_errors, 0, "%lu handler calls failed", handler_errors);
	zassert_equal(handler_bad, 0, "the handler read %zu wrong pages", handler_bad);
	zassert_equal(bad_pages(0, arena_pages), 0, "pages hold the wrong contents");
	check_nesting(nested);
}

/* Case 2: the handler pages out random pages the main code uses; its faults bring them back. */
static void handler_page_out(void)
{
	size_t p = next_random(&handler_seed) % arena_pages;
	int ret = k_mem_page_out(page_at(p), PAGE);

	handler_calls++;
	if (ret == -EBUSY) {
		handler_busy++; /* the page was in transit in the interrupted code */
	} else if (ret != 0) {
		handler_errors++;
	}
}

ZTEST(nesting, test_handler_pages_out_what_the_thread_uses)
{
	arena_setup();

	unsigned long nested = run_with_handler(handler_page_out, arena_pages);

	zassert_equal(handler_errors, 0, "%lu handler page-outs failed", handler_errors);
	zassert_equal(bad_pages(0, arena_pages), 0, "pages hold the wrong contents");
	check_nesting(nested);
}

/* Case 3: the handler maps a locked page, uses it and unmaps it. */
static void handler_map_locked(void)
{
	uint32_t *v = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	handler_calls++;
	if (v == NULL) {
		handler_errors++;
		return;
	}
	if (v[0] != 0 || v[PAGE / sizeof(*v) - 1] != 0) {
		handler_bad++; /* k_mem_map() memory is zeroed */
	}
	v[0] = (uint32_t)handler_calls;
	v[PAGE / sizeof(*v) - 1] = (uint32_t)handler_calls;
	if (v[0] != (uint32_t)handler_calls || k_mem_unmap(v, PAGE) != 0) {
		handler_errors++;
	}
	handler_maps++;
}

ZTEST(nesting, test_handler_maps_and_unmaps_locked_memory)
{
	arena_setup();

	unsigned long nested = run_with_handler(handler_map_locked, arena_pages);

	zassert_equal(handler_errors, 0, "%lu handler maps failed", handler_errors);
	zassert_equal(handler_bad, 0, "%zu handler maps were not zeroed", handler_bad);
	zassert_true(handler_maps > 0, "the handler never mapped");
	zassert_equal(bad_pages(0, arena_pages), 0, "pages hold the wrong contents");
	/* A map takes no transfer while a frame is free: nesting is not required here. */
	zassert_true(handler_calls > 0, "the handler never ran");
	ARG_UNUSED(nested);
}

/*
 * A page fault in an interrupt handler: served without ALLOW_IRQ; with it
 * a fatal error (as in the reference), which ztest recovers from when the
 * handler expects it. The handler faults only between two memory-manager
 * calls: a fatal error in the middle of a transfer halts instead.
 */
static void handler_touch_paged_out(void *arg)
{
	ARG_UNUSED(arg);
	if (z_paging_transfer_depth() != 0U || handler_calls != 0U) {
		return;
	}
	handler_calls++;
	z_test_tick_hook_set(NULL, NULL);
	if (IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ)) {
		ztest_set_fault_valid(true);
	}
	if (!tag_ok(0)) { /* faults: page 0 is paged out */
		handler_bad++;
	}
}

ZTEST(nesting, test_handler_page_fault_1)
{
	struct k_mem_paging_stats_t before;
	struct k_mem_paging_stats_t after;

	arena_setup();
	zassert_ok(k_mem_page_out(page_at(0), PAGE));
	k_mem_paging_stats_get(&before);
	z_test_tick_hook_set(handler_touch_paged_out, NULL);
	for (int64_t start = k_uptime_get();
	     handler_calls == 0U && k_uptime_get() - start < 2000;) {
	}
	zassert_false(IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ),
		      "the page fault in the handler was not fatal (handler ran: %lu)",
		      handler_calls);
	k_mem_paging_stats_get(&after);
	zassert_equal(handler_calls, 1, "the handler did not run");
	zassert_equal(handler_bad, 0, "the handler read page 0 wrong");
	zassert_equal(after.pagefaults.in_isr, before.pagefaults.in_isr + 1,
		      "the handler's fault was not counted as in an interrupt handler");
}

/* Runs after the case above (name order): the kernel left the handler behind. */
ZTEST(nesting, test_handler_page_fault_2_kernel_recovered)
{
	int64_t start = k_uptime_ticks();

	zassert_false(k_is_in_isr(), "still 'in an interrupt handler' after the recovery");
	arena_setup();
	zassert_ok(k_mem_page_out(page_at(1), PAGE));
	zassert_true(tag_ok(1), "a page fault in thread context is not served");
	while (k_uptime_ticks() - start < 10) {
	}
}
