/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The misuse table (docs/MISUSE.md), rows of every build: each test is one
 * row, named after its ID (MAP-ZERO-SIZE -> test_map_zero_size), and
 * asserts the documented result, that the failed call changed nothing, and
 * that the memory around it still works. Demand-paging rows: paging.c.
 */
#include "misuse.h"

uint8_t misuse_buf[2 * CONFIG_MMU_PAGE_SIZE] __aligned(CONFIG_MMU_PAGE_SIZE);

extern char __kernel_end[];

/* ---- mappings made by the tests ------------------------------------------------ */

enum made_kind {
	MADE_NONE,
	MADE_ANON,
	MADE_GUARD,
	MADE_BARE,
};

static struct {
	enum made_kind kind;
	uint8_t *addr;
	size_t size;
} made[64];

static void *remember(enum made_kind kind, void *addr, size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(made); i++) {
		if (made[i].kind == MADE_NONE) {
			made[i].kind = kind;
			made[i].addr = addr;
			made[i].size = size;
			return addr;
		}
	}
	zassert_unreachable("too many mappings to remember");
	return NULL;
}

void *made_anon(size_t size, uint32_t flags)
{
	void *v = k_mem_map(size, flags);

	zassert_not_null(v, "k_mem_map(0x%zx, 0x%x) failed", size, flags);
	return remember(MADE_ANON, v, size);
}

uint8_t *made_guard(uintptr_t phys, size_t size, uint32_t flags)
{
	uint8_t *v = k_mem_map_phys_guard(phys, size, flags, false);

	zassert_not_null(v, "k_mem_map_phys_guard(0x%lx, 0x%zx) failed", (unsigned long)phys, size);
	return remember(MADE_GUARD, v, size);
}

uint8_t *made_bare(uintptr_t phys, size_t size, uint32_t flags)
{
	uint8_t *v = NULL;

	zassert_ok(k_mem_map_phys_bare(&v, phys, size, flags));
	return remember(MADE_BARE, v, size);
}

void forget(const void *addr)
{
	for (size_t i = 0; i < ARRAY_SIZE(made); i++) {
		if (made[i].kind != MADE_NONE && made[i].addr == addr) {
			made[i].kind = MADE_NONE;
			return;
		}
	}
	zassert_unreachable("%p was not mapped by the test", addr);
}

/* Newest first, each with the call that matches how it was made. */
void misuse_cleanup(void)
{
	for (size_t i = ARRAY_SIZE(made); i-- > 0;) {
		uint8_t *addr = made[i].addr;
		size_t size = made[i].size;
		enum made_kind kind = made[i].kind;

		made[i].kind = MADE_NONE;
		if (kind == MADE_ANON) {
			zassert_ok(k_mem_unmap(addr, size), "unmap of %p+0x%zx", addr, size);
		} else if (kind == MADE_GUARD) {
			zassert_ok(k_mem_unmap_phys_guard(addr, size, false));
		} else if (kind == MADE_BARE) {
			zassert_ok(k_mem_unmap_phys_bare(addr, size));
		}
	}
}

static size_t free_before, slots_before;

void misuse_before(void *fixture)
{
	ARG_UNUSED(fixture);
	free_before = z_free_page_frame_count();
	slots_before = misuse_slots();
}

/* Undo the test's mappings; nothing it did may leak a frame or a slot. */
void misuse_after(void *fixture)
{
	ARG_UNUSED(fixture);
	misuse_cleanup();
	zassert_equal(z_free_page_frame_count(), free_before, "frames leaked");
	zassert_equal(misuse_slots(), slots_before, "backing-store slots leaked");
}

/* ---- helpers ------------------------------------------------------------------ */

void fill_window(void)
{
	for (size_t size = 256 * PAGE; size >= PAGE; size /= 2) {
		for (;;) {
			uint8_t *v = NULL;

			if (k_mem_map_phys_bare(&v, PAST_RAM, size, K_MEM_PERM_RW) != 0) {
				break;
			}
			(void)remember(MADE_BARE, v, size);
		}
	}
}

uint8_t *unmapped_va(void)
{
	uint8_t *v = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(v);
	zassert_ok(k_mem_unmap(v, PAGE));
	return v;
}

uint8_t pattern(const volatile void *page)
{
	return (uint8_t)(((uintptr_t)page / PAGE) ^ 0x5a);
}

uint8_t *written(size_t pages)
{
	uint8_t *v = made_anon(pages * PAGE, K_MEM_PERM_RW);

	for (size_t p = 0; p < pages; p++) {
		memset(v + p * PAGE, pattern(v + p * PAGE), PAGE);
	}
	return v;
}

