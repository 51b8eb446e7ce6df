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
 *
 * The last region handed out (page-aligned, nothing allocated or freed
 * since) is remembered: while it lives it is exact by construction, and
 * freeing it returns the bits to what they were before its allocation, so
 * the next first fit of its size is that very region. Its free is
 * therefore deferred ("parked": bits still set, logically free) until an
 * allocation of the same size takes it back, which is where first fit
 * would have placed it anyway, or any other call clears its bits first.
 * A map and unmap of one size in a loop thus touches no bit at all, and
 * placement stays exactly top-down first fit.
 */
#include <arch/mm.h>
#include <mm_debug.h>
#include <sys/bitarray.h>
#include <virt_region.h>

#define WORDS         Z_BITARRAY_BUNDLES(K_MEM_VM_NUM_PAGES)
#define SUMMARY_WORDS Z_BITARRAY_SUMMARY(K_MEM_VM_NUM_PAGES)

/*
 * Allocated pages: a bit array, searched. Its words are named here so that
 * the common small allocation and free work on them directly; the bit
 * array's own (internal) calls do the rest.
 */
static uint32_t used_words[WORDS + 1U]; /* + a word never set: see bits_at() */
static uint32_t used_summary[SUMMARY_WORDS];
static sys_bitarray_t allocated_pages = {
	.num_bits = K_MEM_VM_NUM_PAGES,
	.num_bundles = WORDS,
	.bundles = used_words,
	.summary = used_summary,
};
/* Never searched, so without a summary: plain words. */
static uint32_t start_words[WORDS + 1U]; /* the first page of every region */
static uint32_t anon_words[WORDS];       /* the first page of every anonymous region */
/* start_words for the bit array's region test (which reads no summary). */
static const sys_bitarray_t start_view = {
	.num_bits = K_MEM_VM_NUM_PAGES,
	.num_bundles = WORDS,
	.bundles = start_words,
};

/* Regions that exist from boot and are never freed: the image, the scratch page. */
static size_t image_pages;
static size_t scratch_page;

/*
 * The last region handed out (see the top of the file). size == 0: none.
 * A live record is exact; a parked one is free, its bits not yet cleared.
 */
static struct {
	uintptr_t start; /* address of its first page */
	size_t size;     /* bytes */
	bool anon;
	bool parked;
} last;

static ALWAYS_INLINE size_t page_index(const void *addr)
{
	return ((uintptr_t)addr - K_MEM_VM_START) / K_MEM_PAGE_SIZE;
}

/* First bit of the run that covers pages [first, first + count). */
static ALWAYS_INLINE size_t run_offset(size_t first, size_t count)
{
	return K_MEM_VM_NUM_PAGES - first - count;
}

static ALWAYS_INLINE bool in_window(const void *addr, size_t size)
{
	uintptr_t start = (uintptr_t)addr;

	return start >= K_MEM_VM_START && start < K_MEM_VM_END && size != 0U &&
	       size <= K_MEM_VM_END - start;
}

static ALWAYS_INLINE bool page_bit(const uint32_t *words, size_t page)
{
	size_t bit = run_offset(page, 1);

	return (words[bit / 32U] & BIT(bit % 32U)) != 0U;
}

static ALWAYS_INLINE void page_bit_write(uint32_t *words, size_t page, bool value)
{
	size_t bit = run_offset(page, 1);

	if (value) {
		words[bit / 32U] |= BIT(bit % 32U);
	} else {
		words[bit / 32U] &= ~BIT(bit % 32U);
	}
}

void z_virt_region_init(uintptr_t image_end)
{
	/* From scratch, so a host harness can re-run init between inputs. */
	z_bitarray_write(&allocated_pages, K_MEM_VM_NUM_PAGES, 0, false);
	for (size_t i = 0; i < WORDS; i++) {
		start_words[i] = 0U;
		anon_words[i] = 0U;
	}
	last.size = 0;
	last.parked = false;
	image_pages = DIV_ROUND_UP(image_end - K_MEM_VM_START, K_MEM_PAGE_SIZE);
	scratch_page = page_index(ARCH_SCRATCH_PAGE);
	z_bitarray_write(&allocated_pages, image_pages, run_offset(0, image_pages), true);
	page_bit_write(start_words, 0, true);
	z_bitarray_write(&allocated_pages, 1, run_offset(scratch_page, 1), true);
	page_bit_write(start_words, scratch_page, true);
}

