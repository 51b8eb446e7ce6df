/* SPDX-License-Identifier: Apache-2.0 */
/*
 * z_mem_fault_describe(): what a faulting address is. Guards below and
 * above anonymous and guarded physical mappings, adjacent regions (a guard
 * touching another region), pages inside mappings, free pages, paged-out
 * and never-written pages (demand paging), the kernel image, the scratch
 * page, the NULL page; and real faults on guards through the fatal path.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE CONFIG_MMU_PAGE_SIZE

/* A frame of the image to map physically. */
static uint8_t phys_buf[PAGE] __aligned(PAGE);
static const uint32_t some_rodata[4] = {1, 2, 3, 4};
static uint32_t some_bss;

enum kind { NONE, ANON, PHYS_GUARD, BARE };
/* Mappings a test made, undone by after() whether it passed or faulted. */
static struct {
	enum kind kind;
	uint8_t *addr;
	size_t size;
} made[8];

static uint8_t *remember(enum kind kind, uint8_t *addr, size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(made); i++) {
		if (made[i].kind == NONE) {
			made[i].kind = kind;
			made[i].addr = addr;
			made[i].size = size;
			return addr;
		}
	}
	zassert_unreachable("too many mappings to remember");
	return NULL;
}

static uint8_t *map_anon(size_t size, uint32_t flags)
{
	uint8_t *addr = k_mem_map(size, flags);

	zassert_not_null(addr, "k_mem_map(0x%zx, 0x%x) failed", size, flags);
	return remember(ANON, addr, size);
}

static uint8_t *map_phys_guard(void)
{
	uint8_t *addr = k_mem_map_phys_guard(K_MEM_PHYS_ADDR(phys_buf), PAGE,
					     K_MEM_PERM_RW | K_MEM_CACHE_WB, false);

	zassert_not_null(addr, "k_mem_map_phys_guard failed");
	return remember(PHYS_GUARD, addr, PAGE);
}

static uint8_t *map_bare(void)
{
	uint8_t *addr = NULL;

	zassert_ok(k_mem_map_phys_bare(&addr, K_MEM_PHYS_ADDR(phys_buf), PAGE,
				       K_MEM_PERM_RW | K_MEM_CACHE_WB));
	return remember(BARE, addr, PAGE);
}

static void unmap_all(void *fixture)
{
	ARG_UNUSED(fixture);
	for (size_t i = 0; i < ARRAY_SIZE(made); i++) {
		if (made[i].kind == ANON) {
			zassert_ok(k_mem_unmap(made[i].addr, made[i].size));
		} else if (made[i].kind == PHYS_GUARD) {
			zassert_ok(k_mem_unmap_phys_guard(made[i].addr, made[i].size, false));
		} else if (made[i].kind == BARE) {
			zassert_ok(k_mem_unmap_phys_bare(made[i].addr, made[i].size));
		}
		made[i].kind = NONE;
	}
}

static struct z_mem_fault_info describe(const void *addr)
{
	struct z_mem_fault_info info;
	unsigned int key = irq_lock(); /* as in the fault handler */

	z_mem_fault_describe(addr, &info);
	irq_unlock(key);
	return info;
}

/* addr is kind, in or next to the mapping [mapping, mapping + size). */
static void expect(const void *addr, enum z_mem_fault_kind kind, const uint8_t *mapping,
		   size_t size)
{
	struct z_mem_fault_info info = describe(addr);

	zassert_equal(info.kind, kind, "%p: kind %d, expected %d", addr, info.kind, kind);
	zassert_equal_ptr(info.mapping, mapping, "%p: mapping %p, expected %p", addr, info.mapping,
			  mapping);
	zassert_equal(info.size, size, "%p: size 0x%zx, expected 0x%zx", addr, info.size, size);
}

static void expect_guards(const uint8_t *mapping, size_t size, bool anon)
{
	struct z_mem_fault_info info;

	expect(mapping - PAGE, Z_MEM_FAULT_GUARD_BELOW, mapping, size);
	expect(mapping - 1, Z_MEM_FAULT_GUARD_BELOW, mapping, size);
	expect(mapping + size, Z_MEM_FAULT_GUARD_ABOVE, mapping, size);
	expect(mapping + size + PAGE - 1, Z_MEM_FAULT_GUARD_ABOVE, mapping, size);
	info = describe(mapping - 1);
	zassert_equal(info.anon, anon);
	zassert_true(info.guarded);
	zassert_equal_ptr(info.region, mapping - PAGE);
	zassert_equal(info.region_size, size + 2U * PAGE);
}

ZTEST(fault_report, test_anon_guards)
{
	uint8_t *m = map_anon(3 * PAGE, K_MEM_PERM_RW);

	expect_guards(m, 3 * PAGE, true);
}

ZTEST(fault_report, test_anon_single_page_guards)
{
	uint8_t *m = map_anon(PAGE, K_MEM_PERM_RW);

	expect_guards(m, PAGE, true);
}

ZTEST(fault_report, test_phys_guard_guards)
{
	uint8_t *m = map_phys_guard();

	expect_guards(m, PAGE, false);
}

