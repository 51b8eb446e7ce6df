/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generic end of every fatal error: CPU exceptions, stack overflows,
 * panics, oopses. The reference RTOS's policy: the dump names the thread,
 * k_sys_fatal_error_handler() decides (the default halts), and when it
 * returns the faulting thread is aborted and the rest of the system runs
 * on, a kernel panic's too; a fatal error in an interrupt handler, or one in
 * an essential thread (main, idle) halts.
 */
#include <kernel.h>
#ifdef CONFIG_DEMAND_PAGING
#include <paging.h>
#endif
#ifdef CONFIG_MULTITHREADING
#include <ksched.h>
#endif

static const char *reason_name(unsigned int reason)
{
	switch (reason) {
	case K_ERR_CPU_EXCEPTION:
		return "CPU exception";
	case K_ERR_SPURIOUS_IRQ:
		return "unhandled interrupt";
	case K_ERR_STACK_CHK_FAIL:
		return "stack check failure";
	case K_ERR_KERNEL_OOPS:
		return "kernel oops";
	case K_ERR_KERNEL_PANIC:
		return "kernel panic";
	default:
		return "unknown error";
	}
}

/* Without ztest linked in, no test expects anything. */
__weak bool z_ztest_fatal_error_unexpected(unsigned int reason)
{
	ARG_UNUSED(reason);
	return false;
}

/* The default: a running ztest case fails (and the kernel aborts its
 * thread); anything else halts.
 */
__weak void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);
	if (z_ztest_fatal_error_unexpected(reason)) {
		return;
	}
	printk("Halting system\n");
	k_fatal_halt(reason);
}

/* Without ztest linked in, no test expects anything. */
__weak bool z_ztest_fatal_error(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(reason);
	ARG_UNUSED(esf);
	return false;
}

/* Without ztest linked in, no test's thread is ended. */
__weak void z_ztest_fatal_error_handled(struct k_thread *thread)
{
	ARG_UNUSED(thread);
}

__weak void z_ztest_thread_ended_itself(struct k_thread *thread)
{
	ARG_UNUSED(thread);
}

/* A backing-store transfer the error interrupted cannot be left half done. */
static void halt_if_transfer_interrupted(void)
{
#ifdef CONFIG_DEMAND_PAGING
	unsigned int depth = z_paging_transfer_depth();

	if (depth > 0U) {
		printk(">>> the fatal error interrupted a backing-store transfer of page %p: "
		       "resuming elsewhere would leave it half done; halting\n",
		       z_paging_transfer_page(depth - 1U));
		k_fatal_halt(K_ERR_KERNEL_PANIC);
	}
#endif
}

#ifdef CONFIG_MULTITHREADING
/*
 * The handler returned (or the test framework took the error): end the
 * faulting thread when the policy allows it. An error in an interrupt
 * handler goes on only when the test framework expected it there (and
 * ended its test): the handlers are abandoned, the interrupted thread
 * resumes.
 */
static void abort_faulting_thread(bool expected_by_test)
{
	struct k_thread *t = k_current_get();

	if (k_is_in_isr() && !expected_by_test) {
		return;
	}
	if (k_is_in_isr()) {
		arch_isr_abandon();
	}
	if (t == NULL || (t->base.user_options & K_ESSENTIAL) != 0U) {
		printk("Fatal error in an essential thread\n");
		return;
	}
	k_thread_abort(t);
}
#endif

FUNC_NORETURN void z_fatal_error(unsigned int reason, const struct arch_esf *esf)
{
	bool expected_by_test = false;

	(void)arch_irq_lock();
	printk(">>> PAGODA FATAL ERROR %u: %s\n", reason, reason_name(reason));
#ifdef CONFIG_MULTITHREADING
	struct k_thread *t = k_current_get();

	if (t != NULL) {
		printk("Current thread: %p (%s)%s\n", (void *)t, z_thread_name(t),
		       k_is_in_isr() ? ", in an interrupt handler" : "");
	}
#endif
	/* Nothing may resume elsewhere, not even a test expecting the error. */
	halt_if_transfer_interrupted();
	expected_by_test = z_ztest_fatal_error(reason, esf);
	if (!expected_by_test) {
		k_sys_fatal_error_handler(reason, esf);
#ifdef CONFIG_MULTITHREADING
		z_ztest_fatal_error_handled(k_current_get());
#endif
	}
#ifdef CONFIG_MULTITHREADING
	abort_faulting_thread(expected_by_test);
#endif
	printk("Halting system\n");
	k_fatal_halt(reason);
}

FUNC_NORETURN void k_fatal_halt(unsigned int reason)
{
	/* Every reason ends the same way: even K_ERR_CPU_EXCEPTION (0) is a failure. */
	ARG_UNUSED(reason);
	(void)arch_irq_lock();
	k_poweroff(K_EXIT_FATAL);
}

FUNC_NORETURN void z_assert_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	printk("ASSERTION FAIL [%s] @ %s:%d\n\t", cond, file, line);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	k_panic();
}
