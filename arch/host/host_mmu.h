/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host "architecture" of kernel/mm: a software MMU for a Linux x86_64
 * host program (the fuzzer), never part of a firmware image. What a test
 * program uses besides the kernel's own API (the clock and console of the
 * host port are in host_port.h).
 *
 * Physical memory is one memfd: RAM [CONFIG_SRAM_BASE_ADDRESS, +SRAM) and a
 * small "device" [HOST_DEV_BASE, +HOST_DEV_SIZE) of plain memory; any other
 * physical address is open bus (reads 0xFF, writes vanish). The top
 * HOST_RESERVED_FRAMES frames of RAM are reserved (a firmware area the kernel
 * never allocates), so a test may alias them through physical mappings.
 *
 * The page table is one 64-bit entry per page of the kernel window, kept in
 * host memory and mirrored onto the host pages of the window: a page the
 * generic code touches is mapped there (the memfd at the frame, read-only
 * or read-write) if its entry allows the access, which sets the entry's
 * accessed and dirty bits; otherwise the access crashes, as on hardware.
 * The accessors below walk the table like the hardware: they call
 * z_mem_page_fault() on a fault and set accessed and dirty bits.
 */
#ifndef PAGODA_ARCH_HOST_HOST_MMU_H
#define PAGODA_ARCH_HOST_HOST_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_PAGE            ((uintptr_t)CONFIG_MMU_PAGE_SIZE)
#define HOST_RAM_BASE        ((uintptr_t)CONFIG_SRAM_BASE_ADDRESS)
#define HOST_RAM_SIZE        ((size_t)CONFIG_SRAM_SIZE * 1024U)
#define HOST_RESERVED_FRAMES 4U
#define HOST_DEV_BASE        ((uintptr_t)0xFE000000)
#define HOST_DEV_SIZE        ((size_t)8 * HOST_PAGE)
/* The highest physical address an entry can name: 52 bits, as in IA-32e. */
#define HOST_PHYS_MAX        (((uintptr_t)1 << 52) - 1U)
#define HOST_VM_BASE         ((uintptr_t)CONFIG_KERNEL_VM_BASE)
#define HOST_VM_SIZE         ((size_t)CONFIG_KERNEL_VM_SIZE)
#define HOST_VM_PAGES        (HOST_VM_SIZE / HOST_PAGE)
/* The fake kernel image at the bottom of the window (arch/host/image.c):
 * text, rodata, then data and bss, loaded at the bottom of RAM.
 */
#define HOST_IMAGE_PAGES     4U

/* Once per process: the memfd, the window reservation. Exits on failure. */
void host_mmu_init(void);

/*
 * Back to the state at boot, before z_mem_manage_init(): only the image
 * mapped, RAM filled with HOST_POISON, the device memory and the reserved
 * frames zeroed, the clock at 0, the fault count at 0.
 */
#define HOST_POISON 0xA5
void host_mmu_reset(void);

/*
 * Accesses through the page table, as the CPU would make them. A fault
 * calls z_mem_page_fault(va, true, false) and retries while it returns
 * true (a third resolved fault for one page that the handler left
 * present, or a 17th in all, is reported as a livelock through
 * host_mmu_livelocks(); a page an interrupt paged out again between the
 * handler's return and the retry faults anew). Each returns the bytes done before the
 * first access that stayed a fault: len when everything was allowed.
 * exec reads like an instruction fetch: it needs an executable page.
 */
size_t host_mmu_read(uintptr_t va, void *buf, size_t len);
size_t host_mmu_write(uintptr_t va, const void *buf, size_t len);
size_t host_mmu_exec(uintptr_t va, void *buf, size_t len);

/* Faults z_mem_page_fault() resolved for the accessors since the reset. */
uint64_t host_mmu_faults_resolved(void);
/* Accesses for which the fault handler kept returning true. */
uint64_t host_mmu_livelocks(void);

/* The host memory behind a physical address, or NULL (open bus). */
uint8_t *host_phys_ptr(uintptr_t phys);

/* A hash of every entry but its accessed bit: cheaper than the kernel's
 * z_mm_state_digest() where a test compares states very often.
 */
uint64_t host_mmu_fingerprint(void);

/* The raw entry of a window page (tests' diagnostics only). */
uint64_t host_mmu_entry(uintptr_t va);

#endif /* PAGODA_ARCH_HOST_HOST_MMU_H */
