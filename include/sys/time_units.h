/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time-unit conversions with Zephyr's names and rounding (the reference's
 * <zephyr/sys/time_units.h>): k_<from>_to_<to>_<round><bits>(t) for the
 * units sec, ms, us, ns, cyc (hardware cycles: the cycle counter of
 * k_cycle_get_64(), the TSC on x86) and ticks (CONFIG_SYS_CLOCK_TICKS_PER_SEC),
 * every pair but two of sec/ms/us/ns, rounded down (floor), to the nearest
 * (near, halves up) or up (ceil).
 *
 * t is taken as a uint64_t. The 64-bit forms return uint64_t; the 32-bit
 * forms the same value truncated to uint32_t. The result is exact (the
 * quotient and the remainder are scaled separately, so no intermediate
 * product overflows for any t whose result fits in 64 bits). With constant
 * rates (everything but cyc) the macros are constant expressions.
 *
 * The cycle rate is not known at build time: sys_clock_hw_cycles_per_sec()
 * is the frequency the architecture measured at boot (on x86, the TSC
 * against the 8254 PIT), as Zephyr's CONFIG_TIMER_READS_ITS_FREQUENCY_AT_RUNTIME.
 *
 * Generated: the list of conversions below was written by a script from
 * the unit table above; edit the script's output consistently.
 */
#ifndef PAGODA_INCLUDE_SYS_TIME_UNITS_H_
#define PAGODA_INCLUDE_SYS_TIME_UNITS_H_

#include <arch/cpu.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/util.h>

/* "Forever" for APIs that take a timeout in ms or us (Zephyr's values). */
#define SYS_FOREVER_MS (-1)
#define SYS_FOREVER_US (-1)

/*
 * The measured frequency, a system call so that user mode can convert
 * cycles too (the reference's, with CONFIG_TIMER_READS_ITS_FREQUENCY_AT_RUNTIME).
 * It returns uint64_t where the reference returns unsigned int: a TSC may
 * run above 4.29 GHz.
 */
__syscall uint64_t sys_clock_hw_cycles_per_sec_runtime_get(void);

/* Frequency of the hardware cycle counter (k_cycle_get_64()), in Hz. */
static inline uint64_t sys_clock_hw_cycles_per_sec(void)
{
	return sys_clock_hw_cycles_per_sec_runtime_get();
}

/* What to add before dividing by from_hz: nothing (floor), half of it
 * (near), all but one (ceil).
 */
#define z_tmcvt_off(from_hz, round_up, round_off)                                                  \
	((round_off) ? (uint64_t)(from_hz) / 2U : (round_up) ? (uint64_t)(from_hz)-1U : 0U)

/* t * to_hz / from_hz, rounded: the whole multiples of from_hz and the
 * remainder are scaled apart, so t * to_hz is never formed.
 */
#define z_tmcvt_64(t, from_hz, to_hz, round_up, round_off)                                         \
	((uint64_t)(t) / (uint64_t)(from_hz) * (uint64_t)(to_hz) +                                 \
	 ((uint64_t)(t) % (uint64_t)(from_hz) * (uint64_t)(to_hz) +                                \
	  z_tmcvt_off(from_hz, round_up, round_off)) /                                             \
		 (uint64_t)(from_hz))

#define z_tmcvt_32(t, from_hz, to_hz, round_up, round_off)                                         \
	((uint32_t)z_tmcvt_64(t, from_hz, to_hz, round_up, round_off))

#define Z_HZ_sec   1U
#define Z_HZ_ms    1000U
#define Z_HZ_us    1000000U
#define Z_HZ_ns    1000000000U
#define Z_HZ_cyc   sys_clock_hw_cycles_per_sec()
#define Z_HZ_ticks CONFIG_SYS_CLOCK_TICKS_PER_SEC

