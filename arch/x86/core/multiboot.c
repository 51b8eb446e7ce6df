/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch_reserved_pages_update(): reserve the frames of RAM that the loader's
 * multiboot memory map does not list as available. The information lies
 * below 1 MiB, which is not mapped, so it is read through the scratch page.
 */
#include <arch/mm.h>
#include <kernel.h>
#include <sys/errno.h>
#include <x86_cpu.h>
#include <x86_mmu.h>
#include <x86_multiboot.h>

BUILD_ASSERT(offsetof(struct x86_multiboot_info, mmap_addr) == 48, "multiboot layout");
BUILD_ASSERT(sizeof(struct x86_multiboot_mmap) == 24, "multiboot layout");

/* Where the available RAM is described: a memory map, or mem_upper alone. */
struct ram_source {
	z_x86_phys_read_t read;
	uintptr_t mmap_addr;
	uint32_t mmap_length; /* 0: no memory map, use upper_end */
	uint64_t upper_end;
};

/* Bytes at the start of the memory map made of well-formed entries. */
static uint32_t mmap_valid_length(z_x86_phys_read_t read, uintptr_t addr, uint32_t length)
{
	uint32_t offset = 0;

	while (length - offset >= sizeof(struct x86_multiboot_mmap)) {
		uint32_t size;

		read(&size, addr + offset, sizeof(size));
		if (size < sizeof(struct x86_multiboot_mmap) - sizeof(size) ||
		    size > length - offset - sizeof(size)) {
			break;
		}
		offset += size + sizeof(size);
	}
	if (offset != length) {
		/* Less RAM believed available is the safe side. */
		printk("warning: multiboot memory map: bad entry at byte %u of %u, ignoring the "
		       "rest\n",
		       offset, length);
	}
	return offset;
}

/* The next range of the source after *offset: [*base, *end) of *type. */
static bool range_next(const struct ram_source *src, uint32_t *offset, uint64_t *base,
		       uint64_t *end, uint32_t *type)
{
	struct x86_multiboot_mmap entry;

	if (src->mmap_length == 0) {
		/* Without a memory map: mem_upper, one range of RAM. */
		*base = X86_MULTIBOOT_UPPER_BASE;
		*end = src->upper_end;
		*type = X86_MULTIBOOT_MMAP_AVAILABLE;
		return (*offset)++ == 0;
	}
	if (*offset >= src->mmap_length) {
		return false;
	}
	src->read(&entry, src->mmap_addr + *offset, sizeof(entry));
	*offset += entry.size + sizeof(entry.size);
	*base = entry.base;
	*end = entry.base + MIN(entry.length, UINT64_MAX - entry.base);
	*type = entry.type;
	return true;
}

/*
 * Whether addr is available RAM: inside a range of type 1 and inside no
 * range of another type (overlaps resolve to reserved, the safe side).
 * *next receives the first address above addr where the answer may change.
 * One pass over the map per call: maps are a handful of entries, so no
 * copy, no sort and no size limit.
 */
static bool available_at(const struct ram_source *src, uint64_t addr, uint64_t *next)
{
	bool ram = false;
	bool other = false;
	uint32_t offset = 0;
	uint64_t base;
	uint64_t end;
	uint32_t type;

	*next = UINT64_MAX;
	while (range_next(src, &offset, &base, &end, &type)) {
		if (base > addr) {
			*next = MIN(*next, base);
		} else if (addr < end) {
			*next = MIN(*next, end);
			if (type == X86_MULTIBOOT_MMAP_AVAILABLE) {
				ram = true;
			} else {
				other = true;
			}
		}
	}
	return ram && !other;
}

int z_x86_multiboot_reserve(uintptr_t info_phys, uint64_t ram_start, uint64_t ram_end,
			    z_x86_phys_read_t read, z_x86_reserve_t reserve)
{
	struct x86_multiboot_info info;
	struct ram_source src = {.read = read};

	read(&info, info_phys, sizeof(info));
	if ((info.flags & X86_MULTIBOOT_INFO_MMAP) != 0) {
		src.mmap_addr = info.mmap_addr;
		src.mmap_length = mmap_valid_length(read, info.mmap_addr, info.mmap_length);
	}
	if (src.mmap_length == 0) {
		if ((info.flags & X86_MULTIBOOT_INFO_MEMORY) == 0) {
			printk("warning: multiboot information without memory map or mem_upper: "
			       "no frames reserved\n");
			return -ENOENT;
		}
		src.upper_end = X86_MULTIBOOT_UPPER_BASE + (uint64_t)info.mem_upper * 1024U;
	}

	/* Walk [ram_start, ram_end) from one change of availability to the next. */
	uint64_t hole = 0;
	bool in_hole = false;

	for (uint64_t addr = ram_start, next; addr < ram_end; addr = next) {
		bool available = available_at(&src, addr, &next);

		if (!available && !in_hole) {
			hole = addr;
			in_hole = true;
		} else if (available && in_hole) {
			reserve((uintptr_t)hole, (size_t)(addr - hole));
			in_hole = false;
		}
	}
	if (in_hole) {
		reserve((uintptr_t)hole, (size_t)(ram_end - hole));
	}
	return 0;
}

void arch_reserved_pages_update(void)
{
	if (z_x86_multiboot_info_phys == 0) {
		printk("warning: no multiboot information: no frames reserved\n");
		return;
	}
	(void)z_x86_multiboot_reserve(z_x86_multiboot_info_phys, (uint64_t)CONFIG_SRAM_BASE_ADDRESS,
				      (uint64_t)CONFIG_SRAM_BASE_ADDRESS +
					      CONFIG_SRAM_SIZE * 1024ULL,
				      z_x86_scratch_read, z_page_frames_reserve);
	arch_mem_unmap(ARCH_SCRATCH_PAGE, CONFIG_MMU_PAGE_SIZE);
}
