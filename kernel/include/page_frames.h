/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page-frame database (one word per RAM frame) and its free list.
 * Kernel-internal; the record's layout and the k_mem_page_frame_* names
 * follow the reference RTOS (Zephyr).
 */
#ifndef PAGODA_KERNEL_INCLUDE_PAGE_FRAMES_H
#define PAGODA_KERNEL_INCLUDE_PAGE_FRAMES_H

#include <mm_core.h>

/*
 * One record per RAM frame: a single machine word. The upper bits hold
 * the page-aligned virtual address the frame backs when MAPPED, or, on the
 * free list, the index of the next free frame plus one (0 ends the list).
 * The low bits hold the K_MEM_PAGE_FRAME_* flags.
 */
struct k_mem_page_frame {
	uintptr_t va_and_flags;
};

#define K_MEM_PAGE_FRAME_FREE       BIT(0) /* on the free list */
#define K_MEM_PAGE_FRAME_RESERVED   BIT(1) /* never allocated: not usable RAM */
#define K_MEM_PAGE_FRAME_MAPPED     BIT(2) /* backs the virtual page in the upper bits */
#define K_MEM_PAGE_FRAME_PINNED     BIT(3) /* never evicted */
#define K_MEM_PAGE_FRAME_BUSY       BIT(4) /* in transit to or from the backing store */
#define K_MEM_PAGE_FRAME_BACKED     BIT(5) /* the backing store holds a copy */
#define K_MEM_PAGE_FRAME_FLAGS_MASK ((uintptr_t)K_MEM_PAGE_SIZE - 1U)

extern struct k_mem_page_frame k_mem_page_frames[K_MEM_NUM_PAGE_FRAMES];

static inline bool k_mem_is_page_frame(uintptr_t phys)
{
	return phys >= K_MEM_PHYS_RAM_START && phys < K_MEM_PHYS_RAM_END;
}

static inline struct k_mem_page_frame *k_mem_phys_to_page_frame(uintptr_t phys)
{
	return &k_mem_page_frames[(phys - K_MEM_PHYS_RAM_START) / K_MEM_PAGE_SIZE];
}

static inline uintptr_t k_mem_page_frame_to_phys(const struct k_mem_page_frame *pf)
{
	return K_MEM_PHYS_RAM_START + (uintptr_t)(pf - k_mem_page_frames) * K_MEM_PAGE_SIZE;
}

static inline uintptr_t k_mem_page_frame_flags(const struct k_mem_page_frame *pf)
{
	return pf->va_and_flags & K_MEM_PAGE_FRAME_FLAGS_MASK;
}

static inline bool k_mem_page_frame_is(const struct k_mem_page_frame *pf, uintptr_t flag)
{
	return (pf->va_and_flags & flag) != 0U;
}

static inline void k_mem_page_frame_set(struct k_mem_page_frame *pf, uintptr_t flags)
{
	pf->va_and_flags |= flags;
}

static inline void k_mem_page_frame_clear(struct k_mem_page_frame *pf, uintptr_t flags)
{
	pf->va_and_flags &= ~flags;
}

/* Virtual address a MAPPED frame backs. */
static inline void *k_mem_page_frame_to_virt(const struct k_mem_page_frame *pf)
{
	return (void *)(pf->va_and_flags & ~K_MEM_PAGE_FRAME_FLAGS_MASK);
}

/* Record that pf backs the page at va (MAPPED), keeping PINNED/BACKED. */
static inline void k_mem_page_frame_mapped_set(struct k_mem_page_frame *pf, void *va)
{
	pf->va_and_flags = (uintptr_t)va | K_MEM_PAGE_FRAME_MAPPED |
			   (pf->va_and_flags & (K_MEM_PAGE_FRAME_PINNED | K_MEM_PAGE_FRAME_BACKED));
}

/*
 * The frame pf backs the page at va (MAPPED, va in its address bits) and
 * has none of the flags in clear set: one compare. The one test of "this
 * frame backs this page".
 */
static inline bool z_page_frame_backs(const struct k_mem_page_frame *pf, const void *va,
				      uintptr_t clear)
{
	return (pf->va_and_flags & (~K_MEM_PAGE_FRAME_FLAGS_MASK | K_MEM_PAGE_FRAME_MAPPED |
				    clear)) == ((uintptr_t)va | K_MEM_PAGE_FRAME_MAPPED);
}

/* The frame that backs the page at va, phys being where va is mapped; NULL
 * when phys is no RAM frame or its frame backs another page (an alias).
 */
static inline struct k_mem_page_frame *z_page_frame_of(const void *va, uintptr_t phys)
{
	if (!k_mem_is_page_frame(phys)) {
		return NULL;
	}

	struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);

	return z_page_frame_backs(pf, va, 0) ? pf : NULL;
}

/*
 * The free list, threaded through the free frames' own records: the link
 * sits where a mapped frame keeps its address (page_frames.c). Variables,
 * so that the map, unmap and fault paths take and give frames inline.
 */
#define Z_PAGE_FRAME_FREE_NEXT_SHIFT 12U
extern size_t z_page_frame_free_head; /* index + 1 of the first free frame; 0: none */
extern size_t z_page_frames_free;     /* frames on the free list */

static inline size_t z_free_page_frame_count(void)
{
	return z_page_frames_free;
}

/* Take a free frame, or NULL when none is left. O(1). */
static inline struct k_mem_page_frame *z_page_frame_alloc(void)
{
	size_t head = z_page_frame_free_head;

	if (head == 0U) {
		return NULL;
	}

	struct k_mem_page_frame *pf = &k_mem_page_frames[head - 1U];

	__ASSERT(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_FREE),
		 "frame %zu on the free list is not free", head - 1U);
	z_page_frame_free_head = pf->va_and_flags >> Z_PAGE_FRAME_FREE_NEXT_SHIFT;
	z_page_frames_free--;
	pf->va_and_flags = 0;
	return pf;
}

/*
 * Take up to max free frames that are physically consecutive (the free
 * list's head and the frames after it that follow it in memory): *first is
 * the lowest; returns how many (0 when none is free). O(count).
 */
size_t z_page_frame_alloc_run(size_t max, struct k_mem_page_frame **first);

/* Return a frame to the free list; its record becomes FREE only. O(1). */
static inline void z_page_frame_free(struct k_mem_page_frame *pf)
{
	__ASSERT(!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_FREE | K_MEM_PAGE_FRAME_RESERVED),
		 "frame 0x%lx freed twice or reserved",
		 (unsigned long)k_mem_page_frame_to_phys(pf));
	pf->va_and_flags =
		(z_page_frame_free_head << Z_PAGE_FRAME_FREE_NEXT_SHIFT) | K_MEM_PAGE_FRAME_FREE;
	z_page_frame_free_head = (size_t)(pf - k_mem_page_frames) + 1U;
	z_page_frames_free++;
}
/* Build the database: image frames mapped and pinned, arch reservations, free list. */
void z_page_frames_init(void);
/* Mix every frame record and the free-list head into a hash. Test builds
 * only (CONFIG_ZTEST): like the dump, it walks every frame.
 */
uint32_t z_page_frames_digest(uint32_t hash);

#endif /* PAGODA_KERNEL_INCLUDE_PAGE_FRAMES_H */
