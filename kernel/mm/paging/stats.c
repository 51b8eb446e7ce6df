/* SPDX-License-Identifier: Apache-2.0 */
/* Paging statistics and timing histograms (k_mem_paging_stats_get() and friends). */
#include <kernel.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <paging.h>
#include <string.h>
#include <syscall_handler.h>

#include "paging_stats.h"
#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
#include <ksched.h>
#endif

struct k_mem_paging_stats_t z_paging_stats;

/* The getters return nothing: a NULL output is reported, never written. */
static bool out_given(const char *fn, const void *out)
{
	if (out == NULL) {
		MM_ERR("%s: the output pointer is NULL", fn);
	}
	return out != NULL;
}

void z_impl_k_mem_paging_stats_get(struct k_mem_paging_stats_t *out)
{
	if (!out_given(__func__, out)) {
		return;
	}

	unsigned int key = irq_lock();

	*out = z_paging_stats;
	irq_unlock(key);
}

struct z_paging_sleep_stats z_paging_sleep_stats;

void z_paging_sleep_stats_get(struct z_paging_sleep_stats *out)
{
	unsigned int key = irq_lock();

	*out = z_paging_sleep_stats;
	irq_unlock(key);
}

void z_paging_count_transit_wait(bool out)
{
	if (out) {
		z_paging_sleep_stats.waits_write++;
	} else {
		z_paging_sleep_stats.waits_read++;
	}
}

void z_paging_count_sleeping_transfer(bool out)
{
	if (out) {
		z_paging_sleep_stats.writes_slept++;
	} else {
		z_paging_sleep_stats.reads_slept++;
	}
}

void z_paging_count_pool_frame(void)
{
	z_paging_sleep_stats.pool_frames++;
}

void z_paging_count_write_retry(void)
{
	z_paging_sleep_stats.write_retries++;
}

#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
void z_impl_k_mem_paging_thread_stats_get(struct k_thread *thread, struct k_mem_paging_stats_t *out)
{
	if (!out_given(__func__, out)) {
		return;
	}
	if (thread == NULL) {
		MM_ERR("%s: the thread is NULL", __func__);
		return;
	}

	unsigned int key = irq_lock();

	*out = thread->paging_stats;
	irq_unlock(key);
}
#endif

#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
/* The thread running is the one that faulted (or was interrupted), or evicts. */
void z_paging_count_thread_fault(bool irq_was_enabled, bool in_isr)
{
	if (z_current != NULL) {
		z_paging_stats_fault(&z_current->paging_stats, irq_was_enabled, in_isr);
	}
}

void z_paging_count_thread_eviction(bool dirty)
{
	if (z_current != NULL) {
		z_paging_stats_eviction(&z_current->paging_stats, dirty);
	}
}
#endif

#ifdef CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM
#define NUM_BINS K_MEM_PAGING_HISTOGRAM_BINS

static struct k_mem_paging_histogram_t eviction_hist, page_in_hist, page_out_hist;

#ifdef CONFIG_DEMAND_PAGING_STATS_USING_TIMING_FUNCTIONS
/*
 * The reference's bin bounds, in timing-API cycles, which an application
 * may define (increasing; the last bin takes everything above the one
 * before it whatever its bound). These weak ones are all zero, which means
 * the doubling bounds below.
 */
__weak unsigned long k_mem_paging_eviction_histogram_bounds[NUM_BINS];
__weak unsigned long k_mem_paging_backing_store_histogram_bounds[NUM_BINS];
#define EVICTION_BOUNDS k_mem_paging_eviction_histogram_bounds
#define STORE_BOUNDS    k_mem_paging_backing_store_histogram_bounds
#else
#define EVICTION_BOUNDS NULL
#define STORE_BOUNDS    NULL
#endif

/* Bin i's upper bound: the array's when it has any, else FIRST_BOUND << i;
 * the last bin's is the largest value.
 */
static unsigned long bound_of(const unsigned long *bounds, unsigned int bin)
{
	if (bin == NUM_BINS - 1) {
		return (unsigned long)-1;
	}
	if (bounds != NULL && bounds[NUM_BINS - 1] != 0U) {
		return bounds[bin];
	}
	return (unsigned long)CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_FIRST_BOUND << bin;
}

