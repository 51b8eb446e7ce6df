/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_mem_map() and friends: physical aliases, anonymous memory with guard
 * pages, exhaustion and rollback, permission updates, and every misuse the
 * API can receive (each must leave the memory manager's state unchanged).
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <string.h>
#include <sys/errno.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE CONFIG_MMU_PAGE_SIZE

/* A physical buffer to alias: two frames of the image's .bss. */
static uint8_t phys_buf[2 * PAGE] __aligned(PAGE);

/* Mappings a test made, undone by after() whether the test passed or faulted. */
enum kind { NONE, ANON, BARE };
static struct {
	enum kind kind;
	void *addr;
	size_t size;
} made[8];

static void *remember(enum kind kind, void *addr, size_t size)
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

static void forget(void *addr)
{
	for (size_t i = 0; i < ARRAY_SIZE(made); i++) {
		if (made[i].addr == addr) {
			made[i].kind = NONE;
		}
	}
}

static void *map_anon(size_t size, uint32_t flags)
{
	void *addr = k_mem_map(size, flags);

	zassert_not_null(addr, "k_mem_map(0x%zx, 0x%x) failed", size, flags);
	return remember(ANON, addr, size);
}

static uint8_t *map_bare(uintptr_t phys, size_t size, uint32_t flags)
{
	uint8_t *virt = NULL;

	zassert_ok(k_mem_map_phys_bare(&virt, phys, size, flags));
	zassert_not_null(virt);
	return remember(BARE, virt, size);
}

static void unmap_all(void *fixture)
{
	ARG_UNUSED(fixture);
	for (size_t i = 0; i < ARRAY_SIZE(made); i++) {
		if (made[i].kind == ANON) {
			zassert_ok(k_mem_unmap(made[i].addr, made[i].size));
		} else if (made[i].kind == BARE) {
			zassert_ok(k_mem_unmap_phys_bare(made[i].addr, made[i].size));
		}
		made[i].kind = NONE;
	}
}

static uintptr_t buf_phys(void)
{
	return K_MEM_PHYS_ADDR(phys_buf);
}

/* ---- physical aliases ---------------------------------------------------- */

ZTEST(mem_map, test_phys_rw_and_ro_aliases_agree)
{
	uint8_t *rw = map_bare(buf_phys(), PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WB);
	uint8_t *ro = map_bare(buf_phys(), PAGE, K_MEM_CACHE_WB);

	zassert_not_equal(rw, phys_buf);
	rw[10] = 0x5a;
	zassert_equal(ro[10], 0x5a, "RO alias does not see the RW alias's write");
	zassert_equal(phys_buf[10], 0x5a, "the image mapping does not see it");
	phys_buf[11] = 0xa5;
	zassert_equal(ro[11], 0xa5);
	zassert_equal(rw[11], 0xa5);
}

ZTEST(mem_map, test_phys_ro_alias_write_faults)
{
	uint8_t *ro = map_bare(buf_phys(), PAGE, K_MEM_CACHE_WB);

	ztest_set_fault_valid(true);
	*(volatile uint8_t *)ro = 1;
	zassert_unreachable("write through a read-only alias did not fault");
}

ZTEST(mem_map, test_new_ro_alias_leaves_original_writable)
{
	uint32_t flags;

	(void)map_bare(buf_phys(), PAGE, K_MEM_CACHE_WB);
	phys_buf[0] = 0x42;
	zassert_equal(phys_buf[0], 0x42);
	zassert_ok(k_mem_page_flags_get(phys_buf, &flags));
	zassert_true((flags & K_MEM_PERM_RW) != 0, "the original lost its write permission");
}

ZTEST(mem_map, test_phys_exec_alias_runs_code)
{
	uint8_t *rw = map_bare(buf_phys(), PAGE, K_MEM_PERM_RW);
	uint8_t *code = map_bare(buf_phys(), PAGE, K_MEM_PERM_EXEC);

	rw[0] = 0xb8; /* mov $0x1234abcd, %eax; ret */
	rw[1] = 0xcd;
	rw[2] = 0xab;
	rw[3] = 0x34;
	rw[4] = 0x12;
	rw[5] = 0xc3;
	zassert_equal(((uint32_t(*)(void))(uintptr_t)code)(), 0x1234abcdU);
}

ZTEST(mem_map, test_phys_noexec_alias_faults)
{
	if (!IS_ENABLED(CONFIG_X86_XD)) {
		ztest_test_skip(); /* 32-bit 2-level paging cannot forbid execution */
	}
	uint8_t *rw = map_bare(buf_phys(), PAGE, K_MEM_PERM_RW);

	rw[0] = 0xc3;
	ztest_set_fault_valid(true);
	((void (*)(void))(uintptr_t)rw)();
	zassert_unreachable("executing through a non-EXEC alias did not fault");
}

ZTEST(mem_map, test_phys_offset_preserved)
{
	uint8_t *v = map_bare(buf_phys() + 123, 100, K_MEM_PERM_RW);

	zassert_equal((uintptr_t)v % PAGE, 123U, "offset into the page lost: %p", v);
	v[0] = 0x77;
	zassert_equal(phys_buf[123], 0x77);
}

ZTEST(mem_map, test_phys_bare_cache_modes)
{
	static const uint32_t modes[] = {K_MEM_CACHE_WB, K_MEM_CACHE_WT, K_MEM_CACHE_NONE};

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		uint32_t flags;
		uint8_t *v = map_bare(buf_phys(), PAGE, K_MEM_PERM_RW | modes[i]);

		zassert_ok(k_mem_page_flags_get(v, &flags));
		zassert_equal(flags & K_MEM_CACHE_MASK, modes[i], "mode %u mapped as %u",
			      (unsigned int)modes[i], (unsigned int)(flags & K_MEM_CACHE_MASK));
		zassert_ok(k_mem_unmap_phys_bare(v, PAGE));
		forget(v);
	}
}