void check_written(const uint8_t *v, size_t pages)
{
	for (size_t p = 0; p < pages; p++) {
		const volatile uint8_t *page = v + p * PAGE;

		zassert_equal(page[0], pattern(page), "page %p lost its contents", page);
		zassert_equal(page[PAGE - 1], pattern(page), "page %p lost its contents", page);
	}
}

void check_map_works(void)
{
	uint8_t *v = k_mem_map(2 * PAGE, K_MEM_PERM_RW);

	zassert_not_null(v, "a valid k_mem_map failed after the bad call");
	zassert_equal(v[PAGE + 5], 0);
	v[PAGE + 5] = 0x5a;
	zassert_equal(v[PAGE + 5], 0x5a);
	zassert_ok(k_mem_unmap(v, 2 * PAGE));
}

uintptr_t phys_of(const void *va)
{
	uintptr_t phys = 0;

	zassert_ok(arch_page_phys_get((void *)va, &phys), "%p is not mapped", va);
	return phys;
}

/* Bytes of the kernel image from the window's start: a permanent region. */
static size_t image_size(void)
{
	return ROUND_UP((uintptr_t)__kernel_end - K_MEM_VM_START, PAGE);
}

/* ---- k_mem_map --------------------------------------------------------------- */

ZTEST(misuse, test_map_zero_size)
{
	EXPECT_NULL(k_mem_map(0, K_MEM_PERM_RW));
	check_map_works();
}

ZTEST(misuse, test_map_unaligned_size)
{
	EXPECT_NULL(k_mem_map(PAGE + 1, K_MEM_PERM_RW));
	EXPECT_NULL(k_mem_map(100, K_MEM_PERM_RW));
	EXPECT_NULL(k_mem_map(PAGE - 1, K_MEM_PERM_RW));
	check_map_works();
}

ZTEST(misuse, test_map_size_wrap)
{
	EXPECT_NULL(k_mem_map(SIZE_MAX - PAGE + 1, K_MEM_PERM_RW));
	/* Exactly 2^N with its two guard pages. */
	EXPECT_NULL(k_mem_map(SIZE_MAX - 2 * PAGE + 1, K_MEM_PERM_RW));
	check_map_works();
}

ZTEST(misuse, test_map_size_over_window)
{
	EXPECT_NULL(k_mem_map(VM_SIZE, K_MEM_PERM_RW));
	EXPECT_NULL(k_mem_map(VM_SIZE - PAGE, K_MEM_PERM_RW));
	check_map_works();
}

ZTEST(misuse, test_map_no_virt)
{
	/* Fits the window with its guards, but the image is already there. */
	EXPECT_NULL(k_mem_map(VM_SIZE - 2 * PAGE, K_MEM_PERM_RW));
	fill_window();
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW));
	misuse_cleanup();
	check_map_works();
}

ZTEST(misuse, test_map_no_frames)
{
	/* With demand paging only locked memory needs its frames now; nothing
	 * here is evictable, so one page more than is free cannot be had.
	 */
	size_t size = (z_free_page_frame_count() + 1) * PAGE;

	EXPECT_NULL(k_mem_map(size, K_MEM_PERM_RW | K_MEM_MAP_LOCK));
#ifndef CONFIG_DEMAND_PAGING
	EXPECT_NULL(k_mem_map(size, K_MEM_PERM_RW));
	EXPECT_NULL(k_mem_map(size, K_MEM_PERM_RW | K_MEM_MAP_UNINIT));
#endif
	check_map_works();
}

ZTEST(misuse, test_map_cache_mode)
{
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_CACHE_NONE));
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WT));
	check_map_works();
}

ZTEST(misuse, test_map_unknown_flags)
{
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | BIT(30)));
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | BIT(6)));
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | BIT(18)));
	check_map_works();
}

ZTEST(misuse, test_map_perm_user)
{
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER));
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_USER));
	check_map_works();
}

ZTEST(misuse, test_map_user_uninit)
{
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER | K_MEM_MAP_UNINIT));
	check_map_works();
}

ZTEST(misuse, test_map_write_exec)
{
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC));
	EXPECT_NULL(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC | K_MEM_MAP_LOCK));
	check_map_works();
}

/* Memory the memory manager owns, or that describes memory: no alias may map it. */
extern char z_x86_pagetables_start[];
static const uint8_t misuse_rodata[PAGE] __aligned(PAGE) = {1};

static uintptr_t text_phys(void)
{
	return ROUND_DOWN(K_MEM_PHYS_ADDR((uintptr_t)check_map_works), PAGE);
}

