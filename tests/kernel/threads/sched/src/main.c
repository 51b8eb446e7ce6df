/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler and the thread life cycle: priority order and FIFO within
 * a priority, cooperative threads not preempted, time slicing, sleeping and
 * waking, suspend and resume, join and abort, the scheduler lock, the
 * argument checks of k_thread_create().
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <spinlock.h>
#include <ztest.h>

#define NUM_WORKERS 4
#define STACK_SIZE  4096

/* Declared as a suite split over files would, then defined. */
K_THREAD_STACK_ARRAY_DECLARE(stacks, NUM_WORKERS, STACK_SIZE);
K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_WORKERS, STACK_SIZE);
static struct k_thread workers[NUM_WORKERS];

/* The order in which workers ran. */
static int order[16];
static volatile int order_len;

static void note(void *id, void *unused2, void *unused3)
{
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	order[order_len++] = POINTER_TO_INT(id);
}

static k_tid_t spawn2(int i, k_thread_entry_t fn, void *p1, void *p2, int prio, k_timeout_t delay)
{
	k_tid_t t = k_thread_create(&workers[i], stacks[i], K_THREAD_STACK_SIZEOF(stacks[i]), fn,
				    p1, p2, NULL, prio, 0, delay);

	zassert_equal(t, &workers[i], "k_thread_create returns the thread");
	return t;
}

static k_tid_t spawn(int i, k_thread_entry_t fn, void *p1, int prio, k_timeout_t delay)
{
	return spawn2(i, fn, p1, NULL, prio, delay);
}

static void join_all(int n)
{
	for (int i = 0; i < n; i++) {
		zassert_ok(k_thread_join(&workers[i], K_SECONDS(5)));
	}
}

ZTEST(threads_sched, test_priority_order_then_fifo)
{
	/* The test thread is cooperative: nothing runs until it sleeps. */
	order_len = 0;
	spawn(0, note, INT_TO_POINTER(0), K_PRIO_PREEMPT(5), K_NO_WAIT);
	spawn(1, note, INT_TO_POINTER(1), K_PRIO_PREEMPT(2), K_NO_WAIT);
	spawn(2, note, INT_TO_POINTER(2), K_PRIO_PREEMPT(5), K_NO_WAIT);
	spawn(3, note, INT_TO_POINTER(3), K_PRIO_PREEMPT(2), K_NO_WAIT);
	zassert_equal(order_len, 0, "a cooperative thread is not preempted");
	k_msleep(20);
	zassert_equal(order_len, 4);
	zassert_equal(order[0], 1);
	zassert_equal(order[1], 3, "FIFO within a priority");
	zassert_equal(order[2], 0);
	zassert_equal(order[3], 2);
	join_all(4);
}

static void preempting(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	order[order_len++] = 100;
}

ZTEST(threads_sched, test_preemptible_is_preempted_by_better_thread)
{
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(8));
	order_len = 0;
	spawn(0, preempting, NULL, K_PRIO_PREEMPT(3), K_NO_WAIT);
	/* Created ready and better: it has run by now. */
	zassert_equal(order_len, 1, "the better thread ran at once");
	order[order_len++] = 1;
	spawn(1, preempting, NULL, K_PRIO_PREEMPT(9), K_NO_WAIT);
	zassert_equal(order_len, 2, "a worse thread waits");
	k_yield();
	zassert_equal(order_len, 2, "k_yield() does not let a worse thread run");
	k_msleep(10);
	zassert_equal(order_len, 3);
	join_all(2);
	k_thread_priority_set(k_current_get(), CONFIG_ZTEST_THREAD_PRIORITY);
}

static volatile uint32_t spins[2];
static volatile bool stop_spinning;

static void spinner(void *id, void *unused2, void *unused3)
{
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	while (!stop_spinning) {
		spins[POINTER_TO_INT(id)]++;
	}
}

