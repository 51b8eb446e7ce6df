/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The suite's fixture: bystander mappings that live through every case,
 * the pattern records, the frame consumer, the window filler, and the
 * console capture behind expect_fatal_fault().
 */
#include "harness.h"

#include <string.h>

#define WORDS (PAGE / sizeof(uint32_t))

static struct live lives[LIVE_MAX];
static uint32_t next_seed = 1;
static size_t frames_total; /* free frames + frames the bystanders own */

static uint32_t pattern(uint32_t seed, size_t word)
{
	return seed == 0U ? 0U : (seed * 2654435761U) ^ ((uint32_t)word * 40503U) ^ 0x5aa5c33cU;
}

static bool page_matches(const volatile uint32_t *words, uint32_t seed)
{
	for (size_t w = 0; w < WORDS; w++) {
		if (words[w] != pattern(seed, w)) {
			return false;
		}
	}
	return true;
}

struct live *live_add(void *va, size_t pages)
{
	zassert_true(pages <= LIVE_PAGES);
	for (size_t i = 0; i < LIVE_MAX; i++) {
		if (lives[i].va == NULL) {
			lives[i] = (struct live){.va = va, .pages = pages};
			return &lives[i];
		}
	}
	zassert_unreachable("too many live mappings");
	return NULL;
}

struct live *live_map(size_t pages, uint32_t flags)
{
	void *va = k_mem_map(pages * PAGE, flags);

	zassert_not_null(va, "k_mem_map(%zu pages, 0x%x) failed", pages, flags);
	return live_add(va, pages);
}

struct live *live_find(void *va)
{
	for (size_t i = 0; i < LIVE_MAX; i++) {
		if (lives[i].va == va) {
			return &lives[i];
		}
	}
	zassert_unreachable("no live mapping at %p", va);
	return NULL;
}

void live_unmap(struct live *l)
{
	zassert_ok(k_mem_unmap(l->va, l->pages * PAGE));
	l->va = NULL;
}

void live_write(struct live *l, size_t page)
{
	uint32_t seed = next_seed++;
	uint32_t *words = (uint32_t *)live_page(l, page);

	for (size_t w = 0; w < WORDS; w++) {
		words[w] = pattern(seed, w);
	}
	l->seed[page] = seed;
}

void live_write_all(struct live *l)
{
	for (size_t p = 0; p < l->pages; p++) {
		live_write(l, p);
	}
}

enum page_state page_state(void *va)
{
	uintptr_t location;

	switch (arch_page_location_get(va, &location)) {
	case ARCH_PAGE_LOCATION_PAGED_OUT:
		return PAGE_OUT;
	case ARCH_PAGE_LOCATION_PAGED_IN:
		return z_paging_is_zero_frame(location) ? PAGE_ZERO : PAGE_OWN;
	default:
		return PAGE_BAD;
	}
}

void assert_states(const struct live *l, size_t first, size_t last, enum page_state s)
{
	for (size_t p = first; p < last; p++) {
		enum page_state now = page_state(live_page(l, p));

		zassert_equal(now, s, "page %zu: state %d, expected %d", p, now, s);
	}
}

struct k_mem_page_frame *page_frame(void *va)
{
	uintptr_t phys = 0;

	zassert_ok(arch_page_phys_get(va, &phys), "page %p is not resident", va);
	zassert_true(k_mem_is_page_frame(phys));
	return k_mem_phys_to_page_frame(phys);
}

/* Whether one page holds its pattern; quiet reads never fault. */
static bool page_ok(const struct live *l, size_t p, bool quiet)
{
	uint8_t *va = live_page(l, p);
	uintptr_t location;
	const void *words = va;

	if (quiet) {
		switch (arch_page_location_get(va, &location)) {
		case ARCH_PAGE_LOCATION_PAGED_IN:
			break; /* present: reading it cannot fault */
		case ARCH_PAGE_LOCATION_PAGED_OUT:
			words = fi_store_slot(location);
			if (words == NULL) {
				return false;
			}
			break;
		default:
			return false;
		}
	}
	return page_matches(words, l->seed[p]);
}

static size_t live_bad(bool quiet)
{
	size_t bad = 0;

	for (size_t i = 0; i < LIVE_MAX; i++) {
		for (size_t p = 0; lives[i].va != NULL && p < lives[i].pages; p++) {
			if (!page_ok(&lives[i], p, quiet)) {
				if (bad++ < 4) {
					printk("page %zu of %p (state %d) lost its data\n", p,
					       lives[i].va, page_state(live_page(&lives[i], p)));
				}
			}
		}
	}
	return bad;
}

size_t live_bad_quiet(void)
{
	return live_bad(true);
}

size_t live_bad_access(void)
{
	return live_bad(false);
}

size_t slots_expected(void)
{
	size_t slots = 0;

	for (size_t i = 0; i < LIVE_MAX; i++) {
		for (size_t p = 0; lives[i].va != NULL && p < lives[i].pages; p++) {
			uint8_t *va = live_page(&lives[i], p);
			enum page_state s = page_state(va);

			if (s == PAGE_OUT ||
			    (s == PAGE_OWN &&
			     k_mem_page_frame_is(page_frame(va), K_MEM_PAGE_FRAME_BACKED))) {
				slots++;
			}
		}
	}
	return slots;
}

/* Frames the bystanders own now. */
static size_t bystander_frames(void)
{
	size_t frames = 0;

	for (size_t i = 0; i < LIVE_MAX; i++) {
		for (size_t p = 0; lives[i].bystander && p < lives[i].pages; p++) {
			frames += page_state(live_page(&lives[i], p)) == PAGE_OWN;
		}
	}
	return frames;
}

