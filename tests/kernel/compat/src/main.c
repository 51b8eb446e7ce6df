/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Zephyr-compatibility APIs, reached through <zephyr/...> paths only:
 * time-unit conversions, the timing API, the cache API, the page-fault
 * count and tc_util.h inside ztest (k_fatal_halt(): tests/scripts/test_fatal_halt.py).
 */
#ifdef CONFIG_ZTEST
#include <zephyr/cache.h>
#include <zephyr/kernel.h>
#include <zephyr/kernel/mm.h>
#include <zephyr/kernel/mm/demand_paging.h>
#include <zephyr/sys/time_units.h>
#include <zephyr/tc_util.h>
#include <zephyr/timing/timing.h>
#include <zephyr/ztest.h>

#define HZ CONFIG_SYS_CLOCK_TICKS_PER_SEC

/* Constant rates give constant expressions, usable in static initializers. */
static const uint32_t const_ticks = k_ms_to_ticks_ceil32(25);
static const uint64_t const_us = k_ticks_to_us_floor64(HZ);

ZTEST(compat_time_units, test_constant_expressions)
{
	zassert_equal(const_ticks, (25U * HZ + 999U) / 1000U);
	zassert_equal(const_us, 1000000U);
}

ZTEST(compat_time_units, test_ms_ticks)
{
	/* 100 Hz ticks: one tick is 10 ms. */
	BUILD_ASSERT(HZ == 100, "prj.conf sets 100 ticks per second");
	zassert_equal(k_ms_to_ticks_ceil32(0), 0U);
	zassert_equal(k_ms_to_ticks_ceil32(1), 1U);
	zassert_equal(k_ms_to_ticks_floor32(9), 0U);
	zassert_equal(k_ms_to_ticks_floor32(10), 1U);
	zassert_equal(k_ms_to_ticks_ceil32(10), 1U);
	zassert_equal(k_ms_to_ticks_ceil32(11), 2U);
	zassert_equal(k_ms_to_ticks_near32(14), 1U);
	zassert_equal(k_ms_to_ticks_near32(15), 2U);
	zassert_equal(k_ms_to_ticks_ceil64(1ULL << 40), 109951162778ULL);
	zassert_equal(k_ms_to_ticks_floor64(1ULL << 40), 109951162777ULL);
	zassert_equal(k_ms_to_ticks_floor64(UINT64_MAX), UINT64_MAX / 10U);
	zassert_equal(k_ticks_to_ms_floor32(123), 1230U);
	zassert_equal(k_ticks_to_ms_floor64(123), 1230U);
	zassert_equal(k_ticks_to_ms_ceil32(123), 1230U);
	zassert_equal(k_ticks_to_ms_ceil64(123), 1230U);
}

ZTEST(compat_time_units, test_rounding_at_boundaries)
{
	/* One tick is 10000 us. */
	zassert_equal(k_us_to_ticks_floor32(9999), 0U);
	zassert_equal(k_us_to_ticks_ceil32(1), 1U);
	zassert_equal(k_us_to_ticks_ceil32(10000), 1U);
	zassert_equal(k_us_to_ticks_ceil32(10001), 2U);
	zassert_equal(k_us_to_ticks_floor32(19999), 1U);
	zassert_equal(k_us_to_ticks_near32(14999), 1U);
	zassert_equal(k_us_to_ticks_near32(15000), 2U);
	zassert_equal(k_us_to_ticks_floor64(20000), 2U);
	zassert_equal(k_us_to_ticks_ceil64(20000), 2U);
	zassert_equal(k_ticks_to_us_floor32(3), 30000U);
	zassert_equal(k_ticks_to_us_ceil64(3), 30000U);
	zassert_equal(k_ticks_to_sec_floor32(199), 1U);
	zassert_equal(k_ticks_to_sec_ceil32(101), 2U);
	zassert_equal(k_ticks_to_sec_ceil32(100), 1U);
	zassert_equal(k_ns_to_ticks_ceil64(1), 1U);
	zassert_equal(k_ns_to_ticks_floor64(9999999), 0U);
	zassert_equal(k_ns_to_ticks_near64(5000000), 1U);
	zassert_equal(k_ns_to_ticks_near64(4999999), 0U);
}

