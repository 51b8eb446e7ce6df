/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the memory-manager benchmark: the instruction clock and
 * the BENCH output line.
 *
 * Under `qemu -icount shift=0,align=off,sleep=off` the guest TSC advances by
 * one per instruction, so k_cycle_get_64() differences are instruction
 * counts. Every measured loop runs with interrupts locked, and the cost of
 * reading the clock itself (measured once, tsc_cost) is subtracted.
 */
#ifndef BENCH_H
#define BENCH_H

#include <kernel.h>
#include <stdint.h>

#define PAGE CONFIG_MMU_PAGE_SIZE

extern uint64_t tsc_cost;

static inline uint64_t now(void)
{
	return k_cycle_get_64();
}

/* Instructions between two clock reads, clock cost removed. */
static inline uint64_t elapsed(uint64_t t0, uint64_t t1)
{
	uint64_t d = t1 - t0;

	return d > tsc_cost ? d - tsc_cost : 0;
}

/* One figure: BENCH <board> <op> <param> <value> <unit>. param "-" for none. */
void report(const char *op, const char *param, uint64_t value, const char *unit);
void report_n(const char *op, unsigned long param, uint64_t value, const char *unit);

/* Instructions per unit, rounded to nearest. */
static inline uint64_t per(uint64_t total, uint64_t count)
{
	return (total + count / 2U) / count;
}

void bench_map(void);
void bench_regions(void);
void bench_paging(void);
void bench_threads(void);
void bench_workloads(void);
void bench_select_scale(void);
void bench_userspace(void);
void bench_paging_disk(void);

#endif /* BENCH_H */
