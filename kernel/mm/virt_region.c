/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual regions of the kernel window: a bit per page, allocated
 * top-down, plus a bit per page marking where each region starts.
 *
 * Bit i of the allocation bitmap is the page (K_MEM_VM_NUM_PAGES - 1 - i),
 * so the bit array's first-fit search (a word at a time, skipping full
 * words through its summary level) finds the highest free run: mappings
 * grow down from the top of the window, away from the kernel image.
 *
 * The start bits make frees exact: a region is [start, end) with a start
 * bit at its first page, none inside, every page allocated, and the page
 * after it free or the start of another region.
 */
#include <arch/mm.h>
#include <mm_debug.h>
#include <sys/bitarray.h>
#include <virt_region.h>

SYS_BITARRAY_DEFINE_STATIC(allocated_pages, K_MEM_VM_NUM_PAGES);
SYS_BITARRAY_DEFINE_STATIC(region_starts, K_MEM_VM_NUM_PAGES);
/* Start bits of the regions that hold anonymous memory. */
SYS_BITARRAY_DEFINE_STATIC(anon_starts, K_MEM_VM_NUM_PAGES);

/* Regions that exist from boot and are never freed: the image, the scratch page. */
static size_t image_pages;
static size_t scratch_page;

static size_t page_index(const void *addr)
{
	return ((uintptr_t)addr - K_MEM_VM_START) / K_MEM_PAGE_SIZE;
}

/* First bit of the run that covers pages [first, first + count). */
static size_t run_offset(size_t first, size_t count)
{
	return K_MEM_VM_NUM_PAGES - first - count;
}

static bool in_window(const void *addr, size_t size)
{
	uintptr_t start = (uintptr_t)addr;

	return start >= K_MEM_VM_START && start < K_MEM_VM_END && size != 0U &&
	       size <= K_MEM_VM_END - start;
}

/*
 * Single bits straight in the words: the public bit-array calls lock
 * interrupts and validate every time, and the memory manager already holds
 * the lock and only passes pages of the window.
 */
static bool page_bit(const sys_bitarray_t *bits, size_t page)
{
	size_t bit = run_offset(page, 1);

	return (bits->bundles[bit / 32U] & BIT(bit % 32U)) != 0U;
}

static void page_bit_write(sys_bitarray_t *bits, size_t page, bool value)
{
	size_t bit = run_offset(page, 1);

	if (value) {
		bits->bundles[bit / 32U] |= BIT(bit % 32U);
	} else {
		bits->bundles[bit / 32U] &= ~BIT(bit % 32U);
	}
}

/* Only allocated_pages is searched, so only its summary must stay exact:
 * region_starts and anon_starts are read bit by bit.
 */
static void mark_region_start(size_t first)
{
	page_bit_write(&region_starts, first, true);
}

void z_virt_region_init(uintptr_t image_end)
{
	/* From scratch, so a host harness can re-run init between inputs. */
	(void)sys_bitarray_clear_region(&allocated_pages, K_MEM_VM_NUM_PAGES, 0);
	(void)sys_bitarray_clear_region(&region_starts, K_MEM_VM_NUM_PAGES, 0);
	(void)sys_bitarray_clear_region(&anon_starts, K_MEM_VM_NUM_PAGES, 0);
	image_pages = DIV_ROUND_UP(image_end - K_MEM_VM_START, K_MEM_PAGE_SIZE);
	scratch_page = page_index(ARCH_SCRATCH_PAGE);
	sys_bitarray_set_region(&allocated_pages, image_pages, run_offset(0, image_pages));
	mark_region_start(0);
	sys_bitarray_set_region(&allocated_pages, 1, run_offset(scratch_page, 1));
	mark_region_start(scratch_page);
}

void *z_virt_region_alloc(size_t size, size_t align)
{
	size_t pages = size / K_MEM_PAGE_SIZE;
	size_t align_pages = align / K_MEM_PAGE_SIZE;
	size_t slack = align_pages - 1U; /* extra pages that guarantee an aligned start */
	size_t offset;

	__ASSERT(size % K_MEM_PAGE_SIZE == 0U && align % K_MEM_PAGE_SIZE == 0U && align != 0U,
		 "size 0x%zx align 0x%zx", size, align);
	if (pages == 0U || pages > K_MEM_VM_NUM_PAGES - slack ||
	    sys_bitarray_alloc(&allocated_pages, pages + slack, &offset) != 0) {
		return NULL;
	}

	/* Pages of the run found, lowest first; keep its highest aligned part. */
	size_t run_first = K_MEM_VM_NUM_PAGES - offset - (pages + slack);
	uintptr_t run_top = K_MEM_VM_START + (run_first + pages + slack) * K_MEM_PAGE_SIZE;
	uintptr_t start = ROUND_DOWN(run_top - size, align);
	size_t first = page_index((void *)start);

	if (first > run_first) {
		sys_bitarray_free(&allocated_pages, first - run_first,
				  run_offset(run_first, first - run_first));
	}
	if (run_first + pages + slack > first + pages) {
		size_t tail = run_first + pages + slack - (first + pages);

		sys_bitarray_free(&allocated_pages, tail, run_offset(first + pages, tail));
	}
	mark_region_start(first);
	return (void *)start;
}

