/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's section attributes, linker symbols, app linker fragments,
 * x86 page-table helpers, application system calls and per-thread paging
 * statistics, by the names the reference's suites use.
 */
#ifdef CONFIG_ZTEST
#include <zephyr/arch/x86/mmustructs.h>
#include <zephyr/kernel.h>
#include <zephyr/kernel/mm.h>
#include <zephyr/kernel/mm/demand_paging.h>
#include <zephyr/linker/linker-defs.h>
#include <zephyr/linker/sections.h>
#include <zephyr/toolchain.h>
#include <zephyr/ztest.h>

#include <mmu.h>
#include <x86_mmu.h>

#include "compat_syscalls.h"

#define PAGE CONFIG_MMU_PAGE_SIZE

static bool in_range(const void *p, const void *start, const void *end)
{
	return (uintptr_t)p >= (uintptr_t)start && (uintptr_t)p < (uintptr_t)end;
}

/* ---- section attributes ------------------------------------------------------- */

static __noinit uint32_t noinit_word;
static __pinned_noinit uint8_t pinned_noinit_buf[64];
static __pinned_bss uint32_t pinned_bss_word;
static __pinned_data uint32_t pinned_data_word = 0x5a5a5a5aU;
static __pinned_rodata const uint32_t pinned_rodata_word = 0xa5a5a5a5U;

__pinned_func static int pinned_twice(int x)
{
	return 2 * x;
}

/* Collected by compat-sections.ld into a section of its own. */
__in_section_unique(compat_frag) __used static void frag_set(int *x)
{
	*x = 42;
}

/* Collected, sorted by name, inside .rodata by compat-rodata.ld. */
extern const uint32_t __compat_table_start[], __compat_table_end[];
extern char __compat_frag_start[], __compat_frag_end[];
static const uint32_t table_b __in_section(compat_table, b, 2) __used = 2;
static const uint32_t table_a __in_section(compat_table, a, 1) __used = 1;

ZTEST(compat_sections, test_pinned_and_noinit_placement)
{
	zassert_true(in_range(&noinit_word, lnkr_pinned_noinit_start, lnkr_pinned_noinit_end));
	zassert_true(in_range(pinned_noinit_buf, lnkr_pinned_noinit_start, lnkr_pinned_noinit_end));
	zassert_true(in_range(&pinned_bss_word, lnkr_pinned_bss_start, lnkr_pinned_bss_end));
	zassert_equal(pinned_bss_word, 0U, ".bss is zeroed at boot");
	zassert_true(in_range(&pinned_data_word, lnkr_pinned_data_start, lnkr_pinned_data_end));
	zassert_equal(pinned_data_word, 0x5a5a5a5aU);
	zassert_true(
		in_range(&pinned_rodata_word, lnkr_pinned_rodata_start, lnkr_pinned_rodata_end));
	zassert_true(in_range((void *)pinned_twice, lnkr_pinned_text_start, lnkr_pinned_text_end));
	zassert_equal(pinned_twice(21), 42);
	/* Pinned is the whole image after the boot page. */
	zassert_equal((uintptr_t)lnkr_pinned_start, (uintptr_t)__text_region_start);
	zassert_equal((uintptr_t)lnkr_pinned_end, (uintptr_t)Z_KERNEL_VIRT_END);
}

ZTEST(compat_sections, test_region_symbols)
{
	zassert_equal((uintptr_t)__text_region_size,
		      (uintptr_t)(__text_region_end - __text_region_start));
	zassert_equal((uintptr_t)__rodata_region_size,
		      (uintptr_t)(__rodata_region_end - __rodata_region_start));
	zassert_true(in_range((void *)pinned_twice, __text_region_start, __text_region_end));
	zassert_true(in_range(&pinned_rodata_word, __rodata_region_start, __rodata_region_end));
	zassert_equal((uintptr_t)__text_region_start % PAGE, 0U);
	zassert_equal((uintptr_t)__rodata_region_start % PAGE, 0U);
	zassert_equal((uintptr_t)__text_region_end, (uintptr_t)__rodata_region_start);
	/* The boot page: one page, at the RAM's base. */
	zassert_equal((uintptr_t)lnkr_boot_start, (uintptr_t)CONFIG_SRAM_BASE_ADDRESS);
	zassert_equal((uintptr_t)(lnkr_boot_end - lnkr_boot_start), (uintptr_t)PAGE);
	zassert_equal((uintptr_t)lnkr_boot_text_size, (uintptr_t)PAGE);
	/* (A zero-size symbol compared with 0 would be folded: an object's address is never 0.) */
	zassert_equal((uintptr_t)lnkr_boot_rodata_end, (uintptr_t)lnkr_boot_rodata_start);
	/* The identity layout maps the boot page just below the kernel; on
	 * x86_64 it is the reference's locore, outside the mapped image.
	 */
	if (CONFIG_KERNEL_VM_BASE == CONFIG_SRAM_BASE_ADDRESS && !IS_ENABLED(CONFIG_X86_64)) {
		zassert_equal((uintptr_t)Z_KERNEL_VIRT_START, (uintptr_t)lnkr_boot_start);
	} else {
		zassert_equal((uintptr_t)Z_KERNEL_VIRT_START, (uintptr_t)__text_region_start);
	}
	zassert_equal((uintptr_t)K_MEM_VM_FREE_START, (uintptr_t)Z_KERNEL_VIRT_END);
	zassert_equal(K_MEM_PHYS_RAM_SIZE, (size_t)CONFIG_SRAM_SIZE * 1024U);
}

