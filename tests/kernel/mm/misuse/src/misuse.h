/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the misuse suites (one test per row of docs/MISUSE.md): the
 * checks every row makes and the mappings tests set up around a bad call.
 */
#ifndef MISUSE_H
#define MISUSE_H

#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <string.h>
#include <sys/errno.h>
#include <virt_region.h>
#include <ztest.h>

#define PAGE    ((size_t)CONFIG_MMU_PAGE_SIZE)
#define VM_SIZE ((size_t)CONFIG_KERNEL_VM_SIZE)

/* The first page past the window: never mapped. */
#define PAST_WINDOW ((uint8_t *)K_MEM_VM_END)
/* The highest page of the address space. */
#define TOP_PAGE    ((uint8_t *)ROUND_DOWN(UINTPTR_MAX, CONFIG_MMU_PAGE_SIZE))

/* Physical memory past RAM: no frame of the kernel's (with demand paging
 * a range over RAM would hold a shared zero frame, which is refused).
 */
#define PAST_RAM K_MEM_PHYS_RAM_END

/* Two frames of the image's .bss to alias. */
extern uint8_t misuse_buf[2 * CONFIG_MMU_PAGE_SIZE];
#define BUF_PHYS K_MEM_PHYS_ADDR(misuse_buf)

/*
 * Markers around each bad call: check_misuse.py gives the "<err> mm:" lines
 * between them to the row (exactly one per call, or none where the table
 * says none) and ignores what setup and cleanup print.
 */
#define MISUSE_BEGIN(text) printk("misuse-call: %s\n", text)
#define MISUSE_END()       printk("misuse-end\n")

/* Backing-store slots, part of what a failed call must not change. */
static inline size_t misuse_slots(void)
{
#ifdef CONFIG_DEMAND_PAGING
	return k_mem_paging_backing_store_free_get();
#else
	return 0;
#endif
}

#define Z_MISUSE_SNAPSHOT                                                                          \
	uint32_t digest_ = z_mm_state_digest();                                                    \
	size_t free_ = k_mem_free_get();                                                           \
	size_t slots_ = misuse_slots()

#define Z_MISUSE_UNCHANGED(text)                                                                   \
	do {                                                                                       \
		zassert_equal(k_mem_free_get(), free_, "%s changed the free memory", text);        \
		zassert_equal(misuse_slots(), slots_, "%s changed the free slots", text);          \
		zassert_equal(z_mm_state_digest(), digest_, "%s changed the state", text);         \
	} while (0)

/* call returns NULL and changes nothing. */
#define EXPECT_NULL(call)                                                                          \
	do {                                                                                       \
		Z_MISUSE_SNAPSHOT;                                                                 \
		MISUSE_BEGIN(#call);                                                               \
		void *ret_ = (call);                                                               \
		MISUSE_END();                                                                      \
		zassert_is_null(ret_, "%s returned %p", #call, ret_);                              \
		Z_MISUSE_UNCHANGED(#call);                                                         \
	} while (0)

/* call (shown as text) returns err (an int or a bool) and changes nothing. */
#define EXPECT_RET_TEXT(text, call, err)                                                           \
	do {                                                                                       \
		Z_MISUSE_SNAPSHOT;                                                                 \
		MISUSE_BEGIN(text);                                                                \
		int ret_ = (call);                                                                 \
		MISUSE_END();                                                                      \
		zassert_equal(ret_, (err), "%s returned %d, not %d", text, ret_, (int)(err));      \
		Z_MISUSE_UNCHANGED(text);                                                          \
	} while (0)

#define EXPECT_RET(call, err) EXPECT_RET_TEXT(#call, call, err)

/* call returns nothing and changes nothing. */
#define EXPECT_VOID(call)                                                                          \
	do {                                                                                       \
		Z_MISUSE_SNAPSHOT;                                                                 \
		MISUSE_BEGIN(#call);                                                               \
		call;                                                                              \
		MISUSE_END();                                                                      \
		Z_MISUSE_UNCHANGED(#call);                                                         \
	} while (0)

/*
 * Mappings a test makes, undone after it (passed, failed or faulted) by the
 * suite's after(), which also checks that no frame or slot leaked.
 */
void *made_anon(size_t size, uint32_t flags);
uint8_t *made_guard(uintptr_t phys, size_t size, uint32_t flags);
uintptr_t free_frame(void);
uint8_t *made_bare(uintptr_t phys, size_t size, uint32_t flags);
/* The test unmapped addr itself. */
void forget(const void *addr);
void misuse_cleanup(void);
void misuse_before(void *fixture);
void misuse_after(void *fixture);

/* Fill the window with physical mappings until not one page is left. */
void fill_window(void);
/* A page-aligned address in the window that no region holds. */
uint8_t *unmapped_va(void);
/* The byte a written() page is filled with (from its address). */
uint8_t pattern(const volatile void *page);
/* Anonymous pages filled with their pattern (each holds a frame). */
uint8_t *written(size_t pages);
/* The pattern is still there (the memory survived a bad call). */
void check_written(const uint8_t *v, size_t pages);
/* A fresh mapping works: map, write, read, unmap. */
void check_map_works(void);
/* Physical address of a mapped page. */
uintptr_t phys_of(const void *va);

#endif /* MISUSE_H */
