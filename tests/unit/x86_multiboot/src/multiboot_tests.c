/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch/x86/core/multiboot.c on the host. Physical memory is a small array
 * (reads outside it fail the test, so the parser is also checked never to
 * read past the structures); reservations are recorded. Random memory maps
 * are compared with a brute-force model: a unit is available when some
 * type-1 entry covers it and no entry of another type does.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <string.h>
#include <sys/errno.h>
#include <x86_cpu.h>
#include <x86_mmu.h>
#include <x86_multiboot.h>
#include <ztest.h>

#define PHYS_SIZE 0x4000
#define INFO_PHYS 0x100
#define MMAP_PHYS 0x1000
#define MAX_CALLS 64

static uint8_t phys_mem[PHYS_SIZE];

static struct {
	uintptr_t phys;
	size_t size;
} calls[MAX_CALLS];
static size_t num_calls;
static size_t num_unmaps;
static size_t mmap_end;

/* ---- what multiboot.c needs from the rest of the kernel ---------------------- */

uint32_t z_x86_multiboot_info_phys;

void z_x86_scratch_read(void *dst, uintptr_t phys, size_t len)
{
	zassert_true(phys <= PHYS_SIZE && len <= PHYS_SIZE - phys,
		     "read of [0x%lx, +0x%zx) outside the structures", (unsigned long)phys, len);
	memcpy(dst, &phys_mem[phys], len);
}

void arch_mem_unmap(void *addr, size_t size)
{
	zassert_equal_ptr(addr, ARCH_SCRATCH_PAGE);
	zassert_equal(size, CONFIG_MMU_PAGE_SIZE);
	num_unmaps++;
}

void z_page_frames_reserve(uintptr_t phys, size_t size)
{
	zassert_true(num_calls < MAX_CALLS, "too many reservations");
	calls[num_calls].phys = phys;
	calls[num_calls].size = size;
	num_calls++;
}

/* ---- building the information ---------------------------------------------------- */

static void put_info(uint32_t flags, uint32_t mem_upper)
{
	struct x86_multiboot_info info = {
		.flags = flags,
		.mem_upper = mem_upper,
		.mmap_addr = MMAP_PHYS,
		.mmap_length = (uint32_t)(mmap_end - MMAP_PHYS),
	};

	memcpy(&phys_mem[INFO_PHYS], &info, sizeof(info));
}

static void add_sized(uint32_t size, uint64_t base, uint64_t length, uint32_t type)
{
	struct x86_multiboot_mmap entry = {size, base, length, type};

	zassert_true(mmap_end + sizeof(uint32_t) + size <= PHYS_SIZE);
	memcpy(&phys_mem[mmap_end], &entry, MIN(sizeof(entry), sizeof(uint32_t) + size));
	mmap_end += sizeof(uint32_t) + size;
}

static void add(uint64_t base, uint64_t length, uint32_t type)
{
	add_sized(20, base, length, type);
}

static int run(uint64_t ram_start, uint64_t ram_end)
{
	return z_x86_multiboot_reserve(INFO_PHYS, ram_start, ram_end, z_x86_scratch_read,
				       z_page_frames_reserve);
}

static void expect(size_t count, const uint64_t (*ranges)[2])
{
	zassert_equal(num_calls, count, "%zu reservations, expected %zu", num_calls, count);
	for (size_t i = 0; i < count; i++) {
		zassert_equal(calls[i].phys, ranges[i][0], "reservation %zu starts at 0x%lx", i,
			      (unsigned long)calls[i].phys);
		zassert_equal(calls[i].size, ranges[i][1] - ranges[i][0],
			      "reservation %zu: size 0x%zx", i, calls[i].size);
	}
}

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	memset(phys_mem, 0, sizeof(phys_mem));
	mmap_end = MMAP_PHYS;
	num_calls = 0;
	num_unmaps = 0;
	z_x86_multiboot_info_phys = 0;
}

/* ---- fixed cases --------------------------------------------------------------------- */