/* A frame on the free list. */
uintptr_t free_frame(void)
{
	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES; i++) {
		if (k_mem_page_frame_is(&k_mem_page_frames[i], K_MEM_PAGE_FRAME_FREE)) {
			return k_mem_page_frame_to_phys(&k_mem_page_frames[i]);
		}
	}
	zassert_unreachable("no free frame");
	return 0;
}

/* ---- k_mem_map_phys_guard ------------------------------------------------------ */

ZTEST(misuse, test_guard_unaligned_phys)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS + 1, PAGE, K_MEM_PERM_RW, false));
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS + PAGE / 2, PAGE, K_MEM_PERM_RW, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_phys_wrap)
{
	EXPECT_NULL(k_mem_map_phys_guard(UINTPTR_MAX - PAGE + 1, 2 * PAGE, K_MEM_PERM_RW, false));
	EXPECT_NULL(
		k_mem_map_phys_guard(UINTPTR_MAX - 3 * PAGE + 1, 8 * PAGE, K_MEM_PERM_RW, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_zero_size)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, 0, K_MEM_PERM_RW, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_unaligned_size)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE + 1, K_MEM_PERM_RW, false));
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, 10, K_MEM_PERM_RW, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_size_over_window)
{
	EXPECT_NULL(k_mem_map_phys_guard(0, VM_SIZE, K_MEM_PERM_RW, false));
	EXPECT_NULL(k_mem_map_phys_guard(0, VM_SIZE - PAGE, K_MEM_PERM_RW, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_no_virt)
{
	EXPECT_NULL(k_mem_map_phys_guard(PAST_RAM, VM_SIZE - 2 * PAGE, K_MEM_PERM_RW, false));
	fill_window();
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW, false));
	misuse_cleanup();
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_unknown_cache)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | 3, false));
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | 7, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_CACHE_NONE);
}

ZTEST(misuse, test_guard_anon_flags)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK, false));
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_MAP_UNINIT, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_unknown_flags)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | BIT(30), false));
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | BIT(6), false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_perm_user)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

/*
 * A physical address the paging mode cannot hold: only IA-32e has one (its
 * entries hold 52 bits); on the 32-bit boards every page-aligned uintptr_t
 * is addressable, so the highest page maps.
 */
ZTEST(misuse, test_guard_phys_too_high)
{
#ifdef CONFIG_X86_64
	EXPECT_NULL(k_mem_map_phys_guard((uintptr_t)1 << 52, PAGE, K_MEM_PERM_RW, false));
	EXPECT_NULL(
		k_mem_map_phys_guard(((uintptr_t)1 << 52) - PAGE, 2 * PAGE, K_MEM_PERM_RW, false));
	(void)made_guard(((uintptr_t)1 << 52) - PAGE, PAGE, K_MEM_PERM_RW); /* the last page */
#else
	/* Not a misuse here: it maps, and prints nothing. */
	(void)made_guard((uintptr_t)TOP_PAGE, PAGE, K_MEM_PERM_RW);
#endif
}

