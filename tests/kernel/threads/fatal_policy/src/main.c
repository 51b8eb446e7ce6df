/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's policy once the suite's k_sys_fatal_error_handler()
 * returns: the faulting thread is aborted, a kernel panic's too (aborting
 * an essential thread panics), the rest runs on; a test thread so ended
 * keeps its verdict. And a thread aborted in an interrupt handler: the
 * handler may clear its object at once, nothing writes it afterwards, and
 * the object and stack serve a new thread.
 */
#include <arch/mm.h>
#include <irq_offload.h>
#include <kernel.h>
#include <kthread.h>
#include <string.h>
#include <ztest.h>

#define STACK_SIZE 4096

K_THREAD_STACK_DEFINE(child_stack, STACK_SIZE);
K_THREAD_STACK_DEFINE(victim_stack, STACK_SIZE);
static struct k_thread child;
static struct k_thread victim;

/* What the handler saw: the reasons and threads of the errors it returned from. */
static volatile unsigned int seen_reason;
static struct k_thread *volatile seen_thread;
static volatile int seen_count;

void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);
	seen_reason = reason;
	seen_thread = k_current_get();
	seen_count++;
}

static void reset_seen(void)
{
	seen_reason = 0xffU;
	seen_thread = NULL;
	seen_count = 0;
}

static volatile bool after_panic;

static void panicking(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_panic();
	after_panic = true;
}

/* Run entry in a child: one panic, the child's, the handler returned, the child ended there. */
static void child_panics(k_thread_entry_t entry)
{
	reset_seen();
	after_panic = false;
	k_thread_create(&child, child_stack, STACK_SIZE, entry, NULL, NULL, NULL, K_PRIO_PREEMPT(1),
			0, K_NO_WAIT);
	zassert_ok(k_thread_join(&child, K_FOREVER));
	zassert_equal(seen_count, 1);
	zassert_equal(seen_reason, K_ERR_KERNEL_PANIC);
	zassert_equal(seen_thread, &child);
	zassert_false(after_panic, "the child went on after the panic");
}

/* A panic in a thread: the handler sees it, the thread ends, the caller goes on. */
ZTEST(fatal_policy, test_panic_aborts_the_thread)
{
	child_panics(panicking);
}

static void sleeper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sleep(K_FOREVER);
}

static void abort_victim(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_thread_abort(&victim);
	after_panic = true;
}

/* Aborting an essential thread panics: the caller is ended, the essential thread lives. */
ZTEST(fatal_policy, test_abort_essential_panics_the_caller)
{
	k_thread_create(&victim, victim_stack, STACK_SIZE, sleeper, NULL, NULL, NULL,
			K_PRIO_PREEMPT(1), K_ESSENTIAL, K_NO_WAIT);
	k_msleep(10);
	child_panics(abort_victim);
	zassert_equal(k_thread_join(&victim, K_NO_WAIT), -EBUSY, "the essential thread ended");
	/* No longer essential, it ends as any thread. */
	z_thread_essential_clear(&victim);
	k_thread_abort(&victim);
	zassert_ok(k_thread_join(&victim, K_NO_WAIT));
}

/*
 * Run in order by name: the first ends the test thread with a panic, which
 * the handler returns from (its verdict stands: pass), the second checks it.
 */
static struct k_thread *panicked;

ZTEST(fatal_policy, test_verdict_1_panic_in_test_thread)
{
	reset_seen();
	panicked = k_current_get();
	k_panic();
	ztest_test_fail(); /* not reached: the panic ended this thread */
}

ZTEST(fatal_policy, test_verdict_2_the_thread_was_ended)
{
	zassert_equal(seen_count, 1);
	zassert_equal(seen_reason, K_ERR_KERNEL_PANIC);
	zassert_equal(seen_thread, panicked, "not the test thread of the case before");
}

static volatile bool handler_done;
extern struct k_sem offload_sem;

static void abort_and_clear(const void *param)
{
	struct k_thread *t = (struct k_thread *)param;

	k_thread_abort(t);
	memset(t, 0, sizeof(*t)); /* the object is free once the abort returns */
	handler_done = true;
}

static void abort_self_in_isr(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	irq_offload(abort_and_clear, k_current_get());
	ztest_test_fail(); /* not reached: the handler ended this thread */
}

/*
 * A thread aborted by an interrupt handler, itself or another: the handler
 * clears the object, which stays clear (nothing writes it afterwards, not
 * the handler's exit nor the idle thread giving the stack back), and the
 * object and its stack serve a new thread every round.
 */
ZTEST(fatal_policy, test_isr_abort_leaves_the_object_alone)
{
	static const uint8_t zero[sizeof(struct k_thread)];

	for (int round = 0; round < 12; round++) {
		bool self = (round % 2) == 0;

		handler_done = false;
		zassert_not_null(k_thread_create(&child, child_stack, STACK_SIZE,
						 self ? abort_self_in_isr : sleeper, NULL, NULL,
						 NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT),
				 "round %d: the object or stack is still held", round);
		/* The stack's guarded alias, which must be given back. */
		void *alias = (void *)child.stack_info.start;
		uintptr_t phys;

		zassert_ok(arch_page_phys_get(alias, &phys));
		k_msleep(5);
		if (!self) {
			irq_offload(abort_and_clear, &child);
		}
		zassert_true(handler_done, "round %d", round);
		if (self) {
			/* The ended thread held irq_offload()'s lock: as the reference's suite
			 * does. */
			k_sem_give(&offload_sem);
		}
		k_msleep(5); /* the idle thread runs: it gives the stack back */
		zassert_mem_equal(&child, zero, sizeof(child), "round %d: the object was written",
				  round);
		zassert_equal(arch_page_phys_get(alias, &phys), -EFAULT,
			      "round %d: the dead thread's stack is still mapped", round);
	}
}

/*
 * A k_thread_stack_alloc() stack whose thread an interrupt handler ended
 * (its object cleared at once) is free for k_thread_stack_free() straight
 * away, before the idle thread has run.
 */
ZTEST(fatal_policy, test_isr_abort_frees_a_dynamic_stack)
{
	k_thread_stack_t *stack = k_thread_stack_alloc(STACK_SIZE, 0);

	zassert_not_null(stack);
	zassert_not_null(k_thread_create(&child, stack, STACK_SIZE, sleeper, NULL, NULL, NULL,
					 K_PRIO_PREEMPT(1), 0, K_NO_WAIT));
	k_msleep(5);
	zassert_equal(k_thread_stack_free(stack), -EBUSY, "freed under a live thread");
	handler_done = false;
	irq_offload(abort_and_clear, &child);
	zassert_true(handler_done);
	/* The test thread is cooperative: nothing else has run since. */
	zassert_ok(k_thread_stack_free(stack));
	zassert_equal(k_thread_stack_free(stack), -EINVAL);
}

ZTEST_SUITE(fatal_policy, NULL, NULL, NULL, NULL, NULL);