/* ---- frames and window, consumed for real ---------------------------------- */

static uint8_t *consumer;
static size_t consumer_pages;

void frames_release(void)
{
	if (consumer != NULL) {
		zassert_ok(k_mem_unmap(consumer, consumer_pages * PAGE));
		consumer = NULL;
	}
}

void frames_leave(size_t k)
{
	frames_release();

	size_t free = z_free_page_frame_count();

	zassert_true(free >= k, "only %zu frames free, %zu wanted", free, k);
	if (free > k) {
		consumer_pages = free - k;
		consumer = k_mem_map(consumer_pages * PAGE,
				     K_MEM_PERM_RW | K_MEM_MAP_LOCK | K_MEM_MAP_UNINIT);
		zassert_not_null(consumer, "could not lock %zu frames", consumer_pages);
	}
	zassert_equal(z_free_page_frame_count(), k);
}

#define FILL_MAX 64
static struct {
	uint8_t *va;
	size_t size;
} fill[FILL_MAX];
static size_t fill_count;

void vspace_fill(void)
{
	/* Halving sizes: a size that no longer fits leaves holes for smaller ones. */
	for (size_t size = K_MEM_VM_SIZE / 2U; size >= PAGE; size /= 2U) {
		for (;;) {
			uint8_t *va = NULL;

			if (k_mem_map_phys_bare(&va, K_MEM_PHYS_RAM_END, size, K_MEM_CACHE_WB) !=
			    0) {
				break;
			}
			zassert_true(fill_count < FILL_MAX, "window fill needs too many mappings");
			fill[fill_count].va = va;
			fill[fill_count].size = size;
			fill_count++;
		}
	}
}

void vspace_release(void)
{
	while (fill_count > 0U) {
		fill_count--;
		zassert_ok(k_mem_unmap_phys_bare(fill[fill_count].va, fill[fill_count].size));
	}
}

static struct live *by_paged;  /* pageable: resident, BACKED, paged-out and zero pages */
static struct live *by_locked; /* pinned */

void bystanders_evict(void)
{
	zassert_ok(k_mem_page_out(by_paged->va, by_paged->pages * PAGE));
}

/* ---- console capture (the link wraps arch_console_putc) --------------------- */

void __real_arch_console_putc(int c);
void __wrap_arch_console_putc(int c);

static char captured[4096];
static size_t captured_len;
static bool capturing;
static const char *fatal_reason;
static unsigned int misuse_before;

void __wrap_arch_console_putc(int c)
{
	if (capturing && captured_len < sizeof(captured) - 1U) {
		captured[captured_len++] = (char)c;
	}
	__real_arch_console_putc(c);
}

static bool console_said(const char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; i + n <= captured_len; i++) {
		if (memcmp(&captured[i], text, n) == 0) {
			return true;
		}
	}
	return false;
}

void expect_fatal_fault(const char *reason)
{
	captured_len = 0;
	capturing = true;
	fatal_reason = reason;
	ztest_set_fault_valid(true);
}

/* ---- suite fixture ----------------------------------------------------------------- */

static void *suite_setup(void)
{
	by_paged = live_map(LIVE_PAGES, K_MEM_PERM_RW);
	by_paged->bystander = true;
	for (size_t p = 0; p < LIVE_PAGES - 2U; p++) {
		live_write(by_paged, p);
	}
	zassert_ok(k_mem_page_out(by_paged->va, 3 * PAGE));
	zassert_equal(live_bad_access(), 0); /* pages 0-2 come back, keeping their slots */
	zassert_ok(k_mem_page_out(live_page(by_paged, 1), PAGE));
	by_locked = live_map(2, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	by_locked->bystander = true;
	live_write_all(by_locked);
	frames_total = z_free_page_frame_count() + bystander_frames();
	return NULL;
}

static void suite_before(void *fixture)
{
	ARG_UNUSED(fixture);
	fi_store_clear();
	fi_store_keep_slots(true);
	fatal_reason = NULL;
	misuse_before = fi_store_misuse();
}

/* Whatever the case did or how it ended: everything recovers, nothing leaks. */
static void suite_after(void *fixture)
{
	ARG_UNUSED(fixture);
	fi_store_clear();
	fi_store_keep_slots(true);
	frames_release();
	vspace_release();
	if (fatal_reason != NULL) {
		capturing = false;
		zexpect_true(console_said(">>> PAGODA FATAL ERROR"), "no fatal error");
		zexpect_true(console_said("cannot be served"), "the fatal error does not say why");
		zexpect_true(console_said(fatal_reason), "the fatal error does not say \"%s\"",
			     fatal_reason);
		fatal_reason = NULL;
	}
	zexpect_equal(live_bad_quiet(), 0, "pages lost their data");
	zexpect_equal(live_bad_access(), 0, "pages cannot be read back");
	for (size_t i = 0; i < LIVE_MAX; i++) {
		if (lives[i].va != NULL && !lives[i].bystander) {
			zexpect_ok(k_mem_unmap(lives[i].va, lives[i].pages * PAGE));
			lives[i].va = NULL;
		}
	}
	zexpect_equal(z_free_page_frame_count() + bystander_frames(), frames_total,
		      "frames leaked");
	zexpect_equal(fi_store_used(), slots_expected(), "store slots leaked");
	zexpect_equal(fi_store_misuse(), misuse_before, "the kernel misused the backing store");
}

ZTEST_SUITE(fault_injection, NULL, suite_setup, suite_before, suite_after, NULL);
