/* SPDX-License-Identifier: Apache-2.0 */
/* Paging statistics and timing histograms (k_mem_paging_stats_get() and friends). */
#include <kernel.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <paging.h>
#include <string.h>

#include "paging_stats.h"

static struct k_mem_paging_stats_t stats;

/* The getters return nothing: a NULL output is reported, never written. */
static bool out_given(const char *fn, const void *out)
{
	if (out == NULL) {
		MM_ERR("%s: the output pointer is NULL", fn);
	}
	return out != NULL;
}

void k_mem_paging_stats_get(struct k_mem_paging_stats_t *out)
{
	if (!out_given(__func__, out)) {
		return;
	}

	unsigned int key = irq_lock();

	*out = stats;
	irq_unlock(key);
}

static struct z_paging_sleep_stats sleep_stats;

void z_paging_sleep_stats_get(struct z_paging_sleep_stats *out)
{
	unsigned int key = irq_lock();

	*out = sleep_stats;
	irq_unlock(key);
}

void z_paging_count_transit_wait(bool out)
{
	if (out) {
		sleep_stats.waits_write++;
	} else {
		sleep_stats.waits_read++;
	}
}

void z_paging_count_sleeping_transfer(bool out)
{
	if (out) {
		sleep_stats.writes_slept++;
	} else {
		sleep_stats.reads_slept++;
	}
}

void z_paging_count_fault_wrote(bool wrote)
{
	sleep_stats.faults++;
	sleep_stats.faults_wrote += wrote ? 1U : 0U;
}

void z_paging_count_pool_frame(void)
{
	sleep_stats.pool_frames++;
}

void z_paging_count_write_retry(void)
{
	sleep_stats.write_retries++;
}

#ifdef CONFIG_DEMAND_PAGING_STATS
void z_paging_count_fault(bool irq_was_enabled, bool in_isr)
{
	stats.pagefaults.cnt++;
	if (in_isr) {
		stats.pagefaults.in_isr++;
	}
	if (irq_was_enabled) {
		stats.pagefaults.irq_unlocked++;
	} else {
		stats.pagefaults.irq_locked++;
	}
}

void z_paging_count_eviction(bool dirty)
{
	if (dirty) {
		stats.eviction.dirty++;
	} else {
		stats.eviction.clean++;
	}
}
#endif

#ifdef CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM
#define NUM_BINS K_MEM_PAGING_HISTOGRAM_BINS

static struct k_mem_paging_histogram_t eviction_hist, page_in_hist, page_out_hist;

/* Bin i holds durations up to FIRST_BOUND << i; the last bin takes the rest. */
static void record(struct k_mem_paging_histogram_t *hist, uint64_t cycles)
{
	uint64_t bound = CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_FIRST_BOUND;
	unsigned int bin = 0;

	while (bin < NUM_BINS - 1 && cycles > bound) {
		bound <<= 1;
		bin++;
	}
	hist->counts[bin]++;
}

void z_paging_histogram_eviction(uint64_t cycles)
{
	record(&eviction_hist, cycles);
}

void z_paging_histogram_page_in(uint64_t cycles)
{
	record(&page_in_hist, cycles);
}

void z_paging_histogram_page_out(uint64_t cycles)
{
	record(&page_out_hist, cycles);
}

static void copy_out(const struct k_mem_paging_histogram_t *hist,
		     struct k_mem_paging_histogram_t *out)
{
	unsigned int key = irq_lock();

	*out = *hist;
	irq_unlock(key);
	for (unsigned int i = 0; i < NUM_BINS; i++) {
		out->bounds[i] =
			(i == NUM_BINS - 1)
				? (unsigned long)-1
				: (unsigned long)CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_FIRST_BOUND
					  << i;
	}
}
#else
/* Without histograms every count reads as zero. */
#define copy_out(hist, out) memset((out), 0, sizeof(*(out)))
#endif

void k_mem_paging_histogram_eviction_get(struct k_mem_paging_histogram_t *hist)
{
	if (!out_given(__func__, hist)) {
		return;
	}
	copy_out(&eviction_hist, hist);
}

void k_mem_paging_histogram_backing_store_page_in_get(struct k_mem_paging_histogram_t *hist)
{
	if (!out_given(__func__, hist)) {
		return;
	}
	copy_out(&page_in_hist, hist);
}

void k_mem_paging_histogram_backing_store_page_out_get(struct k_mem_paging_histogram_t *hist)
{
	if (!out_given(__func__, hist)) {
		return;
	}
	copy_out(&page_out_hist, hist);
}
