/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The paging statistics and histograms are system calls: a user thread
 * reads them into its own memory, and an output or thread it may not use
 * ends it (the reference's demand_paging suite calls them from ZTEST_USER).
 * The user cases keep their data on their stack: kernel data is
 * supervisor-only.
 */
#if defined(CONFIG_ZTEST) && defined(CONFIG_USERSPACE) && defined(CONFIG_DEMAND_PAGING)
#include <zephyr/kernel.h>
#include <zephyr/kernel/mm.h>
#include <zephyr/kernel/mm/demand_paging.h>
#include <zephyr/ztest.h>

#include <string.h>

#define PAGE CONFIG_MMU_PAGE_SIZE

/* Kernel data: user mode may name it, never write it. */
static struct k_mem_paging_stats_t kernel_stats;
static struct k_mem_paging_histogram_t kernel_hist;
/* A thread object never created: no kernel object to user mode. */
static struct k_thread never_created;

/* One dirty eviction and one fault back in, before any case runs. */
static void *page_once(void)
{
	volatile uint8_t *page = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(page);
	page[0] = 1;
	zassert_equal(k_mem_page_out((void *)page, PAGE), 0);
	zassert_equal(page[0], 1);
	zassert_equal(k_mem_unmap((void *)page, PAGE), 0);
	return NULL;
}

static unsigned long histogram_total(const struct k_mem_paging_histogram_t *h)
{
	unsigned long total = 0;

	for (unsigned int i = 0; i < K_MEM_PAGING_HISTOGRAM_BINS; i++) {
		total += h->counts[i];
		if (i > 0U) {
			zassert_true(h->bounds[i] >= h->bounds[i - 1U], "bounds out of order at %u",
				     i);
		}
	}
	return total;
}

ZTEST_USER(compat_user_paging_stats, test_stats_from_user_mode)
{
	struct k_mem_paging_stats_t stats;

	zassert_true(k_is_user_context());
	memset(&stats, 0, sizeof(stats));
	k_mem_paging_stats_get(&stats);
	zassert_true(stats.pagefaults.cnt >= 1UL, "the setup's fault is not seen");
	zassert_true(stats.eviction.dirty >= 1UL, "the setup's page-out is not seen");
}

ZTEST_USER(compat_user_paging_stats, test_thread_stats_from_user_mode)
{
	struct k_mem_paging_stats_t from_user, direct;

	memset(&from_user, 0xff, sizeof(from_user));
	k_mem_paging_thread_stats_get(k_current_get(), &from_user);
	/* This thread takes no paging fault of its own: whatever it had, it still has. */
	k_mem_paging_thread_stats_get(k_current_get(), &direct);
	zassert_mem_equal(&from_user, &direct, sizeof(direct));
	zassert_not_equal(from_user.pagefaults.cnt, ~0UL, "nothing was written");
}

ZTEST_USER(compat_user_paging_stats, test_histograms_from_user_mode)
{
	struct k_mem_paging_histogram_t hist;

	/* k_mem_page_out() selects no victim: the eviction histogram only has its bounds. */
	memset(&hist, 0, sizeof(hist));
	k_mem_paging_histogram_eviction_get(&hist);
	(void)histogram_total(&hist);
	zassert_not_equal(hist.bounds[K_MEM_PAGING_HISTOGRAM_BINS - 1U], 0UL,
			  "nothing was written");
	k_mem_paging_histogram_backing_store_page_out_get(&hist);
	zassert_true(histogram_total(&hist) >= 1UL, "the setup's page-out is not binned");
	k_mem_paging_histogram_backing_store_page_in_get(&hist);
	zassert_true(histogram_total(&hist) >= 1UL, "the setup's page-in is not binned");
}

/* Converting cycles reads the measured rate through a system call. */
ZTEST_USER(compat_user_paging_stats, test_cycle_rate_from_user_mode)
{
	uint64_t hz = sys_clock_hw_cycles_per_sec();

	zassert_true(k_is_user_context());
	zassert_true(hz >= 1000000U, "%llu Hz", (unsigned long long)hz);
	zassert_equal(sys_clock_hw_cycles_per_sec_runtime_get(), hz);
	zassert_equal(k_cyc_to_ns_floor64(hz), 1000000000ULL);
	zassert_equal(k_cyc_to_ms_ceil32(hz / 2U + 1U), 501U);
}

ZTEST_USER(compat_user_paging_stats, test_kernel_output_oopses)
{
	ztest_set_fault_valid(true);
	k_mem_paging_stats_get(&kernel_stats);
	zassert_unreachable("a user thread wrote kernel data through k_mem_paging_stats_get()");
}

ZTEST_USER(compat_user_paging_stats, test_null_output_oopses)
{
	ztest_set_fault_valid(true);
	k_mem_paging_histogram_eviction_get(NULL);
	zassert_unreachable("a NULL histogram output returned");
}

ZTEST_USER(compat_user_paging_stats, test_kernel_histogram_output_oopses)
{
	ztest_set_fault_valid(true);
	k_mem_paging_histogram_backing_store_page_in_get(&kernel_hist);
	zassert_unreachable("a user thread wrote kernel data through a histogram getter");
}

ZTEST_USER(compat_user_paging_stats, test_unknown_thread_oopses)
{
	struct k_mem_paging_stats_t stats;

	ztest_set_fault_valid(true);
	k_mem_paging_thread_stats_get(&never_created, &stats);
	zassert_unreachable("the statistics of no thread object were read");
}

ZTEST(compat_user_paging_stats, test_supervisor_reads_the_same)
{
	struct k_mem_paging_stats_t stats;

	zassert_false(k_is_user_context());
	k_mem_paging_stats_get(&kernel_stats);
	k_mem_paging_stats_get(&stats);
	zassert_true(stats.pagefaults.cnt >= kernel_stats.pagefaults.cnt);
	zassert_true(kernel_stats.eviction.dirty >= 1UL);
}

ZTEST_SUITE(compat_user_paging_stats, NULL, page_once, NULL, NULL, NULL);
#endif