ZTEST(mem_map, test_access_after_unmap_phys_bare_faults)
{
	uint8_t *v = NULL;

	zassert_ok(k_mem_map_phys_bare(&v, buf_phys(), PAGE, K_MEM_PERM_RW));
	v[0] = 1;
	zassert_ok(k_mem_unmap_phys_bare(v, PAGE));
	ztest_set_fault_valid(true);
	(void)*(volatile uint8_t *)v;
	zassert_unreachable("access after k_mem_unmap_phys_bare did not fault");
}

ZTEST(mem_map, test_remap_reuses_virtual_address)
{
	uint8_t *first = NULL;
	uint8_t *second = NULL;

	zassert_ok(k_mem_map_phys_bare(&first, buf_phys(), PAGE, K_MEM_PERM_RW));
	zassert_ok(k_mem_unmap_phys_bare(first, PAGE));
	zassert_ok(k_mem_map_phys_bare(&second, buf_phys(), PAGE, K_MEM_PERM_RW));
	zassert_equal_ptr(first, second);
	zassert_ok(k_mem_unmap_phys_bare(second, PAGE));
}

ZTEST(mem_map, test_phys_guard_mapping_has_guards)
{
	uint8_t *v = k_mem_map_phys_guard(buf_phys(), PAGE, K_MEM_PERM_RW, false);
	uint32_t flags;

	zassert_not_null(v);
	zassert_ok(k_mem_page_flags_get(v, &flags));
	zassert_equal(k_mem_page_flags_get(v - PAGE, &flags), -EFAULT, "guard before is mapped");
	zassert_equal(k_mem_page_flags_get(v + PAGE, &flags), -EFAULT, "guard after is mapped");
	v[5] = 9;
	zassert_equal(phys_buf[5], 9);
	zassert_equal(k_mem_unmap(v, PAGE), -EINVAL, "a physical mapping unmapped as anonymous");
	zassert_ok(k_mem_unmap_phys_guard(v, PAGE, false));
}

/* ---- anonymous memory ------------------------------------------------------ */

ZTEST(mem_map, test_map_is_zeroed)
{
	for (int round = 0; round < 2; round++) {
		uint8_t *v = map_anon(4 * PAGE, K_MEM_PERM_RW);

		for (size_t i = 0; i < 4 * PAGE; i++) {
			zassert_equal(v[i], 0, "round %d: byte %zu is 0x%x", round, i, v[i]);
		}
		memset(v, 0xee, 4 * PAGE); /* the next round likely gets these frames */
		zassert_ok(k_mem_unmap(v, 4 * PAGE));
		forget(v);
	}
}

