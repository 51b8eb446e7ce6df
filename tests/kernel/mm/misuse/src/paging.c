/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The misuse table (docs/MISUSE.md), demand-paging rows: compiled only with
 * CONFIG_DEMAND_PAGING, so the build without it has no such test at all
 * (none can pass there by being skipped); the paging scenario runs them.
 */
#include "misuse.h"

#ifdef CONFIG_DEMAND_PAGING

static bool resident(const void *va)
{
	return arch_page_location_get((void *)va, NULL) == ARCH_PAGE_LOCATION_PAGED_IN;
}

static bool paged_out(const void *va)
{
	return arch_page_location_get((void *)va, NULL) == ARCH_PAGE_LOCATION_PAGED_OUT;
}

static struct k_mem_page_frame *frame_of(const void *va)
{
	return k_mem_phys_to_page_frame(phys_of(va));
}

/* Written anonymous pages, then paged out (their frames free again). */
static uint8_t *evicted(size_t pages)
{
	uint8_t *v = written(pages);

	zassert_ok(k_mem_page_out(v, pages * PAGE));
	return v;
}

/*
 * Lock all free frames but keep. Nothing else in the suite holds an
 * evictable frame, so a page-in then has only those kept to use.
 */
static void take_frames(size_t keep)
{
	size_t frames = z_free_page_frame_count();

	zassert_true(frames > keep);
	(void)made_anon((frames - keep) * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK | K_MEM_MAP_UNINIT);
	zassert_equal(z_free_page_frame_count(), keep);
}

/*
 * Fill the backing store with page-outs until it refuses (it keeps one slot
 * for the fault path). Returns two written pages still resident, whose
 * eviction needs a slot.
 */
static uint8_t *fill_store(void)
{
	size_t slots = k_mem_paging_backing_store_free_get();
	uint8_t *v = written(slots + 1);

	zassert_equal(k_mem_page_out(v, (slots + 1) * PAGE), -ENOMEM);
	zassert_equal(k_mem_paging_backing_store_free_get(), 1);
	zassert_true(paged_out(v + (slots - 2) * PAGE));
	zassert_true(resident(v + (slots - 1) * PAGE) && resident(v + slots * PAGE));
	return v + (slots - 1) * PAGE;
}

/* Physical memory outside the frame database (below the kernel's RAM). */
#define NOT_RAM ((uintptr_t)0)

/* ---- statistics ------------------------------------------------------------------ */

ZTEST(misuse_paging, test_stats_null)
{
	struct k_mem_paging_stats_t s;

	EXPECT_VOID(k_mem_paging_stats_get(NULL));
	k_mem_paging_stats_get(&s);
}

ZTEST(misuse_paging, test_hist_eviction_null)
{
	EXPECT_VOID(k_mem_paging_histogram_eviction_get(NULL));
}

ZTEST(misuse_paging, test_hist_page_in_null)
{
	EXPECT_VOID(k_mem_paging_histogram_backing_store_page_in_get(NULL));
}

ZTEST(misuse_paging, test_hist_page_out_null)
{
	EXPECT_VOID(k_mem_paging_histogram_backing_store_page_out_get(NULL));
}

/* ---- k_mem_page_out ---------------------------------------------------------------- */

ZTEST(misuse_paging, test_page_out_zero_size)
{
	uint8_t *v = written(1);

	EXPECT_RET(k_mem_page_out(v, 0), 0);
	EXPECT_RET(k_mem_page_out(v + 1, 0), 0);
	EXPECT_RET(k_mem_page_out(NULL, 0), 0);
	zassert_true(resident(v));
}

ZTEST(misuse_paging, test_page_out_unaligned)
{
	uint8_t *v = written(2);
	int ret;

	/* The pages the bytes lie in, as the header says. */
	MISUSE_BEGIN("k_mem_page_out(v + 1, 10)");
	ret = k_mem_page_out(v + 1, 10);
	MISUSE_END();
	zassert_ok(ret);
	zassert_true(paged_out(v) && resident(v + PAGE));
	MISUSE_BEGIN("k_mem_page_out(v + PAGE - 1, 2)");
	ret = k_mem_page_out(v + PAGE - 1, 2);
	MISUSE_END();
	zassert_ok(ret);
	zassert_true(paged_out(v + PAGE));
	check_written(v, 2);
}

