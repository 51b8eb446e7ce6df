/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_thread_stack_alloc() and k_thread_stack_free() with user mode: both are
 * system calls; a K_USER stack is a kernel object its allocator may use, so
 * a user thread creates a user thread on a stack it allocated; freeing a
 * stack in use is refused (-EBUSY from a supervisor, the caller ended from
 * user mode, as in the reference); a forged, ungranted or released stack
 * ends the user thread that names it; a K_USER stack no thread may use any
 * more is given back. Each user-mode action runs in a user thread of its
 * own; the suite's k_sys_fatal_error_handler() records the reason and the
 * thread and returns, so the kernel ends that thread only.
 */
#include <kernel.h>
#include <kernel/mm.h>
#include <ztest.h>

#define STACK_SIZE 8192
#define CHILD_SIZE 4096
#define POOL       CONFIG_DYNAMIC_THREAD_POOL_SIZE
#define USER_PRIO  K_PRIO_PREEMPT(1)
#define NO_FAULT   0xffffffffU
#define PAGE       CONFIG_MMU_PAGE_SIZE

K_THREAD_STACK_DEFINE(user_stack, STACK_SIZE);
static struct k_thread user_thread;
static struct k_thread child_thread;
static struct k_sem child_go; /* a waiting child's signal (it inherits the permission) */

static volatile unsigned int fault_reason = NO_FAULT;
static struct k_thread *volatile fault_thread;

/* What the user threads report (they may write only their partitions). */
ZTEST_BMEM static k_thread_stack_t *volatile user_alloc[2];
ZTEST_BMEM static volatile uintptr_t child_sp[2];
ZTEST_BMEM static volatile int join_ret[2];
ZTEST_BMEM static volatile int free_ret[2];
ZTEST_BMEM static volatile bool child_user;
ZTEST_BMEM static volatile int child_runs;
ZTEST_BMEM static volatile bool user_done;
/* User memory shaped like a stack: never a stack object. */
ZTEST_BMEM static uint8_t forged_stack[2 * PAGE] __aligned(PAGE);
/* Stacks a supervisor allocated, for the user threads to name. */
ZTEST_BMEM static k_thread_stack_t *volatile sup_stack;

void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	struct k_thread *t = k_current_get();

	ARG_UNUSED(esf);
	if (t == &user_thread || t == &child_thread) {
		fault_reason = reason;
		fault_thread = t;
		return; /* the kernel aborts only the faulting thread */
	}
	printk("fatal error %u outside the user threads\n", reason);
	if (!z_ztest_fatal_error_unexpected(reason)) {
		k_fatal_halt(reason);
	}
}

static void reset_reports(void)
{
	for (int i = 0; i < 2; i++) {
		user_alloc[i] = NULL;
		child_sp[i] = 0;
		join_ret[i] = -1;
		free_ret[i] = -1;
	}
	child_user = false;
	child_runs = 0;
	user_done = false;
	fault_reason = NO_FAULT;
	fault_thread = NULL;
}

/* Run fn(p1) in a user thread that may use child_thread and child_go, to its end. */
static unsigned int run_user(k_thread_entry_t fn, void *p1)
{
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, fn, p1, NULL, NULL,
					 USER_PRIO, K_USER, K_FOREVER));
	k_thread_access_grant(&user_thread, &child_thread, &child_go);
	k_thread_start(&user_thread);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	if (fault_reason != NO_FAULT) {
		zassert_equal_ptr(fault_thread, &user_thread, "not the caller was ended");
	}
	return fault_reason;
}

static bool on_stack(uintptr_t sp, const k_thread_stack_t *stack, size_t size)
{
	return sp >= (uintptr_t)stack && sp < (uintptr_t)stack + size;
}

/* Records where it runs (a local's address) and whether in user mode. */
static void child_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	volatile int here = 0;

	child_sp[(uintptr_t)p1] = (uintptr_t)&here;
	child_user = k_is_user_context();
	child_runs++;
}

/* Waits for child_go, then counts itself. */
static void child_waits(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	if (k_sem_take(&child_go, K_FOREVER) == 0) {
		child_runs++;
	}
}

/* ---- a user thread allocates, creates on, joins and frees --------------------------------- */

static void alloc_create_join_free(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (uintptr_t round = 0; round < 2; round++) {
		k_thread_stack_t *s = k_thread_stack_alloc(CHILD_SIZE, K_USER);

		user_alloc[round] = s;
		if (s == NULL) {
			return;
		}

		k_tid_t t =
			k_thread_create(&child_thread, s, CHILD_SIZE, child_entry, (void *)round,
					NULL, NULL, USER_PRIO, K_USER | K_INHERIT_PERMS, K_NO_WAIT);

		if (t != &child_thread) {
			return;
		}
		if (round == 1) {
			/* The child (same priority) ends first and the idle
			 * thread does not run: the join finds it ended and gives
			 * nothing back, so the free must take the stack from the
			 * dead thread itself.
			 */
			k_yield();
		}
		join_ret[round] = k_thread_join(t, K_FOREVER);
		free_ret[round] = k_thread_stack_free(s);
	}
	user_done = true;
}