ZTEST(mem_map, test_read_only_map_is_zeroed)
{
	uint8_t *rw = map_anon(PAGE, K_MEM_PERM_RW);

	memset(rw, 0xcc, PAGE);
	zassert_ok(k_mem_unmap(rw, PAGE));
	forget(rw);

	uint8_t *ro = map_anon(PAGE, 0);
	uint32_t flags;

	zassert_ok(k_mem_page_flags_get(ro, &flags));
	zassert_equal(flags & K_MEM_PERM_RW, 0, "mapped writable");
	for (size_t i = 0; i < PAGE; i++) {
		zassert_equal(ro[i], 0, "byte %zu is 0x%x", i, ro[i]);
	}
}

ZTEST(mem_map, test_free_get_tracks_mapped_size)
{
	size_t before = k_mem_free_get();
	void *v = map_anon(16 * PAGE, K_MEM_PERM_RW);

	zassert_equal(k_mem_free_get(), before - 16 * PAGE);
	zassert_ok(k_mem_unmap(v, 16 * PAGE));
	forget(v);
	zassert_equal(k_mem_free_get(), before);
}

ZTEST(mem_map, test_map_unmap_rounds_reuse_address)
{
	void *first = NULL;

	for (int round = 0; round < 10; round++) {
		void *v = k_mem_map(2 * PAGE, K_MEM_PERM_RW);

		zassert_not_null(v);
		if (first == NULL) {
			first = v;
		}
		zassert_equal_ptr(v, first, "round %d mapped at %p, not %p", round, v, first);
		zassert_ok(k_mem_unmap(v, 2 * PAGE));
	}
}

ZTEST(mem_map, test_permissions_and_lock)
{
	uint8_t *v = map_anon(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	uint8_t *x = map_anon(PAGE, K_MEM_PERM_EXEC);
	uintptr_t phys;
	uint32_t flags;

	zassert_ok(k_mem_page_flags_get(v, &flags));
	zassert_equal(flags & (K_MEM_PERM_RW | K_MEM_CACHE_MASK), K_MEM_PERM_RW | K_MEM_CACHE_WB);
	zassert_equal((flags & K_MEM_PERM_EXEC) != 0, !IS_ENABLED(CONFIG_X86_XD),
		      "EXEC state wrong without K_MEM_PERM_EXEC");
	zassert_ok(k_mem_page_flags_get(x, &flags));
	zassert_true((flags & K_MEM_PERM_EXEC) != 0);

	zassert_ok(arch_page_phys_get(v, &phys));
	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);

	zassert_true(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED), "LOCK did not pin");
	zassert_true(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED));
	zassert_equal_ptr(k_mem_page_frame_to_virt(pf), v, "frame records the wrong address");
}

ZTEST(mem_map, test_access_after_unmap_faults)
{
	uint8_t *v = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(v);
	v[0] = 1;
	zassert_ok(k_mem_unmap(v, PAGE));
	ztest_set_fault_valid(true);
	v[0] = 2;
	zassert_unreachable("write after k_mem_unmap did not fault");
}

ZTEST(mem_map, test_guard_before_faults)
{
	uint8_t *v = map_anon(2 * PAGE, K_MEM_PERM_RW);

	ztest_set_fault_valid(true);
	(void)*(volatile uint8_t *)(v - 1);
	zassert_unreachable("the guard page before the mapping did not fault");
}

ZTEST(mem_map, test_guard_after_faults)
{
	uint8_t *v = map_anon(2 * PAGE, K_MEM_PERM_RW);

	ztest_set_fault_valid(true);
	*(volatile uint8_t *)(v + 2 * PAGE) = 1;
	zassert_unreachable("the guard page after the mapping did not fault");
}

/* ---- exhaustion and rollback ----------------------------------------------- */

#define MAX_CHUNKS 512