ZTEST(misuse_paging, test_page_out_bad_range)
{
	uint8_t *v = written(1);

	EXPECT_RET(k_mem_page_out(v, SIZE_MAX), -EFAULT);
	EXPECT_RET(k_mem_page_out(v, VM_SIZE), -EFAULT); /* runs past the window */
	EXPECT_RET(k_mem_page_out(NULL, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out(PAST_WINDOW, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out(TOP_PAGE, PAGE), -EFAULT);
	zassert_true(resident(v));
}

ZTEST(misuse_paging, test_page_out_unmapped)
{
	uint8_t *v = written(1);
	uint8_t *free_va = unmapped_va();

	EXPECT_RET(k_mem_page_out(free_va, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out(v - PAGE, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out(v + PAGE, PAGE), -EFAULT);
	zassert_true(resident(v));
}

ZTEST(misuse_paging, test_page_out_pinned)
{
	uint8_t *locked = made_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uint8_t *pinned = written(1);

	k_mem_pin(pinned, PAGE);
	EXPECT_RET(k_mem_page_out(locked, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out(pinned, PAGE), -EFAULT);
	zassert_true(resident(locked) && resident(pinned));
	check_written(pinned, 1);
}

ZTEST(misuse_paging, test_page_out_image)
{
	EXPECT_RET(k_mem_page_out(misuse_buf, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out((void *)K_MEM_VM_START, PAGE), -EFAULT);
	misuse_buf[0] = 4;
}

ZTEST(misuse_paging, test_page_out_scratch)
{
	(void)written(1); /* maps the scratch page */
	EXPECT_RET(k_mem_page_out(ARCH_SCRATCH_PAGE, PAGE), -EFAULT);
}

ZTEST(misuse_paging, test_page_out_phys_mapping)
{
	uint8_t *anon = written(1);
	uint8_t *image_alias = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *device = made_bare(NOT_RAM, PAGE, K_MEM_PERM_RW);
	uint8_t *guarded = made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	/* An alias of an anonymous page's frame cannot be made (BARE-ANON-FRAME). */
	EXPECT_RET(k_mem_page_out(image_alias, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out(device, PAGE), -EFAULT);
	EXPECT_RET(k_mem_page_out(guarded, PAGE), -EFAULT);
	zassert_true(resident(anon));
	check_written(anon, 1);
}

ZTEST(misuse_paging, test_page_out_store_full)
{
	uint8_t *r = fill_store();

	EXPECT_RET(k_mem_page_out(r, PAGE), -ENOMEM);
	EXPECT_RET(k_mem_page_out(r, 2 * PAGE), -ENOMEM);
	check_written(r, 1);
}

/* Documented partial effect: the pages before the bad one stay evicted. */
ZTEST(misuse_paging, test_page_out_partial)
{
	uint8_t *v = written(2);
	int ret;

	MISUSE_BEGIN("k_mem_page_out(v, 3 * PAGE)");
	ret = k_mem_page_out(v, 3 * PAGE);
	MISUSE_END();
	zassert_equal(ret, -EFAULT);
	zassert_true(paged_out(v) && paged_out(v + PAGE), "the pages before the guard stayed");
	check_written(v, 2);
}

/* ---- k_mem_page_in --------------------------------------------------------------------- */

ZTEST(misuse_paging, test_page_in_zero_size)
{
	uint8_t *v = evicted(1);

	EXPECT_VOID(k_mem_page_in(v, 0));
	EXPECT_VOID(k_mem_page_in(v + 1, 0));
	zassert_true(paged_out(v));
}

ZTEST(misuse_paging, test_page_in_bad_range)
{
	uint8_t *v = evicted(1);

	EXPECT_VOID(k_mem_page_in(v, SIZE_MAX));
	EXPECT_VOID(k_mem_page_in(v, SIZE_MAX / 2)); /* loops for ages if not refused */
	EXPECT_VOID(k_mem_page_in(v, VM_SIZE));
	EXPECT_VOID(k_mem_page_in(NULL, PAGE));
	EXPECT_VOID(k_mem_page_in(PAST_WINDOW, PAGE));
	zassert_true(paged_out(v));
}

ZTEST(misuse_paging, test_page_in_unmapped)
{
	uint8_t *v = evicted(1);
	uint8_t *free_va = unmapped_va();

	EXPECT_VOID(k_mem_page_in(free_va, PAGE));
	EXPECT_VOID(k_mem_page_in(v - PAGE, PAGE));
	zassert_true(paged_out(v));
}

ZTEST(misuse_paging, test_page_in_not_anon)
{
	uint8_t *image_alias = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *device = made_bare(NOT_RAM, PAGE, K_MEM_PERM_RW);
	uint8_t *locked = made_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	EXPECT_VOID(k_mem_page_in(misuse_buf, PAGE));
	EXPECT_VOID(k_mem_page_in(image_alias, PAGE));
	EXPECT_VOID(k_mem_page_in(device, PAGE));
	EXPECT_VOID(k_mem_page_in(locked, PAGE));
	EXPECT_VOID(k_mem_page_in(ARCH_SCRATCH_PAGE, PAGE));
}

ZTEST(misuse_paging, test_page_in_no_frames)
{
	uint8_t *v = evicted(1);

	take_frames(0);
	EXPECT_VOID(k_mem_page_in(v, PAGE));
	zassert_true(paged_out(v));
	misuse_cleanup();
}

/* ---- k_mem_pin ---------------------------------------------------------------------------- */

ZTEST(misuse_paging, test_pin_zero_size)
{
	uint8_t *v = evicted(1);

	EXPECT_VOID(k_mem_pin(v, 0));
	EXPECT_VOID(k_mem_pin(v + 1, 0));
	zassert_true(paged_out(v));
}

ZTEST(misuse_paging, test_pin_bad_range)
{
	uint8_t *v = evicted(1);

	EXPECT_VOID(k_mem_pin(v, SIZE_MAX));
	EXPECT_VOID(k_mem_pin(v, SIZE_MAX / 2));
	EXPECT_VOID(k_mem_pin(v, VM_SIZE));
	EXPECT_VOID(k_mem_pin(NULL, PAGE));
	EXPECT_VOID(k_mem_pin(PAST_WINDOW, PAGE));
	zassert_true(paged_out(v));
}

ZTEST(misuse_paging, test_pin_unmapped)
{
	uint8_t *v = evicted(2);
	uint8_t *free_va = unmapped_va();

	EXPECT_VOID(k_mem_pin(free_va, PAGE));
	/* Two good pages, then the guard: nothing is pinned. */
	EXPECT_VOID(k_mem_pin(v, 3 * PAGE));
	zassert_true(paged_out(v) && paged_out(v + PAGE));
	k_mem_pin(v, 2 * PAGE); /* the good part alone still pins */
	zassert_true(k_mem_page_frame_is(frame_of(v + PAGE), K_MEM_PAGE_FRAME_PINNED));
	check_written(v, 2);
}

ZTEST(misuse_paging, test_pin_scratch)
{
	(void)written(1); /* maps the scratch page */
	EXPECT_VOID(k_mem_pin(ARCH_SCRATCH_PAGE, PAGE));
	EXPECT_VOID(k_mem_pin((uint8_t *)ARCH_SCRATCH_PAGE - PAGE, 2 * PAGE));
}

ZTEST(misuse_paging, test_pin_not_anon)
{
	uint8_t *anon = written(1);
	uint8_t *image_alias = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *device = made_bare(NOT_RAM, PAGE, K_MEM_PERM_RW);

	/* Aliases of anonymous or free frames cannot be made (BARE-ANON-FRAME, BARE-FREE-FRAME). */
	EXPECT_VOID(k_mem_pin(misuse_buf, PAGE));
	EXPECT_VOID(k_mem_pin(image_alias, PAGE));
	EXPECT_VOID(k_mem_pin(device, PAGE));
	zassert_false(k_mem_page_frame_is(frame_of(anon), K_MEM_PAGE_FRAME_PINNED));
}

ZTEST(misuse_paging, test_pin_no_frames)
{
	uint8_t *v = evicted(1);
	uint8_t *zero = made_anon(PAGE, K_MEM_PERM_RW); /* pinning takes it a frame */

	take_frames(0);
	EXPECT_VOID(k_mem_pin(v, PAGE));
	EXPECT_VOID(k_mem_pin(zero, PAGE));
	zassert_true(paged_out(v));
	misuse_cleanup();
}

/* ---- k_mem_unpin -------------------------------------------------------------------------- */

ZTEST(misuse_paging, test_unpin_zero_size)
{
	uint8_t *v = written(1);

	k_mem_pin(v, PAGE);
	EXPECT_VOID(k_mem_unpin(v, 0));
	EXPECT_VOID(k_mem_unpin(v + 1, 0));
	zassert_true(k_mem_page_frame_is(frame_of(v), K_MEM_PAGE_FRAME_PINNED));
}

ZTEST(misuse_paging, test_unpin_bad_range)
{
	uint8_t *v = written(1);

	k_mem_pin(v, PAGE);
	EXPECT_VOID(k_mem_unpin(v, SIZE_MAX));
	EXPECT_VOID(k_mem_unpin(v, SIZE_MAX / 2));
	EXPECT_VOID(k_mem_unpin(v, VM_SIZE));
	EXPECT_VOID(k_mem_unpin(NULL, PAGE));
	EXPECT_VOID(k_mem_unpin(PAST_WINDOW, PAGE));
	zassert_true(k_mem_page_frame_is(frame_of(v), K_MEM_PAGE_FRAME_PINNED));
}

ZTEST(misuse_paging, test_unpin_unmapped)
{
	uint8_t *v = written(1);
	uint8_t *free_va = unmapped_va();

	k_mem_pin(v, PAGE);
	EXPECT_VOID(k_mem_unpin(free_va, PAGE));
	EXPECT_VOID(k_mem_unpin(v - PAGE, PAGE));
	zassert_true(k_mem_page_frame_is(frame_of(v), K_MEM_PAGE_FRAME_PINNED));
}

ZTEST(misuse_paging, test_unpin_not_anon)
{
	uint8_t *locked = made_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uint8_t *image_alias = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *device = made_bare(NOT_RAM, PAGE, K_MEM_PERM_RW);

	/* An alias of a locked page's frame cannot be made (BARE-ANON-FRAME). */
	EXPECT_VOID(k_mem_unpin(misuse_buf, PAGE));
	EXPECT_VOID(k_mem_unpin(image_alias, PAGE));
	EXPECT_VOID(k_mem_unpin(device, PAGE));
	EXPECT_VOID(k_mem_unpin(ARCH_SCRATCH_PAGE, PAGE));
	zassert_true(k_mem_page_frame_is(frame_of(misuse_buf), K_MEM_PAGE_FRAME_PINNED));
	zassert_true(k_mem_page_frame_is(frame_of(locked), K_MEM_PAGE_FRAME_PINNED));
}

/* ---- k_mem_page_frame_evict ---------------------------------------------------------------- */

ZTEST(misuse_paging, test_evict_not_ram)
{
	uintptr_t below_ram = K_MEM_PHYS_RAM_START - PAGE;

	EXPECT_RET(k_mem_page_frame_evict(0), -EINVAL);
	EXPECT_RET(k_mem_page_frame_evict(0x10), -EINVAL);
	EXPECT_RET(k_mem_page_frame_evict(below_ram), -EINVAL);
	EXPECT_RET(k_mem_page_frame_evict(K_MEM_PHYS_RAM_END), -EINVAL);
	EXPECT_RET(k_mem_page_frame_evict((uintptr_t)TOP_PAGE), -EINVAL);
}

/* Lenient like k_mem_page_out(): the frame the address lies in. */
ZTEST(misuse_paging, test_evict_unaligned)
{
	uint8_t *v = written(1);
	int ret;

	MISUSE_BEGIN("k_mem_page_frame_evict(phys_of(v) + 123)");
	ret = k_mem_page_frame_evict(phys_of(v) + 123);
	MISUSE_END();
	zassert_ok(ret);
	zassert_true(paged_out(v));
	check_written(v, 1);
}

ZTEST(misuse_paging, test_evict_pinned)
{
	uint8_t *locked = made_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uint8_t *pinned = written(1);
	uint8_t *zero_rw = made_anon(PAGE, K_MEM_PERM_RW);
	uint8_t *zero_ro = made_anon(PAGE, 0);

	k_mem_pin(pinned, PAGE);
	EXPECT_RET(k_mem_page_frame_evict(phys_of(locked)), -EBUSY);
	EXPECT_RET(k_mem_page_frame_evict(phys_of(pinned)), -EBUSY);
	EXPECT_RET(k_mem_page_frame_evict(BUF_PHYS), -EBUSY);
	EXPECT_RET(k_mem_page_frame_evict(phys_of(zero_rw)), -EBUSY);
	EXPECT_RET(k_mem_page_frame_evict(phys_of(zero_ro)), -EBUSY);
	check_written(pinned, 1);
	zassert_equal(zero_ro[9], 0);
}

ZTEST(misuse_paging, test_evict_reserved)
{
	struct k_mem_page_frame *pf = NULL;

	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES; i++) {
		if (k_mem_page_frame_is(&k_mem_page_frames[i], K_MEM_PAGE_FRAME_RESERVED)) {
			pf = &k_mem_page_frames[i];
			break;
		}
	}
	if (pf != NULL) {
		EXPECT_RET(k_mem_page_frame_evict(k_mem_page_frame_to_phys(pf)), -EBUSY);
		return;
	}
	/* QEMU's map leaves no hole in this RAM: reserve a frame for the call. */
	pf = z_page_frame_alloc();
	zassert_not_null(pf);
	k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_RESERVED);
	EXPECT_RET(k_mem_page_frame_evict(k_mem_page_frame_to_phys(pf)), -EBUSY);
	zassert_true(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_RESERVED));
	k_mem_page_frame_clear(pf, K_MEM_PAGE_FRAME_RESERVED);
	z_page_frame_free(pf);
}

ZTEST(misuse_paging, test_evict_free)
{
	uintptr_t phys = free_frame();

	EXPECT_RET(k_mem_page_frame_evict(phys), 0);
	zassert_true(k_mem_page_frame_is(k_mem_phys_to_page_frame(phys), K_MEM_PAGE_FRAME_FREE));
}

ZTEST(misuse_paging, test_evict_store_full)
{
	uint8_t *r = fill_store();

	EXPECT_RET(k_mem_page_frame_evict(phys_of(r)), -ENOMEM);
	check_written(r, 1);
}

/* ---- k_mem_page_fault --------------------------------------------------------------------- */

ZTEST(misuse_paging, test_fault_unmapped)
{
	uint8_t *v = written(1);
	uint8_t *free_va = unmapped_va();

	EXPECT_RET(k_mem_page_fault(NULL), false);
	EXPECT_RET(k_mem_page_fault(free_va), false);
	EXPECT_RET(k_mem_page_fault(v - 1), false);
	EXPECT_RET(k_mem_page_fault(PAST_WINDOW), false);
}

ZTEST(misuse_paging, test_fault_not_paged)
{
	uint8_t *v = written(1);
	uint8_t *locked = made_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uint8_t *zero_ro = made_anon(PAGE, 0);
	uint8_t *image_alias = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_page_fault(v + 5), false);
	EXPECT_RET(k_mem_page_fault(locked), false);
	EXPECT_RET(k_mem_page_fault(zero_ro), false);
	EXPECT_RET(k_mem_page_fault(image_alias), false);
	EXPECT_RET(k_mem_page_fault(misuse_buf), false);
	EXPECT_RET(k_mem_page_fault(ARCH_SCRATCH_PAGE), false);
}

/* The one fatal row: an access the fault path cannot serve. */
ZTEST(misuse_paging, test_fault_no_frames)
{
	uint8_t *v = evicted(1);

	take_frames(0);
	EXPECT_RET(k_mem_page_fault(v), false);
	zassert_true(paged_out(v));
	ztest_set_fault_valid(true);
	(void)*(volatile uint8_t *)v;
	zassert_unreachable("a page-in without any frame succeeded");
}

/* ---- physical mappings of the shared zero frames ------------------------------------ */

/* The zero frames behind fresh (read-write) and read-only demand-mapped pages. */
static void zero_frames(uintptr_t *rw, uintptr_t *ro)
{
	*rw = phys_of(made_anon(PAGE, K_MEM_PERM_RW));
	*ro = phys_of(made_anon(PAGE, 0));
	zassert_not_equal(*rw, *ro);
}

ZTEST(misuse_paging, test_guard_zero_frame)
{
	uintptr_t rw, ro;

	zero_frames(&rw, &ro);
	EXPECT_NULL(k_mem_map_phys_guard(rw, PAGE, K_MEM_PERM_RW, false));
	EXPECT_NULL(k_mem_map_phys_guard(ro, PAGE, 0, false));
	EXPECT_NULL(k_mem_map_phys_guard(MIN(rw, ro), 4 * PAGE + (MAX(rw, ro) - MIN(rw, ro)), 0,
					 false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse_paging, test_bare_zero_frame)
{
	uintptr_t rw, ro;
	uint8_t *v = (uint8_t *)1;

	zero_frames(&rw, &ro);
	EXPECT_RET(k_mem_map_phys_bare(&v, rw, PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_RET(k_mem_map_phys_bare(&v, ro + 100, 1, 0), -EINVAL);
	EXPECT_RET(k_mem_map_phys_bare(&v, rw - PAGE + 1, 2 * PAGE, 0), -EINVAL);
	zassert_is_null(v);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

/* ---- k_mem_map and k_mem_update_flags under paging ------------------------------------------- */

ZTEST(misuse_paging, test_map_lock_store_full)
{
	uint8_t *r = fill_store();

	take_frames(0);
	/* r's pages could be evicted, but the store has no slot left for them. */
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK));
	check_written(r, 2);
	/* The slot kept for faults still serves one. */
	zassert_true(paged_out(r - PAGE));
	check_written(r - PAGE, 1);
}

ZTEST(misuse_paging, test_update_paged_out_no_frame)
{
	uint8_t *v = evicted(1);

	take_frames(0);
	EXPECT_RET(k_mem_update_flags(v, PAGE, 0), -ENOMEM);
	zassert_true(paged_out(v));
	misuse_cleanup();
}

/*
 * Exhaustion, not misuse: two pages to bring in and one frame to do it
 * with. The first stays resident (documented), no permission changes.
 */
ZTEST(misuse_paging, test_update_one_frame_left)
{
	uint8_t *v = evicted(2);
	uint32_t flags;
	int ret;

	take_frames(1);
	MISUSE_BEGIN("k_mem_update_flags(v, 2 * PAGE, K_MEM_CACHE_WB)");
	ret = k_mem_update_flags(v, 2 * PAGE, K_MEM_CACHE_WB);
	MISUSE_END();
	zassert_equal(ret, -ENOMEM);
	zassert_true(resident(v) && paged_out(v + PAGE));
	for (size_t p = 0; p < 2; p++) {
		uint8_t *page = v + p * PAGE;

		zassert_equal(*(volatile uint8_t *)page, pattern(page), "page %zu lost", p);
		zassert_ok(k_mem_page_flags_get(page, &flags));
		zassert_true((flags & K_MEM_PERM_RW) != 0, "page %zu lost its write permission", p);
		zassert_equal_ptr(k_mem_page_frame_to_virt(frame_of(page)), page,
				  "page %zu maps a frame that is not its own", p);
	}
	misuse_cleanup();
}

ZTEST_SUITE(misuse_paging, NULL, NULL, misuse_before, misuse_after, NULL);

#endif /* CONFIG_DEMAND_PAGING */