ZTEST(compat_sections, test_free_vm_start)
{
	uint8_t *p = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(p);
	/* Run-time mappings (and their guard page) lie above the image. */
	zassert_true((uintptr_t)p >= (uintptr_t)K_MEM_VM_FREE_START + PAGE);
	zassert_true((uintptr_t)p < (uintptr_t)K_MEM_VIRT_RAM_END);
	zassert_equal(k_mem_unmap(p, PAGE), 0);
}

ZTEST(compat_sections, test_app_linker_fragments)
{
	int x = 0;
	void (*fn)(int *) = frag_set;

	/* SECTIONS: its own page-aligned output section, executable, not writable. */
	zassert_true(in_range((void *)fn, __compat_frag_start, __compat_frag_end));
	zassert_equal((uintptr_t)__compat_frag_start % PAGE, 0U);
	zassert_equal((uintptr_t)fn, (uintptr_t)__compat_frag_start, "SUBALIGN: first");
	fn(&x);
	zassert_equal(x, 42);

	int level;
	pentry_t entry;

	z_x86_pentry_get(&level, &entry, z_x86_page_tables_get(), __compat_frag_start);
	zassert_true((entry & MMU_P) != 0);
	zassert_equal(entry & (MMU_RW | MMU_XD), 0, "read-only, executable");

	/* RODATA: lines inside .rodata, sorted by section name. */
	zassert_true(in_range(__compat_table_start, __rodata_region_start, __rodata_region_end));
	zassert_equal(__compat_table_end - __compat_table_start, 2);
	zassert_equal(__compat_table_start[0], table_a);
	zassert_equal(__compat_table_start[1], table_b);
}

ZTEST_SUITE(compat_sections, NULL, NULL, NULL, NULL, NULL);

/* ---- x86 page-table helpers --------------------------------------------------- */

static pentry_t entry_of(const void *addr, int *level)
{
	pentry_t entry;

	z_x86_pentry_get(level, &entry, z_x86_page_tables_get(), (void *)addr);
	return entry;
}

#ifdef CONFIG_X86_64
extern char _locore_start[], _lodata_end[];

/* The reference's locore (the boot page): present, read-only, executable,
 * never user-accessible; kernel text is, with CONFIG_USERSPACE.
 */
ZTEST(compat_x86, test_locore_supervisor_only)
{
	int level;
	pentry_t e = entry_of(_locore_start, &level);

	zassert_equal((uintptr_t)(_lodata_end - _locore_start), (uintptr_t)PAGE);
	zassert_equal(e & (MMU_P | MMU_RW | MMU_US | MMU_XD), MMU_P, "locore entry " PRI_ENTRY, e);
	zassert_true((uintptr_t)_locore_start < (uintptr_t)Z_KERNEL_VIRT_START,
		     "the locore is inside the mapped image");
	e = entry_of(__text_region_start, &level);
	zassert_equal(e & MMU_US, IS_ENABLED(CONFIG_USERSPACE) ? MMU_US : 0U, "text " PRI_ENTRY, e);
}
#endif

ZTEST(compat_x86, test_bit_names)
{
	zassert_equal(MMU_P, Z_X86_MMU_P);
	zassert_equal(MMU_RW, 2U);
	zassert_equal(MMU_US, 4U);
	zassert_equal(MMU_G, 0x100U);
#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)
	zassert_equal(MMU_XD, 1ULL << 63);
#else
	zassert_equal(MMU_XD, 0U, "no execute-disable in 32-bit paging");
#endif
	zassert_equal(z_x86_thread_page_tables_get(k_current_get()), z_x86_page_tables_get());
}

