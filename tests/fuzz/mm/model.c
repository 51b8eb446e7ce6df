/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference model (model.h): pages of the window, the fuzzer's
 * mappings, and the bytes they must hold.
 */
#include "model.h"

#include <arch/mm.h>
#include <errno.h>
#include <kernel/mm.h>
#include <string.h>
#include <sys/util.h>

struct mpage model_pages[VM_PAGES];
struct handle handles[NHANDLES];

/* Bytes of anonymous pages, by window page, and which of them are known. */
static uint8_t anon_bytes[VM_PAGES][PAGE];
static uint8_t anon_known[VM_PAGES][PAGE / 8];

/* Reserved frames, then device pages: the physical memory the model owns. */
#define OWNED_PAGES (HOST_RESERVED_FRAMES + HOST_DEV_SIZE / PAGE)
static uint8_t owned_bytes[OWNED_PAGES][PAGE];

static const uintptr_t reserved_base = HOST_RAM_BASE + HOST_RAM_SIZE - HOST_RESERVED_FRAMES * PAGE;

size_t model_page_index(uintptr_t va)
{
	return (va - HOST_VM_BASE) / PAGE;
}

uintptr_t model_page_va(size_t index)
{
	return HOST_VM_BASE + index * PAGE;
}

bool model_in_window(uintptr_t va)
{
	return va - HOST_VM_BASE < HOST_VM_SIZE;
}

void model_reset(void)
{
	memset(model_pages, 0, sizeof(model_pages));
	memset(handles, 0, sizeof(handles));
	for (size_t i = 0; i < HOST_IMAGE_PAGES; i++) {
		static const uint32_t perms[HOST_IMAGE_PAGES] = {K_MEM_PERM_EXEC, 0, K_MEM_PERM_RW,
								 K_MEM_PERM_RW};

		model_pages[i].owner = OWN_IMAGE;
		model_pages[i].perms = perms[i];
	}
	model_pages[VM_PAGES - 1].owner = OWN_SCRATCH;
	/* host_mmu_reset() zeroes the reserved frames and the device memory. */
	memset(owned_bytes, 0, sizeof(owned_bytes));
}

bool model_free_run(size_t pages)
{
	size_t run = 0;

	for (size_t i = 0; i < VM_PAGES; i++) {
		run = model_pages[i].owner == OWN_FREE ? run + 1U : 0U;
		if (run >= pages && pages != 0U) {
			return true;
		}
	}
	return false;
}

static uintptr_t zero_frames[2];

void model_set_zero_frames(uintptr_t a, uintptr_t b)
{
	zero_frames[0] = a;
	zero_frames[1] = b;
}

bool model_covers_zero_frame(uintptr_t phys, size_t size)
{
	return zero_frames[0] - phys < size || zero_frames[1] - phys < size;
}

int model_check_flags(uint32_t flags, uint32_t allowed)
{
	if ((flags & ~allowed) != 0U || (flags & K_MEM_CACHE_MASK) > K_MEM_CACHE_NONE) {
		return -EINVAL;
	}
	if ((flags & K_MEM_PERM_USER) != 0U) {
		return -ENOTSUP;
	}
	/* W^X */
	if ((flags & (K_MEM_PERM_RW | K_MEM_PERM_EXEC)) == (K_MEM_PERM_RW | K_MEM_PERM_EXEC) &&
	    !IS_ENABLED(CONFIG_MM_ALLOW_WRITE_EXEC)) {
		return -EINVAL;
	}
	return 0;
}

/*
 * RAM a physical mapping may not alias: every frame the memory manager
 * hands out (neither image nor reserved), and the image's text and rodata
 * (its first two pages) writable.
 */
bool model_covers_owned_ram(uintptr_t phys, size_t size, uint32_t flags)
{
	const uintptr_t reserved = HOST_RAM_BASE + HOST_RAM_SIZE - HOST_RESERVED_FRAMES * PAGE;

	for (uintptr_t pos = phys; pos - phys < size; pos += PAGE) {
		size_t frame = (pos - HOST_RAM_BASE) / PAGE;

		if (pos - HOST_RAM_BASE >= HOST_RAM_SIZE || pos >= reserved) {
			continue;
		}
		if (frame >= HOST_IMAGE_PAGES || (frame < 2U && (flags & K_MEM_PERM_RW) != 0U)) {
			return true;
		}
	}
	return false;
}