ZTEST(x86_multiboot_parse, test_qemu_like_map)
{
	static const uint64_t want[][2] = {{0x1fe0000, 0x2000000}};

	add(0, 0x9fc00, 1);
	add(0x9fc00, 0x400, 2);
	add(0xf0000, 0x10000, 2);
	add(0x100000, 0x1ee0000, 1);
	add(0x1fe0000, 0x20000, 2);
	add(0xfffc0000, 0x40000, 2);
	put_info(X86_MULTIBOOT_INFO_MMAP | X86_MULTIBOOT_INFO_MEMORY, 0);
	zassert_ok(run(0x100000, 0x2000000));
	expect(ARRAY_SIZE(want), want);
}

ZTEST(x86_multiboot_parse, test_unsorted_overlapping_adjacent)
{
	static const uint64_t want[][2] = {
		{0x100000, 0x110000}, /* below the first available entry */
		{0x150000, 0x150010}, /* type 4 overlapping RAM wins, byte-exact */
		{0x200000, 0x280000}, /* hole */
		{0x2ff000, 0x300000}, /* an empty RAM entry fills nothing */
	};

	add(0x280000, 0x7f000, 1);         /* [0x280000, 0x2ff000) */
	add(0x110000, 0x80000, 1);         /* [0x110000, 0x190000) */
	add(0x150000, 0x10, 4);            /* reserved inside RAM */
	add(0x190000, 0x70000, 1);         /* adjacent: [0x190000, 0x200000) */
	add(0x120000, 0x10000, 1);         /* overlapping RAM */
	add(0x2ff000, 0, 1);               /* empty */
	add_sized(28, 0x300000, ~0ULL, 1); /* extended entry, length wraps: clipped */
	put_info(X86_MULTIBOOT_INFO_MMAP, 0);
	zassert_ok(run(0x100000, 0x400000));
	expect(ARRAY_SIZE(want), want);
}

ZTEST(x86_multiboot_parse, test_all_available_and_nothing_listed)
{
	static const uint64_t all[][2] = {{0x100000, 0x500000}};

	add(0, 0x10000000, 1);
	put_info(X86_MULTIBOOT_INFO_MMAP, 0);
	zassert_ok(run(0x100000, 0x500000));
	expect(0, NULL);

	before(NULL);
	add(0x10000000, 0x10000000, 1); /* RAM, but none in the range */
	put_info(X86_MULTIBOOT_INFO_MMAP, 0);
	zassert_ok(run(0x100000, 0x500000));
	expect(ARRAY_SIZE(all), all);
}

ZTEST(x86_multiboot_parse, test_mem_upper_fallback)
{
	static const uint64_t want[][2] = {{0x500000, 0x800000}};

	/* Flag 6 with an empty map: mem_upper (4 MiB above 1 MiB) decides. */
	put_info(X86_MULTIBOOT_INFO_MMAP | X86_MULTIBOOT_INFO_MEMORY, 4096);
	zassert_ok(run(0x100000, 0x800000));
	expect(ARRAY_SIZE(want), want);

	before(NULL);
	add(0, 0x10000000, 1); /* ignored: flag 6 clear */
	put_info(X86_MULTIBOOT_INFO_MEMORY, 4096);
	zassert_ok(run(0x100000, 0x800000));
	expect(ARRAY_SIZE(want), want);
}

ZTEST(x86_multiboot_parse, test_no_information)
{
	add(0, 0x10000000, 1);
	put_info(0, 4096);
	zassert_equal(run(0x100000, 0x800000), -ENOENT);
	expect(0, NULL);
}

ZTEST(x86_multiboot_parse, test_malformed_entry_ends_the_map)
{
	static const uint64_t want[][2] = {{0x200000, 0x400000}};

	add(0x100000, 0x100000, 1);
	add_sized(8, 0x200000, 0x100000, 1); /* too short: it and the rest are ignored */
	add(0x300000, 0x100000, 1);
	put_info(X86_MULTIBOOT_INFO_MMAP, 0);
	zassert_ok(run(0x100000, 0x400000));
	expect(ARRAY_SIZE(want), want);

	/* A map length that cuts the last entry short drops that entry. */
	before(NULL);
	add(0x100000, 0x100000, 1);
	add(0x200000, 0x200000, 1);
	mmap_end -= 3;
	put_info(X86_MULTIBOOT_INFO_MMAP, 0);
	zassert_ok(run(0x100000, 0x400000));
	expect(ARRAY_SIZE(want), want);
}

