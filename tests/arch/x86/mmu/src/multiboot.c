/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parser behind arch_reserved_pages_update(), reading physical memory
 * through the scratch page: synthetic multiboot information in this
 * suite's .bss (its memory map crossing a page boundary), and the
 * information QEMU really passed.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>
#include <sys/errno.h>
#include <x86_cpu.h>
#include <x86_mmu.h>
#include <x86_multiboot.h>
#include <ztest.h>

#define PAGE         ((uintptr_t)CONFIG_MMU_PAGE_SIZE)
#define MAX_RESERVED 16

struct range {
	uintptr_t phys;
	size_t size;
};

static struct range reserved[MAX_RESERVED];
static size_t num_reserved;

static void record(uintptr_t phys, size_t size)
{
	zassert_true(num_reserved < MAX_RESERVED, "too many reservations");
	reserved[num_reserved].phys = phys;
	reserved[num_reserved].size = size;
	num_reserved++;
}

static uint8_t area[2 * CONFIG_MMU_PAGE_SIZE] __aligned(CONFIG_MMU_PAGE_SIZE);
static uintptr_t area_phys;

/* Appends one memory-map entry of size bytes after the size field. */
static size_t put_entry(size_t offset, uint32_t size, uint64_t base, uint64_t length, uint32_t type)
{
	struct x86_multiboot_mmap entry = {size, base, length, type};

	memcpy(&area[offset], &entry, sizeof(entry));
	return offset + sizeof(entry.size) + size;
}

static void check_reserved(const struct range *expected, size_t count)
{
	zassert_equal(num_reserved, count, "%zu reservations, expected %zu", num_reserved, count);
	for (size_t i = 0; i < count; i++) {
		zassert_equal(reserved[i].phys, expected[i].phys, "reservation %zu at 0x%lx", i,
			      (unsigned long)reserved[i].phys);
		zassert_equal(reserved[i].size, expected[i].size, "reservation %zu: size 0x%zx", i,
			      reserved[i].size);
	}
}

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	num_reserved = 0;
	memset(area, 0, sizeof(area));
	zassert_ok(arch_page_phys_get(area, &area_phys));
}

static void after(void *fixture)
{
	ARG_UNUSED(fixture);
	arch_mem_unmap(ARCH_SCRATCH_PAGE, PAGE);
}

ZTEST(x86_multiboot, test_memory_map_across_a_page)
{
	struct x86_multiboot_info info = {
		.flags = X86_MULTIBOOT_INFO_MMAP | X86_MULTIBOOT_INFO_MEMORY,
		.mem_upper = 1024, /* ignored: there is a memory map */
	};
	size_t start = PAGE - 40;
	size_t end = start;
	static const struct range expected[] = {
		{0x180000, 0x1000},   /* type 2 inside available RAM */
		{0x300000, 0x100000}, /* not listed */
		{0x6ff800, 0x100},    /* type 3, unaligned, inside RAM */
		{0x700000, 0x100000}, /* not listed, up to the end */
	};

	/* Unsorted, overlapping, adjacent, empty and extended entries. */
	end = put_entry(end, 20, 0x0, 0x9fc00, 1);
	end = put_entry(end, 20, 0x400000, 0x100000, 1);
	end = put_entry(end, 24, 0x100000, 0x200000, 1);
	end = put_entry(end, 20, 0x180000, 0x1000, 2);
	end = put_entry(end, 20, 0x500000, 0, 1);
	end = put_entry(end, 20, 0x500000, 0x200000, 1);
	end = put_entry(end, 20, 0x6ff800, 0x100, 3);
	end = put_entry(end, 20, 0xfffffffffffff000ULL, 0x2000, 1); /* wraps: clipped */
	zassert_true(end > PAGE, "the map must cross the page boundary");
	info.mmap_addr = (uint32_t)(area_phys + start);
	info.mmap_length = (uint32_t)(end - start);
	memcpy(area, &info, sizeof(info));

	zassert_ok(
		z_x86_multiboot_reserve(area_phys, 0x100000, 0x800000, z_x86_scratch_read, record));
	check_reserved(expected, ARRAY_SIZE(expected));
}

ZTEST(x86_multiboot, test_mem_upper_without_map)
{
	struct x86_multiboot_info info = {
		.flags = X86_MULTIBOOT_INFO_MEMORY,
		.mem_upper = 12 * 1024,
	};
	static const struct range expected[] = {{0xd00000, 0x300000}};

	memcpy(area + PAGE - 8, &info, sizeof(info)); /* the structure itself crosses a page */
	zassert_ok(z_x86_multiboot_reserve(area_phys + PAGE - 8, 0x100000, 0x1000000,
					   z_x86_scratch_read, record));
	check_reserved(expected, ARRAY_SIZE(expected));
}

ZTEST(x86_multiboot, test_no_memory_information)
{
	struct x86_multiboot_info info = {.flags = 0};

	memcpy(area, &info, sizeof(info));
	zassert_equal(
		z_x86_multiboot_reserve(area_phys, 0x100000, 0x1000000, z_x86_scratch_read, record),
		-ENOENT);
	zassert_equal(num_reserved, 0);
}

/* What QEMU passed: sane reservations that leave the image alone. */
ZTEST(x86_multiboot, test_loader_information)
{
	extern char __kernel_end[];
	uint64_t ram_start = CONFIG_SRAM_BASE_ADDRESS;
	uint64_t ram_end = ram_start + CONFIG_SRAM_SIZE * 1024ULL;
	uintptr_t image_end = K_MEM_PHYS_ADDR(__kernel_end);
	uint64_t last = ram_start;

	zassert_not_equal(z_x86_multiboot_info_phys, 0, "QEMU passed no multiboot information");
	zassert_ok(z_x86_multiboot_reserve(z_x86_multiboot_info_phys, ram_start, ram_end,
					   z_x86_scratch_read, record));
	for (size_t i = 0; i < num_reserved; i++) {
		printk("reserved [0x%lx, +0x%zx)\n", (unsigned long)reserved[i].phys,
		       reserved[i].size);
		zassert_true(reserved[i].size > 0);
		zassert_true(reserved[i].phys >= last, "unsorted or overlapping");
		zassert_true(reserved[i].phys + (uint64_t)reserved[i].size <= ram_end);
		zassert_true(reserved[i].phys >= image_end, "the image lies in reserved memory");
		last = reserved[i].phys + (uint64_t)reserved[i].size + 1; /* runs are maximal */
	}
}

ZTEST_SUITE(x86_multiboot, NULL, NULL, before, after, NULL);
