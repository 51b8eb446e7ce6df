/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fuzzer's reference model of the memory-management API: what each
 * page of the kernel window is (free, image, scratch, guard, anonymous,
 * physical mapping), its permissions, whether it is pinned, and what its
 * bytes must read as. It is written from the API's documentation
 * (include/kernel/mm.h, include/kernel/mm/demand_paging.h), never from the
 * kernel's records, so a disagreement is a finding.
 */
#ifndef PAGODA_TESTS_FUZZ_MM_MODEL_H
#define PAGODA_TESTS_FUZZ_MM_MODEL_H

#include <host_mmu.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE       HOST_PAGE
#define VM_PAGES   HOST_VM_PAGES
#define NUM_FRAMES (HOST_RAM_SIZE / HOST_PAGE)
#define NHANDLES   16

enum owner { OWN_FREE, OWN_IMAGE, OWN_SCRATCH, OWN_GUARD, OWN_ANON, OWN_PHYS };
enum kind { KIND_ANON, KIND_PHYS_GUARD, KIND_PHYS_BARE };
enum access_kind { ACC_READ, ACC_WRITE, ACC_EXEC };
enum expect { EXPECT_FAULT, EXPECT_ALLOW, EXPECT_UNKNOWN };
/* Physical memory behind a PHYS page: the model's own (reserved frames and
 * device memory, contents tracked), open bus (0xFF), or RAM the kernel
 * manages (never written by the fuzzer, contents not checked).
 */
enum phys_class { PHYS_OWNED, PHYS_OPEN_BUS, PHYS_KERNEL };

struct mpage {
	uint8_t owner;
	uint8_t handle;   /* GUARD, ANON, PHYS: the mapping's handle */
	bool pinned;      /* ANON: K_MEM_MAP_LOCK or k_mem_pin(), not unpinned since */
	uint32_t perms;   /* K_MEM_PERM_RW | K_MEM_PERM_EXEC | cache mode */
	uintptr_t phys;   /* PHYS: the page's physical address */
	uint32_t tag;     /* ANON: the last tag written (page << 16 | generation), 0: none */
	uint16_t tag_off; /* where in the page */
};

/* A mapping the fuzzer made: live, or stale (unmapped, kept for misuse). */
struct handle {
	bool used; /* ever mapped: the fields below mean something */
	bool live;
	uint8_t kind;
	uintptr_t va;   /* as returned (a physical mapping's keeps phys's page offset) */
	size_t size;    /* as passed */
	uintptr_t phys; /* physical kinds: as passed */
	uint32_t flags;
	size_t first; /* the region's first page (guards included) */
	size_t pages; /* the region's pages (guards included) */
};

extern struct mpage model_pages[VM_PAGES];
extern struct handle handles[NHANDLES];

void model_reset(void);
size_t model_page_index(uintptr_t va);
uintptr_t model_page_va(size_t index);
bool model_in_window(uintptr_t va);
/* Is there a free run of pages pages (what the region allocator needs)? */
bool model_free_run(size_t pages);

/* The kernel's shared zero frames, which no physical mapping may cover. */
void model_set_zero_frames(uintptr_t a, uintptr_t b);
bool model_covers_zero_frame(uintptr_t phys, size_t size);
bool model_covers_owned_ram(uintptr_t phys, size_t size, uint32_t flags);

/* The API's argument checks: 0, -EINVAL or -ENOTSUP. */
int model_check_flags(uint32_t flags, uint32_t allowed);
int model_check_map_args(uintptr_t phys, size_t size, uint32_t flags, bool is_anon);
int model_phys_cover(uintptr_t addr, size_t size, uintptr_t *aligned, size_t *aligned_size);
#define MODEL_PERM_FLAGS (K_MEM_PERM_RW | K_MEM_PERM_EXEC | K_MEM_PERM_USER)
#define MODEL_ANON_FLAGS (MODEL_PERM_FLAGS | K_MEM_MAP_UNINIT | K_MEM_MAP_LOCK)
#define MODEL_PHYS_FLAGS (MODEL_PERM_FLAGS | K_MEM_CACHE_MASK)

/* Record a new mapping in handle h; region [first, first + pages). */
void model_add(int h, enum kind kind, uintptr_t va, size_t size, uintptr_t phys, uint32_t flags,
	       size_t first, size_t pages);
/* The mapping of handle h is gone; the handle stays, stale. */
void model_remove(int h);
/* Expected result of the unmap calls; *h receives the live handle it undoes. */
int model_unmap_guard(uintptr_t addr, size_t size, bool is_anon, int *h);
int model_unmap_bare(uintptr_t virt, size_t size, int *h);

enum expect model_access(uintptr_t va, enum access_kind kind);
enum phys_class model_phys_class(uintptr_t phys);
/*
 * The bytes at [va, va + len) (one page): *known[i] false where the model
 * cannot say (uninitialized memory, kernel RAM, the image).
 */
void model_expected(uintptr_t va, size_t len, uint8_t *bytes, bool *known);
/* Fast path of model_expected(): true when got certainly matches. */
bool model_matches(uintptr_t va, const uint8_t *got, size_t len);
/* A write the hardware allowed: the model's bytes follow (aliases too). */
void model_write(uintptr_t va, const uint8_t *buf, size_t len);

#endif /* PAGODA_TESTS_FUZZ_MM_MODEL_H */
