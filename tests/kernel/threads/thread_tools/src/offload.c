/* SPDX-License-Identifier: Apache-2.0 */
/* irq_offload(): the routine runs at once, in interrupt context. */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

static volatile int ran;
static volatile bool was_in_isr;
static const void *volatile got;

static void routine(const void *parameter)
{
	ran++;
	was_in_isr = k_is_in_isr();
	got = parameter;
}

ZTEST(thread_tools_offload, test_runs_in_isr_with_its_parameter)
{
	static const int param = 42;

	ran = 0;
	irq_offload(routine, &param);
	zassert_equal(ran, 1, "the routine ran %d times", ran);
	zassert_true(was_in_isr, "k_is_in_isr() false in the routine");
	zassert_equal(got, &param);
	zassert_false(k_is_in_isr(), "still in an ISR after irq_offload()");
}

ZTEST(thread_tools_offload, test_runs_with_interrupts_locked)
{
	unsigned int key = irq_lock();

	ran = 0;
	irq_offload(routine, NULL);
	irq_unlock(key);
	zassert_equal(ran, 1);
	zassert_true(was_in_isr);
	zassert_is_null(got);
}

/* A thread readied by the routine runs when the interrupt returns, before irq_offload() does. */
static K_SEM_DEFINE(wake, 0, 1);
static K_THREAD_STACK_DEFINE(waiter_stack, 4096);
static struct k_thread waiter;
static volatile int order;
static volatile int waiter_saw;

static void waiter_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_take(&wake, K_FOREVER);
	waiter_saw = ++order;
}

static void give(const void *parameter)
{
	k_sem_give((struct k_sem *)parameter);
}

ZTEST(thread_tools_offload, test_readied_thread_runs_at_the_exit)
{
	order = 0;
	waiter_saw = 0;
	/* Preemptible, so that a better thread may take over at an interrupt's exit. */
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(2));
	k_thread_create(&waiter, waiter_stack, K_THREAD_STACK_SIZEOF(waiter_stack), waiter_entry,
			NULL, NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	zassert_equal(waiter_saw, 0, "the waiter did not wait");
	irq_offload(give, &wake);
	int after = ++order;

	zassert_equal(waiter_saw, 1, "the better thread did not run at the interrupt's exit");
	zassert_equal(after, 2);
	zassert_ok(k_thread_join(&waiter, K_FOREVER));
}

extern struct k_sem offload_sem;

static volatile unsigned int sem_count_inside;

static void abort_current_check(const void *parameter)
{
	ARG_UNUSED(parameter);
	sem_count_inside = k_sem_count_get(&offload_sem);
}

static K_THREAD_STACK_DEFINE(self_abort_stack, 1024 + CONFIG_TEST_EXTRA_STACK_SIZE);
static struct k_thread self_abort_thread;

static void abort_current(const void *parameter)
{
	sem_count_inside = k_sem_count_get(&offload_sem);
	k_thread_abort((k_tid_t)parameter);
}

static void self_abort_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	irq_offload(abort_current, k_current_get());
	ztest_test_fail(); /* the thread ended in the routine */
}

/* One offload at a time: the routine runs with offload_sem taken; a thread
 * the routine ends leaves it taken until someone gives it back, as in the
 * reference.
 */
ZTEST(thread_tools_offload, test_offload_sem)
{
	zassert_equal(k_sem_count_get(&offload_sem), 1);
	sem_count_inside = 99;
	irq_offload(abort_current_check, NULL);
	zassert_equal(sem_count_inside, 0, "the routine ran without offload_sem");
	zassert_equal(k_sem_count_get(&offload_sem), 1, "not given back");

	k_thread_create(&self_abort_thread, self_abort_stack,
			K_THREAD_STACK_SIZEOF(self_abort_stack), self_abort_entry, NULL, NULL, NULL,
			K_PRIO_PREEMPT(0), 0, K_NO_WAIT);
	zassert_ok(k_thread_join(&self_abort_thread, K_FOREVER));
	zassert_equal(sem_count_inside, 0);
	zassert_equal(k_sem_count_get(&offload_sem), 0, "a dead thread's offload gave it back");
	k_sem_give(&offload_sem);
	ran = 0;
	irq_offload(routine, NULL);
	zassert_equal(ran, 1, "irq_offload() after the give");
}

ZTEST_SUITE(thread_tools_offload, NULL, NULL, NULL, NULL, NULL);