/* The lowest set bit of a non-zero word. */
static ALWAYS_INLINE size_t ctz(uint32_t value)
{
	return (size_t)__builtin_ctz(value);
}

/*
 * Bit i of the result is set when bits i .. i + k - 1 of free are all set
 * (1 <= k <= 32): the tested length doubles each step.
 */
static ALWAYS_INLINE uint32_t run_starts(uint32_t free, size_t k)
{
	uint32_t m = free;

	for (size_t have = 1U; have < k;) {
		size_t step = MIN(have, k - have);

		m &= m >> step;
		have += step;
	}
	return m;
}

/*
 * First fit of k <= 32 pages when it lies inside the first word that is not
 * full, the common case: a run inside that word starts below any run that
 * crosses into the next, and every word before it is full, so this is the
 * bit array's own first fit without its general loop. false: not that case
 * (the caller asks the bit array, whose search can start at *full_below).
 */
static ALWAYS_INLINE bool alloc_small(size_t k, size_t *offset, size_t *full_below)
{
	size_t s = 0;
	uint32_t not_full;

	while ((not_full = ~used_summary[s]) == 0U) {
		if (++s == SUMMARY_WORDS) {
			*full_below = K_MEM_VM_NUM_PAGES;
			return false;
		}
	}

	size_t w = s * 32U + ctz(not_full);

	*full_below = MIN(w * 32U, (size_t)K_MEM_VM_NUM_PAGES); /* every bit below is set */

	if (w >= WORDS || (K_MEM_VM_NUM_PAGES % 32U != 0U && w + 1U == WORDS)) {
		return false; /* every word full, or the last, with bits past the array */
	}

	uint32_t used = used_words[w];
	uint32_t run = UINT32_MAX >> (32U - (unsigned int)k); /* k ones */
	unsigned int bit = (unsigned int)__builtin_ctz(~used);

	/* Usually the run starts at the lowest free bit: then no search. */
	if (((~used >> bit) & run) != run) {
		uint32_t starts = run_starts(~used, k);

		if (starts == 0U) {
			return false;
		}
		bit = (unsigned int)__builtin_ctz(starts);
	}

	used |= run << bit;
	used_words[w] = used;
	if (used == UINT32_MAX) {
		used_summary[w / 32U] |= BIT(w % 32U);
	}
	*offset = w * 32U + bit;
	return true;
}

/* Clear k <= 32 allocated bits from bit off on: at most two words, neither full after. */
static ALWAYS_INLINE void free_small(size_t k, size_t off)
{
	size_t w = off / 32U;
	uint64_t mask = BIT64_MASK(k) << (off % 32U);

	used_words[w] &= ~(uint32_t)mask;
	used_summary[w / 32U] &= ~BIT(w % 32U);
	if ((mask >> 32) != 0U) {
		w++;
		used_words[w] &= ~(uint32_t)(mask >> 32);
		used_summary[w / 32U] &= ~BIT(w % 32U);
	}
}

/* Clear the bits of the region [first, first + pages): its free. */
static ALWAYS_INLINE void clear_region(size_t first, size_t pages)
{
	size_t off = run_offset(first, pages);

	if (pages <= 32U) {
		free_small(pages, off);
	} else {
		z_bitarray_write(&allocated_pages, pages, off, false); /* out of line */
	}
	page_bit_write(start_words, first, false);
	page_bit_write(anon_words, first, false);
}

/* The parked region's bits cleared: the state every call but a take-back expects. */
static __noinline void unpark(void)
{
	clear_region(page_index((void *)last.start), last.size / K_MEM_PAGE_SIZE);
	last.size = 0;
	last.parked = false;
}

