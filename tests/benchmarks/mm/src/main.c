/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory-manager benchmark: prints one `BENCH` line per figure and exits 0.
 * See docs/PERFORMANCE.md for what each figure measures.
 */
#include <kernel.h>

#include "bench.h"

uint64_t tsc_cost;

void report(const char *op, const char *param, uint64_t value, const char *unit)
{
	printk("BENCH %s %s %s %llu %s\n", CONFIG_BOARD, op, param, (unsigned long long)value,
	       unit);
}

void report_n(const char *op, unsigned long param, uint64_t value, const char *unit)
{
	printk("BENCH %s %s %lu %llu %s\n", CONFIG_BOARD, op, param, (unsigned long long)value,
	       unit);
}

static void calibrate(void)
{
	unsigned int key = irq_lock();
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 8; i++) {
		uint64_t t0 = now();
		uint64_t t1 = now();

		if (t1 - t0 < best) {
			best = t1 - t0;
		}
	}
	irq_unlock(key);
	tsc_cost = best;
}

int main(void)
{
	/* Everything the guest executed before main(): firmware, boot, init. */
	uint64_t entry = now();

	calibrate();
	report("boot_to_main", "-", entry, "instr");
	report("tsc_read", "-", tsc_cost, "instr");
	report("ram_frames", "-", (uint64_t)CONFIG_SRAM_SIZE * 1024U / PAGE, "frames");
#ifdef CONFIG_DEMAND_PAGING_SLEEP
	/* The disk variant: the other figures would wait on the device too. */
	bench_paging_disk();
#else
#ifdef CONFIG_DEMAND_PAGING
	/* First: nothing else may be evictable while they run. */
	bench_workloads();
	bench_select_scale();
#endif
	bench_threads();
#ifdef CONFIG_USERSPACE
	bench_userspace();
#endif
	bench_map();
	bench_regions();
#ifdef CONFIG_DEMAND_PAGING
	bench_paging();
#endif
#endif
	printk("BENCH done\n");
	return 0;
}
