/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System-call figure (issue: user mode): the round trip of k_uptime_get()
 * from a user thread (stub, int $0x80, dispatch, the call, iret), with the
 * variant that turns CONFIG_USERSPACE on. The user thread measures and
 * prints itself (printk from user mode goes through k_str_out()); the
 * clock's cost comes in as an argument, since kernel data is out of reach.
 */
#include <kernel.h>

#include "bench.h"

#ifdef CONFIG_USERSPACE

#define ROUNDS 256

K_THREAD_STACK_DEFINE(user_bench_stack, 4096);
static struct k_thread user_bench_thread;

static void user_bench(void *cost, void *unused2, void *unused3)
{
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	uint64_t clock_cost = (uintptr_t)cost;

	(void)k_uptime_get(); /* the code paths warm, as in the loop */

	uint64_t t0 = now();

	for (int i = 0; i < ROUNDS; i++) {
		(void)k_uptime_get();
	}

	uint64_t t1 = now();
	uint64_t d = t1 - t0;

	report("syscall_uptime_get", "-", per(d > clock_cost ? d - clock_cost : 0, ROUNDS),
	       "instr");
}

void bench_userspace(void)
{
	k_thread_create(&user_bench_thread, user_bench_stack, sizeof(user_bench_stack), user_bench,
			(void *)(uintptr_t)tsc_cost, NULL, NULL, K_PRIO_COOP(1), K_USER, K_NO_WAIT);
	k_thread_join(&user_bench_thread, K_FOREVER);
}

#endif /* CONFIG_USERSPACE */