static ALWAYS_INLINE void settle(void)
{
	if (last.parked) {
		unpark();
	}
}

/*
 * Where a page-aligned first fit of size bytes lands when a region is
 * parked: the parked region itself if it has that size (it is made live
 * again, of the kind asked for), else nowhere known (NULL: its bits are
 * cleared and the caller searches).
 */
static ALWAYS_INLINE void *take_parked(size_t size, bool anon)
{
	if (!last.parked) {
		return NULL;
	}
	if (last.size != size) {
		unpark();
		return NULL;
	}
	last.parked = false;
	if (last.anon != anon) {
		page_bit_write(anon_words, page_index((void *)last.start), anon);
		last.anon = anon;
	}
	return (void *)last.start;
}

/* A page-aligned region was just allocated by first fit: the last one. */
static ALWAYS_INLINE void remember(void *region, size_t size, bool anon)
{
	last.start = (uintptr_t)region;
	last.size = size;
	last.anon = anon;
}

/* Whether [addr, addr + size) is the remembered region (live or parked). */
static ALWAYS_INLINE bool is_last(const void *addr, size_t size)
{
	return last.start == (uintptr_t)addr && last.size == size && size != 0U;
}

/*
 * Every caller holds the interrupt lock and passes pages of the window, so
 * the bit-array calls are the internal ones (z_bitarray_*()), without the
 * public calls' own lock and range checks. This is the general case: any
 * size, any alignment, a search of the whole array.
 */
static __noinline void *alloc_general(size_t size, size_t align, size_t full_below)
{
	size_t pages = size / K_MEM_PAGE_SIZE;
	/* Extra pages that guarantee an aligned start. */
	size_t slack = align / K_MEM_PAGE_SIZE - 1U;
	size_t run = pages + slack;
	size_t offset;

	if (pages == 0U || pages > K_MEM_VM_NUM_PAGES - slack ||
	    !z_bitarray_alloc(&allocated_pages, run, full_below, &offset)) {
		return NULL;
	}

	/* Pages of the run found, lowest first; keep its highest aligned part. */
	size_t run_first = K_MEM_VM_NUM_PAGES - offset - run;
	uintptr_t run_top = K_MEM_VM_START + (run_first + run) * K_MEM_PAGE_SIZE;
	size_t first = page_index((void *)ROUND_DOWN(run_top - size, align));

	if (first > run_first) {
		z_bitarray_write(&allocated_pages, first - run_first,
				 run_offset(run_first, first - run_first), false);
	}
	if (run_first + run > first + pages) {
		size_t tail = run_first + run - (first + pages);

		z_bitarray_write(&allocated_pages, tail, run_offset(first + pages, tail), false);
	}
	page_bit_write(start_words, first, true);
	return (void *)(K_MEM_VM_START + first * K_MEM_PAGE_SIZE);
}

void *z_virt_region_alloc(size_t size, size_t align)
{
	size_t pages = size / K_MEM_PAGE_SIZE;
	size_t offset;
	size_t full_below = 0; /* every bit below it is set */
	void *region;

	__ASSERT(size % K_MEM_PAGE_SIZE == 0U && align % K_MEM_PAGE_SIZE == 0U && align != 0U,
		 "size 0x%zx align 0x%zx", size, align);
	if (align != K_MEM_PAGE_SIZE) {
		settle();
		region = alloc_general(size, align, full_below);
		if (region != NULL) {
			last.size = 0; /* not first fit of its size: nothing to remember */
		}
		return region;
	}
	region = take_parked(size, false);
	if (region != NULL) {
		return region;
	}
	if (pages - 1U < 32U && alloc_small(pages, &offset, &full_below)) {
		size_t first = K_MEM_VM_NUM_PAGES - offset - pages;

		page_bit_write(start_words, first, true);
		region = (void *)(K_MEM_VM_START + first * K_MEM_PAGE_SIZE);
	} else {
		region = alloc_general(size, align, full_below);
	}
	if (region != NULL) {
		remember(region, size, false);
	}
	return region;
}