ZTEST(compat_time_units, test_large_values_and_widths)
{
	/* Exact over the whole 64-bit range: no intermediate overflow. */
	zassert_equal(k_us_to_ticks_floor64(UINT64_MAX), UINT64_MAX / 10000U);
	zassert_equal(k_us_to_ticks_ceil64(UINT64_MAX), UINT64_MAX / 10000U + 1U);
	zassert_equal(k_ns_to_ticks_ceil64(UINT64_MAX), 1844674407371ULL);
	zassert_equal(k_ns_to_ticks_floor64(UINT64_MAX), 1844674407370ULL);
	zassert_equal(k_ticks_to_us_floor64(UINT64_MAX / 10000U), UINT64_MAX / 10000U * 10000U);
	zassert_equal(k_ticks_to_ns_floor64(1844674407ULL), 18446744070000000ULL);
	/* The 32-bit forms truncate the same result to 32 bits. */
	zassert_equal(k_ticks_to_us_floor64(500000), 5000000000ULL);
	zassert_equal(k_ticks_to_us_floor32(500000), (uint32_t)5000000000ULL);
	zassert_equal(k_ms_to_ticks_ceil32(0x100000005ULL), 429496731U);
}

ZTEST(compat_time_units, test_cycles)
{
	uint64_t hz = sys_clock_hw_cycles_per_sec();

	zassert_true(hz >= 10000000U && hz <= 100000000000ULL, "implausible %llu Hz",
		     (unsigned long long)hz);
	zassert_equal(k_cyc_to_ns_floor64(hz), 1000000000U);
	zassert_equal(k_cyc_to_ns_ceil64(hz), 1000000000U);
	zassert_equal(k_cyc_to_ns_floor64(3 * hz), 3000000000ULL);
	zassert_equal(k_cyc_to_ns_ceil64(3 * hz + 1U),
		      3000000000ULL + (1000000000U + hz - 1U) / hz);
	zassert_equal(k_cyc_to_ns_floor64(3 * hz + 1U), 3000000000ULL + 1000000000U / hz);
	zassert_equal(k_cyc_to_us_floor64(hz), 1000000U);
	zassert_equal(k_cyc_to_us_ceil32(1), 1U);
	zassert_equal(k_cyc_to_us_floor32(1), 0U);
	zassert_equal(k_cyc_to_ms_near64(hz / 2U), 500U);
	zassert_equal(k_ns_to_cyc_floor64(1000000000U), hz);
	zassert_equal(k_ns_to_cyc_ceil64(1), (hz + 999999999U) / 1000000000U);
	zassert_equal(k_us_to_cyc_ceil64(1000000U), hz);
	zassert_equal(k_cyc_to_ticks_floor64(hz), (uint64_t)HZ);
	zassert_equal(k_ticks_to_cyc_floor64(HZ), hz);
}

ZTEST_SUITE(compat_time_units, NULL, NULL, NULL, NULL, NULL);

/* Start on a tick edge, so that whole ticks measure the interval. */
static int64_t next_tick_ms(void)
{
	int64_t now = k_uptime_get();
	int64_t t;

	while ((t = k_uptime_get()) == now) {
	}
	return t;
}

ZTEST(compat_timing, test_freq)
{
	timing_init();
	timing_start();
	zassert_equal(timing_freq_get(), sys_clock_hw_cycles_per_sec());
	zassert_equal(timing_freq_get_mhz(), (uint32_t)(timing_freq_get() / 1000000U));
	zassert_true(timing_freq_get_mhz() >= 10U && timing_freq_get_mhz() <= 100000U,
		     "implausible %u MHz", timing_freq_get_mhz());
	timing_stop();
}

/*
 * Both clocks come from the host under TCG, and a busy host can deschedule
 * the virtual CPU (the tick then arrives late or is merged with the next):
 * a window that such a stall distorted is measured again, up to ten times
 * (50 ms each: a loaded CI host stalls several windows in a row).
 */
#define TIMING_TRIES 10