ZTEST(x86_multiboot_parse, test_arch_reserved_pages_update)
{
	static const uint64_t ram_end = CONFIG_SRAM_BASE_ADDRESS + CONFIG_SRAM_SIZE * 1024ULL;
	static const uint64_t want[][2] = {{ram_end - 0x2000, ram_end}};

	/* No information at all: a warning, nothing reserved or mapped. */
	arch_reserved_pages_update();
	expect(0, NULL);
	zassert_equal(num_unmaps, 0);

	add(0, ram_end - 0x2000, 1);
	put_info(X86_MULTIBOOT_INFO_MMAP, 0);
	z_x86_multiboot_info_phys = INFO_PHYS;
	arch_reserved_pages_update();
	expect(ARRAY_SIZE(want), want);
	zassert_equal(num_unmaps, 1, "the scratch page must be unmapped after");
}

/* ---- random maps against the model ------------------------------------------------------ */

#define UNIT      0x100
#define UNITS     256
#define RAM_BASE  0x100000
#define RAM_UNITS 192 /* the range checked: units [32, 224) of the space */

static uint32_t rng = 0x12345678;

static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

ZTEST(x86_multiboot_parse, test_random_maps_against_model)
{
	uint64_t space = RAM_BASE - 32 * UNIT; /* the map may start below the range */
	uint64_t ram_start = RAM_BASE;
	uint64_t ram_end = RAM_BASE + RAM_UNITS * UNIT;

	for (int round = 0; round < 3000; round++) {
		bool ram[UNITS] = {false};
		bool other[UNITS] = {false};
		bool reserved[UNITS] = {false};
		unsigned int entries = next_random() % 9;

		before(NULL);
		for (unsigned int e = 0; e < entries; e++) {
			unsigned int first = next_random() % UNITS;
			unsigned int count = next_random() % (UNITS / 2);
			uint32_t type = (next_random() % 3 == 0) ? 2 + next_random() % 3 : 1;

			count = MIN(count, UNITS - first);
			add(space + first * UNIT, (uint64_t)count * UNIT, type);
			for (unsigned int u = first; u < first + count; u++) {
				if (type == 1) {
					ram[u] = true;
				} else {
					other[u] = true;
				}
			}
		}
		put_info(X86_MULTIBOOT_INFO_MMAP | X86_MULTIBOOT_INFO_MEMORY, 1);
		if (entries == 0) {
			/* Empty map: the mem_upper fallback ([1 MiB, +1 KiB)). */
			for (unsigned int u = 0; u < UNITS; u++) {
				ram[u] = space + u * UNIT >= 0x100000 &&
					 space + u * UNIT < 0x100000 + 1024;
			}
		}
		zassert_ok(run(ram_start, ram_end));

		uint64_t previous_end = 0;

		for (size_t c = 0; c < num_calls; c++) {
			zassert_true(calls[c].size > 0, "round %d: empty reservation", round);
			zassert_true(calls[c].phys >= ram_start &&
				     calls[c].phys + calls[c].size <= ram_end);
			zassert_true(c == 0 || calls[c].phys > previous_end,
				     "round %d: reservations not ascending and maximal", round);
			previous_end = calls[c].phys + calls[c].size;
			for (uint64_t a = calls[c].phys; a < previous_end; a += UNIT) {
				reserved[(a - space) / UNIT] = true;
			}
		}
		for (unsigned int u = 32; u < 32 + RAM_UNITS; u++) {
			zassert_equal(reserved[u], !(ram[u] && !other[u]),
				      "round %d: unit 0x%lx reserved %d, ram %d, other %d", round,
				      (unsigned long)(space + u * UNIT), reserved[u], ram[u],
				      other[u]);
		}
	}
}

ZTEST_SUITE(x86_multiboot_parse, NULL, NULL, before, NULL, NULL);
