/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory-management API. Names, flag values and meanings follow Zephyr (the
 * reference RTOS: k_mem_map() and friends), so applications port unchanged.
 *
 * Deliberate differences, all in the caller's favour:
 * - Misuse is an error return, never an assertion: the unmap functions and
 *   k_mem_map_phys_bare() return int (0 or a negative errno) where Zephyr's
 *   versions return void; a call that ignores the result still compiles.
 *   Every failed call prints one "<err> mm:" line and changes nothing.
 * - k_mem_unmap() refuses (-EINVAL) an address or size that is not exactly
 *   a region k_mem_map() returned, and an unmap of the wrong kind (anonymous
 *   vs physical).
 * - K_MEM_PERM_USER is refused (-ENOTSUP / NULL) without CONFIG_USERSPACE.
 *   With it, the mapping is user-accessible in the kernel's page tables,
 *   which every memory domain's tables share: every user thread of every
 *   domain may use it (as in the reference's x86 port).
 * - k_mem_map() memory is zeroed even when mapped read-only.
 * - W^X: K_MEM_PERM_RW together with K_MEM_PERM_EXEC is refused by every
 *   call here (-EINVAL / NULL) unless CONFIG_MM_ALLOW_WRITE_EXEC=y.
 * - A physical mapping (k_mem_map_phys_bare(), k_mem_map_phys_guard()) of
 *   RAM may alias only reserved frames (not usable RAM) and the kernel
 *   image; it is refused (-EINVAL / NULL) for a free frame, a frame of
 *   anonymous memory, the frame database, the page tables, and (writable)
 *   kernel text and rodata: those belong to the memory manager, which
 *   would free or reuse them under the alias.
 * - k_mem_update_flags() changes only what k_mem_map*() mapped: the kernel
 *   image and the scratch page are refused (-EINVAL).
 *
 * From an interrupt handler every call here is served, with one exception
 * under CONFIG_DEMAND_PAGING_ALLOW_IRQ, where a handler may interrupt a
 * backing-store transfer: a call touching the page in transit is refused
 * with -EBUSY (k_mem_unmap(), k_mem_update_flags()); see demand_paging.h.
 *
 * From any thread every call is safe under preemption: each runs with
 * interrupts locked, and where a transfer runs with them enabled
 * (ALLOW_IRQ) the scheduler switches no other thread in until it ends.
 *
 * With CONFIG_DEMAND_PAGING_SLEEP (the disk store) a thread's transfer
 * sleeps instead and other threads run meanwhile. A page being moved is
 * busy (paging in or paging out): k_mem_unmap() and k_mem_update_flags()
 * of a range holding a busy page, called by a thread that may block, wait
 * until its transfer ends and then do their work (an interrupt handler, a
 * thread holding the scheduler lock or with interrupts locked still gets
 * -EBUSY). k_mem_page_out(), k_mem_page_in(), k_mem_pin() and page faults
 * wait the same way (<kernel/mm/demand_paging.h>).
 */
#ifndef PAGODA_INCLUDE_KERNEL_MM_H
#define PAGODA_INCLUDE_KERNEL_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/util.h>

/* Cache modes (a value, not bits: exactly one applies). */
#define K_MEM_CACHE_NONE 2
#define K_MEM_CACHE_WT   1
#define K_MEM_CACHE_WB   0
#define K_MEM_CACHE_MASK (BIT(3) - 1)

/* Permissions; a mapping without K_MEM_PERM_RW is read-only, one without
 * K_MEM_PERM_EXEC non-executable (where the paging mode can say so).
 */
#define K_MEM_PERM_RW   BIT(3)
#define K_MEM_PERM_EXEC BIT(4)
#define K_MEM_PERM_USER BIT(5)

/* k_mem_map() options. */
#define K_MEM_MAP_UNINIT BIT(16) /* do not zero the memory */
#define K_MEM_MAP_LOCK   BIT(17) /* pin the frames: never paged out */

/*
 * Map size bytes (a non-zero multiple of CONFIG_MMU_PAGE_SIZE) of anonymous
 * memory with an unmapped guard page on each side, zero-filled unless
 * K_MEM_MAP_UNINIT. flags: K_MEM_PERM_RW, K_MEM_PERM_EXEC, K_MEM_MAP_*; no
 * cache mode (always write-back). Returns the address, or NULL (bad
 * arguments, or not enough free frames or virtual space; nothing leaks).
 * With demand paging an eager map (K_MEM_MAP_LOCK, or any map with
 * CONFIG_DEMAND_MAPPING=n) may exceed the free frames: it succeeds when
 * its pages are at most the free frames + the free backing-store
 * locations + the locations resident pages' clean copies hold (given up
 * as needed) - 1 (the location the store keeps for page faults), less
 * CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE for a map without
 * K_MEM_MAP_LOCK (those frames stay for locked maps and page faults: with
 * no copy held, k_mem_free_get() + the free locations - 1, the reference's
 * limit), costing one eviction per page beyond the free frames; beyond
 * that it fails with nothing changed. If it still fails midway (no page left to evict,
 * a store write error), the pages it evicted stay paged out (their data
 * is safe).
 */
void *k_mem_map_phys_guard(uintptr_t phys, size_t size, uint32_t flags, bool is_anon);

/*
 * Undo k_mem_map_phys_guard(): addr and size exactly as mapped. Anonymous
 * frames return to the free list; the virtual space (guards included) is
 * freed. Returns 0, or -EINVAL when [addr, addr + size) is not such a
 * region of that kind (wrong address or size, already unmapped).
 */
int k_mem_unmap_phys_guard(void *addr, size_t size, bool is_anon);

static inline void *k_mem_map(size_t size, uint32_t flags)
{
	return k_mem_map_phys_guard((uintptr_t)NULL, size, flags, true);
}

static inline int k_mem_unmap(void *addr, size_t size)
{
	return k_mem_unmap_phys_guard(addr, size, true);
}

/*
 * Map the physical range [phys, phys + size) (any alignment: the offset
 * into the first page is kept) with one K_MEM_CACHE_* mode and K_MEM_PERM_*
 * flags; *virt_ptr receives the virtual address of phys. For device MMIO or
 * aliases of RAM. Returns 0, or a negative errno (then *virt_ptr = NULL).
 */
int k_mem_map_phys_bare(uint8_t **virt_ptr, uintptr_t phys, size_t size, uint32_t flags);

/* Undo k_mem_map_phys_bare() with the same virt and size. 0 or -EINVAL. */
int k_mem_unmap_phys_bare(uint8_t *virt, size_t size);

/*
 * Change the permissions and cache mode of every page in [addr, addr +
 * size) (page-aligned, all mapped) to flags (K_MEM_PERM_*, K_MEM_CACHE_*).
 * Returns 0, or -EINVAL (nothing changed: also for the kernel image, the
 * scratch page, and RW | EXEC without CONFIG_MM_ALLOW_WRITE_EXEC). With
 * demand paging, paged-out pages of the range are brought in first (with
 * interrupts locked): -ENOMEM or -EIO when that fails (no permission
 * changed; pages already brought in stay resident); -EBUSY from an
 * interrupt handler when a page of the range is in transit in the code it
 * interrupted.
 */
int k_mem_update_flags(void *addr, size_t size, uint32_t flags);

/* Bytes of free RAM k_mem_map() can use. */
size_t k_mem_free_get(void);

/*
 * Align [addr, addr + size) outward to align: *aligned_addr and
 * *aligned_size receive the result; returns addr's offset into it.
 */
size_t k_mem_region_align(uintptr_t *aligned_addr, size_t *aligned_size, uintptr_t addr,
			  size_t size, size_t align);

/* Print the page-frame database, one character per frame, and totals. */
void k_mem_page_frames_dump(void);

/* Virtual minus physical address of the kernel image: the one definition. */
#define K_MEM_VIRT_OFFSET ((uintptr_t)CONFIG_KERNEL_VM_BASE - (uintptr_t)CONFIG_SRAM_BASE_ADDRESS)

/* Physical address of a kernel-image address, and back (image only). */
#define K_MEM_PHYS_ADDR(virt) ((uintptr_t)(virt) - (K_MEM_VIRT_OFFSET))
#define K_MEM_VIRT_ADDR(phys) ((void *)((uintptr_t)(phys) + K_MEM_VIRT_OFFSET))

static inline uintptr_t k_mem_phys_addr(void *virt)
{
	return K_MEM_PHYS_ADDR(virt);
}

static inline void *k_mem_virt_addr(uintptr_t phys)
{
	return K_MEM_VIRT_ADDR(phys);
}

/*
 * Pagoda extension: the K_MEM_PERM_* and K_MEM_CACHE_* flags the page at
 * addr was mapped with, in *flags, whether it is resident, still
 * demand-zero (not yet written) or paged out. Returns 0, or -EFAULT if
 * addr is not mapped.
 */
int k_mem_page_flags_get(const void *addr, uint32_t *flags);

/*
 * Pagoda extension: print the kernel image's memory map (each region's
 * virtual and physical range, size and live permissions) and how much of
 * the build-time page-table area is in use.
 */
void k_mem_layout_dump(void);

/*
 * Pagoda extension (CONFIG_MM_INVARIANTS): check every invariant of the
 * memory manager: the free list against the frame records, each mapped
 * frame against the page table, each page of the window against the
 * virtual regions, pinned frames resident, no frame or backing-store
 * location in two places. Each violation is printed as one
 * "<err> mm: invariant:" line. Returns the number of violations (0: all
 * hold). Must not be called while a memory-manager call is under way
 * (from an interrupt handler, say).
 */
int k_mem_check_invariants(void);

#endif /* PAGODA_INCLUDE_KERNEL_MM_H */