ZTEST(misuse, test_guard_write_exec)
{
	EXPECT_NULL(k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_guard_owned_ram)
{
	uint8_t *locked = made_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	EXPECT_NULL(k_mem_map_phys_guard(free_frame(), PAGE, K_MEM_PERM_RW, false));
	EXPECT_NULL(k_mem_map_phys_guard(phys_of(locked), PAGE, K_MEM_PERM_RW, false));
	EXPECT_NULL(k_mem_map_phys_guard(ROUND_DOWN(K_MEM_PHYS_ADDR(k_mem_page_frames), PAGE), PAGE,
					 K_MEM_PERM_RW, false));
	(void)made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

/* ---- k_mem_unmap ----------------------------------------------------------------- */

/* A two-page anonymous region with contents to survive the bad calls. */
static uint8_t *victim(void)
{
	return written(2);
}

ZTEST(misuse, test_unmap_zero_size)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v, 0), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_unaligned_size)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v, 2 * PAGE + 1), -EINVAL);
	EXPECT_RET(k_mem_unmap(v, PAGE - 1), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_unaligned_addr)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v + 1, 2 * PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap(v + PAGE / 2, PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_size_wrap)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v, SIZE_MAX - PAGE + 1), -EINVAL);
	EXPECT_RET(k_mem_unmap(v, SIZE_MAX - 2 * PAGE + 1), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_size_over_window)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v, VM_SIZE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_null)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(NULL, PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap(NULL, 2 * PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_outside_window)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(PAST_WINDOW, PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap(PAST_WINDOW + 16 * PAGE, 2 * PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap(TOP_PAGE, PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_never_mapped)
{
	uint8_t *v = victim();
	uint8_t *free_va = unmapped_va();

	EXPECT_RET(k_mem_unmap(free_va, PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_twice)
{
	uint8_t *keep = victim();
	uint8_t *v = k_mem_map(2 * PAGE, K_MEM_PERM_RW);

	zassert_not_null(v);
	zassert_ok(k_mem_unmap(v, 2 * PAGE));
	EXPECT_RET(k_mem_unmap(v, 2 * PAGE), -EINVAL);
	check_written(keep, 2);
}

ZTEST(misuse, test_unmap_size_too_small)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v, PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_size_too_large)
{
	uint8_t *above = victim();
	uint8_t *v = victim(); /* top-down: its region ends where above's starts */

	EXPECT_RET(k_mem_unmap(v, 3 * PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap(v, 4 * PAGE), -EINVAL);
	/* Exactly the two regions together. */
	EXPECT_RET(k_mem_unmap(v, 6 * PAGE), -EINVAL);
	check_written(v, 2);
	check_written(above, 2);
}

ZTEST(misuse, test_unmap_inside_region)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v + PAGE, PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_at_guard)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap(v - PAGE, 2 * PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap(v - PAGE, 4 * PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap(v + 2 * PAGE, PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unmap_kernel_image)
{
	EXPECT_RET(k_mem_unmap(misuse_buf, PAGE), -EINVAL);
	/* The image region exactly, as if its first and last pages were guards. */
	EXPECT_RET(k_mem_unmap((uint8_t *)K_MEM_VM_START + PAGE, image_size() - 2 * PAGE), -EINVAL);
	misuse_buf[0] = 1; /* still mapped */
	check_map_works();
}

ZTEST(misuse, test_unmap_scratch)
{
	EXPECT_RET(k_mem_unmap(ARCH_SCRATCH_PAGE, PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap((uint8_t *)ARCH_SCRATCH_PAGE - PAGE, PAGE), -EINVAL);
	check_map_works();
}

ZTEST(misuse, test_unmap_phys_guard)
{
	uint8_t *g = made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap(g, PAGE), -EINVAL);
	g[7] = 0x77; /* still mapped to the buffer */
	zassert_equal(misuse_buf[7], 0x77);
}

ZTEST(misuse, test_unmap_bare)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *b3 = made_bare(BUF_PHYS, 3 * PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap(b, PAGE), -EINVAL);
	/* b3's middle page with its neighbours as "guards" is exactly b3. */
	EXPECT_RET(k_mem_unmap(b3 + PAGE, PAGE), -EINVAL);
	b[8] = 0x88;
	zassert_equal(b3[8], 0x88);
}

/* ---- k_mem_unmap_phys_guard ------------------------------------------------------- */

ZTEST(misuse, test_unguard_zero_size)
{
	uint8_t *g = made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_guard(g, 0, false), -EINVAL);
	g[9] = 9;
}

ZTEST(misuse, test_unguard_unaligned_addr)
{
	uint8_t *g = made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_guard(g + 1, PAGE, false), -EINVAL);
	g[9] = 9;
}

ZTEST(misuse, test_unguard_null)
{
	uint8_t *g = made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_guard(NULL, PAGE, false), -EINVAL);
	g[9] = 9;
}

ZTEST(misuse, test_unguard_twice)
{
	uint8_t *g = k_mem_map_phys_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW, false);

	zassert_not_null(g);
	zassert_ok(k_mem_unmap_phys_guard(g, PAGE, false));
	EXPECT_RET(k_mem_unmap_phys_guard(g, PAGE, false), -EINVAL);
	check_map_works();
}

ZTEST(misuse, test_unguard_wrong_size)
{
	uint8_t *g = made_guard(BUF_PHYS, 2 * PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_guard(g, PAGE, false), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_guard(g, 3 * PAGE, false), -EINVAL);
	g[PAGE + 9] = 9;
}

ZTEST(misuse, test_unguard_anon)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap_phys_guard(v, 2 * PAGE, false), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unguard_bare)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *b3 = made_bare(BUF_PHYS, 3 * PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_guard(b, PAGE, false), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_guard(b3 + PAGE, PAGE, false), -EINVAL);
	b[8] = 0x89;
	zassert_equal(b3[8], 0x89);
}

ZTEST(misuse, test_unguard_kernel_image)
{
	EXPECT_RET(k_mem_unmap_phys_guard(misuse_buf, PAGE, false), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_guard((uint8_t *)K_MEM_VM_START + PAGE, image_size() - 2 * PAGE,
					  false),
		   -EINVAL);
	misuse_buf[0] = 2;
}