ZTEST(mem_map, test_exhaustion_count_matches_free_memory)
{
	static void *chunks[MAX_CHUNKS];
	static size_t sizes[MAX_CHUNKS];
	size_t free_before = k_mem_free_get();
	uint32_t digest = z_mm_state_digest();
	size_t mapped = 0;
	size_t n = 0;

	/* Big chunks first, then single pages: ends when frames run out. */
	for (size_t chunk = 64 * PAGE; chunk >= PAGE; chunk /= 4) {
		for (;;) {
			void *v = k_mem_map(chunk, K_MEM_PERM_RW | K_MEM_MAP_UNINIT);

			if (v == NULL) {
				break;
			}
			zassert_true(n < MAX_CHUNKS, "too many chunks");
			chunks[n] = v;
			sizes[n++] = chunk;
			mapped += chunk;
		}
	}
	zassert_equal(mapped, free_before, "mapped 0x%zx bytes, 0x%zx were free", mapped,
		      free_before);
	zassert_equal(k_mem_free_get(), 0);
	zassert_is_null(k_mem_map(PAGE, K_MEM_PERM_RW), "mapped with no free frame");
	while (n > 0) {
		n--;
		zassert_ok(k_mem_unmap(chunks[n], sizes[n]));
	}
	zassert_equal(k_mem_free_get(), free_before);
	zassert_equal(z_mm_state_digest(), digest, "state differs after unmapping everything");
}

ZTEST(mem_map, test_rollback_leaks_nothing)
{
	size_t free_before = k_mem_free_get();
	uint32_t digest = z_mm_state_digest();

	/* Runs out of frames on the last page, after mapping all the others. */
	zassert_is_null(k_mem_map(free_before + PAGE, K_MEM_PERM_RW));
	zassert_equal(k_mem_free_get(), free_before);
	zassert_equal(z_mm_state_digest(), digest, "a failed k_mem_map changed the state");

	void *v = k_mem_map(free_before, K_MEM_PERM_RW | K_MEM_MAP_UNINIT);

	zassert_not_null(v, "all free memory could not be mapped after the rollback");
	zassert_ok(k_mem_unmap(v, free_before));
	zassert_equal(z_mm_state_digest(), digest);
}

/* ---- k_mem_update_flags ------------------------------------------------------ */

ZTEST(mem_map, test_update_flags_read_only_and_back)
{
	uint8_t *v = map_anon(2 * PAGE, K_MEM_PERM_RW);
	uint32_t flags;

	v[0] = 1;
	zassert_ok(k_mem_update_flags(v, 2 * PAGE, K_MEM_CACHE_WB));
	zassert_ok(k_mem_page_flags_get(v + PAGE, &flags));
	zassert_equal(flags & K_MEM_PERM_RW, 0, "still writable");
	zassert_equal(v[0], 1, "contents changed");
	zassert_ok(k_mem_update_flags(v, 2 * PAGE, K_MEM_PERM_RW | K_MEM_CACHE_WB));
	v[PAGE] = 2;
	zassert_equal(v[PAGE], 2);
	zassert_ok(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | K_MEM_CACHE_NONE));
	zassert_ok(k_mem_page_flags_get(v, &flags));
	zassert_equal(flags & K_MEM_CACHE_MASK, K_MEM_CACHE_NONE);
}

ZTEST(mem_map, test_update_flags_read_only_write_faults)
{
	uint8_t *v = map_anon(PAGE, K_MEM_PERM_RW);

	zassert_ok(k_mem_update_flags(v, PAGE, 0));
	ztest_set_fault_valid(true);
	v[0] = 1;
	zassert_unreachable("write to a page made read-only did not fault");
}

/* ---- misuse ---------------------------------------------------------------------- */