bool z_virt_region_is_allocated(const void *addr, size_t size)
{
	return in_window(addr, size) && size % K_MEM_PAGE_SIZE == 0U &&
	       sys_bitarray_is_region_set(&allocated_pages, size / K_MEM_PAGE_SIZE,
					  run_offset(page_index(addr), size / K_MEM_PAGE_SIZE));
}

bool z_virt_region_is_exact(const void *addr, size_t size)
{
	if (!z_virt_region_is_allocated(addr, size) || (uintptr_t)addr % K_MEM_PAGE_SIZE != 0U) {
		return false;
	}

	size_t first = page_index(addr);
	size_t pages = size / K_MEM_PAGE_SIZE;
	size_t next = first + pages;

	if (first < image_pages || first == scratch_page) {
		return false; /* permanent */
	}
	if (!page_bit(&region_starts, first)) {
		return false; /* does not start a region */
	}
	if (pages > 1U && !sys_bitarray_is_region_cleared(&region_starts, pages - 1U,
							  run_offset(first + 1U, pages - 1U))) {
		return false; /* spans the start of another region */
	}
	if (next == K_MEM_VM_NUM_PAGES || !page_bit(&allocated_pages, next)) {
		return true;
	}
	return page_bit(&region_starts, next); /* otherwise the region goes on: too small */
}

void z_virt_region_free(void *addr, size_t size)
{
	size_t first = page_index(addr);
	size_t pages = size / K_MEM_PAGE_SIZE;

	/* Callers checked z_virt_region_is_exact(); the bit array still refuses
	 * to free pages that are not all allocated.
	 */
	int ret = sys_bitarray_free(&allocated_pages, pages, run_offset(first, pages));

	__ASSERT(ret == 0, "%p+0x%zx is not allocated", addr, size);
	ARG_UNUSED(ret);
	page_bit_write(&region_starts, first, false);
	page_bit_write(&anon_starts, first, false);
}

void z_virt_region_mark_anon(void *addr)
{
	page_bit_write(&anon_starts, page_index(addr), true);
}

bool z_virt_region_is_anon(const void *addr)
{
	return page_bit(&anon_starts, page_index(addr));
}

#ifdef CONFIG_MM_INVARIANTS
void z_virt_region_page_bits(size_t page, struct z_virt_page_bits *bits)
{
	int allocated = 0;
	int start = 0;
	int anon = 0;

	sys_bitarray_test_bit(&allocated_pages, run_offset(page, 1), &allocated);
	sys_bitarray_test_bit(&region_starts, run_offset(page, 1), &start);
	sys_bitarray_test_bit(&anon_starts, run_offset(page, 1), &anon);
	*bits = (struct z_virt_page_bits){
		.allocated = allocated != 0,
		.region_start = start != 0,
		.anon = anon != 0,
	};
}
#endif /* CONFIG_MM_INVARIANTS */

uint32_t z_virt_region_digest(uint32_t hash)
{
	for (size_t i = 0; i < allocated_pages.num_bundles; i++) {
		hash = z_mm_hash(hash, allocated_pages.bundles[i]);
		hash = z_mm_hash(hash, region_starts.bundles[i]);
		hash = z_mm_hash(hash, anon_starts.bundles[i]);
	}
	return hash;
}

/*
 * For the fault report: walk the bits from the page to its region's start
 * and end, so the cost is the region's size, never the window's. Reads the
 * words without the bit-array lock: the fault handler may interrupt a
 * memory-manager call, and a torn region only makes the answer imprecise,
 * while the walk still stops at a free page or the window's ends.
 */
bool z_virt_region_lookup(const void *addr, struct z_virt_region_span *span)
{
	*span = (struct z_virt_region_span){.owner = Z_VIRT_REGION_FREE};
	if (!in_window(addr, 1)) {
		return false;
	}

	size_t page = page_index(addr);

	if (!page_bit(&allocated_pages, page)) {
		return true;
	}
	if (page < image_pages) {
		span->owner = Z_VIRT_REGION_IMAGE;
		span->start = (uint8_t *)K_MEM_VM_START;
		span->size = image_pages * K_MEM_PAGE_SIZE;
		return true;
	}
	if (page == scratch_page) {
		span->owner = Z_VIRT_REGION_SCRATCH;
		span->start = ARCH_SCRATCH_PAGE;
		span->size = K_MEM_PAGE_SIZE;
		return true;
	}

	size_t first = page;
	size_t end = page + 1U;

	while (!page_bit(&region_starts, first) && first > image_pages &&
	       page_bit(&allocated_pages, first - 1U)) {
		first--;
	}
	while (end < K_MEM_VM_NUM_PAGES && page_bit(&allocated_pages, end) &&
	       !page_bit(&region_starts, end)) {
		end++;
	}
	span->owner = Z_VIRT_REGION_MAPPING;
	span->start = (uint8_t *)K_MEM_VM_START + first * K_MEM_PAGE_SIZE;
	span->size = (end - first) * K_MEM_PAGE_SIZE;
	span->anon = page_bit(&anon_starts, first);
	return true;
}