/* ---- k_mem_map_phys_bare ------------------------------------------------------------ */

/* *virt_ptr must read NULL after every refusal. */
#define EXPECT_BARE_REFUSED(phys, size, flags, err)                                                \
	do {                                                                                       \
		uint8_t *v_ = (uint8_t *)1;                                                        \
		EXPECT_RET_TEXT("k_mem_map_phys_bare(&v, " #phys ", " #size ", " #flags ")",       \
				k_mem_map_phys_bare(&v_, phys, size, flags), err);                 \
		zassert_is_null(v_, "*virt_ptr not cleared");                                      \
	} while (0)

ZTEST(misuse, test_bare_null_virt_ptr)
{
	EXPECT_RET(k_mem_map_phys_bare(NULL, BUF_PHYS, PAGE, K_MEM_PERM_RW), -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_zero_size)
{
	EXPECT_BARE_REFUSED(BUF_PHYS, 0, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(BUF_PHYS + 5, 0, K_MEM_PERM_RW, -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_phys_wrap)
{
	EXPECT_BARE_REFUSED(UINTPTR_MAX - PAGE + 1, 2 * PAGE, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(UINTPTR_MAX, 2, K_MEM_PERM_RW, -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_size_over_window)
{
	EXPECT_BARE_REFUSED(0, VM_SIZE, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(0, VM_SIZE - PAGE + 1, K_MEM_PERM_RW, -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_no_virt)
{
	EXPECT_BARE_REFUSED(PAST_RAM, VM_SIZE - 2 * PAGE, K_MEM_PERM_RW, -ENOMEM);
	fill_window();
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW, -ENOMEM);
	misuse_cleanup();
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_write_exec)
{
	EXPECT_BARE_REFUSED(text_phys(), PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC, -EINVAL);
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC, -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_text_writable)
{
	EXPECT_BARE_REFUSED(text_phys(), PAGE, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(K_MEM_PHYS_ADDR(misuse_rodata), PAGE, K_MEM_PERM_RW, -EINVAL);
	(void)made_bare(text_phys(), PAGE, K_MEM_PERM_EXEC);
	(void)made_bare(K_MEM_PHYS_ADDR(misuse_rodata), PAGE, 0);
}

ZTEST(misuse, test_bare_frame_database)
{
	uintptr_t db = ROUND_DOWN(K_MEM_PHYS_ADDR(k_mem_page_frames), PAGE);

	EXPECT_BARE_REFUSED(db, PAGE, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(db, PAGE, 0, -EINVAL);
}

ZTEST(misuse, test_bare_page_tables)
{
	uintptr_t tables = K_MEM_PHYS_ADDR(z_x86_pagetables_start);

	EXPECT_BARE_REFUSED(tables, PAGE, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(tables, PAGE, 0, -EINVAL);
}

ZTEST(misuse, test_bare_free_frame)
{
	uintptr_t frame = free_frame();

	EXPECT_BARE_REFUSED(frame, PAGE, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(frame, 4 * PAGE, 0, -EINVAL);
	zassert_true(k_mem_page_frame_is(k_mem_phys_to_page_frame(frame), K_MEM_PAGE_FRAME_FREE));
}

ZTEST(misuse, test_bare_anon_frame)
{
	uint8_t *locked = made_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	EXPECT_BARE_REFUSED(phys_of(locked), PAGE, K_MEM_PERM_RW, -EINVAL);
	locked[0] = 0x5a;
	zassert_equal(locked[0], 0x5a);
}

ZTEST(misuse, test_bare_unknown_cache)
{
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW | 3, -EINVAL);
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW | 7, -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WT);
}

ZTEST(misuse, test_bare_unknown_flags)
{
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK, -EINVAL);
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_MAP_UNINIT, -EINVAL);
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW | BIT(30), -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_perm_user)
{
	EXPECT_BARE_REFUSED(BUF_PHYS, PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER, -ENOTSUP);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_bare_phys_too_high)
{
#ifdef CONFIG_X86_64
	EXPECT_BARE_REFUSED((uintptr_t)1 << 52, PAGE, K_MEM_PERM_RW, -EINVAL);
	EXPECT_BARE_REFUSED(((uintptr_t)1 << 52) - 8, 16, K_MEM_PERM_RW, -EINVAL);
	(void)made_bare(((uintptr_t)1 << 52) - PAGE, PAGE, K_MEM_PERM_RW); /* the last page */
#else
	/* Not a misuse here: it maps, and prints nothing. */
	(void)made_bare((uintptr_t)TOP_PAGE, PAGE, K_MEM_PERM_RW);
#endif
}

/* ---- k_mem_unmap_phys_bare ---------------------------------------------------------- */

ZTEST(misuse, test_unbare_zero_size)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(b, 0), -EINVAL);
	b[3] = 3;
}

ZTEST(misuse, test_unbare_wrap)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(TOP_PAGE, 2 * PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_bare(b, SIZE_MAX), -EINVAL);
	b[3] = 3;
}

ZTEST(misuse, test_unbare_size_over_window)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(b, VM_SIZE), -EINVAL);
	b[3] = 3;
}

ZTEST(misuse, test_unbare_null)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(NULL, PAGE), -EINVAL);
	b[3] = 3;
}