/* Each misuse returns an error and leaves the whole state as it was. */
#define EXPECT_REFUSED(call, expected)                                                             \
	do {                                                                                       \
		uint32_t digest_ = z_mm_state_digest();                                            \
		size_t free_ = k_mem_free_get();                                                   \
		zassert_equal((call), (expected), "%s", #call);                                    \
		zassert_equal(k_mem_free_get(), free_, "%s changed the free count", #call);        \
		zassert_equal(z_mm_state_digest(), digest_, "%s changed the state", #call);        \
	} while (0)

ZTEST(mem_map, test_misuse_of_k_mem_map)
{
	EXPECT_REFUSED(k_mem_map(0, K_MEM_PERM_RW), NULL);
	EXPECT_REFUSED(k_mem_map(PAGE + 1, K_MEM_PERM_RW), NULL);
	EXPECT_REFUSED(k_mem_map(100, K_MEM_PERM_RW), NULL);
	EXPECT_REFUSED(k_mem_map(SIZE_MAX - PAGE + 1, K_MEM_PERM_RW), NULL);
	EXPECT_REFUSED(k_mem_map(SIZE_MAX - 2 * PAGE + 1, K_MEM_PERM_RW), NULL);
	EXPECT_REFUSED(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER | K_MEM_MAP_UNINIT), NULL);
	EXPECT_REFUSED(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER), NULL);
	EXPECT_REFUSED(k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_CACHE_NONE), NULL);
	EXPECT_REFUSED(k_mem_map(PAGE, K_MEM_PERM_RW | BIT(30)), NULL);
	/* More than the window: out of virtual space. */
	EXPECT_REFUSED(k_mem_map(CONFIG_KERNEL_VM_SIZE, K_MEM_PERM_RW), NULL);
	EXPECT_REFUSED(k_mem_map(CONFIG_KERNEL_VM_SIZE - 4 * PAGE, K_MEM_PERM_RW), NULL);
	EXPECT_REFUSED(k_mem_map_phys_guard(buf_phys() + 1, PAGE, K_MEM_PERM_RW, false), NULL);
	EXPECT_REFUSED(k_mem_map_phys_guard(UINTPTR_MAX - PAGE + 1, 2 * PAGE, K_MEM_PERM_RW, false),
		       NULL);
	EXPECT_REFUSED(k_mem_map_phys_guard(buf_phys(), PAGE, K_MEM_PERM_RW | 3, false), NULL);
}