static void record(struct k_mem_paging_histogram_t *hist, const unsigned long *bounds,
		   uint64_t cycles)
{
	unsigned int bin = 0;

	while (bin < NUM_BINS - 1 && cycles > bound_of(bounds, bin)) {
		bin++;
	}
	hist->counts[bin]++;
}

void z_paging_histogram_eviction(uint64_t cycles)
{
	record(&eviction_hist, EVICTION_BOUNDS, cycles);
}

void z_paging_histogram_page_in(uint64_t cycles)
{
	record(&page_in_hist, STORE_BOUNDS, cycles);
}

void z_paging_histogram_page_out(uint64_t cycles)
{
	record(&page_out_hist, STORE_BOUNDS, cycles);
}

static void copy_bounds(const struct k_mem_paging_histogram_t *hist, const unsigned long *bounds,
			struct k_mem_paging_histogram_t *out)
{
	unsigned int key = irq_lock();

	*out = *hist;
	irq_unlock(key);
	for (unsigned int i = 0; i < NUM_BINS; i++) {
		out->bounds[i] = bound_of(bounds, i);
	}
}

#define copy_out(hist, out)                                                                        \
	copy_bounds((hist), ((hist) == &eviction_hist) ? EVICTION_BOUNDS : STORE_BOUNDS, (out))
#else
/* Without histograms every count reads as zero. */
#define copy_out(hist, out) memset((out), 0, sizeof(*(out)))
#endif

void z_impl_k_mem_paging_histogram_eviction_get(struct k_mem_paging_histogram_t *hist)
{
	if (!out_given(__func__, hist)) {
		return;
	}
	copy_out(&eviction_hist, hist);
}

void z_impl_k_mem_paging_histogram_backing_store_page_in_get(struct k_mem_paging_histogram_t *hist)
{
	if (!out_given(__func__, hist)) {
		return;
	}
	copy_out(&page_in_hist, hist);
}

void z_impl_k_mem_paging_histogram_backing_store_page_out_get(struct k_mem_paging_histogram_t *hist)
{
	if (!out_given(__func__, hist)) {
		return;
	}
	copy_out(&page_out_hist, hist);
}

#ifdef CONFIG_USERSPACE
/*
 * User mode gets a copy filled in kernel memory: an output it may not
 * write ends it (K_OOPS), as the reference's K_SYSCALL_MEMORY_WRITE check.
 */
void z_vrfy_k_mem_paging_stats_get(struct k_mem_paging_stats_t *stats)
{
	struct k_mem_paging_stats_t copy;

	z_impl_k_mem_paging_stats_get(&copy);
	K_OOPS(k_usermode_to_copy(stats, &copy, sizeof(copy)) != 0);
}

#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
void z_vrfy_k_mem_paging_thread_stats_get(struct k_thread *thread,
					  struct k_mem_paging_stats_t *stats)
{
	struct k_mem_paging_stats_t copy;

	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	z_impl_k_mem_paging_thread_stats_get(thread, &copy);
	K_OOPS(k_usermode_to_copy(stats, &copy, sizeof(copy)) != 0);
}
#endif

static void histogram_to_user(void (*get)(struct k_mem_paging_histogram_t *),
			      struct k_mem_paging_histogram_t *hist)
{
	struct k_mem_paging_histogram_t copy;

	get(&copy);
	K_OOPS(k_usermode_to_copy(hist, &copy, sizeof(copy)) != 0);
}

void z_vrfy_k_mem_paging_histogram_eviction_get(struct k_mem_paging_histogram_t *hist)
{
	histogram_to_user(z_impl_k_mem_paging_histogram_eviction_get, hist);
}

void z_vrfy_k_mem_paging_histogram_backing_store_page_in_get(struct k_mem_paging_histogram_t *hist)
{
	histogram_to_user(z_impl_k_mem_paging_histogram_backing_store_page_in_get, hist);
}

void z_vrfy_k_mem_paging_histogram_backing_store_page_out_get(struct k_mem_paging_histogram_t *hist)
{
	histogram_to_user(z_impl_k_mem_paging_histogram_backing_store_page_out_get, hist);
}
#endif /* CONFIG_USERSPACE */