ZTEST(misuse, test_unbare_outside_window)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(PAST_WINDOW, PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_bare(TOP_PAGE, PAGE), -EINVAL);
	b[3] = 3;
}

ZTEST(misuse, test_unbare_never_mapped)
{
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *free_va = unmapped_va();

	EXPECT_RET(k_mem_unmap_phys_bare(free_va, PAGE), -EINVAL);
	b[3] = 3;
}

ZTEST(misuse, test_unbare_twice)
{
	uint8_t *b = NULL;

	zassert_ok(k_mem_map_phys_bare(&b, BUF_PHYS, PAGE, K_MEM_PERM_RW));
	zassert_ok(k_mem_unmap_phys_bare(b, PAGE));
	EXPECT_RET(k_mem_unmap_phys_bare(b, PAGE), -EINVAL);
	(void)made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
}

ZTEST(misuse, test_unbare_size_too_small)
{
	uint8_t *b = made_bare(BUF_PHYS, 2 * PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(b, PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_bare(b, 1), -EINVAL);
	b[PAGE + 3] = 3;
}

ZTEST(misuse, test_unbare_size_too_large)
{
	uint8_t *above = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);
	uint8_t *b = made_bare(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	/* b's region ends where above's starts. */
	EXPECT_RET(k_mem_unmap_phys_bare(b, 2 * PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_bare(b, PAGE + 1), -EINVAL);
	b[3] = 3;
	zassert_equal(above[3], 3);
}

ZTEST(misuse, test_unbare_inside_region)
{
	uint8_t *b = made_bare(BUF_PHYS, 2 * PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(b + PAGE, PAGE), -EINVAL);
	b[PAGE + 3] = 3;
}

ZTEST(misuse, test_unbare_anon)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_unmap_phys_bare(v, 2 * PAGE), -EINVAL);
	/* The whole region, guard pages included. */
	EXPECT_RET(k_mem_unmap_phys_bare(v - PAGE, 4 * PAGE), -EINVAL);
	check_written(v, 2);
}

ZTEST(misuse, test_unbare_phys_guard)
{
	uint8_t *g = made_guard(BUF_PHYS, PAGE, K_MEM_PERM_RW);

	EXPECT_RET(k_mem_unmap_phys_bare(g, PAGE), -EINVAL);
	/* The whole region, guard pages included. */
	EXPECT_RET(k_mem_unmap_phys_bare(g - PAGE, 3 * PAGE), -EINVAL);
	g[4] = 4;
}

ZTEST(misuse, test_unbare_kernel_image)
{
	EXPECT_RET(k_mem_unmap_phys_bare(misuse_buf, PAGE), -EINVAL);
	EXPECT_RET(k_mem_unmap_phys_bare((uint8_t *)K_MEM_VM_START, image_size()), -EINVAL);
	misuse_buf[0] = 3;
}

ZTEST(misuse, test_unbare_scratch)
{
	EXPECT_RET(k_mem_unmap_phys_bare(ARCH_SCRATCH_PAGE, PAGE), -EINVAL);
	check_map_works();
}

/* ---- k_mem_update_flags ------------------------------------------------------------ */

/* The victim is still read-write, write-back and holds its pattern. */
static void check_still_rw(uint8_t *v)
{
	uint32_t flags;

	check_written(v, 2);
	zassert_ok(k_mem_page_flags_get(v, &flags));
	zassert_equal(flags & (K_MEM_PERM_RW | K_MEM_CACHE_MASK), K_MEM_PERM_RW | K_MEM_CACHE_WB,
		      "flags 0x%x", flags);
	v[1] = pattern(v); /* writable: no fault */
}

ZTEST(misuse, test_update_unaligned_addr)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v + 1, PAGE, 0), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_zero_size)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, 0, 0), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_unaligned_size)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, PAGE + 1, 0), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_size_wrap)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, SIZE_MAX - PAGE + 1, 0), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_size_over_window)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, VM_SIZE, 0), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_null)
{
	EXPECT_RET(k_mem_update_flags(NULL, PAGE, K_MEM_PERM_RW), -EINVAL);
	check_map_works();
}