ZTEST(mem_map, test_misuse_of_k_mem_map_phys_bare)
{
	uint8_t *v = (uint8_t *)1;

	EXPECT_REFUSED(k_mem_map_phys_bare(&v, buf_phys(), 0, K_MEM_PERM_RW), -EINVAL);
	zassert_is_null(v, "*virt_ptr not cleared on error");
	EXPECT_REFUSED(k_mem_map_phys_bare(&v, UINTPTR_MAX - PAGE + 1, 2 * PAGE, K_MEM_PERM_RW),
		       -EINVAL);
	EXPECT_REFUSED(k_mem_map_phys_bare(&v, buf_phys(), PAGE, K_MEM_PERM_RW | 3), -EINVAL);
	EXPECT_REFUSED(k_mem_map_phys_bare(&v, buf_phys(), PAGE, K_MEM_PERM_USER), -ENOTSUP);
	EXPECT_REFUSED(k_mem_map_phys_bare(&v, buf_phys(), PAGE, K_MEM_MAP_LOCK), -EINVAL);
	EXPECT_REFUSED(k_mem_map_phys_bare(NULL, buf_phys(), PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_REFUSED(k_mem_map_phys_bare(&v, 0, CONFIG_KERNEL_VM_SIZE, K_MEM_PERM_RW), -EINVAL);
	/* Device memory above RAM (all of RAM cannot be aliased): no virtual room. */
	EXPECT_REFUSED(k_mem_map_phys_bare(&v, ROUND_UP(K_MEM_PHYS_RAM_END, PAGE),
					   CONFIG_KERNEL_VM_SIZE - 2 * PAGE, K_MEM_PERM_RW),
		       -ENOMEM);
}

ZTEST(mem_map, test_misuse_of_unmap)
{
	uint8_t *v = map_anon(2 * PAGE, K_MEM_PERM_RW);
	uint8_t *bare = map_bare(buf_phys(), PAGE, K_MEM_PERM_RW);
	uint8_t *free_va = (uint8_t *)ROUND_DOWN((uintptr_t)v - 64 * PAGE, PAGE);

	EXPECT_REFUSED(k_mem_unmap(v, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(v, 3 * PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(v + PAGE, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(v - PAGE, 2 * PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(v + 1, 2 * PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(v, 0), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(v, 2 * PAGE + 1), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(free_va, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(phys_buf, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap((void *)CONFIG_KERNEL_VM_BASE, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(NULL, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap(bare, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap_phys_guard(v, 2 * PAGE, false), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap_phys_bare(v, 2 * PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap_phys_bare(bare, 2 * PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap_phys_bare(phys_buf, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap_phys_bare((uint8_t *)CONFIG_KERNEL_VM_BASE, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap_phys_bare(ARCH_SCRATCH_PAGE, PAGE), -EINVAL);
	EXPECT_REFUSED(k_mem_unmap_phys_bare(bare, 0), -EINVAL);

	zassert_ok(k_mem_unmap(v, 2 * PAGE));
	forget(v);
	EXPECT_REFUSED(k_mem_unmap(v, 2 * PAGE), -EINVAL); /* twice */
	zassert_ok(k_mem_unmap_phys_bare(bare, PAGE));
	forget(bare);
	EXPECT_REFUSED(k_mem_unmap_phys_bare(bare, PAGE), -EINVAL); /* twice */
}

ZTEST(mem_map, test_misuse_of_update_flags)
{
	uint8_t *v = map_anon(2 * PAGE, K_MEM_PERM_RW);

	EXPECT_REFUSED(k_mem_update_flags(v + 1, PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_REFUSED(k_mem_update_flags(v, 0, K_MEM_PERM_RW), -EINVAL);
	EXPECT_REFUSED(k_mem_update_flags(v, PAGE + 1, K_MEM_PERM_RW), -EINVAL);
	EXPECT_REFUSED(k_mem_update_flags(v, 3 * PAGE, K_MEM_PERM_RW),
		       -EINVAL); /* into the guard */
	EXPECT_REFUSED(k_mem_update_flags(v - PAGE, 2 * PAGE, K_MEM_PERM_RW), -EINVAL);
	EXPECT_REFUSED(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | 3), -EINVAL);
	EXPECT_REFUSED(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER), -ENOTSUP);
	EXPECT_REFUSED(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK), -EINVAL);
	EXPECT_REFUSED(k_mem_update_flags(ARCH_SCRATCH_PAGE, PAGE, K_MEM_PERM_RW), -EINVAL);
}

ZTEST(mem_map, test_region_align)
{
	uintptr_t addr;
	size_t size;

	zassert_equal(k_mem_region_align(&addr, &size, 0x1234, 0x10, PAGE), 0x234U);
	zassert_equal(addr, 0x1000U);
	zassert_equal(size, (size_t)PAGE);
	zassert_equal(k_mem_region_align(&addr, &size, 0x1ff0, 0x20, PAGE), 0xff0U);
	zassert_equal(size, 2U * PAGE, "a range crossing a page needs two");
}

ZTEST_SUITE(mem_map, NULL, NULL, NULL, unmap_all, NULL);

/* W^X: writable and executable only when the application says so. */
ZTEST(mem_map, test_write_exec_needs_the_option)
{
	uint8_t *wx = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC);
	uint8_t *v = map_anon(PAGE, K_MEM_PERM_RW);
	uint8_t *bare = NULL;
	uint32_t flags;

	if (!IS_ENABLED(CONFIG_MM_ALLOW_WRITE_EXEC)) {
		zassert_is_null(wx, "RW|EXEC anonymous map accepted");
		EXPECT_REFUSED(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC),
			       -EINVAL);
		EXPECT_REFUSED(k_mem_map_phys_bare(&bare, buf_phys(), PAGE,
						   K_MEM_PERM_RW | K_MEM_PERM_EXEC),
			       -EINVAL);
		zassert_is_null(k_mem_map_phys_guard(buf_phys(), PAGE,
						     K_MEM_PERM_RW | K_MEM_PERM_EXEC, false));
		return;
	}
	zassert_not_null(wx, "RW|EXEC refused with CONFIG_MM_ALLOW_WRITE_EXEC");
	zassert_ok(k_mem_page_flags_get(wx, &flags));
	zassert_equal(flags & (K_MEM_PERM_RW | K_MEM_PERM_EXEC), K_MEM_PERM_RW | K_MEM_PERM_EXEC);
	zassert_ok(k_mem_update_flags(v, PAGE, K_MEM_PERM_RW | K_MEM_PERM_EXEC));
	zassert_ok(k_mem_unmap(wx, PAGE));
}
