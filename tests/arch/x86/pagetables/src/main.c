/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build-time page tables, read back live: every page of the image has
 * exactly the flags its section needs, nothing is writable and executable,
 * the NULL page and the page past the image are unmapped, and the
 * protections really hold (writes to text/rodata and execution from data
 * fault).
 */
#include <kernel.h>
#include <x86_mmu.h>
#include <ztest.h>

#define PAGE        CONFIG_MMU_PAGE_SIZE
#define VIRT_OFFSET ((uintptr_t)CONFIG_KERNEL_VM_BASE - (uintptr_t)CONFIG_SRAM_BASE_ADDRESS)
/* Bits the CPU sets on its own (accessed, dirty) are not part of the contract. */
#define HW_BITS     (X86_MMU_A | X86_MMU_D)

extern char __boot_start[], __boot_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];
extern char __kernel_start[], __kernel_end[];

static pentry_t leaf_entry(const void *virt)
{
	unsigned int level;
	pentry_t entry = *z_x86_entry_get(virt, &level);

	if ((entry & X86_MMU_P) != 0) {
		zassert_equal(level, Z_X86_LEAF_LEVEL, "%p mapped by a large page at level %u",
			      virt, level);
	}
	return entry;
}

/* Every page in [start, end) maps start - offset with exactly these flags. */
static void check_region(const char *name, char *start, char *end, uintptr_t offset, pentry_t flags)
{
	zassert_true(start < end, "%s is empty", name);
	for (char *page = start; page < end; page += PAGE) {
		pentry_t entry = leaf_entry(page);

		zassert_true((entry & X86_MMU_P) != 0, "%s page %p not present", name, page);
		zassert_equal(entry & ~X86_MMU_ADDR_MASK & ~HW_BITS, flags,
			      "%s page %p: flags 0x%llx, expected 0x%llx", name, page,
			      (unsigned long long)(entry & ~X86_MMU_ADDR_MASK & ~HW_BITS),
			      (unsigned long long)flags);
		zassert_equal((uintptr_t)(entry & X86_MMU_ADDR_MASK), (uintptr_t)page - offset,
			      "%s page %p maps the wrong frame", name, page);
	}
}

ZTEST(pagetables, test_text_read_only_executable)
{
	check_region("text", __text_start, __text_end, VIRT_OFFSET, X86_MMU_P);
}

ZTEST(pagetables, test_boot_page_identity_read_only_executable)
{
	check_region("boot", __boot_start, __boot_end, 0, X86_MMU_P);
}

ZTEST(pagetables, test_rodata_read_only_no_exec)
{
	check_region("rodata", __rodata_start, __rodata_end, VIRT_OFFSET, X86_MMU_P | X86_MMU_XD);
}

ZTEST(pagetables, test_data_bss_read_write_no_exec)
{
	check_region("data/bss", __data_start, __kernel_end, VIRT_OFFSET,
		     X86_MMU_P | X86_MMU_RW | X86_MMU_XD);
}

ZTEST(pagetables, test_null_page_unmapped)
{
	unsigned int level;

	zassert_false((*z_x86_entry_get(NULL, &level) & X86_MMU_P) != 0, "NULL page is mapped");
}

ZTEST(pagetables, test_page_past_image_unmapped)
{
	zassert_false((leaf_entry(__kernel_end) & X86_MMU_P) != 0,
		      "page after the image (%p) is mapped", __kernel_end);
}

/* The whole window: what is present is the image or a stack the kernel
 * mapped for its threads (writable data, never executable where the mode
 * can say so), and no page is both writable and executable.
 */
ZTEST(pagetables, test_window_write_xor_execute)
{
	uintptr_t base = CONFIG_KERNEL_VM_BASE;
	size_t present = 0;

	for (uintptr_t va = base; va < base + CONFIG_KERNEL_VM_SIZE; va += PAGE) {
		pentry_t entry = leaf_entry((void *)va);

		if ((entry & X86_MMU_P) == 0) {
			continue;
		}
		present++;
		if (va < (uintptr_t)__kernel_start || va >= (uintptr_t)__kernel_end) {
			zassert_true((entry & X86_MMU_RW) != 0 && (!IS_ENABLED(CONFIG_X86_XD) ||
								   (entry & X86_MMU_XD) != 0),
				     "page %p outside the image is mapped, and not as a stack",
				     (void *)va);
		}
		zassert_false((entry & X86_MMU_US) != 0, "page %p is user-accessible", (void *)va);
		if (IS_ENABLED(CONFIG_X86_XD)) {
			zassert_false((entry & X86_MMU_RW) != 0 && (entry & X86_MMU_XD) == 0,
				      "page %p is writable and executable", (void *)va);
		} else {
			/* No XD: only the text must be read-only. */
			zassert_false((entry & X86_MMU_RW) != 0 && va < (uintptr_t)__text_end,
				      "text page %p is writable", (void *)va);
		}
	}
	zassert_true(present > 0, "nothing mapped in the window");
}

static void target_function(void)
{
}

ZTEST(pagetables, test_write_to_text_faults)
{
	ztest_set_fault_valid(true);
	*(volatile uint8_t *)(uintptr_t)target_function = 0xc3;
	zassert_unreachable("write to text at %p did not fault",
			    (void *)(uintptr_t)target_function);
}

/* Not volatile itself: GCC puts const volatile objects in .data. */
static const uint32_t read_only_value = 0x12345678;

ZTEST(pagetables, test_write_to_rodata_faults)
{
	volatile uint32_t *target = (volatile uint32_t *)(uintptr_t)&read_only_value;

	zassert_true((uintptr_t)target >= (uintptr_t)__rodata_start &&
			     (uintptr_t)target < (uintptr_t)__rodata_end,
		     "read_only_value at %p is not in rodata", (void *)target);
	zassert_equal(*target, 0x12345678U);
	ztest_set_fault_valid(true);
	*target = 0;
	zassert_unreachable("write to rodata did not fault");
}

/* One `ret` instruction, in .data. */
static uint8_t data_code[16] = {0xc3};

ZTEST(pagetables, test_execute_from_data_faults)
{
	if (!IS_ENABLED(CONFIG_X86_XD)) {
		ztest_test_skip(); /* 32-bit 2-level paging cannot forbid execution */
	}
	ztest_set_fault_valid(true);
	((void (*)(void))(uintptr_t)data_code)();
	zassert_unreachable("executing from data did not fault");
}

ZTEST_SUITE(pagetables, NULL, NULL, NULL, NULL, NULL);