ZTEST(dynamic_thread_stack, test_user_allocates_creates_joins_frees)
{
	size_t free_before = k_mem_free_get();

	reset_reports();
	zassert_equal(run_user(alloc_create_join_free, NULL), NO_FAULT, "the user thread faulted");
	zassert_true(user_done, "the user thread stopped early");
	for (int i = 0; i < 2; i++) {
		zassert_not_null(user_alloc[i], "round %d: no stack", i);
		zassert_true(on_stack(child_sp[i], user_alloc[i], CHILD_SIZE),
			     "round %d: the child ran at %p, not on %p", i, (void *)child_sp[i],
			     (void *)user_alloc[i]);
		zassert_ok(join_ret[i], "round %d", i);
		zassert_ok(free_ret[i], "round %d", i);
	}
	zassert_equal(child_runs, 2);
	zassert_true(child_user, "the child ran in supervisor mode");
	/* Freed: no stack of the pool any more, every frame back. */
	zassert_equal(k_thread_stack_free(user_alloc[1]), -EINVAL);
	zassert_equal(k_mem_free_get(), free_before);
	zassert_equal(k_mem_check_invariants(), 0);
}

/* ---- freeing a stack in use --------------------------------------------------------------- */

ZTEST(dynamic_thread_stack, test_supervisor_free_in_use_is_ebusy)
{
	k_thread_stack_t *s = k_thread_stack_alloc(CHILD_SIZE, K_USER);

	reset_reports();
	zassert_not_null(s);
	zassert_not_null(k_thread_create(&child_thread, s, CHILD_SIZE, child_entry, NULL, NULL,
					 NULL, USER_PRIO, K_USER, K_FOREVER));
	zassert_equal(k_thread_stack_free(s), -EBUSY, "created, not started");
	k_thread_start(&child_thread);
	zassert_ok(k_thread_join(&child_thread, K_FOREVER));
	zassert_equal(child_runs, 1);
	zassert_ok(k_thread_stack_free(s));
	zassert_equal(k_thread_stack_free(s), -EINVAL, "freed twice");
	zassert_equal(k_thread_stack_free(NULL), -EINVAL);
	zassert_equal(k_thread_stack_free((k_thread_stack_t *)user_stack), -EINVAL,
		      "not from k_thread_stack_alloc()");
}

static void free_in_use(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_thread_stack_t *s = k_thread_stack_alloc(CHILD_SIZE, K_USER);

	user_alloc[0] = s;
	if (s == NULL ||
	    k_thread_create(&child_thread, s, CHILD_SIZE, child_waits, NULL, NULL, NULL, USER_PRIO,
			    K_USER | K_INHERIT_PERMS, K_NO_WAIT) != &child_thread) {
		return;
	}
	free_ret[0] = k_thread_stack_free(s); /* the caller ends here */
	user_done = true;
}

ZTEST(dynamic_thread_stack, test_user_free_in_use_ends_caller)
{
	reset_reports();
	k_sem_reset(&child_go);
	zassert_equal(run_user(free_in_use, NULL), K_ERR_KERNEL_OOPS);
	zassert_false(user_done, "k_thread_stack_free() returned (%d)", free_ret[0]);
	zassert_not_null(user_alloc[0]);
	/* Only the caller ended: the child still waits on its stack, and runs on. */
	zassert_equal(k_thread_join(&child_thread, K_NO_WAIT), -EBUSY);
	k_sem_give(&child_go);
	zassert_ok(k_thread_join(&child_thread, K_FOREVER));
	zassert_equal(child_runs, 1);
	zassert_ok(k_thread_stack_free(user_alloc[0]));
}

/* ---- what is no stack the caller may use ends it ----------------------------------------- */

enum bad_stack {
	GRANTED,       /* the control: a supervisor's K_USER stack, granted */
	CREATE_FORGED, /* user memory shaped like a stack */
	CREATE_UNGRANTED,
	CREATE_NOT_OBJECT, /* allocated without K_USER */
	CREATE_RELEASED,   /* its own, after k_object_release() */
	FREE_FORGED,
	FREE_UNGRANTED,
};