/* Two spinners of one priority below the test thread's, for 100 ms. */
static void run_spinners(void)
{
	spins[0] = spins[1] = 0;
	stop_spinning = false;
	spawn(0, spinner, INT_TO_POINTER(0), K_PRIO_PREEMPT(10), K_NO_WAIT);
	spawn(1, spinner, INT_TO_POINTER(1), K_PRIO_PREEMPT(10), K_NO_WAIT);
	k_msleep(100);
	stop_spinning = true;
	join_all(2);
}

ZTEST(threads_sched, test_time_slicing_shares_one_priority)
{
	Z_TEST_SKIP_IFNDEF(CONFIG_TIMESLICING);
	k_sched_time_slice_set(10, 0);
	run_spinners();
	k_sched_time_slice_set(0, 0);
	zassert_true(spins[0] > 0 && spins[1] > 0, "both spinners progressed: %u %u", spins[0],
		     spins[1]);
}

ZTEST(threads_sched, test_no_slicing_first_spinner_runs_alone)
{
	k_sched_time_slice_set(0, 0);
	run_spinners();
	zassert_true(spins[0] > 0, "the first spinner ran");
	zassert_equal(spins[1], 0, "without slicing the second never ran before the stop");
}

ZTEST(threads_sched, test_sleep_accuracy_in_ticks)
{
	for (int ticks = 1; ticks <= 5; ticks++) {
		int64_t start;

		/* Start on a tick edge, so the measure is in whole ticks. */
		k_sleep(K_TICKS(0));
		start = k_uptime_ticks();
		while (k_uptime_ticks() == start) {
		}
		start = k_uptime_ticks();
		zassert_equal(k_sleep(K_TICKS(ticks)), 0);

		int64_t slept = k_uptime_ticks() - start;

		zassert_true(slept >= ticks && slept <= ticks + 1, "slept %d ticks for %d",
			     (int)slept, ticks);
	}
	zassert_equal(k_msleep(0), 0);
}

static void sleeper(void *ms, void *result, void *unused3)
{
	ARG_UNUSED(unused3);
	*(int32_t *)result = k_msleep(POINTER_TO_INT(ms));
}

