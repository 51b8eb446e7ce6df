/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page-frame database: one word per RAM frame, and the free list
 * threaded through the free frames' own words (see struct k_mem_page_frame).
 * phys -> frame is an index computation; nothing here walks every frame
 * except init and the dump.
 */
#include <arch/mm.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <string.h>

struct k_mem_page_frame k_mem_page_frames[K_MEM_NUM_PAGE_FRAMES];

#define FREE_NEXT_SHIFT Z_PAGE_FRAME_FREE_NEXT_SHIFT
BUILD_ASSERT((1U << FREE_NEXT_SHIFT) == CONFIG_MMU_PAGE_SIZE,
	     "link shift must match the page size");
BUILD_ASSERT(K_MEM_NUM_PAGE_FRAMES < ((uintptr_t)-1 >> FREE_NEXT_SHIFT),
	     "too many frames for the link");

size_t z_page_frame_free_head; /* <page_frames.h> takes and gives frames inline */
size_t z_page_frames_free;

size_t z_page_frame_alloc_run(size_t max, struct k_mem_page_frame **first)
{
	size_t link = z_page_frame_free_head; /* index + 1 of the frame to take */
	size_t count = 0;

	if (link == 0U || max == 0U) {
		return 0;
	}
	*first = &k_mem_page_frames[link - 1U];
	for (;;) {
		struct k_mem_page_frame *pf = &k_mem_page_frames[link - 1U];
		size_t next = pf->va_and_flags >> FREE_NEXT_SHIFT;

		__ASSERT(k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_FREE),
			 "frame %zu on the free list is not free", link - 1U);
		pf->va_and_flags = 0;
		count++;
		if (count == max || next != link + 1U) {
			z_page_frame_free_head = next;
			break;
		}
		link = next;
	}
	z_page_frames_free -= count;
	return count;
}

void z_page_frames_reserve(uintptr_t phys, size_t size)
{
	uintptr_t start = MAX(ROUND_DOWN(phys, K_MEM_PAGE_SIZE), K_MEM_PHYS_RAM_START);
	uintptr_t end = (size > K_MEM_PHYS_RAM_END - phys) ? K_MEM_PHYS_RAM_END
							   : ROUND_UP(phys + size, K_MEM_PAGE_SIZE);

	if (phys >= K_MEM_PHYS_RAM_END) {
		return;
	}
	for (uintptr_t addr = start; addr < end; addr += K_MEM_PAGE_SIZE) {
		struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(addr);

		/* The image is in use whatever the loader's map says. */
		if (!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED)) {
			k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_RESERVED);
		}
	}
}

extern char __boot_start[], __boot_end[];
extern char __kernel_end[];

/*
 * Free frames demand paging needs at boot: its two zero frames, the
 * k_mem_free_get() reserve and a few to page through. The link checks the
 * same against the image (cmake/limits.cmake, linker/limits.ld.in); this
 * also counts the frames the loader's memory map reserves.
 */
#ifdef CONFIG_DEMAND_PAGING
#define PAGING_MIN_FREE_FRAMES (2U + (size_t)CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE + 4U)
#endif

/* The last line of defence against a configuration the build let through. */
static void config_limit_failed(const char *what, size_t need_kib)
{
	printk("FATAL: %s: CONFIG_SRAM_BASE_ADDRESS=0x%lx CONFIG_SRAM_SIZE=%lu KiB; "
	       "raise CONFIG_SRAM_SIZE to at least %zu KiB\n",
	       what, (unsigned long)CONFIG_SRAM_BASE_ADDRESS, (unsigned long)CONFIG_SRAM_SIZE,
	       need_kib);
	k_panic();
}

void z_page_frames_init(void)
{
	uintptr_t image_end_phys = (uintptr_t)__kernel_end - K_MEM_VIRT_OFFSET;

	/* Before anything indexes the database with an image frame. */
	if (image_end_phys > K_MEM_PHYS_RAM_END) {
		config_limit_failed("the kernel image ends beyond RAM",
				    (image_end_phys - K_MEM_PHYS_RAM_START) / 1024U);
		return;
	}

	/* From scratch, so a host harness can re-run init between inputs. */
	memset(k_mem_page_frames, 0, sizeof(k_mem_page_frames));
	z_page_frame_free_head = 0;
	z_page_frames_free = 0;

	/* The image: the boot page(s) run at their physical address, the rest
	 * at the virtual offset. Both stay mapped and pinned forever.
	 */
	for (uintptr_t phys = K_MEM_PHYS_RAM_START; phys < image_end_phys;
	     phys += K_MEM_PAGE_SIZE) {
		bool boot = phys >= (uintptr_t)__boot_start && phys < (uintptr_t)__boot_end;
		void *va = (void *)(boot ? phys : phys + K_MEM_VIRT_OFFSET);
		struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);

		k_mem_page_frame_mapped_set(pf, va);
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_PINNED);
	}
	arch_reserved_pages_update();

	/* Pushed from the top down, so allocation starts at the lowest frame. */
	for (size_t i = K_MEM_NUM_PAGE_FRAMES; i-- > 0;) {
		struct k_mem_page_frame *pf = &k_mem_page_frames[i];

		if (k_mem_page_frame_flags(pf) == 0U) {
			z_page_frame_free(pf);
		}
	}
	__ASSERT(z_page_frames_free <= K_MEM_NUM_PAGE_FRAMES, "free count %zu of %zu frames",
		 z_page_frames_free, (size_t)K_MEM_NUM_PAGE_FRAMES);