/* seconds to hardware cycles */
#define k_sec_to_cyc_floor32(t) z_tmcvt_32(t, Z_HZ_sec, Z_HZ_cyc, false, false)
#define k_sec_to_cyc_floor64(t) z_tmcvt_64(t, Z_HZ_sec, Z_HZ_cyc, false, false)
#define k_sec_to_cyc_near32(t)  z_tmcvt_32(t, Z_HZ_sec, Z_HZ_cyc, false, true)
#define k_sec_to_cyc_near64(t)  z_tmcvt_64(t, Z_HZ_sec, Z_HZ_cyc, false, true)
#define k_sec_to_cyc_ceil32(t)  z_tmcvt_32(t, Z_HZ_sec, Z_HZ_cyc, true, false)
#define k_sec_to_cyc_ceil64(t)  z_tmcvt_64(t, Z_HZ_sec, Z_HZ_cyc, true, false)

/* seconds to ticks */
#define k_sec_to_ticks_floor32(t) z_tmcvt_32(t, Z_HZ_sec, Z_HZ_ticks, false, false)
#define k_sec_to_ticks_floor64(t) z_tmcvt_64(t, Z_HZ_sec, Z_HZ_ticks, false, false)
#define k_sec_to_ticks_near32(t)  z_tmcvt_32(t, Z_HZ_sec, Z_HZ_ticks, false, true)
#define k_sec_to_ticks_near64(t)  z_tmcvt_64(t, Z_HZ_sec, Z_HZ_ticks, false, true)
#define k_sec_to_ticks_ceil32(t)  z_tmcvt_32(t, Z_HZ_sec, Z_HZ_ticks, true, false)
#define k_sec_to_ticks_ceil64(t)  z_tmcvt_64(t, Z_HZ_sec, Z_HZ_ticks, true, false)

/* milliseconds to hardware cycles */
#define k_ms_to_cyc_floor32(t) z_tmcvt_32(t, Z_HZ_ms, Z_HZ_cyc, false, false)
#define k_ms_to_cyc_floor64(t) z_tmcvt_64(t, Z_HZ_ms, Z_HZ_cyc, false, false)
#define k_ms_to_cyc_near32(t)  z_tmcvt_32(t, Z_HZ_ms, Z_HZ_cyc, false, true)
#define k_ms_to_cyc_near64(t)  z_tmcvt_64(t, Z_HZ_ms, Z_HZ_cyc, false, true)
#define k_ms_to_cyc_ceil32(t)  z_tmcvt_32(t, Z_HZ_ms, Z_HZ_cyc, true, false)
#define k_ms_to_cyc_ceil64(t)  z_tmcvt_64(t, Z_HZ_ms, Z_HZ_cyc, true, false)

/* milliseconds to ticks */
#define k_ms_to_ticks_floor32(t) z_tmcvt_32(t, Z_HZ_ms, Z_HZ_ticks, false, false)
#define k_ms_to_ticks_floor64(t) z_tmcvt_64(t, Z_HZ_ms, Z_HZ_ticks, false, false)
#define k_ms_to_ticks_near32(t)  z_tmcvt_32(t, Z_HZ_ms, Z_HZ_ticks, false, true)
#define k_ms_to_ticks_near64(t)  z_tmcvt_64(t, Z_HZ_ms, Z_HZ_ticks, false, true)
#define k_ms_to_ticks_ceil32(t)  z_tmcvt_32(t, Z_HZ_ms, Z_HZ_ticks, true, false)
#define k_ms_to_ticks_ceil64(t)  z_tmcvt_64(t, Z_HZ_ms, Z_HZ_ticks, true, false)

/* microseconds to hardware cycles */
#define k_us_to_cyc_floor32(t) z_tmcvt_32(t, Z_HZ_us, Z_HZ_cyc, false, false)
#define k_us_to_cyc_floor64(t) z_tmcvt_64(t, Z_HZ_us, Z_HZ_cyc, false, false)
#define k_us_to_cyc_near32(t)  z_tmcvt_32(t, Z_HZ_us, Z_HZ_cyc, false, true)
#define k_us_to_cyc_near64(t)  z_tmcvt_64(t, Z_HZ_us, Z_HZ_cyc, false, true)
#define k_us_to_cyc_ceil32(t)  z_tmcvt_32(t, Z_HZ_us, Z_HZ_cyc, true, false)
#define k_us_to_cyc_ceil64(t)  z_tmcvt_64(t, Z_HZ_us, Z_HZ_cyc, true, false)