ZTEST(threads_sched, test_wakeup_ends_sleep_early)
{
	static int32_t left;

	left = -1;
	spawn2(0, sleeper, INT_TO_POINTER(1000), &left, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(30);
	zassert_equal(left, -1, "still asleep");
	k_wakeup(&workers[0]);
	zassert_ok(k_thread_join(&workers[0], K_MSEC(100)));
	zassert_true(left > 900 && left <= 1010, "time left: %d ms", left);
}

static volatile uint32_t counter;

static void counting(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	for (;;) {
		counter++;
		k_msleep(1);
	}
}

ZTEST(threads_sched, test_suspend_resume_abort)
{
	counter = 0;
	spawn(0, counting, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(50);
	zassert_true(counter > 0, "runs");
	k_thread_suspend(&workers[0]);

	uint32_t frozen = counter;

	k_msleep(50);
	zassert_equal(counter, frozen, "suspended");
	k_thread_resume(&workers[0]);
	k_msleep(50);
	zassert_true(counter > frozen, "resumed");
	zassert_equal(k_thread_join(&workers[0], K_NO_WAIT), -EBUSY);
	zassert_equal(k_thread_join(&workers[0], K_MSEC(20)), -EAGAIN);
	k_thread_abort(&workers[0]);
	frozen = counter;
	k_msleep(20);
	zassert_equal(counter, frozen, "aborted");
	zassert_ok(k_thread_join(&workers[0], K_NO_WAIT));
	zassert_ok(k_thread_join(&workers[0], K_FOREVER), "joining a dead thread again");
}

ZTEST(threads_sched, test_join_self_is_deadlock)
{
	zassert_equal(k_thread_join(k_current_get(), K_FOREVER), -EDEADLK);
}

static void abort_self(void *flag, void *unused2, void *unused3)
{
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
	k_thread_abort(k_current_get());
	*(volatile int *)flag = 1; /* never reached */
}

ZTEST(threads_sched, test_abort_self)
{
	static volatile int reached;

	reached = 0;
	spawn(0, abort_self, (void *)&reached, K_PRIO_PREEMPT(1), K_NO_WAIT);
	zassert_ok(k_thread_join(&workers[0], K_SECONDS(1)));
	zassert_equal(reached, 0);
}

ZTEST(threads_sched, test_delayed_and_forever_start)
{
	order_len = 0;
	spawn(0, note, INT_TO_POINTER(7), K_PRIO_PREEMPT(1), K_MSEC(50));
	spawn(1, note, INT_TO_POINTER(8), K_PRIO_PREEMPT(1), K_FOREVER);
	k_msleep(20);
	zassert_equal(order_len, 0, "not started yet");
	k_msleep(60);
	zassert_equal(order_len, 1);
	zassert_equal(order[0], 7);
	k_thread_start(&workers[1]);
	k_msleep(10);
	zassert_equal(order_len, 2);
	zassert_equal(order[1], 8);
	join_all(2);
}

ZTEST(threads_sched, test_sched_lock_holds_off_preemption)
{
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(8));
	order_len = 0;
	k_sched_lock();
	spawn(0, note, INT_TO_POINTER(1), K_PRIO_PREEMPT(2), K_NO_WAIT);
	k_busy_wait(20000); /* ticks go by: still no switch */
	zassert_equal(order_len, 0, "no preemption with the scheduler locked");
	k_sched_unlock();
	zassert_equal(order_len, 1, "the better thread ran at the unlock");
	join_all(1);
	k_thread_priority_set(k_current_get(), CONFIG_ZTEST_THREAD_PRIORITY);
}

ZTEST(threads_sched, test_priority_get_set)
{
	spawn(0, counting, NULL, K_PRIO_PREEMPT(4), K_FOREVER);
	zassert_equal(k_thread_priority_get(&workers[0]), 4);
	k_thread_priority_set(&workers[0], K_PRIO_COOP(2));
	zassert_equal(k_thread_priority_get(&workers[0]), K_PRIO_COOP(2));
	k_thread_priority_set(&workers[0], K_LOWEST_THREAD_PRIO); /* idle's: refused */
	zassert_equal(k_thread_priority_get(&workers[0]), K_PRIO_COOP(2));
	zassert_equal(k_thread_priority_get(k_current_get()), CONFIG_ZTEST_THREAD_PRIORITY);
	k_thread_abort(&workers[0]);
}

ZTEST(threads_sched, test_names)
{
	zassert_equal(strcmp(k_thread_name_get(k_current_get()), "test_names"), 0,
		      "the test thread is named after the test");
	spawn(0, counting, NULL, K_PRIO_PREEMPT(4), K_FOREVER);
	zassert_ok(k_thread_name_set(&workers[0], "a-rather-long-thread-name-that-is-cut-here"));
	zassert_equal(strlen(k_thread_name_get(&workers[0])), CONFIG_THREAD_MAX_NAME_LEN - 1);
	zassert_equal(k_thread_name_set(&workers[0], NULL), -EINVAL);
	k_thread_abort(&workers[0]);
}

ZTEST(threads_sched, test_create_refuses_bad_arguments)
{
	static uint8_t not_a_stack[2 * STACK_SIZE] __aligned(16);
	size_t free_before = k_mem_free_get();

	zassert_is_null(k_thread_create(&workers[0], stacks[0], STACK_SIZE, NULL, NULL, NULL, NULL,
					1, 0, K_NO_WAIT));
	zassert_is_null(k_thread_create(&workers[0], stacks[0], STACK_SIZE, note, NULL, NULL, NULL,
					K_LOWEST_APPLICATION_THREAD_PRIO + 1, 0, K_NO_WAIT));
	zassert_is_null(k_thread_create(&workers[0], stacks[0], STACK_SIZE, note, NULL, NULL, NULL,
					K_HIGHEST_THREAD_PRIO - 1, 0, K_NO_WAIT));
	zassert_is_null(k_thread_create(&workers[0], NULL, STACK_SIZE, note, NULL, NULL, NULL, 1, 0,
					K_NO_WAIT));
	zassert_is_null(k_thread_create(&workers[0], stacks[0], 0, note, NULL, NULL, NULL, 1, 0,
					K_NO_WAIT));
	zassert_is_null(
		k_thread_create(&workers[0],
				(k_thread_stack_t *)ROUND_UP((uintptr_t)not_a_stack + 1, 16),
				STACK_SIZE, note, NULL, NULL, NULL, 1, 0, K_NO_WAIT),
		"an unaligned stack");
	zassert_is_null(k_thread_create(NULL, stacks[0], STACK_SIZE, note, NULL, NULL, NULL, 1, 0,
					K_NO_WAIT));
	/* A thread object in use is refused, and the first thread is unharmed. */
	spawn(0, counting, NULL, K_PRIO_PREEMPT(4), K_FOREVER);
	zassert_is_null(k_thread_create(&workers[0], stacks[1], STACK_SIZE, note, NULL, NULL, NULL,
					1, 0, K_NO_WAIT));
	k_thread_abort(&workers[0]);
	zassert_equal(k_mem_free_get(), free_before, "nothing left behind");
}

static volatile int isr_seen;

static void in_isr(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	isr_seen = k_is_in_isr() ? 1 : -1;
}

ZTEST(threads_sched, test_timer_expiry_runs_in_isr)
{
	struct k_timer timer;

	zassert_false(k_is_in_isr());
	isr_seen = 0;
	k_timer_init(&timer, in_isr, NULL);
	k_timer_start(&timer, K_MSEC(5), K_NO_WAIT);
	zassert_equal(k_timer_status_sync(&timer), 1);
	zassert_equal(isr_seen, 1);
}

static void pass_from_isr(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	ztest_test_pass(); /* abandons this handler; the idle thread it interrupted resumes */
}

ZTEST(threads_sched, test_pass_from_an_interrupt_handler)
{
	static struct k_timer timer;

	k_timer_init(&timer, pass_from_isr, NULL);
	k_timer_start(&timer, K_MSEC(10), K_NO_WAIT);
	k_msleep(1000);
	ztest_test_fail(); /* not reached: the test thread ended in the handler */
}

ZTEST(threads_sched, test_stack_is_a_guarded_alias_and_goes_at_join)
{
	size_t free_before = k_mem_free_get();
	uint32_t flags;

	spawn(0, counting, NULL, K_PRIO_PREEMPT(4), K_FOREVER);

	uintptr_t start = workers[0].stack_info.start;

	zassert_not_equal(start, (uintptr_t)stacks[0], "the thread runs on an alias");
	zassert_equal((uintptr_t)workers[0].stack_info.mapped.addr, start);
	zassert_equal(workers[0].stack_info.mapped.sz, workers[0].stack_info.size);
	k_thread_access_grant(&workers[0], stacks[0]); /* no user mode: nothing to grant */
	zassert_equal(workers[0].stack_info.size, K_THREAD_STACK_SIZEOF(stacks[0]));
	zassert_ok(k_mem_page_flags_get((void *)start, &flags), "the stack is mapped");
	zassert_not_equal(k_mem_page_flags_get((void *)(start - CONFIG_MMU_PAGE_SIZE), &flags), 0,
			  "the page below is a guard");
	zassert_not_equal(k_mem_page_flags_get((void *)(start + STACK_SIZE), &flags), 0,
			  "the page above is a guard");

	size_t unused;

	zassert_ok(k_thread_stack_space_get(&workers[0], &unused));
	zassert_true(unused > STACK_SIZE - 256, "a thread not started used nothing: %zu", unused);
	k_thread_start(&workers[0]);
	k_msleep(5);
	k_thread_abort(&workers[0]);
	zassert_ok(k_thread_join(&workers[0], K_NO_WAIT));
	zassert_not_equal(k_mem_page_flags_get((void *)start, &flags), 0,
			  "unmapped after the join");
	zassert_equal(k_mem_free_get(), free_before);
}

/* The interrupt handlers' stack: a guarded mapping of its own, not the image. */
static volatile uintptr_t isr_frame;
static volatile int isr_below_mapped, isr_above_mapped;

static void probe_isr_stack(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uint32_t flags;
	uintptr_t low = ROUND_DOWN(sp, CONFIG_MMU_PAGE_SIZE);
	uintptr_t high = low;

	isr_frame = sp;
	/* Mapped pages run from the frame down to the guard and up to the other one. */
	while (k_mem_page_flags_get((void *)(low - CONFIG_MMU_PAGE_SIZE), &flags) == 0) {
		low -= CONFIG_MMU_PAGE_SIZE;
	}
	while (k_mem_page_flags_get((void *)(high + CONFIG_MMU_PAGE_SIZE), &flags) == 0) {
		high += CONFIG_MMU_PAGE_SIZE;
	}
	isr_below_mapped = (int)((sp - low) / CONFIG_MMU_PAGE_SIZE);
	isr_above_mapped = (int)((high + CONFIG_MMU_PAGE_SIZE - low) / CONFIG_MMU_PAGE_SIZE);
}

ZTEST(threads_sched, test_interrupt_stack_has_guards)
{
	extern char __kernel_start[], __kernel_end[];
	struct k_timer timer;

	isr_frame = 0;
	k_timer_init(&timer, probe_isr_stack, NULL);
	k_timer_start(&timer, K_MSEC(5), K_NO_WAIT);
	zassert_equal(k_timer_status_sync(&timer), 1);
	zassert_true(isr_frame != 0U);
	zassert_true(isr_frame < (uintptr_t)__kernel_start || isr_frame >= (uintptr_t)__kernel_end,
		     "handlers run on the guarded alias, not the image's copy");
	zassert_equal(isr_above_mapped, CONFIG_ISR_STACK_SIZE / CONFIG_MMU_PAGE_SIZE,
		      "exactly the stack is mapped between two unmapped pages (%d pages)",
		      isr_above_mapped);
}

static void defined_entry(void *unused1, void *unused2, void *unused3)
{
	ARG_UNUSED(unused1);
	ARG_UNUSED(unused2);
	ARG_UNUSED(unused3);
}

K_THREAD_DEFINE(defined_thread, STACK_SIZE, defined_entry, NULL, NULL, NULL, K_PRIO_PREEMPT(3), 0,
		0);

ZTEST(threads_sched, test_thread_define_started_before_main)
{
	zassert_ok(k_thread_join(defined_thread, K_NO_WAIT), "it ran and ended");
	zassert_equal(strcmp(k_thread_name_get(defined_thread), "defined_thread"), 0);
}

ZTEST(threads_sched, test_spinlock_is_the_interrupt_lock_and_uptime_32)
{
	static struct k_spinlock lock;
	k_spinlock_key_t key = k_spin_lock(&lock);

	zassert_false(arch_irq_enabled(), "held: interrupts off");
	k_spin_unlock(&lock, key);
	zassert_true(arch_irq_enabled(), "released: back on");
	zassert_equal(k_uptime_get_32(), (uint32_t)k_uptime_get());
	ztest_simple_1cpu_before(NULL); /* one CPU: nothing to hold */
	ztest_simple_1cpu_after(NULL);
}

static void after(void *fixture)
{
	ARG_UNUSED(fixture);
	k_sched_time_slice_set(0, 0);
	stop_spinning = true;
	for (int i = 0; i < NUM_WORKERS; i++) {
		k_thread_abort(&workers[i]);
		(void)k_thread_join(&workers[i], K_FOREVER);
	}
}

ZTEST_SUITE(threads_sched, NULL, NULL, NULL, after, NULL);
