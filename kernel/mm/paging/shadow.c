/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shadow tags (CONFIG_MM_SHADOW_TAGS): see shadow.h. A tag is the page a
 * slot or frame holds and a checksum of its contents; a slot's tag is
 * written by each page-out, a frame's by each page-in (it stays true while
 * the page is clean: the dirty bit tells when it stops being).
 */
#include <arch/mm.h>
#include <kernel.h>
#include <mm_debug.h>
#include <stdarg.h>

#include "shadow.h"

#ifdef CONFIG_MM_SHADOW_TAGS

struct shadow_tag {
	uintptr_t va; /* 0: nothing known */
	uint32_t sum;
};

static struct shadow_tag slot_tags[CONFIG_BACKING_STORE_PAGES];
static struct shadow_tag frame_tags[K_MEM_NUM_PAGE_FRAMES];
static int shadow_breaks;

void z_shadow_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(slot_tags); i++) {
		slot_tags[i] = (struct shadow_tag){0};
	}
	for (size_t i = 0; i < ARRAY_SIZE(frame_tags); i++) {
		frame_tags[i] = (struct shadow_tag){0};
	}
	shadow_breaks = 0;
}

__printf_like(1, 2) static void broken(const char *fmt, ...)
{
	va_list ap;

	shadow_breaks++;
	printk("<err> mm: shadow tag: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
}

int z_shadow_breaks_take(void)
{
	int n = shadow_breaks;

	shadow_breaks = 0;
	return n;
}

/* FNV-1a over 32-bit words: order-sensitive, so a moved half page shows. */
uint32_t z_shadow_scratch_sum(void)
{
	const uint32_t *word = (const uint32_t *)ARCH_SCRATCH_PAGE;
	uint32_t sum = 2166136261U;

	for (size_t i = 0; i < K_MEM_PAGE_SIZE / sizeof(*word); i++) {
		sum = (sum ^ word[i]) * 16777619U;
	}
	return sum;
}

static struct shadow_tag *slot_tag(uintptr_t location)
{
	size_t slot = location / K_MEM_PAGE_SIZE;

	__ASSERT(slot < ARRAY_SIZE(slot_tags), "bad location 0x%lx", (unsigned long)location);
	return &slot_tags[slot];
}

static struct shadow_tag *frame_tag(struct k_mem_page_frame *pf)
{
	return &frame_tags[pf - k_mem_page_frames];
}

void z_shadow_paged_out(void *va, struct k_mem_page_frame *pf, uintptr_t location, uint32_t sum)
{
	uint32_t now = z_shadow_scratch_sum();

	if (now != sum) {
		broken("page-out of %p from frame 0x%lx to location 0x%lx: the store copied "
		       "contents other than the frame's (the scratch page no longer maps it)",
		       va, (unsigned long)k_mem_page_frame_to_phys(pf), (unsigned long)location);
	}
	*slot_tag(location) = (struct shadow_tag){(uintptr_t)va, sum};
	*frame_tag(pf) = (struct shadow_tag){0};
}

void z_shadow_paged_in(void *va, struct k_mem_page_frame *pf, uintptr_t location)
{
	struct shadow_tag *slot = slot_tag(location);
	uint32_t sum = z_shadow_scratch_sum();

	if (slot->va != (uintptr_t)va) {
		broken("page-in of %p from location 0x%lx: the slot's tag names page 0x%lx", va,
		       (unsigned long)location, (unsigned long)slot->va);
	} else if (sum != slot->sum) {
		broken("page-in of %p from location 0x%lx into frame 0x%lx: the frame does not "
		       "hold what was paged out (checksum 0x%08x, tag 0x%08x)",
		       va, (unsigned long)location, (unsigned long)k_mem_page_frame_to_phys(pf),
		       (unsigned int)sum, (unsigned int)slot->sum);
	}
	*frame_tag(pf) = (struct shadow_tag){(uintptr_t)va, sum};
}

void z_shadow_evicted_clean(void *va, struct k_mem_page_frame *pf, uintptr_t location)
{
	struct shadow_tag *frame = frame_tag(pf);
	struct shadow_tag *slot = slot_tag(location);
	uint32_t sum = z_shadow_scratch_sum();

	if (frame->va != (uintptr_t)va || slot->va != (uintptr_t)va) {
		broken("clean eviction of %p from frame 0x%lx: the frame's tag names page 0x%lx, "
		       "its store copy's page 0x%lx",
		       va, (unsigned long)k_mem_page_frame_to_phys(pf), (unsigned long)frame->va,
		       (unsigned long)slot->va);
	} else if (sum != frame->sum || sum != slot->sum) {
		broken("clean eviction of %p from frame 0x%lx: the frame no longer holds what "
		       "was paged in, yet the page is not dirty (checksum 0x%08x, tag 0x%08x)",
		       va, (unsigned long)k_mem_page_frame_to_phys(pf), (unsigned int)sum,
		       (unsigned int)frame->sum);
	}
	*frame = (struct shadow_tag){0};
}

#endif /* CONFIG_MM_SHADOW_TAGS */