ZTEST(compat_x86, test_pentry_get_image)
{
	int level;
	pentry_t e;

	e = entry_of((void *)pinned_twice, &level);
	zassert_equal(level, Z_X86_NUM_LEVELS - 1, "a 4 KiB page");
	zassert_equal(e & (MMU_P | MMU_RW | MMU_XD), MMU_P, "text: read-only, executable");

	e = entry_of(&pinned_rodata_word, &level);
	zassert_equal(level, Z_X86_NUM_LEVELS - 1);
	zassert_equal(e & (MMU_P | MMU_RW | MMU_XD), MMU_P | MMU_XD, "rodata: read-only");

	e = entry_of(&pinned_bss_word, &level);
	zassert_equal(e & (MMU_P | MMU_RW | MMU_XD), MMU_P | MMU_RW | MMU_XD, "bss: RW");

	e = entry_of(lnkr_boot_start, &level);
	zassert_equal(e & (MMU_P | MMU_RW | MMU_XD), MMU_P, "boot page: read-only, executable");

	/* The frame the entry names is the page's physical address. */
	e = entry_of(&pinned_bss_word, &level);
	zassert_equal((uintptr_t)(e & X86_MMU_ADDR_MASK),
		      ROUND_DOWN(k_mem_phys_addr(&pinned_bss_word), PAGE));
}

ZTEST(compat_x86, test_pentry_get_mappings)
{
	int level;
	pentry_t e;

	e = entry_of(NULL, &level);
	zassert_equal(e & MMU_P, 0, "the NULL page is never present");

	uint8_t *p = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	zassert_not_null(p);
	e = entry_of(p, &level);
	zassert_equal(level, Z_X86_NUM_LEVELS - 1);
	zassert_equal(e & (MMU_P | MMU_RW | MMU_XD), MMU_P | MMU_RW | MMU_XD);
	/* The guard page before it is not present (the walk may stop anywhere). */
	e = entry_of(p - PAGE, &level);
	zassert_equal(e & MMU_P, 0);
	zassert_equal(k_mem_unmap(p, PAGE), 0);
	e = entry_of(p, &level);
	zassert_equal(e & MMU_P, 0, "unmapped");

	/* A walk from the tables the dump reads: it must not fault. */
	z_x86_dump_page_tables(z_x86_page_tables_get());
}

ZTEST_SUITE(compat_x86, NULL, NULL, NULL, NULL, NULL);

/* ---- application system calls ----------------------------------------------------- */

static unsigned int impl_calls;

int z_impl_compat_add(int a, int b)
{
	impl_calls++;
	return a + b;
}

void z_impl_compat_store(uint32_t *where, uint32_t value)
{
	impl_calls++;
	*where = value;
}

int z_impl_compat_unimplemented(int a)
{
	impl_calls++;
	return a;
}

#ifdef CONFIG_USERSPACE
/* The reference's pattern: the verification, then its generated marshaller. */
#include <syscall_handler.h>

int z_vrfy_compat_add(int a, int b)
{
	return z_impl_compat_add(a, b);
}
#include <syscalls/compat_add_mrsh.c>

void z_vrfy_compat_store(uint32_t *where, uint32_t value)
{
	K_OOPS(K_SYSCALL_MEMORY_WRITE(where, sizeof(*where)));
	z_impl_compat_store(where, value);
}
#include <zephyr/syscalls/compat_store_mrsh.c>
#endif

ZTEST(compat_syscalls, test_generated_wrappers)
{
	uint32_t word = 0;
	unsigned int before = impl_calls;

	zassert_equal(compat_add(2, 40), 42);
	compat_store(&word, 7U);
	zassert_equal(word, 7U);
	zassert_equal(compat_unimplemented(5), 5, "supervisor mode needs no verification");
	zassert_equal(impl_calls - before, 3U, "each call reaches its z_impl_ function");
}

/*
 * From user mode the wrappers trap: z_impl_ counts in kernel data, which
 * user mode could not write, and the verification refuses kernel memory.
 * (Without CONFIG_USERSPACE these run in supervisor mode, as the reference's.)
 */
ZTEST_USER(compat_syscalls, test_user_mode_traps)
{
	uint32_t word = 0;

	zassert_equal(compat_add(-2, 44), 42);
	compat_store(&word, 9U); /* the caller's own stack */
	zassert_equal(word, 9U);
}

ZTEST_USER(compat_syscalls, test_user_mode_verification)
{
	ztest_set_fault_valid(IS_ENABLED(CONFIG_USERSPACE));
	compat_store((uint32_t *)&impl_calls, 1U);
	zassert_false(IS_ENABLED(CONFIG_USERSPACE), "wrote kernel data through a system call");
}

/* A call the application declared but never verified (its _mrsh.c is not
 * included): from user mode it ends the caller, as the reference's
 * unimplemented calls do; the implementation never runs.
 */
ZTEST_USER(compat_syscalls, test_user_mode_unimplemented)
{
	ztest_set_fault_valid(IS_ENABLED(CONFIG_USERSPACE));
	(void)compat_unimplemented(6);
	zassert_false(IS_ENABLED(CONFIG_USERSPACE), "an unverified system call ran");
}