#ifdef CONFIG_DEMAND_PAGING
	if (z_page_frames_free < PAGING_MIN_FREE_FRAMES) {
		config_limit_failed(
			"CONFIG_DEMAND_PAGING needs 2 zero frames + "
			"CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE + 4 free frames at boot",
			CONFIG_SRAM_SIZE + (PAGING_MIN_FREE_FRAMES - z_page_frames_free) *
						   (K_MEM_PAGE_SIZE / 1024U));
	}
#endif
}

#ifdef CONFIG_ZTEST
uint32_t z_page_frames_digest(uint32_t hash)
{
	hash = z_mm_hash(z_mm_hash(hash, z_page_frame_free_head), z_page_frames_free);
	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES; i++) {
		hash = z_mm_hash(hash, k_mem_page_frames[i].va_and_flags);
	}
	return hash;
}
#endif /* CONFIG_ZTEST */

#ifdef CONFIG_MM_INVARIANTS
void z_page_frames_check(void)
{
	size_t flagged_free = 0;
	size_t listed = 0;

	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES; i++) {
		uintptr_t flags = k_mem_page_frame_flags(&k_mem_page_frames[i]);

		if ((flags & K_MEM_PAGE_FRAME_FREE) != 0U) {
			flagged_free++;
			if (flags != K_MEM_PAGE_FRAME_FREE) {
				z_mm_invariant_broken("free frame %zu has flags 0x%lx", i,
						      (unsigned long)flags);
			}
		}
	}
	/* At most one step per frame: a longer walk means a cycle. */
	for (size_t next = z_page_frame_free_head; next != 0U && listed <= K_MEM_NUM_PAGE_FRAMES;
	     listed++) {
		if (next > K_MEM_NUM_PAGE_FRAMES) {
			z_mm_invariant_broken("free list links to frame %zu of %zu", next - 1U,
					      (size_t)K_MEM_NUM_PAGE_FRAMES);
			break;
		}
		const struct k_mem_page_frame *pf = &k_mem_page_frames[next - 1U];

		if (!k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_FREE)) {
			z_mm_invariant_broken("frame %zu is on the free list but not free",
					      next - 1U);
			break;
		}
		next = pf->va_and_flags >> FREE_NEXT_SHIFT;
	}
	if (listed != z_page_frames_free || flagged_free != z_page_frames_free) {
		z_mm_invariant_broken("free count %zu, free list %zu%s, frames flagged free %zu",
				      z_page_frames_free, listed,
				      listed > K_MEM_NUM_PAGE_FRAMES ? " (a cycle)" : "",
				      flagged_free);
	}
}
#endif /* CONFIG_MM_INVARIANTS */

void k_mem_page_frames_dump(void)
{
	size_t counts[5] = {0};
	static const char legend[] = "free '.', reserved 'R', pinned 'P', mapped 'M', busy 'B'";

	printk("Page frames 0x%lx-0x%lx (%zu frames), %s:\n", (unsigned long)K_MEM_PHYS_RAM_START,
	       (unsigned long)K_MEM_PHYS_RAM_END, (size_t)K_MEM_NUM_PAGE_FRAMES, legend);
	for (size_t i = 0; i < K_MEM_NUM_PAGE_FRAMES; i++) {
		const struct k_mem_page_frame *pf = &k_mem_page_frames[i];
		char c;

		if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_RESERVED)) {
			c = 'R';
			counts[1]++;
		} else if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BUSY)) {
			c = 'B';
			counts[4]++;
		} else if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED)) {
			c = 'P';
			counts[2]++;
		} else if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED)) {
			c = 'M';
			counts[3]++;
		} else {
			c = '.';
			counts[0]++;
		}
		if (i % 64U == 0U) {
			printk("%s0x%08lx: ", i == 0U ? "" : "\n",
			       (unsigned long)(K_MEM_PHYS_RAM_START + i * K_MEM_PAGE_SIZE));
		}
		printk("%c", c);
	}
	printk("\nfree %zu, reserved %zu, pinned %zu, mapped %zu, busy %zu\n", counts[0], counts[1],
	       counts[2], counts[3], counts[4]);
}