/* The TSC rate over 50 ms of uptime agrees with the measured frequency. */
ZTEST(compat_timing, test_freq_matches_uptime)
{
	uint64_t ns = 0, tick_ns = 0, cycles = 0;

	timing_init();
	for (int i = 0; i < TIMING_TRIES; i++) {
		int64_t start_ms = next_tick_ms();
		timing_t start = timing_counter_get();

		while (k_uptime_get() - start_ms < 50) {
		}

		timing_t end = timing_counter_get();
		int64_t ms = k_uptime_get() - start_ms;

		cycles = timing_cycles_get(&start, &end);
		ns = timing_cycles_to_ns(cycles);
		tick_ns = (uint64_t)ms * 1000000U;
		TC_PRINT("%llu cycles, %llu ns by the TSC, %llu ns by the ticks, %u MHz\n",
			 (unsigned long long)cycles, (unsigned long long)ns,
			 (unsigned long long)tick_ns, timing_freq_get_mhz());
		if (ns >= tick_ns - tick_ns / 10U && ns <= tick_ns + tick_ns / 10U) {
			break;
		}
	}
	zassert_within(ns, tick_ns, tick_ns / 10U, "TSC %llu ns vs ticks %llu ns",
		       (unsigned long long)ns, (unsigned long long)tick_ns);
	zassert_equal(timing_cycles_to_ns_avg(cycles, 4), ns / 4U);
	zassert_equal(timing_cycles_to_ns_avg(cycles, 0), 0U);
}

/* k_busy_wait() (on the TSC) lasts what the ticks say. */
ZTEST(compat_timing, test_busy_wait_vs_ticks)
{
	int64_t ms = 0;

	for (int i = 0; i < TIMING_TRIES; i++) {
		int64_t start_ms = next_tick_ms();

		k_busy_wait(50000);
		ms = k_uptime_get() - start_ms;
		/* 10 ms ticks, counted from an edge: 50 ms, or one tick more. */
		if (ms >= 50 && ms <= 60) {
			break;
		}
	}
	zassert_true(ms >= 50 && ms <= 60, "k_busy_wait(50 ms) took %lld ms of ticks",
		     (long long)ms);
}

ZTEST_SUITE(compat_timing, NULL, NULL, NULL, NULL, NULL);

static uint8_t cache_buf[512] __aligned(64);

static void fill(uint8_t *buf, size_t size, uint8_t seed)
{
	for (size_t i = 0; i < size; i++) {
		buf[i] = (uint8_t)(seed + i * 7U);
	}
}

static bool intact(const uint8_t *buf, size_t size, uint8_t seed)
{
	for (size_t i = 0; i < size; i++) {
		if (buf[i] != (uint8_t)(seed + i * 7U)) {
			return false;
		}
	}
	return true;
}

ZTEST(compat_cache, test_data_ranges)
{
	fill(cache_buf, sizeof(cache_buf), 3);
	/* Unaligned at both ends, several lines. */
	zassert_ok(sys_cache_data_flush_range(cache_buf + 3, 301));
	zassert_true(intact(cache_buf, sizeof(cache_buf), 3));
	/* x86 cannot drop a line without writing it back: data survives. */
	zassert_ok(sys_cache_data_invd_range(cache_buf + 65, 1));
	zassert_true(intact(cache_buf, sizeof(cache_buf), 3));
	zassert_ok(sys_cache_data_flush_and_invd_range(cache_buf + 1, sizeof(cache_buf) - 2));
	zassert_true(intact(cache_buf, sizeof(cache_buf), 3));
	zassert_ok(sys_cache_data_flush_range(cache_buf, 0));
}

ZTEST(compat_cache, test_data_all)
{
	fill(cache_buf, sizeof(cache_buf), 11);
	zassert_ok(sys_cache_data_flush_all());
	zassert_ok(sys_cache_data_invd_all());
	zassert_ok(sys_cache_data_flush_and_invd_all());
	zassert_true(intact(cache_buf, sizeof(cache_buf), 11));
}

static uintptr_t cr0_get(void)
{
	uintptr_t cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	return cr0;
}

#define CR0_NW (1UL << 29) /* not write-through */
#define CR0_CD (1UL << 30) /* cache disable */

/* On x86 the d-cache is switched with CR0.CD (and NW): data written while it
 * is off, and what it held before, read back once it is on again.
 */
