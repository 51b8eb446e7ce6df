/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host stand-ins for the eviction-algorithm tests (see eviction_fake.h).
 */
#include <eviction_fake.h>
#include <string.h>
#include <ztest.h>

#define VM_PAGES K_MEM_VM_NUM_PAGES
#define PAGE     K_MEM_PAGE_SIZE

/* The frame database the algorithms index (page_frames.c is not linked). */
struct k_mem_page_frame k_mem_page_frames[K_MEM_NUM_PAGE_FRAMES];

/* One fake page-table entry per page of the window. */
static struct {
	size_t frame; /* index + 1 of the frame mapped here, 0: none */
	bool present;
	bool accessed;
	bool dirty;
	bool sticky; /* accessed cannot be cleared */
} pages[VM_PAGES];

static bool in_set[T_FRAMES];
static size_t set_count;
unsigned long fake_lookups;
static uint32_t rng = 1;

/* 5 is odd, so i -> 5 i + 11 is one-to-one modulo the (power of two) page count. */
BUILD_ASSERT(IS_POWER_OF_TWO(VM_PAGES) && T_FRAMES <= VM_PAGES);

/* The page frame i holds: its home page, or the one fake_map_page() gave it. */
static size_t frame_page[T_FRAMES];

static size_t home_page(size_t i)
{
	return (i * 5U + 11U) % VM_PAGES;
}

static size_t page_of(size_t i)
{
	return frame_page[i];
}

void *fake_virt(size_t i)
{
	return (void *)(K_MEM_VM_START + page_of(i) * PAGE);
}

uintptr_t fake_phys(size_t i)
{
	return K_MEM_PHYS_RAM_START + i * PAGE;
}

struct k_mem_page_frame *fake_pf(size_t i)
{
	return &k_mem_page_frames[i];
}

size_t fake_index(const struct k_mem_page_frame *pf)
{
	zassert_true(pf >= k_mem_page_frames && pf < &k_mem_page_frames[T_FRAMES],
		     "%p is not a frame record", (const void *)pf);
	return (size_t)(pf - k_mem_page_frames);
}

void fake_reset(void)
{
	for (size_t i = 0; i < T_FRAMES; i++) {
		k_mem_page_frames[i].va_and_flags = K_MEM_PAGE_FRAME_FREE;
		frame_page[i] = home_page(i);
	}
	memset(pages, 0, sizeof(pages));
	memset(in_set, 0, sizeof(in_set));
	set_count = 0;
	fake_lookups = 0;
}

void fake_map(size_t i)
{
	fake_map_page(i, home_page(i));
}

void fake_map_page(size_t i, size_t p)
{
	zassert_true(p < VM_PAGES && (pages[p].frame == 0U || pages[p].frame == i + 1U),
		     "page %zu is not free for frame %zu", p, i);
	if (pages[frame_page[i]].frame == i + 1U) {
		pages[frame_page[i]].frame = 0; /* the page the frame held is paged out */
	}
	frame_page[i] = p;

	k_mem_page_frames[i].va_and_flags = 0;
	k_mem_page_frame_mapped_set(&k_mem_page_frames[i], fake_virt(i));
	k_mem_page_frame_set(&k_mem_page_frames[i], K_MEM_PAGE_FRAME_BACKED);
	pages[p].frame = i + 1U;
	pages[p].present = true;
	pages[p].accessed = false;
	pages[p].dirty = false;
	pages[p].sticky = false;
}

void fake_set_accessed(size_t i, bool accessed)
{
	pages[page_of(i)].accessed = accessed;
}

bool fake_accessed(size_t i)
{
	return pages[page_of(i)].accessed;
}

void fake_set_dirty(size_t i, bool dirty)
{
	pages[page_of(i)].dirty = dirty;
}

bool fake_dirty(size_t i)
{
	return pages[page_of(i)].dirty;
}

void fake_set_sticky(size_t i, bool sticky)
{
	pages[page_of(i)].sticky = sticky;
	pages[page_of(i)].accessed |= sticky;
}

bool fake_sticky(size_t i)
{
	return pages[page_of(i)].sticky;
}

void fake_set_present(size_t i, bool present)
{
	pages[page_of(i)].present = present;
}

unsigned long fake_lookups_take(void)
{
	unsigned long n = fake_lookups;

	fake_lookups = 0;
	return n;
}

uintptr_t arch_page_info_get(void *addr, uintptr_t *location, bool clear_accessed)
{
	uintptr_t va = (uintptr_t)addr;
	uintptr_t info;
	size_t p, i;

	fake_lookups++;
	zassert_true(va >= K_MEM_VM_START && va < K_MEM_VM_END && va % PAGE == 0U,
		     "lookup of %p, not a page of the window", addr);
	p = (va - K_MEM_VM_START) / PAGE;
	if (pages[p].frame == 0U) {
		return ARCH_DATA_PAGE_NOT_MAPPED;
	}
	i = pages[p].frame - 1U;
	zassert_true(in_set[i], "lookup of frame %zu, which is not evictable", i);
	if (!pages[p].present) {
		if (location != NULL) {
			*location = 0x5000; /* a backing-store location */
		}
		return 0;
	}
	info = ARCH_DATA_PAGE_LOADED;
	if (pages[p].accessed) {
		info |= ARCH_DATA_PAGE_ACCESSED;
	}
	if (pages[p].dirty) {
		info |= ARCH_DATA_PAGE_DIRTY;
	}
	if (location != NULL) {
		*location = fake_phys(i);
	}
	if (clear_accessed) {
		pages[p].accessed = pages[p].sticky;
	}
	return info;
}

void t_add(size_t i)
{
	k_mem_paging_eviction_add(fake_pf(i));
	if (!in_set[i]) {
		in_set[i] = true;
		set_count++;
	}
}

void t_remove(size_t i)
{
	if (in_set[i]) {
		in_set[i] = false;
		set_count--;
	}
	k_mem_paging_eviction_remove(fake_pf(i));
}

bool t_in_set(size_t i)
{
	return in_set[i];
}

size_t t_set_count(void)
{
	return set_count;
}

void t_seed(uint32_t seed)
{
	rng = (seed == 0U) ? 1U : seed;
}

uint32_t t_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

size_t t_below(size_t n)
{
	return (size_t)(t_random() % (uint32_t)n);
}
