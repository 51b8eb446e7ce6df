/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thread figures (issue: threads): a k_yield() switch between two threads of
 * one priority, k_sem_give() to the moment a better waiter runs, a thread
 * created, run and joined on a freshly mapped 4 KiB stack with two guards,
 * and an uncontended mutex lock/unlock pair. Interrupts stay enabled (the
 * switch paths unlock them); under -icount the tick lands on the same
 * instructions every run, so the figures still repeat exactly.
 */
#include <kernel.h>

#include "bench.h"

#define ROUNDS 256

K_THREAD_STACK_DEFINE(peer_stack, 4096);
static struct k_thread peer;
static volatile bool peer_stop;

static void yielder(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	while (!peer_stop) {
		k_yield();
	}
}

static void bench_yield(void)
{
	int prio = k_thread_priority_get(k_current_get());

	peer_stop = false;
	k_thread_create(&peer, peer_stack, sizeof(peer_stack), yielder, NULL, NULL, NULL, prio, 0,
			K_NO_WAIT);
	k_yield(); /* the peer is in its loop */

	uint64_t t0 = now();

	for (int i = 0; i < ROUNDS; i++) {
		k_yield(); /* to the peer, which yields back: two switches */
	}

	uint64_t t1 = now();

	peer_stop = true;
	k_thread_join(&peer, K_FOREVER);
	report("thread_yield_switch", "-", per(elapsed(t0, t1), 2U * ROUNDS), "instr");
}

static struct k_sem wake_sem;
static volatile uint64_t given_at;
static uint64_t wake_total;

static void waker_target(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	for (int i = 0; i < ROUNDS; i++) {
		k_sem_take(&wake_sem, K_FOREVER);
		wake_total += elapsed(given_at, now());
	}
}

static void bench_sem_wake(void)
{
	k_sem_init(&wake_sem, 0, 1);
	wake_total = 0;
	k_thread_create(&peer, peer_stack, sizeof(peer_stack), waker_target, NULL, NULL, NULL,
			K_PRIO_COOP(1), 0, K_NO_WAIT);
	for (int i = 0; i < ROUNDS; i++) {
		given_at = now();
		k_sem_give(&wake_sem); /* the better waiter runs before this returns */
	}
	k_thread_join(&peer, K_FOREVER);
	report("sem_give_wake", "-", per(wake_total, ROUNDS), "instr");
}

static void nothing(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
}

static void bench_create_join(void)
{
	int prio = k_thread_priority_get(k_current_get());
	uint64_t t0 = now();

	for (int i = 0; i < ROUNDS; i++) {
		k_thread_create(&peer, peer_stack, sizeof(peer_stack), nothing, NULL, NULL, NULL,
				prio, 0, K_NO_WAIT);
		k_thread_join(&peer, K_FOREVER);
	}

	uint64_t t1 = now();

	report("thread_create_join", "-", per(elapsed(t0, t1), ROUNDS), "instr");
}

static void bench_mutex(void)
{
	static struct k_mutex m;

	k_mutex_init(&m);

	uint64_t t0 = now();

	for (int i = 0; i < ROUNDS; i++) {
		k_mutex_lock(&m, K_FOREVER);
		k_mutex_unlock(&m);
	}

	uint64_t t1 = now();

	report("mutex_lock_unlock", "-", per(elapsed(t0, t1), ROUNDS), "instr");
}

void bench_threads(void)
{
	bench_yield();
	bench_sem_wake();
	bench_create_join();
	bench_mutex();
}
