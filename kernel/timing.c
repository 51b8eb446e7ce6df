/* SPDX-License-Identifier: Apache-2.0 */
/* The timing API (<timing/timing.h>) over the cycle counter. */
#include <kernel.h>
#include <timing/timing.h>

#ifdef CONFIG_TIMING_FUNCTIONS

static uint64_t freq_hz;

/* The rate is measured once, at boot (see sys_clock_hw_cycles_per_sec()). */
static uint64_t freq(void)
{
	if (freq_hz == 0U) {
		freq_hz = sys_clock_hw_cycles_per_sec();
	}
	return freq_hz;
}

void timing_init(void)
{
	(void)freq();
}

/* The TSC always runs: nothing to switch on or off. */
void timing_start(void)
{
}

void timing_stop(void)
{
}

uint64_t timing_freq_get(void)
{
	return freq();
}

uint64_t timing_cycles_to_ns(uint64_t cycles)
{
	return z_tmcvt_64(cycles, freq(), 1000000000U, false, false);
}

uint64_t timing_cycles_to_ns_avg(uint64_t cycles, uint32_t count)
{
	if (count == 0U) {
		return 0;
	}
	return timing_cycles_to_ns(cycles) / count;
}

uint32_t timing_freq_get_mhz(void)
{
	return (uint32_t)(freq() / 1000000U);
}

#endif /* CONFIG_TIMING_FUNCTIONS */