/* microseconds to ticks */
#define k_us_to_ticks_floor32(t) z_tmcvt_32(t, Z_HZ_us, Z_HZ_ticks, false, false)
#define k_us_to_ticks_floor64(t) z_tmcvt_64(t, Z_HZ_us, Z_HZ_ticks, false, false)
#define k_us_to_ticks_near32(t)  z_tmcvt_32(t, Z_HZ_us, Z_HZ_ticks, false, true)
#define k_us_to_ticks_near64(t)  z_tmcvt_64(t, Z_HZ_us, Z_HZ_ticks, false, true)
#define k_us_to_ticks_ceil32(t)  z_tmcvt_32(t, Z_HZ_us, Z_HZ_ticks, true, false)
#define k_us_to_ticks_ceil64(t)  z_tmcvt_64(t, Z_HZ_us, Z_HZ_ticks, true, false)

/* nanoseconds to hardware cycles */
#define k_ns_to_cyc_floor32(t) z_tmcvt_32(t, Z_HZ_ns, Z_HZ_cyc, false, false)
#define k_ns_to_cyc_floor64(t) z_tmcvt_64(t, Z_HZ_ns, Z_HZ_cyc, false, false)
#define k_ns_to_cyc_near32(t)  z_tmcvt_32(t, Z_HZ_ns, Z_HZ_cyc, false, true)
#define k_ns_to_cyc_near64(t)  z_tmcvt_64(t, Z_HZ_ns, Z_HZ_cyc, false, true)
#define k_ns_to_cyc_ceil32(t)  z_tmcvt_32(t, Z_HZ_ns, Z_HZ_cyc, true, false)
#define k_ns_to_cyc_ceil64(t)  z_tmcvt_64(t, Z_HZ_ns, Z_HZ_cyc, true, false)

/* nanoseconds to ticks */
#define k_ns_to_ticks_floor32(t) z_tmcvt_32(t, Z_HZ_ns, Z_HZ_ticks, false, false)
#define k_ns_to_ticks_floor64(t) z_tmcvt_64(t, Z_HZ_ns, Z_HZ_ticks, false, false)
#define k_ns_to_ticks_near32(t)  z_tmcvt_32(t, Z_HZ_ns, Z_HZ_ticks, false, true)
#define k_ns_to_ticks_near64(t)  z_tmcvt_64(t, Z_HZ_ns, Z_HZ_ticks, false, true)
#define k_ns_to_ticks_ceil32(t)  z_tmcvt_32(t, Z_HZ_ns, Z_HZ_ticks, true, false)
#define k_ns_to_ticks_ceil64(t)  z_tmcvt_64(t, Z_HZ_ns, Z_HZ_ticks, true, false)

/* hardware cycles to seconds */
#define k_cyc_to_sec_floor32(t) z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_sec, false, false)
#define k_cyc_to_sec_floor64(t) z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_sec, false, false)
#define k_cyc_to_sec_near32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_sec, false, true)
#define k_cyc_to_sec_near64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_sec, false, true)
#define k_cyc_to_sec_ceil32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_sec, true, false)
#define k_cyc_to_sec_ceil64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_sec, true, false)

/* hardware cycles to milliseconds */
#define k_cyc_to_ms_floor32(t) z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ms, false, false)
#define k_cyc_to_ms_floor64(t) z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ms, false, false)
#define k_cyc_to_ms_near32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ms, false, true)
#define k_cyc_to_ms_near64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ms, false, true)
#define k_cyc_to_ms_ceil32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ms, true, false)
#define k_cyc_to_ms_ceil64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ms, true, false)