static __noinline void *alloc_anon_search(size_t size)
{
	size_t pages = size / K_MEM_PAGE_SIZE;
	size_t offset;
	size_t full_below = 0;
	uint8_t *region;

	settle();
	if (pages - 1U < 32U && alloc_small(pages, &offset, &full_below)) {
		size_t first = K_MEM_VM_NUM_PAGES - offset - pages;

		/* The start and anonymous bits are the same bit of two words. */
		page_bit_write(start_words, first, true);
		page_bit_write(anon_words, first, true);
		region = (uint8_t *)(K_MEM_VM_START + first * K_MEM_PAGE_SIZE);
	} else {
		region = alloc_general(size, K_MEM_PAGE_SIZE, full_below);
		if (region == NULL) {
			return NULL;
		}
		page_bit_write(anon_words, page_index(region), true);
	}
	remember(region, size, true);
	return region;
}

void *z_virt_region_alloc_anon(size_t size)
{
	if (last.parked && last.size == size) {
		return take_parked(size, true); /* where first fit lands: see the top */
	}
	return alloc_anon_search(size);
}

bool z_virt_region_is_allocated(const void *addr, size_t size)
{
	settle();
	return in_window(addr, size) && size % K_MEM_PAGE_SIZE == 0U &&
	       z_bitarray_is(&allocated_pages, size / K_MEM_PAGE_SIZE,
			     run_offset(page_index(addr), size / K_MEM_PAGE_SIZE), true);
}

/* 64 bits from word w on: the word after the last is always 0. */
static ALWAYS_INLINE uint64_t bits_at(const uint32_t *words, size_t w)
{
	return words[w] | (uint64_t)words[w + 1U] << 32;
}

/*
 * The exactness test of a region of at most 32 pages below the window's
 * last page, in one 64-bit read of each bit array: bits [off - 1, off + 63)
 * cover the page after the region (bit off - 1) and the region's own bits
 * [off, off + pages), its first page at the top.
 */
static ALWAYS_INLINE bool small_region_is_exact(size_t off, size_t pages)
{
	size_t lo = off - 1U;
	uint64_t used = bits_at(used_words, lo / 32U) >> (lo % 32U);
	uint64_t starts = bits_at(start_words, lo / 32U) >> (lo % 32U);
	uint64_t region = BIT64_MASK(pages) << 1;

	/* All allocated, its start at the first page and none inside; the page
	 * after it free or the start of another region (else it goes on).
	 */
	return (used & region) == region && (starts & region) == BIT64(pages) &&
	       ((used & 1U) == 0U || (starts & 1U) != 0U);
}

/* z_virt_region_is_exact() of a region of more than 32 pages, or ending at the window's top. */
static __noinline bool large_region_is_exact(size_t first, size_t pages, size_t off)
{
	if (!z_bitarray_is(&allocated_pages, pages, off, true) || !page_bit(start_words, first)) {
		return false; /* not all allocated, or does not start a region */
	}
	if (pages > 1U && !z_bitarray_is(&start_view, pages - 1U, off, false)) {
		return false; /* spans the start of another region */
	}
	if (off == 0U || !page_bit(used_words, first + pages)) {
		return true;
	}
	return page_bit(start_words, first + pages); /* else the region goes on: too small */
}

/* Not the remembered region: the bits decide (a parked region cleared first). */
static ALWAYS_INLINE bool is_exact(const void *addr, size_t size)
{
	settle();
	if (!in_window(addr, size) || ((uintptr_t)addr | size) % K_MEM_PAGE_SIZE != 0U) {
		return false;
	}

	size_t first = page_index(addr);
	size_t pages = size / K_MEM_PAGE_SIZE;
	size_t off = run_offset(first, pages);

	if (first < image_pages || first == scratch_page) {
		return false; /* permanent */
	}
	if (pages <= 32U && off > 0U) {
		return small_region_is_exact(off, pages);
	}
	return large_region_is_exact(first, pages, off);
}