ZTEST(fault_report, test_page_inside_anon_mapping)
{
	uint8_t *m = map_anon(4 * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	struct z_mem_fault_info info;

	for (size_t i = 0; i < 4; i++) {
		expect(m + i * PAGE + 8, Z_MEM_FAULT_MAPPED, m, 4 * PAGE);
	}
	info = describe(m + PAGE);
	zassert_true((info.flags & K_MEM_PERM_RW) != 0U, "flags 0x%x", info.flags);
	zassert_true(info.anon && info.guarded);
}

ZTEST(fault_report, test_read_only_mapping_says_so)
{
	uint8_t *m = map_anon(PAGE, K_MEM_MAP_LOCK);
	struct z_mem_fault_info info = describe(m);

	zassert_equal(info.kind, Z_MEM_FAULT_MAPPED);
	zassert_equal(info.flags & K_MEM_PERM_RW, 0U, "flags 0x%x", info.flags);
}

ZTEST(fault_report, test_page_inside_phys_guard_mapping)
{
	uint8_t *m = map_phys_guard();
	struct z_mem_fault_info info = describe(m + 100);

	expect(m + 100, Z_MEM_FAULT_MAPPED, m, PAGE);
	zassert_false(info.anon);
	zassert_true(info.guarded);
}

ZTEST(fault_report, test_bare_mapping_has_no_guards)
{
	uint8_t *v = map_bare();
	struct z_mem_fault_info info = describe(v);

	expect(v, Z_MEM_FAULT_MAPPED, v, PAGE);
	zassert_false(info.guarded);
	zassert_false(info.anon);
	zassert_equal_ptr(info.region, v);
	zassert_equal(info.region_size, PAGE);
}

ZTEST(fault_report, test_large_mapping_middle_page)
{
	size_t size = 64 * PAGE;
	uint8_t *m = map_anon(size, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	expect(m + size / 2, Z_MEM_FAULT_MAPPED, m, size);
	expect(m + size - 1, Z_MEM_FAULT_MAPPED, m, size);
	expect(m + size, Z_MEM_FAULT_GUARD_ABOVE, m, size);
	expect(m - PAGE, Z_MEM_FAULT_GUARD_BELOW, m, size);
}

/* Mappings grow down: the second region ends where the first begins. */
ZTEST(fault_report, test_adjacent_guards_belong_to_their_own_regions)
{
	uint8_t *upper = map_anon(PAGE, K_MEM_PERM_RW);
	uint8_t *lower = map_anon(2 * PAGE, K_MEM_PERM_RW);

	zassert_equal_ptr(lower + 2 * PAGE + 2 * PAGE, upper,
			  "regions not adjacent: %p+0x%x and %p", lower, 2 * PAGE, upper);
	expect(lower + 2 * PAGE, Z_MEM_FAULT_GUARD_ABOVE, lower, 2 * PAGE);
	expect(upper - PAGE, Z_MEM_FAULT_GUARD_BELOW, upper, PAGE);
	expect(lower - PAGE, Z_MEM_FAULT_GUARD_BELOW, lower, 2 * PAGE);
	expect(upper + PAGE, Z_MEM_FAULT_GUARD_ABOVE, upper, PAGE);
}

ZTEST(fault_report, test_phys_guard_next_to_anon)
{
	uint8_t *anon = map_anon(PAGE, K_MEM_PERM_RW);
	uint8_t *phys = map_phys_guard();

	zassert_equal_ptr(phys + 3 * PAGE, anon, "regions not adjacent: %p and %p", phys, anon);
	expect(phys + PAGE, Z_MEM_FAULT_GUARD_ABOVE, phys, PAGE);
	expect(anon - PAGE, Z_MEM_FAULT_GUARD_BELOW, anon, PAGE);
}

/* A bare mapping's last page touches the guard: still the guard's region. */
ZTEST(fault_report, test_bare_mapping_next_to_guard)
{
	uint8_t *anon = map_anon(PAGE, K_MEM_PERM_RW);
	uint8_t *bare = map_bare();

	zassert_equal_ptr(bare + 2 * PAGE, anon, "regions not adjacent: %p and %p", bare, anon);
	expect(bare, Z_MEM_FAULT_MAPPED, bare, PAGE);
	expect(anon - PAGE, Z_MEM_FAULT_GUARD_BELOW, anon, PAGE);
}

ZTEST(fault_report, test_free_page_is_unmapped)
{
	uint8_t *m = k_mem_map(PAGE, K_MEM_PERM_RW);
	struct z_virt_region_span span;

	zassert_not_null(m);
	zassert_ok(k_mem_unmap(m, PAGE));
	for (int i = -1; i <= 1; i++) {
		struct z_mem_fault_info info = describe(m + i * PAGE);

		zassert_equal(info.kind, Z_MEM_FAULT_UNMAPPED, "%p: kind %d", m + i * PAGE,
			      info.kind);
		zassert_is_null(info.mapping);
	}
	zassert_true(z_virt_region_lookup(m, &span));
	zassert_equal(span.owner, Z_VIRT_REGION_FREE);
}

ZTEST(fault_report, test_kernel_image)
{
	struct z_mem_fault_info info;

	info = describe((const void *)(uintptr_t)unmap_all);
	zassert_equal(info.kind, Z_MEM_FAULT_KERNEL_IMAGE);
	zassert_equal(info.section, Z_MEM_IMAGE_TEXT);
	info = describe(some_rodata);
	zassert_equal(info.kind, Z_MEM_FAULT_KERNEL_IMAGE);
	zassert_equal(info.section, Z_MEM_IMAGE_RODATA);
	info = describe(&some_bss);
	zassert_equal(info.kind, Z_MEM_FAULT_KERNEL_IMAGE);
	zassert_equal(info.section, Z_MEM_IMAGE_DATA);
	zassert_equal_ptr(info.region, (uint8_t *)CONFIG_KERNEL_VM_BASE);
}

ZTEST(fault_report, test_scratch_null_and_outside)
{
	zassert_equal(describe(ARCH_SCRATCH_PAGE).kind, Z_MEM_FAULT_SCRATCH);
	zassert_equal(describe(NULL).kind, Z_MEM_FAULT_NULL_PAGE);
	zassert_equal(describe((void *)(PAGE - 1)).kind, Z_MEM_FAULT_NULL_PAGE);
	zassert_equal(describe((void *)(K_MEM_VM_START + K_MEM_VM_SIZE)).kind,
		      Z_MEM_FAULT_OUTSIDE_WINDOW);
	if (K_MEM_VM_START > 0x100000U + PAGE) {
		/* Below the window but not the boot page (the kernel runs at an offset). */
		zassert_equal(describe((void *)(K_MEM_VM_START - PAGE)).kind,
			      Z_MEM_FAULT_OUTSIDE_WINDOW);
	}
}

ZTEST(fault_report, test_paged_out_page)
{
	if (!IS_ENABLED(CONFIG_DEMAND_PAGING)) {
		ztest_test_skip();
	}
	uint8_t *m = map_anon(3 * PAGE, K_MEM_PERM_RW);

	for (size_t i = 0; i < 3; i++) {
		m[i * PAGE] = (uint8_t)i; /* resident, own frames */
	}
	zassert_ok(k_mem_page_out(m + PAGE, PAGE));
	expect(m + PAGE + 16, Z_MEM_FAULT_PAGED_OUT, m, 3 * PAGE);
	expect(m, Z_MEM_FAULT_MAPPED, m, 3 * PAGE);
	expect(m + 2 * PAGE, Z_MEM_FAULT_MAPPED, m, 3 * PAGE);
	expect(m - PAGE, Z_MEM_FAULT_GUARD_BELOW, m, 3 * PAGE);
	/* The first page paged out: its guard is still the guard, not the page. */
	zassert_ok(k_mem_page_out(m, PAGE));
	expect(m - 1, Z_MEM_FAULT_GUARD_BELOW, m, 3 * PAGE);
	expect(m, Z_MEM_FAULT_PAGED_OUT, m, 3 * PAGE);
}

ZTEST(fault_report, test_never_written_page)
{
	if (!IS_ENABLED(CONFIG_DEMAND_MAPPING)) {
		ztest_test_skip();
	}
	uint8_t *m = map_anon(2 * PAGE, K_MEM_PERM_RW);

	m[PAGE] = 1;
	expect(m, Z_MEM_FAULT_ZERO_PAGE, m, 2 * PAGE);
	expect(m + PAGE, Z_MEM_FAULT_MAPPED, m, 2 * PAGE);
}

/* The printed line for each kind (its text is checked by tests/scripts/test_fault_report.py). */
ZTEST(fault_report, test_print_every_kind)
{
	uint8_t *m = map_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uint8_t *v = map_bare();

	z_mem_fault_print(m - PAGE);
	z_mem_fault_print(m + PAGE);
	z_mem_fault_print(m);
	z_mem_fault_print(v);
	z_mem_fault_print(m - 2 * PAGE - 0x100000);
	z_mem_fault_print(NULL);
	z_mem_fault_print(&some_bss);
	z_mem_fault_print((const void *)(uintptr_t)unmap_all);
	z_mem_fault_print(ARCH_SCRATCH_PAGE);
}

ZTEST(fault_report, test_real_fault_on_guard_below)
{
	uint8_t *m = map_anon(PAGE, K_MEM_PERM_RW);

	ztest_set_fault_valid(true);
	*(volatile uint8_t *)(m - 1) = 1;
	zassert_unreachable("a write to the guard below did not fault");
}

ZTEST(fault_report, test_real_fault_on_guard_above)
{
	uint8_t *m = map_anon(PAGE, K_MEM_PERM_RW);

	ztest_set_fault_valid(true);
	(void)*(volatile uint8_t *)(m + PAGE);
	zassert_unreachable("a read of the guard above did not fault");
}

ZTEST_SUITE(fault_report, NULL, NULL, NULL, unmap_all, NULL);