/* hardware cycles to microseconds */
#define k_cyc_to_us_floor32(t) z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_us, false, false)
#define k_cyc_to_us_floor64(t) z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_us, false, false)
#define k_cyc_to_us_near32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_us, false, true)
#define k_cyc_to_us_near64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_us, false, true)
#define k_cyc_to_us_ceil32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_us, true, false)
#define k_cyc_to_us_ceil64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_us, true, false)

/* hardware cycles to nanoseconds */
#define k_cyc_to_ns_floor32(t) z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ns, false, false)
#define k_cyc_to_ns_floor64(t) z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ns, false, false)
#define k_cyc_to_ns_near32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ns, false, true)
#define k_cyc_to_ns_near64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ns, false, true)
#define k_cyc_to_ns_ceil32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ns, true, false)
#define k_cyc_to_ns_ceil64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ns, true, false)

/* hardware cycles to ticks */
#define k_cyc_to_ticks_floor32(t) z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ticks, false, false)
#define k_cyc_to_ticks_floor64(t) z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ticks, false, false)
#define k_cyc_to_ticks_near32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ticks, false, true)
#define k_cyc_to_ticks_near64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ticks, false, true)
#define k_cyc_to_ticks_ceil32(t)  z_tmcvt_32(t, Z_HZ_cyc, Z_HZ_ticks, true, false)
#define k_cyc_to_ticks_ceil64(t)  z_tmcvt_64(t, Z_HZ_cyc, Z_HZ_ticks, true, false)

/* ticks to seconds */
#define k_ticks_to_sec_floor32(t) z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_sec, false, false)
#define k_ticks_to_sec_floor64(t) z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_sec, false, false)
#define k_ticks_to_sec_near32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_sec, false, true)
#define k_ticks_to_sec_near64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_sec, false, true)
#define k_ticks_to_sec_ceil32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_sec, true, false)
#define k_ticks_to_sec_ceil64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_sec, true, false)

/* ticks to milliseconds */
#define k_ticks_to_ms_floor32(t) z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_ms, false, false)
#define k_ticks_to_ms_floor64(t) z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_ms, false, false)
#define k_ticks_to_ms_near32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_ms, false, true)
#define k_ticks_to_ms_near64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_ms, false, true)
#define k_ticks_to_ms_ceil32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_ms, true, false)
#define k_ticks_to_ms_ceil64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_ms, true, false)

/* ticks to microseconds */
#define k_ticks_to_us_floor32(t) z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_us, false, false)
#define k_ticks_to_us_floor64(t) z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_us, false, false)
#define k_ticks_to_us_near32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_us, false, true)
#define k_ticks_to_us_near64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_us, false, true)
#define k_ticks_to_us_ceil32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_us, true, false)
#define k_ticks_to_us_ceil64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_us, true, false)

/* ticks to nanoseconds */
#define k_ticks_to_ns_floor32(t) z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_ns, false, false)
#define k_ticks_to_ns_floor64(t) z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_ns, false, false)
#define k_ticks_to_ns_near32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_ns, false, true)
#define k_ticks_to_ns_near64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_ns, false, true)
#define k_ticks_to_ns_ceil32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_ns, true, false)
#define k_ticks_to_ns_ceil64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_ns, true, false)

/* ticks to hardware cycles */
#define k_ticks_to_cyc_floor32(t) z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_cyc, false, false)
#define k_ticks_to_cyc_floor64(t) z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_cyc, false, false)
#define k_ticks_to_cyc_near32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_cyc, false, true)
#define k_ticks_to_cyc_near64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_cyc, false, true)
#define k_ticks_to_cyc_ceil32(t)  z_tmcvt_32(t, Z_HZ_ticks, Z_HZ_cyc, true, false)
#define k_ticks_to_cyc_ceil64(t)  z_tmcvt_64(t, Z_HZ_ticks, Z_HZ_cyc, true, false)

#endif /* PAGODA_INCLUDE_SYS_TIME_UNITS_H_ */