int model_check_map_args(uintptr_t phys, size_t size, uint32_t flags, bool is_anon)
{
	int ret;

	if (is_anon) {
		if ((flags & K_MEM_PERM_USER) != 0U && (flags & K_MEM_MAP_UNINIT) != 0U) {
			return -EINVAL;
		}
		ret = model_check_flags(flags, MODEL_ANON_FLAGS);
	} else {
		ret = model_check_flags(flags, MODEL_PHYS_FLAGS);
		if (ret == 0 &&
		    (phys % PAGE != 0U || (size != 0U && size - 1U > UINTPTR_MAX - phys))) {
			ret = -EINVAL;
		}
	}
	if (ret == 0 && (size == 0U || size % PAGE != 0U || size > HOST_VM_SIZE - 2U * PAGE)) {
		ret = -EINVAL;
	}
	if (ret == 0 && !is_anon &&
	    (phys + (size - 1U) > HOST_PHYS_MAX || model_covers_zero_frame(phys, size) ||
	     model_covers_owned_ram(phys, size, flags))) {
		ret = -EINVAL;
	}
	return ret;
}

int model_phys_cover(uintptr_t addr, size_t size, uintptr_t *aligned, size_t *aligned_size)
{
	if (size == 0U || size - 1U > UINTPTR_MAX - addr || size > HOST_VM_SIZE - PAGE) {
		return -EINVAL;
	}
	*aligned = ROUND_DOWN(addr, PAGE);
	*aligned_size = ROUND_UP(size + (addr - *aligned), PAGE);
	return 0;
}

void model_add(int h, enum kind kind, uintptr_t va, size_t size, uintptr_t phys, uint32_t flags,
	       size_t first, size_t pages)
{
	bool guarded = kind != KIND_PHYS_BARE;
	uint32_t perms = flags & (K_MEM_PERM_RW | K_MEM_PERM_EXEC |
				  (kind == KIND_ANON ? 0U : (uint32_t)K_MEM_CACHE_MASK));

	handles[h] = (struct handle){
		.used = true,
		.live = true,
		.kind = (uint8_t)kind,
		.va = va,
		.size = size,
		.phys = phys,
		.flags = flags,
		.first = first,
		.pages = pages,
	};
	for (size_t i = 0; i < pages; i++) {
		struct mpage *p = &model_pages[first + i];
		bool guard = guarded && (i == 0U || i == pages - 1U);

		*p = (struct mpage){.owner = guard ? OWN_GUARD
						   : (kind == KIND_ANON ? OWN_ANON : OWN_PHYS),
				    .handle = (uint8_t)h,
				    .perms = perms};
		if (guard) {
			continue;
		}
		if (kind == KIND_ANON) {
			p->pinned = (flags & K_MEM_MAP_LOCK) != 0U;
			memset(anon_bytes[first + i], 0, PAGE);
			memset(anon_known[first + i], (flags & K_MEM_MAP_UNINIT) != 0U ? 0 : 0xFF,
			       PAGE / 8);
		} else {
			p->phys = ROUND_DOWN(phys, PAGE) + (i - (guarded ? 1U : 0U)) * PAGE;
		}
	}
}

void model_remove(int h)
{
	struct handle *m = &handles[h];

	for (size_t i = 0; i < m->pages; i++) {
		model_pages[m->first + i] = (struct mpage){.owner = OWN_FREE};
	}
	m->live = false;
}

int model_unmap_guard(uintptr_t addr, size_t size, bool is_anon, int *h)
{
	if (addr % PAGE != 0U || addr < HOST_VM_BASE + PAGE || size == 0U || size % PAGE != 0U ||
	    size > HOST_VM_SIZE - 2U * PAGE) {
		return -EINVAL;
	}
	for (int i = 0; i < NHANDLES; i++) {
		const struct handle *m = &handles[i];

		if (m->live && m->kind == (is_anon ? KIND_ANON : KIND_PHYS_GUARD) &&
		    m->va == addr && m->size == size) {
			*h = i;
			return 0;
		}
	}
	return -EINVAL;
}

int model_unmap_bare(uintptr_t virt, size_t size, int *h)
{
	uintptr_t start;
	size_t aligned_size;

	if (model_phys_cover(virt, size, &start, &aligned_size) != 0) {
		return -EINVAL;
	}
	/* Only what k_mem_map_phys_bare() made: guarded regions are refused. */
	for (int i = 0; i < NHANDLES; i++) {
		const struct handle *m = &handles[i];

		if (m->live && m->kind == KIND_PHYS_BARE && model_page_va(m->first) == start &&
		    m->pages * PAGE == aligned_size) {
			*h = i;
			return 0;
		}
	}
	return -EINVAL;
}

