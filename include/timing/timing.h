/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Zephyr's timing API (the reference's <zephyr/timing/timing.h>), with
 * CONFIG_TIMING_FUNCTIONS. The counter is the architecture's cycle counter,
 * k_cycle_get_64() (the TSC on x86); its frequency is the one measured
 * against the 8254 PIT at boot (sys_clock_hw_cycles_per_sec()), which
 * timing_init() takes. Readings between timing_start() and timing_stop()
 * are valid; the TSC never stops, so readings outside are too.
 */
#ifndef PAGODA_INCLUDE_TIMING_TIMING_H
#define PAGODA_INCLUDE_TIMING_TIMING_H

#include <kernel.h>
#include <stdint.h>
#include <timing/types.h>

#ifdef CONFIG_TIMING_FUNCTIONS

/* Take the counter's frequency; call before the conversions. */
void timing_init(void);
/* Signal that timing information is being gathered from now on. */
void timing_start(void);
/* Signal that it no longer is. */
void timing_stop(void);

/* The counter now. */
static inline timing_t timing_counter_get(void)
{
	return k_cycle_get_64();
}

/* Cycles from *start to *end. */
static inline uint64_t timing_cycles_get(volatile timing_t *const start,
					 volatile timing_t *const end)
{
	return *end - *start;
}

/* Counter frequency in Hz. */
uint64_t timing_freq_get(void);
/* cycles in nanoseconds (rounded down). */
uint64_t timing_cycles_to_ns(uint64_t cycles);
/* cycles / count in nanoseconds (rounded down); 0 when count is 0. */
uint64_t timing_cycles_to_ns_avg(uint64_t cycles, uint32_t count);
/* Counter frequency in MHz (rounded down). */
uint32_t timing_freq_get_mhz(void);

#endif /* CONFIG_TIMING_FUNCTIONS */

#endif /* PAGODA_INCLUDE_TIMING_TIMING_H */
