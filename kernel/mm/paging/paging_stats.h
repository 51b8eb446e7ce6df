/* SPDX-License-Identifier: Apache-2.0 */
/* Paging statistics and timing histograms, fed by paging.c (stats.c). */
#ifndef PAGODA_KERNEL_MM_PAGING_STATS_H
#define PAGODA_KERNEL_MM_PAGING_STATS_H

#include <kernel/mm/demand_paging.h>
#include <paging.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * The counters a fault and an eviction bump are inline (three or four
 * increments; as calls, their frames were a sixth of the statistics' share
 * of a fault). The structures are stats.c's.
 */
extern struct k_mem_paging_stats_t z_paging_stats;

#ifdef CONFIG_DEMAND_PAGING_STATS
#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
/* The running thread's own counters (stats.c). */
void z_paging_count_thread_fault(bool irq_was_enabled, bool in_isr);
void z_paging_count_thread_eviction(bool dirty);
#endif

static inline void z_paging_stats_fault(struct k_mem_paging_stats_t *s, bool irq_was_enabled,
					bool in_isr)
{
	s->pagefaults.cnt++;
	s->pagefaults.in_isr += in_isr ? 1U : 0U;
	if (irq_was_enabled) {
		s->pagefaults.irq_unlocked++;
	} else {
		s->pagefaults.irq_locked++;
	}
}

static inline void z_paging_stats_eviction(struct k_mem_paging_stats_t *s, bool dirty)
{
	if (dirty) {
		s->eviction.dirty++;
	} else {
		s->eviction.clean++;
	}
}

static inline void z_paging_count_fault(bool irq_was_enabled, bool in_isr)
{
	z_paging_stats_fault(&z_paging_stats, irq_was_enabled, in_isr);
#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
	z_paging_count_thread_fault(irq_was_enabled, in_isr);
#endif
}

static inline void z_paging_count_eviction(bool dirty)
{
	z_paging_stats_eviction(&z_paging_stats, dirty);
#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
	z_paging_count_thread_eviction(dirty);
#endif
}
#else
static inline void z_paging_count_fault(bool irq_was_enabled, bool in_isr)
{
	(void)irq_was_enabled;
	(void)in_isr;
}
static inline void z_paging_count_eviction(bool dirty)
{
	(void)dirty;
}
#endif

/* Sleeping paging's counters (struct z_paging_sleep_stats, <paging.h>). */
extern struct z_paging_sleep_stats z_paging_sleep_stats;

/* Faults, and those that wrote a page out first: counted where threads
 * sleep through transfers (CONFIG_DEMAND_PAGING_SLEEP), whose paging
 * thread's pool they judge; elsewhere no code reads them.
 */
static inline void z_paging_count_fault_wrote(bool wrote)
{
#ifdef CONFIG_DEMAND_PAGING_SLEEP
	z_paging_sleep_stats.faults++;
	z_paging_sleep_stats.faults_wrote += wrote ? 1U : 0U;
#else
	(void)wrote;
#endif
}

void z_paging_count_transit_wait(bool out);
void z_paging_count_sleeping_transfer(bool out);
void z_paging_count_pool_frame(void);
void z_paging_count_write_retry(void);

/*
 * A timestamp for the histograms; 0 without them, so the fault path does not
 * read the TSC (a volatile asm the compiler cannot drop) for nothing.
 */
#if defined(CONFIG_DEMAND_PAGING_STATS_USING_TIMING_FUNCTIONS)
#include <timing/timing.h>
/* A difference of two readings is timing_cycles_get() of them. */
#define Z_PAGING_TIMESTAMP() ((uint64_t)timing_counter_get())
#elif defined(CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM)
#define Z_PAGING_TIMESTAMP() k_cycle_get_64()
#else
#define Z_PAGING_TIMESTAMP() ((uint64_t)0)
#endif

#ifdef CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM
void z_paging_histogram_eviction(uint64_t cycles);
void z_paging_histogram_page_in(uint64_t cycles);
void z_paging_histogram_page_out(uint64_t cycles);
#else
static inline void z_paging_histogram_eviction(uint64_t cycles)
{
	(void)cycles;
}
static inline void z_paging_histogram_page_in(uint64_t cycles)
{
	(void)cycles;
}
static inline void z_paging_histogram_page_out(uint64_t cycles)
{
	(void)cycles;
}
#endif

#endif /* PAGODA_KERNEL_MM_PAGING_STATS_H */