static void use_stack(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	enum bad_stack bad = (enum bad_stack)(uintptr_t)p1;
	k_thread_stack_t *s = sup_stack;

	switch (bad) {
	case CREATE_FORGED:
	case FREE_FORGED:
		s = (k_thread_stack_t *)forged_stack;
		break;
	case CREATE_RELEASED:
		s = k_thread_stack_alloc(CHILD_SIZE, K_USER);
		user_alloc[0] = s;
		if (s == NULL) {
			return;
		}
		k_object_release(s);
		break;
	default:
		break;
	}
	if (bad == FREE_FORGED || bad == FREE_UNGRANTED) {
		free_ret[0] = k_thread_stack_free(s);
	} else {
		k_tid_t t = k_thread_create(&child_thread, s, CHILD_SIZE, child_entry, NULL, NULL,
					    NULL, USER_PRIO, K_USER, K_NO_WAIT);

		join_ret[0] = (t == NULL) ? -1 : k_thread_join(t, K_FOREVER);
	}
	user_done = true;
}

static void expect_oops(enum bad_stack bad)
{
	reset_reports();
	zassert_equal(run_user(use_stack, (void *)bad), K_ERR_KERNEL_OOPS, "case %d", (int)bad);
	zassert_false(user_done, "case %d: the call returned", (int)bad);
	zassert_equal(child_runs, 0, "case %d: a child ran", (int)bad);
}

ZTEST(dynamic_thread_stack, test_forged_ungranted_released_stacks_end_caller)
{
	/* The control: granted, a supervisor's K_USER stack serves a user creator. */
	sup_stack = k_thread_stack_alloc(CHILD_SIZE, K_USER);
	zassert_not_null(sup_stack);
	reset_reports();
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, use_stack,
					 (void *)GRANTED, NULL, NULL, USER_PRIO, K_USER,
					 K_FOREVER));
	k_thread_access_grant(&user_thread, &child_thread, sup_stack);
	k_thread_start(&user_thread);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal(fault_reason, NO_FAULT);
	zassert_true(user_done);
	zassert_ok(join_ret[0]);
	zassert_equal(child_runs, 1);

	expect_oops(CREATE_FORGED);
	expect_oops(CREATE_UNGRANTED);
	expect_oops(FREE_FORGED);
	expect_oops(FREE_UNGRANTED);
	expect_oops(CREATE_RELEASED);
	zassert_not_null(user_alloc[0]);
	zassert_ok(k_thread_stack_free(sup_stack), "the ungranted stack is as it was");

	sup_stack = k_thread_stack_alloc(CHILD_SIZE, 0);
	zassert_not_null(sup_stack);
	expect_oops(CREATE_NOT_OBJECT);
	zassert_ok(k_thread_stack_free(sup_stack));
}

/* ---- a K_USER stack nobody may use is given back ---------------------------------------- */

static void alloc_and_leave(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	user_alloc[0] = k_thread_stack_alloc(CHILD_SIZE, K_USER);
	user_done = true;
}

ZTEST(dynamic_thread_stack, test_unreferenced_stack_reclaimed)
{
	k_thread_stack_t *stacks[POOL + 1];
	size_t free_before = k_mem_free_get();

	reset_reports();
	zassert_equal(run_user(alloc_and_leave, NULL), NO_FAULT);
	zassert_true(user_done);
	zassert_not_null(user_alloc[0]);
	zassert_true(k_mem_free_get() < free_before, "the left stack still holds its frames");
	/* Its maker ended: nobody may use it, so the pool has every slot again. */
	for (int i = 0; i < POOL; i++) {
		stacks[i] = k_thread_stack_alloc(CHILD_SIZE, 0);
		zassert_not_null(stacks[i], "stack %d of %d", i, POOL);
	}
	stacks[POOL] = k_thread_stack_alloc(CHILD_SIZE, 0);
	zassert_is_null(stacks[POOL], "more stacks than the pool has");
	for (int i = 0; i < POOL; i++) {
		zassert_ok(k_thread_stack_free(stacks[i]));
	}
	zassert_equal(k_mem_free_get(), free_before);
	zassert_is_null(k_thread_stack_alloc(0, K_USER));
}

/* A supervisor's K_USER stack it does not give away stays its own. */
ZTEST(dynamic_thread_stack, test_granted_stack_kept)
{
	k_thread_stack_t *mine = k_thread_stack_alloc(CHILD_SIZE, K_USER);
	k_thread_stack_t *other;

	zassert_not_null(mine);
	other = k_thread_stack_alloc(CHILD_SIZE, K_USER);
	zassert_not_null(other);
	zassert_not_equal(mine, other);
	zassert_ok(k_thread_stack_free(other));
	zassert_ok(k_thread_stack_free(mine), "reclaimed while its maker may use it");
}

static void *suite_setup(void)
{
	k_sem_init(&child_go, 0, 1);
	return NULL;
}

ZTEST_SUITE(dynamic_thread_stack, NULL, suite_setup, NULL, NULL, NULL);