ZTEST(compat_cache, test_data_disable_enable)
{
	fill(cache_buf, sizeof(cache_buf), 5);
	sys_cache_data_disable();
	zassert_not_equal(cr0_get() & CR0_CD, 0, "CR0.CD clear after sys_cache_data_disable()");
	zassert_true(intact(cache_buf, sizeof(cache_buf), 5), "data lost when the cache went off");
	fill(cache_buf, sizeof(cache_buf), 19);
	sys_cache_data_enable();
	zassert_equal(cr0_get() & (CR0_CD | CR0_NW), 0, "CR0.CD or NW set after enable");
	zassert_true(intact(cache_buf, sizeof(cache_buf), 19));
}

ZTEST(compat_cache, test_line_size)
{
	size_t line = sys_cache_data_line_size_get();

	TC_PRINT("d-cache line: %u bytes\n", (unsigned int)line);
	/* 0 when the CPU has no clflush to report one (qemu32). */
	zassert_true(line == 0U || (line >= 16U && (line & (line - 1U)) == 0U), "line %u",
		     (unsigned int)line);
}

/* x86 keeps the i-cache coherent: the reference's answer is -ENOTSUP. */
ZTEST(compat_cache, test_instr_not_supported)
{
	zassert_equal(sys_cache_instr_flush_all(), -ENOTSUP);
	zassert_equal(sys_cache_instr_invd_all(), -ENOTSUP);
	zassert_equal(sys_cache_instr_flush_and_invd_all(), -ENOTSUP);
	zassert_equal(sys_cache_instr_flush_range(cache_buf, 64), -ENOTSUP);
	zassert_equal(sys_cache_instr_invd_range(cache_buf, 64), -ENOTSUP);
	zassert_equal(sys_cache_instr_flush_and_invd_range(cache_buf, 64), -ENOTSUP);
}

ZTEST_SUITE(compat_cache, NULL, NULL, NULL, NULL, NULL);

ZTEST(compat_paging, test_num_pagefaults)
{
#if defined(CONFIG_DEMAND_PAGING) && defined(CONFIG_DEMAND_PAGING_STATS)
	volatile uint8_t *page = k_mem_map(CONFIG_MMU_PAGE_SIZE, K_MEM_PERM_RW);

	zassert_not_null(page);
	page[10] = 0x5a;
	zassert_ok(k_mem_page_out((void *)page, CONFIG_MMU_PAGE_SIZE));

	unsigned long before = k_mem_num_pagefaults_get();
	uint8_t value = page[10]; /* faults the page back in */
	unsigned long after = k_mem_num_pagefaults_get();

	zassert_equal(value, 0x5a);
	zassert_equal(after, before + 1U, "faults %lu -> %lu", before, after);

	struct k_mem_paging_stats_t stats;

	k_mem_paging_stats_get(&stats);
	zassert_equal(stats.pagefaults.cnt, after);
	zassert_ok(k_mem_unmap((void *)page, CONFIG_MMU_PAGE_SIZE));
#else
	ztest_test_skip();
#endif
}

ZTEST_SUITE(compat_paging, NULL, NULL, NULL, NULL, NULL);

ZTEST(compat_misc, test_tc_util_in_ztest)
{
	zassert_equal(TC_PASS, 0);
	zassert_equal(TC_FAIL, 1);
	zassert_equal(TC_SKIP, 2);
	zassert_str_equal(TC_RESULT_TO_STR(TC_PASS), "PASS");
	zassert_str_equal(TC_RESULT_TO_STR(TC_FAIL), "FAIL");
	zassert_str_equal(TC_RESULT_TO_STR(TC_SKIP), "SKIP");
	zassert_str_equal(TC_RESULT_TO_STR(7), "?");
	/* ztest prints the START, verdict and PROJECT lines: these print nothing. */
	TC_START("inner");
	get_start_time_cyc();
	TC_PRINT("tc_util: TC_PRINT %d\n", 42);
	get_test_duration_ms();
	TC_END_RESULT(TC_PASS);
	TC_END_REPORT(TC_PASS);
}

ZTEST_SUITE(compat_misc, NULL, NULL, NULL, NULL, NULL);
#endif /* CONFIG_ZTEST */
