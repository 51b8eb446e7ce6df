/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System-call figure (issue: user mode): the round trip of k_uptime_get()
 * from a user thread (stub, int $0x80, dispatch, the call, iret), with the
 * variant that turns CONFIG_USERSPACE on. The user thread measures and
 * prints itself (printk from user mode goes through k_str_out()); the
 * clock's cost comes in as an argument, since kernel data is out of reach.
 *
 * Memory domains: a k_yield() switch between two user threads of two
 * domains (each switch reloads CR3) against one between two user threads
 * of one domain (the same tables, no reload), each switch with the
 * k_yield() system call that causes it; and arch_buffer_validate() per
 * page over a 64-page partition of the caller's domain. Supervisor
 * threads never reload CR3 (the kernel part of every domain's tables is
 * the same), so the switch figures need user threads.
 */
#include <arch/syscall.h>
#include <kernel.h>
#include <kernel/mm.h>

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

#define VALIDATE_PAGES 64

static struct k_mem_domain bench_dom_a, bench_dom_b;
K_THREAD_STACK_DEFINE(switch_stack_a, 4096);
K_THREAD_STACK_DEFINE(switch_stack_b, 4096);
static struct k_thread switch_a, switch_b;

/* The measuring user thread: ROUNDS yields to the peer, which yields back. */
static void switch_measure(void *name, void *cost, void *unused3)
{
	ARG_UNUSED(unused3);
	uint64_t clock_cost = (uintptr_t)cost;

	k_yield(); /* the peer is in its loop */

	uint64_t t0 = now();

	for (int i = 0; i < ROUNDS; i++) {
		k_yield(); /* to the peer, which yields back: two switches */
	}

	uint64_t t1 = now();
	uint64_t d = t1 - t0;

	report(name, "-", per(d > clock_cost ? d - clock_cost : 0, 2U * ROUNDS), "instr");
}

static void switch_peer(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	for (;;) {
		k_yield();
	}
}

/* Two user threads, one in domain m, the peer in domain p, below this one's priority. */
static void yield_switch(const char *name, struct k_mem_domain *m, struct k_mem_domain *p)
{
	int prio = k_thread_priority_get(k_current_get()) + 1;

	k_thread_create(&switch_a, switch_stack_a, K_THREAD_STACK_SIZEOF(switch_stack_a),
			switch_measure, (void *)name, (void *)(uintptr_t)tsc_cost, NULL, prio,
			K_USER, K_FOREVER);
	k_thread_create(&switch_b, switch_stack_b, K_THREAD_STACK_SIZEOF(switch_stack_b),
			switch_peer, NULL, NULL, NULL, prio, K_USER, K_FOREVER);
	if (k_mem_domain_add_thread(m, &switch_a) != 0 ||
	    k_mem_domain_add_thread(p, &switch_b) != 0) {
		printk("bench: %s: the threads did not join their domains\n", name);
	}
	k_thread_start(&switch_b);
	k_thread_start(&switch_a);
	k_thread_join(&switch_a, K_FOREVER);
	k_thread_abort(&switch_b);
}

static void bench_domains(void)
{
	uint8_t *buf = k_mem_map(VALIDATE_PAGES * PAGE, K_MEM_PERM_RW | K_MEM_MAP_LOCK);
	struct k_mem_partition part = {(uintptr_t)buf, VALIDATE_PAGES * PAGE,
				       K_MEM_PARTITION_P_RW_U_RW};

	if (buf == NULL || k_mem_domain_init(&bench_dom_a, 0, NULL) != 0 ||
	    k_mem_domain_init(&bench_dom_b, 0, NULL) != 0 ||
	    k_mem_domain_add_partition(&bench_dom_a, &part) != 0) {
		printk("bench: no memory domains\n");
		return;
	}
	yield_switch("domain_switch_same", &bench_dom_a, &bench_dom_a);
	yield_switch("domain_switch_cross", &bench_dom_a, &bench_dom_b);

	/* The partition is user-writable in bench_dom_a's tables only. */
	(void)k_mem_domain_add_thread(&bench_dom_a, k_current_get());
	unsigned int key = irq_lock();
	int ok = arch_buffer_validate(buf, VALIDATE_PAGES * PAGE, true); /* warm */
	uint64_t t0 = now();

	ok |= arch_buffer_validate(buf, VALIDATE_PAGES * PAGE, true);

	uint64_t t1 = now();

	irq_unlock(key);
	(void)k_mem_domain_add_thread(&k_mem_domain_default, k_current_get());
	/* Gone before the paging figures: a page table some domain copied
	 * costs every map, fault and page-out in it a second entry write.
	 */
	(void)k_mem_domain_remove_partition(&bench_dom_a, &part);
	(void)k_mem_unmap(buf, VALIDATE_PAGES * PAGE);
	if (ok != 0) {
		printk("bench: the partition did not validate\n");
		return;
	}
	report("buffer_validate_page", "-", per(elapsed(t0, t1), VALIDATE_PAGES), "instr");
}

void bench_userspace(void)
{
	k_thread_create(&user_bench_thread, user_bench_stack, sizeof(user_bench_stack), user_bench,
			(void *)(uintptr_t)tsc_cost, NULL, NULL, K_PRIO_COOP(1), K_USER, K_NO_WAIT);
	k_thread_join(&user_bench_thread, K_FOREVER);
	bench_domains();
}

#endif /* CONFIG_USERSPACE */