bool z_virt_region_is_exact(const void *addr, size_t size)
{
	if (is_last(addr, size)) {
		return !last.parked; /* parked: already freed */
	}
	return is_exact(addr, size);
}

static __noinline int exact_kind_search(const void *addr, size_t size)
{
	if (!is_exact(addr, size)) {
		return -1;
	}
	return page_bit(anon_words, page_index(addr)) ? 1 : 0;
}

int z_virt_region_exact_kind(const void *addr, size_t size)
{
	if (is_last(addr, size)) {
		return last.parked ? -1 : (int)last.anon; /* parked: already freed */
	}
	return exact_kind_search(addr, size);
}

static __noinline void free_bits(void *addr, size_t size)
{
	size_t first = page_index(addr);
	size_t pages = size / K_MEM_PAGE_SIZE;

	settle();
	__ASSERT(z_bitarray_is(&allocated_pages, pages, run_offset(first, pages), true),
		 "%p+0x%zx is not allocated", addr, size);
	clear_region(first, pages);
	last.size = 0; /* a hole: the next first fit may land in it */
}

void z_virt_region_free(void *addr, size_t size)
{
	/* Callers checked z_virt_region_is_exact(). */
	if (is_last(addr, size)) {
		__ASSERT(!last.parked, "%p+0x%zx is free", addr, size);
		last.parked = true; /* see the top of the file */
		return;
	}
	free_bits(addr, size);
}

void z_virt_region_mark_anon(void *addr)
{
	page_bit_write(anon_words, page_index(addr), true);
	if (last.start == (uintptr_t)addr) {
		last.anon = true;
	}
}

bool z_virt_region_is_anon(const void *addr)
{
	settle();
	return page_bit(anon_words, page_index(addr));
}

#ifdef CONFIG_MM_INVARIANTS
void z_virt_region_page_bits(size_t page, struct z_virt_page_bits *bits)
{
	settle();
	*bits = (struct z_virt_page_bits){
		.allocated = page_bit(used_words, page),
		.region_start = page_bit(start_words, page),
		.anon = page_bit(anon_words, page),
	};
}
#endif /* CONFIG_MM_INVARIANTS */

uint32_t z_virt_region_digest(uint32_t hash)
{
	settle();
	for (size_t i = 0; i < WORDS; i++) {
		hash = z_mm_hash(hash, used_words[i]);
		hash = z_mm_hash(hash, start_words[i]);
		hash = z_mm_hash(hash, anon_words[i]);
	}
	return hash;
}

/*
 * For the fault report: walk the bits from the page to its region's start
 * and end, so the cost is the region's size, never the window's. Changes
 * nothing (a parked region reads as free) and reads the words without the
 * bit-array lock: the fault handler may interrupt a memory-manager call,
 * and a torn region only makes the answer imprecise, while the walk still
 * stops at a free page or the window's ends.
 */
bool z_virt_region_lookup(const void *addr, struct z_virt_region_span *span)
{
	*span = (struct z_virt_region_span){.owner = Z_VIRT_REGION_FREE};
	if (!in_window(addr, 1)) {
		return false;
	}

	size_t page = page_index(addr);

	if (!page_bit(used_words, page) ||
	    (last.parked && (uintptr_t)addr - last.start < last.size)) {
		return true; /* free (a parked region is: its bits wait to be cleared) */
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

	while (!page_bit(start_words, first) && first > image_pages &&
	       page_bit(used_words, first - 1U)) {
		first--;
	}
	while (end < K_MEM_VM_NUM_PAGES && page_bit(used_words, end) &&
	       !page_bit(start_words, end)) {
		end++;
	}
	span->owner = Z_VIRT_REGION_MAPPING;
	span->start = (uint8_t *)K_MEM_VM_START + first * K_MEM_PAGE_SIZE;
	span->size = (end - first) * K_MEM_PAGE_SIZE;
	span->anon = page_bit(anon_words, first);
	return true;
}