ZTEST(misuse, test_update_outside_window)
{
	EXPECT_RET(k_mem_update_flags(PAST_WINDOW, PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_RET(k_mem_update_flags(TOP_PAGE, PAGE, K_MEM_PERM_RW), -EINVAL);
	check_map_works();
}

ZTEST(misuse, test_update_never_mapped)
{
	uint8_t *free_va = unmapped_va();

	EXPECT_RET(k_mem_update_flags(free_va, PAGE, K_MEM_PERM_RW), -EINVAL);
	check_map_works();
}

ZTEST(misuse, test_update_into_guard)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, 3 * PAGE, 0), -EINVAL);
	EXPECT_RET(k_mem_update_flags(v - PAGE, 2 * PAGE, 0), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_scratch)
{
	/* With demand paging the scratch page maps the last frame a transfer
	 * used; the write below makes one (the copy-on-write of a zero page).
	 */
	uint8_t *v = victim();

	ARG_UNUSED(v);
#ifdef CONFIG_DEMAND_PAGING
	zassert_equal(arch_page_location_get(ARCH_SCRATCH_PAGE, NULL), ARCH_PAGE_LOCATION_PAGED_IN,
		      "the scratch page is not mapped: the row is not exercised");
#endif
	EXPECT_RET(k_mem_update_flags(ARCH_SCRATCH_PAGE, PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_RET(k_mem_update_flags(ARCH_SCRATCH_PAGE, PAGE, 0), -EINVAL);
	EXPECT_RET(k_mem_update_flags((uint8_t *)ARCH_SCRATCH_PAGE - PAGE, 2 * PAGE, 0), -EINVAL);
	check_map_works();
}

ZTEST(misuse, test_update_unknown_cache)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | 3), -EINVAL);
	EXPECT_RET(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | 7), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_unknown_flags)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, PAGE, K_MEM_MAP_LOCK), -EINVAL);
	EXPECT_RET(k_mem_update_flags(v, PAGE, K_MEM_MAP_UNINIT), -EINVAL);
	EXPECT_RET(k_mem_update_flags(v, PAGE, BIT(30)), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_write_exec)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_update_kernel_image)
{
	uint8_t *text = (uint8_t *)ROUND_DOWN((uintptr_t)check_map_works, PAGE);
	uint8_t *db = (uint8_t *)ROUND_DOWN((uintptr_t)k_mem_page_frames, PAGE);

	EXPECT_RET(k_mem_update_flags(text, PAGE, K_MEM_PERM_EXEC), -EINVAL);
	EXPECT_RET(k_mem_update_flags(text, PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_RET(k_mem_update_flags((void *)misuse_rodata, PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_RET(k_mem_update_flags(misuse_buf, PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_RET(k_mem_update_flags(db, PAGE, 0), -EINVAL);
	EXPECT_RET(k_mem_update_flags(z_x86_pagetables_start, PAGE, K_MEM_PERM_RW), -EINVAL);
	check_map_works();
	ztest_set_fault_valid(true);
	*(volatile uint8_t *)text = 0; /* text is still read-only */
	zassert_unreachable("a write to kernel text did not fault");
}

ZTEST(misuse, test_update_perm_user)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER), -ENOTSUP);
	check_still_rw(v);
}

/* ---- k_mem_region_align ------------------------------------------------------------ */

/* A refused alignment gives the empty region at addr and offset 0. */
#define EXPECT_ALIGN_REFUSED(out_addr, out_size, addr, size, align)                                \
	do {                                                                                       \
		Z_MISUSE_SNAPSHOT;                                                                 \
		MISUSE_BEGIN("k_mem_region_align(" #out_addr ", " #out_size ", " #addr ", " #size  \
			     ", " #align ")");                                                     \
		size_t ret_ = k_mem_region_align(out_addr, out_size, addr, size, align);           \
		MISUSE_END();                                                                      \
		zassert_equal(ret_, 0, "offset 0x%zx", ret_);                                      \
		Z_MISUSE_UNCHANGED("k_mem_region_align");                                          \
	} while (0)

ZTEST(misuse, test_align_zero)
{
	uintptr_t a = 1;
	size_t s = 1;

	EXPECT_ALIGN_REFUSED(&a, &s, 0x1234, 0x10, 0);
	zassert_equal(a, 0x1234);
	zassert_equal(s, 0);
	zassert_equal(k_mem_region_align(&a, &s, 0x1234, 0x10, PAGE), 0x234);
}

ZTEST(misuse, test_align_null_out)
{
	uintptr_t a = 1;
	size_t s = 1;

	EXPECT_ALIGN_REFUSED(NULL, &s, 0x1234, 0x10, PAGE);
	zassert_equal(s, 0);
	EXPECT_ALIGN_REFUSED(&a, NULL, 0x1234, 0x10, PAGE);
	zassert_equal(a, 0x1234);
	EXPECT_ALIGN_REFUSED(NULL, NULL, 0x1234, 0x10, PAGE);
}

ZTEST(misuse, test_align_overflow)
{
	uintptr_t a = 1;
	size_t s = 1;

	/* size + offset wraps. */
	EXPECT_ALIGN_REFUSED(&a, &s, 0x1001, SIZE_MAX, PAGE);
	zassert_equal(a, 0x1001);
	zassert_equal(s, 0);
	/* size + offset fits, rounding it up does not. */
	EXPECT_ALIGN_REFUSED(&a, &s, 0, SIZE_MAX - 10, PAGE);
	zassert_equal(s, 0);
	/* The largest region that rounds up exactly still works. */
	zassert_equal(k_mem_region_align(&a, &s, 0, SIZE_MAX - PAGE + 1, PAGE), 0);
	zassert_equal(s, SIZE_MAX - PAGE + 1);
}

/* ---- k_mem_page_flags_get ------------------------------------------------------------ */

ZTEST(misuse, test_flags_null_out)
{
	uint8_t *v = victim();

	EXPECT_RET(k_mem_page_flags_get(v, NULL), -EINVAL);
	EXPECT_RET(k_mem_page_flags_get(misuse_buf, NULL), -EINVAL);
	EXPECT_RET(k_mem_page_flags_get(NULL, NULL), -EINVAL);
	check_still_rw(v);
}

ZTEST(misuse, test_flags_unmapped)
{
	uint8_t *v = victim();
	uint8_t *free_va = unmapped_va();
	uint32_t flags = 0xdead;

	EXPECT_RET(k_mem_page_flags_get(NULL, &flags), -EFAULT);
	EXPECT_RET(k_mem_page_flags_get(v - PAGE, &flags), -EFAULT);
	EXPECT_RET(k_mem_page_flags_get(free_va, &flags), -EFAULT);
	EXPECT_RET(k_mem_page_flags_get(PAST_WINDOW, &flags), -EFAULT);
	EXPECT_RET(k_mem_page_flags_get(TOP_PAGE, &flags), -EFAULT);
	zassert_equal(flags, 0xdead, "*flags written on failure");
	check_still_rw(v);
}

/* ---- k_mem_phys_addr / k_mem_virt_addr --------------------------------------------- */

ZTEST(misuse, test_phys_addr_not_image)
{
	uint8_t *v = victim();
	uintptr_t result;

	/* Arithmetic only: not where the run-time mapping really points. */
	MISUSE_BEGIN("k_mem_phys_addr(v)");
	result = k_mem_phys_addr(v);
	MISUSE_END();
	zassert_equal(result, (uintptr_t)v - K_MEM_VIRT_OFFSET);
	zassert_not_equal(result, phys_of(v));
	MISUSE_BEGIN("k_mem_phys_addr(NULL)");
	result = k_mem_phys_addr(NULL);
	MISUSE_END();
	zassert_equal(result, (uintptr_t)0 - K_MEM_VIRT_OFFSET);
	zassert_equal(k_mem_phys_addr(misuse_buf), phys_of(misuse_buf), "image address wrong");
}

ZTEST(misuse, test_virt_addr_not_ram)
{
	uint32_t flags;
	void *result;

	MISUSE_BEGIN("k_mem_virt_addr(0)");
	result = k_mem_virt_addr(0);
	MISUSE_END();
	zassert_equal_ptr(result, (void *)K_MEM_VIRT_OFFSET);
	MISUSE_BEGIN("k_mem_virt_addr(K_MEM_PHYS_RAM_END)");
	result = k_mem_virt_addr(K_MEM_PHYS_RAM_END);
	MISUSE_END();
	zassert_equal_ptr(result, (void *)(K_MEM_PHYS_RAM_END + K_MEM_VIRT_OFFSET));
	zassert_equal(k_mem_page_flags_get(result, &flags), -EFAULT, "%p is mapped", result);
	zassert_equal_ptr(k_mem_virt_addr(BUF_PHYS), misuse_buf, "image address wrong");
}

ZTEST_SUITE(misuse, NULL, NULL, misuse_before, misuse_after, NULL);
