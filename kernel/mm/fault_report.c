/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a faulting address is: a guard page, a paged-out page, a protection
 * fault in a mapping, the kernel image, or nothing at all. The fatal
 * page-fault report prints it; stack-overflow reports build on the same
 * lookup (a guard below a thread's stack mapping).
 *
 * Called from the exception handler, maybe in the middle of a
 * memory-manager call: no lock, no allocation, only reads of the region
 * bits and page-table walks.
 */
#include <arch/mm.h>
#include <mm_debug.h>
#include <paging.h>
#include <virt_region.h>

extern char __boot_start[], __boot_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

static bool in_range(uintptr_t addr, const char *start, const char *end)
{
	return addr >= (uintptr_t)start && addr < (uintptr_t)end;
}

static enum z_mem_image_section image_section(uintptr_t addr)
{
	if (in_range(addr, __boot_start, __boot_end)) {
		return Z_MEM_IMAGE_BOOT;
	}
	if (in_range(addr, __text_start, __text_end)) {
		return Z_MEM_IMAGE_TEXT;
	}
	if (in_range(addr, __rodata_start, __rodata_end)) {
		return Z_MEM_IMAGE_RODATA;
	}
	if (in_range(addr, __data_start, __bss_end)) {
		return Z_MEM_IMAGE_DATA;
	}
	return Z_MEM_IMAGE_OTHER;
}

/*
 * Guards are told by the region, never by the neighbours: a guard page may
 * touch another region. k_mem_map() regions are marked anonymous; a
 * physical region has guards exactly when its outer pages are unmapped (a
 * bare mapping maps every page), the same test k_mem_unmap_phys_guard() uses.
 */
static bool region_is_guarded(const struct z_virt_region_span *span)
{
	uint8_t *last = span->start + span->size - K_MEM_PAGE_SIZE;

	if (span->anon) {
		return true;
	}
	return span->size >= 3U * K_MEM_PAGE_SIZE &&
	       arch_page_location_get(span->start, NULL) == ARCH_PAGE_LOCATION_BAD &&
	       arch_page_location_get(last, NULL) == ARCH_PAGE_LOCATION_BAD;
}

static void describe_mapping(uint8_t *page, const struct z_virt_region_span *span,
			     struct z_mem_fault_info *info)
{
	info->anon = span->anon;
	info->guarded = region_is_guarded(span);
	info->mapping = span->start;
	info->size = span->size;
	if (info->guarded) {
		info->mapping += K_MEM_PAGE_SIZE;
		info->size -= 2U * K_MEM_PAGE_SIZE;
		if (page == span->start) {
			info->kind = Z_MEM_FAULT_GUARD_BELOW;
			return;
		}
		if (page == info->mapping + info->size) {
			info->kind = Z_MEM_FAULT_GUARD_ABOVE;
			return;
		}
	}

	switch (arch_page_location_get(page, NULL)) {
	case ARCH_PAGE_LOCATION_PAGED_OUT:
		info->kind = Z_MEM_FAULT_PAGED_OUT;
		break;
	case ARCH_PAGE_LOCATION_PAGED_IN:
		info->kind = (info->anon && z_paging_page_is_frameless_anon(page))
				     ? Z_MEM_FAULT_ZERO_PAGE
				     : Z_MEM_FAULT_MAPPED;
		(void)arch_page_flags_get(page, &info->flags);
		break;
	default:
		info->kind = Z_MEM_FAULT_NOT_PRESENT;
		break;
	}
}

void z_mem_fault_describe(const void *addr, struct z_mem_fault_info *info)
{
	uintptr_t address = (uintptr_t)addr;
	struct z_virt_region_span span;

	*info = (struct z_mem_fault_info){.kind = Z_MEM_FAULT_UNMAPPED};
	if (address < K_MEM_PAGE_SIZE) {
		info->kind = Z_MEM_FAULT_NULL_PAGE;
		return;
	}
	/* The boot page lies outside the window when the kernel runs at an offset. */
	if (in_range(address, __boot_start, __boot_end)) {
		info->kind = Z_MEM_FAULT_KERNEL_IMAGE;
		info->section = Z_MEM_IMAGE_BOOT;
		return;
	}
	if (!z_virt_region_lookup(addr, &span)) {
		info->kind = Z_MEM_FAULT_OUTSIDE_WINDOW;
		return;
	}
	info->region = span.start;
	info->region_size = span.size;
	switch (span.owner) {
	case Z_VIRT_REGION_FREE:
		info->kind = Z_MEM_FAULT_UNMAPPED;
		break;
	case Z_VIRT_REGION_IMAGE:
		info->kind = Z_MEM_FAULT_KERNEL_IMAGE;
		info->section = image_section(address);
		break;
	case Z_VIRT_REGION_SCRATCH:
		info->kind = Z_MEM_FAULT_SCRATCH;
		break;
	case Z_VIRT_REGION_MAPPING:
		describe_mapping((uint8_t *)ROUND_DOWN(address, K_MEM_PAGE_SIZE), &span, info);
		break;
	}
}

static const char *const section_names[] = {
	[Z_MEM_IMAGE_BOOT] = ".boot",
	[Z_MEM_IMAGE_TEXT] = ".text",
	[Z_MEM_IMAGE_RODATA] = ".rodata",
	[Z_MEM_IMAGE_DATA] = ".data/.bss",
	[Z_MEM_IMAGE_OTHER] = "between sections",
};

void z_mem_fault_print(const void *addr)
{
	struct z_mem_fault_info info;
	const char *kind;

	z_mem_fault_describe(addr, &info);
	/* Not %p: it would print "(nil)" for the NULL page. */
	printk("Address 0x%lx: ", (unsigned long)(uintptr_t)addr);
	switch (info.kind) {
	case Z_MEM_FAULT_NULL_PAGE:
		printk("in the NULL page (a NULL pointer dereference?)\n");
		return;
	case Z_MEM_FAULT_OUTSIDE_WINDOW:
		printk("unmapped (outside the kernel window %p-%p)\n", (void *)K_MEM_VM_START,
		       (void *)K_MEM_VM_END);
		return;
	case Z_MEM_FAULT_UNMAPPED:
		printk("unmapped (no mapping there)\n");
		return;
	case Z_MEM_FAULT_KERNEL_IMAGE:
		printk("in the kernel image (%s)\n", section_names[info.section]);
		return;
	case Z_MEM_FAULT_SCRATCH:
		printk("in the memory manager's scratch page\n");
		return;
	case Z_MEM_FAULT_GUARD_BELOW:
		kind = "guard page below the mapping";
		break;
	case Z_MEM_FAULT_GUARD_ABOVE:
		kind = "guard page above the mapping";
		break;
	case Z_MEM_FAULT_PAGED_OUT:
		kind = "in a paged-out page of the mapping";
		break;
	case Z_MEM_FAULT_ZERO_PAGE:
		kind = "in a never-written page (shared zero frame, read-only) of the mapping";
		break;
	case Z_MEM_FAULT_NOT_PRESENT:
		kind = "in an unmapped page of the mapping";
		break;
	case Z_MEM_FAULT_MAPPED:
	default:
		kind = "in the mapping";
		break;
	}
	printk("%s at %p (0x%zx bytes, %s", kind, info.mapping, info.size,
	       info.anon ? "anonymous" : (info.guarded ? "physical" : "physical, no guards"));
	if (info.kind == Z_MEM_FAULT_MAPPED) {
		printk(", %s, %s", (info.flags & K_MEM_PERM_RW) ? "read-write" : "read-only",
		       (info.flags & K_MEM_PERM_EXEC) ? "executable" : "not executable");
	}
	printk(")\n");

	const char *why = z_paging_fault_failure(addr);

	if (why != NULL &&
	    (info.kind == Z_MEM_FAULT_PAGED_OUT || info.kind == Z_MEM_FAULT_ZERO_PAGE)) {
		printk("Demand paging could not serve the fault: %s\n", why);
	}
}