enum expect model_access(uintptr_t va, enum access_kind kind)
{
	if (!model_in_window(va)) {
		return EXPECT_FAULT;
	}

	const struct mpage *p = &model_pages[model_page_index(va)];

	switch (p->owner) {
	case OWN_FREE:
	case OWN_GUARD:
		return EXPECT_FAULT;
	case OWN_SCRATCH:
		return EXPECT_UNKNOWN; /* whatever frame the kernel used last */
	default:
		break;
	}
	switch (kind) {
	case ACC_WRITE:
		return (p->perms & K_MEM_PERM_RW) != 0U ? EXPECT_ALLOW : EXPECT_FAULT;
	case ACC_EXEC:
		return (p->perms & K_MEM_PERM_EXEC) != 0U ? EXPECT_ALLOW : EXPECT_FAULT;
	default:
		return EXPECT_ALLOW;
	}
}

static int owned_index(uintptr_t phys_page)
{
	if (phys_page - reserved_base < HOST_RESERVED_FRAMES * PAGE) {
		return (int)((phys_page - reserved_base) / PAGE);
	}
	if (phys_page - HOST_DEV_BASE < HOST_DEV_SIZE) {
		return (int)(HOST_RESERVED_FRAMES + (phys_page - HOST_DEV_BASE) / PAGE);
	}
	return -1;
}

enum phys_class model_phys_class(uintptr_t phys)
{
	uintptr_t page = ROUND_DOWN(phys, PAGE);

	if (owned_index(page) >= 0) {
		return PHYS_OWNED;
	}
	return phys - HOST_RAM_BASE < HOST_RAM_SIZE ? PHYS_KERNEL : PHYS_OPEN_BUS;
}

void model_expected(uintptr_t va, size_t len, uint8_t *bytes, bool *known)
{
	size_t index = model_page_index(va);
	size_t off = va % PAGE;
	const struct mpage *p = &model_pages[index];

	memset(known, 0, len);
	if (p->owner == OWN_ANON) {
		for (size_t i = 0; i < len; i++) {
			bytes[i] = anon_bytes[index][off + i];
			known[i] = (anon_known[index][(off + i) / 8] & BIT((off + i) % 8)) != 0U;
		}
	} else if (p->owner == OWN_PHYS) {
		switch (model_phys_class(p->phys)) {
		case PHYS_OWNED:
			memcpy(bytes, &owned_bytes[owned_index(p->phys)][off], len);
			memset(known, 1, len);
			break;
		case PHYS_OPEN_BUS:
			memset(bytes, 0xFF, len);
			memset(known, 1, len);
			break;
		default:
			break;
		}
	}
}

bool model_matches(uintptr_t va, const uint8_t *got, size_t len)
{
	size_t index = model_page_index(va);
	size_t off = va % PAGE;
	const struct mpage *p = &model_pages[index];

	switch (p->owner) {
	case OWN_ANON:
		/* Equal everywhere, so equal where known. */
		return memcmp(got, &anon_bytes[index][off], len) == 0;
	case OWN_PHYS:
		switch (model_phys_class(p->phys)) {
		case PHYS_OWNED:
			return memcmp(got, &owned_bytes[owned_index(p->phys)][off], len) == 0;
		case PHYS_OPEN_BUS:
			return got[0] == 0xFF && (len == 1U || memcmp(got, got + 1, len - 1U) == 0);
		default:
			return true;
		}
	default:
		return true; /* nothing known */
	}
}

void model_write(uintptr_t va, const uint8_t *buf, size_t len)
{
	size_t index = model_page_index(va);
	size_t off = va % PAGE;
	const struct mpage *p = &model_pages[index];

	if (p->owner == OWN_ANON) {
		memcpy(&anon_bytes[index][off], buf, len);
		for (size_t i = off; i < off + len; i++) {
			anon_known[index][i / 8] |= (uint8_t)BIT(i % 8);
		}
	} else if (p->owner == OWN_PHYS && model_phys_class(p->phys) == PHYS_OWNED) {
		memcpy(&owned_bytes[owned_index(p->phys)][off], buf, len);
	}
}