ZTEST_SUITE(compat_syscalls, NULL, NULL, NULL, NULL, NULL);

/* ---- per-thread paging statistics -------------------------------------------------- */

#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
static K_THREAD_STACK_DEFINE(pager_stack, 4096);
static struct k_thread pager;
static int pager_result;

static void pager_entry(void *p1, void *p2, void *p3)
{
	volatile uint8_t *page = p1;

	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	page[0] = 1;                                       /* dirty */
	pager_result = k_mem_page_out((void *)page, PAGE); /* one dirty eviction */
	page[0] = 2;                                       /* one fault */
}

ZTEST(compat_thread_stats, test_counts_in_the_thread_that_pages)
{
	struct k_mem_paging_stats_t mine_before, mine_after, child, global_before, global_after;
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(page);
	page[0] = 0;
	k_mem_paging_thread_stats_get(k_current_get(), &mine_before);
	k_mem_paging_stats_get(&global_before);

	k_thread_create(&pager, pager_stack, K_THREAD_STACK_SIZEOF(pager_stack), pager_entry, page,
			NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	zassert_equal(k_thread_join(&pager, K_FOREVER), 0);
	zassert_equal(pager_result, 0);

	k_mem_paging_thread_stats_get(&pager, &child);
	k_mem_paging_thread_stats_get(k_current_get(), &mine_after);
	k_mem_paging_stats_get(&global_after);

	zassert_equal(child.pagefaults.cnt, 1UL, "the fault counts in the thread that took it");
	zassert_equal(child.eviction.dirty, 1UL, "the page-out counts in the thread that made it");
	zassert_equal(child.eviction.clean, 0UL);
	zassert_equal(mine_after.pagefaults.cnt, mine_before.pagefaults.cnt, "not in this thread");
	zassert_equal(mine_after.eviction.dirty, mine_before.eviction.dirty);
	zassert_equal(global_after.pagefaults.cnt - global_before.pagefaults.cnt, 1UL);
	zassert_equal(page[0], 2);
	zassert_equal(k_mem_unmap(page, PAGE), 0);
}

ZTEST_SUITE(compat_thread_stats, NULL, NULL, NULL, NULL, NULL);
#endif /* CONFIG_DEMAND_PAGING_THREAD_STATS */

/* ---- histograms timed with the timing API, the app's bin bounds ------------------ */

#ifdef CONFIG_DEMAND_PAGING_STATS_USING_TIMING_FUNCTIONS
#define BINS CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS

/* The application's bounds replace the kernel's weak ones (the reference's rule). */
unsigned long k_mem_paging_eviction_histogram_bounds[BINS];
unsigned long k_mem_paging_backing_store_histogram_bounds[BINS];

static void *set_bounds(void)
{
	for (unsigned int i = 0; i < BINS; i++) {
		/* Eviction: bin 0 takes everything up to a huge bound. */
		k_mem_paging_eviction_histogram_bounds[i] = 0x40000000UL + i;
		k_mem_paging_backing_store_histogram_bounds[i] = 1000UL * (i + 1U);
	}
	return NULL;
}

static unsigned long total(const struct k_mem_paging_histogram_t *h)
{
	unsigned long sum = 0;

	for (unsigned int i = 0; i < BINS; i++) {
		sum += h->counts[i];
	}
	return sum;
}

ZTEST(compat_paging_timing, test_app_bounds_and_counts)
{
	struct k_mem_paging_histogram_t out_before, out_after, hist;
	uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(page);
	page[0] = 1;
	k_mem_paging_histogram_backing_store_page_out_get(&out_before);
	zassert_equal(k_mem_page_out(page, PAGE), 0);
	k_mem_paging_histogram_backing_store_page_out_get(&out_after);
	zassert_equal(total(&out_after) - total(&out_before), 1UL, "one page-out timed");

	for (unsigned int i = 0; i < BINS - 1; i++) {
		zassert_equal(out_after.bounds[i], 1000UL * (i + 1U), "the app's bound %u", i);
	}
	zassert_equal(out_after.bounds[BINS - 1], (unsigned long)-1, "the last bin takes the rest");

	k_mem_paging_histogram_eviction_get(&hist);
	zassert_equal(hist.bounds[0], 0x40000000UL);
	zassert_equal(total(&hist), hist.counts[0], "every eviction is below the first bound");
	zassert_equal(page[0], 1);
	zassert_equal(k_mem_unmap(page, PAGE), 0);
}

ZTEST_SUITE(compat_paging_timing, NULL, set_bounds, NULL, NULL, NULL);
#endif /* CONFIG_DEMAND_PAGING_STATS_USING_TIMING_FUNCTIONS */

#endif /* CONFIG_ZTEST */
