/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel API an application uses: console output, fatal errors,
 * interrupt locking, time, threads and their synchronisation
 * (<kernel/thread.h>, <kernel/sync.h>).
 */
#ifndef PAGODA_INCLUDE_KERNEL_H
#define PAGODA_INCLUDE_KERNEL_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/cpu.h>
#include <kernel/timeout.h>
#include <linker/section_tags.h>
#include <sys/__assert.h>
#include <sys/errno.h>
#include <sys/printk.h>
#include <sys/time_units.h>
#include <sys/util.h>
#ifdef CONFIG_MULTITHREADING
#include <kernel/heap.h>
#include <kernel/pipe.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#endif

#define PAGODA_VERSION_STRING "0.1.0"

/* Reasons passed to k_sys_fatal_error_handler(). */
#define K_ERR_CPU_EXCEPTION  0
#define K_ERR_SPURIOUS_IRQ   1
#define K_ERR_STACK_CHK_FAIL 2
#define K_ERR_KERNEL_OOPS    3
#define K_ERR_KERNEL_PANIC   4

/* Guest exit statuses (what `scripts/pagoda run` returns). */
#define K_EXIT_SUCCESS     0
#define K_EXIT_TEST_FAILED 1
#define K_EXIT_FATAL       2

static inline unsigned int irq_lock(void)
{
	return arch_irq_lock();
}

static inline void irq_unlock(unsigned int key)
{
	arch_irq_unlock(key);
}

/* True in an interrupt handler. */
static inline bool k_is_in_isr(void)
{
	return arch_is_in_isr();
}

/* Ticks of the periodic timer since boot (CONFIG_SYS_CLOCK_TICKS_PER_SEC). */
__syscall int64_t k_uptime_ticks(void);
/* Milliseconds since boot, at tick resolution. */
__syscall int64_t k_uptime_get(void);

/* Its low 32 bits (wraps after 49.7 days). */
static inline uint32_t k_uptime_get_32(void)
{
	return (uint32_t)k_uptime_get();
}

static inline uint64_t k_cycle_get_64(void)
{
	return arch_cycle_get_64();
}

static inline uint32_t k_cycle_get_32(void)
{
	return (uint32_t)arch_cycle_get_64();
}

/* Spin for at least usec_to_wait microseconds (on the cycle counter). */
void k_busy_wait(uint32_t usec_to_wait);

/* Write n characters of c to the console (printk's output from user mode). */
__syscall void k_str_out(char *c, size_t n);

/* Stop the system with an exit status (see K_EXIT_*). */
FUNC_NORETURN void k_poweroff(int status);

/* Report a fatal error: prints the reason and the current thread, calls
 * k_sys_fatal_error_handler(), and when that returns aborts the current
 * thread (halts in an interrupt handler or in an essential thread). esf
 * may be NULL.
 */
FUNC_NORETURN void z_fatal_error(unsigned int reason, const struct arch_esf *esf);

/*
 * A stack canary was found overwritten (CONFIG_STACK_CANARIES,
 * __stack_chk_fail()): z_fatal_error(K_ERR_STACK_CHK_FAIL). From user mode
 * a system call, as the reference's stack-check trap is.
 */
__syscall void z_stack_chk_fail(void);

/*
 * Halt the system after a fatal error (Zephyr's k_fatal_halt()): interrupts
 * off, never returns; under QEMU the run ends with K_EXIT_FATAL whatever the
 * reason (a reason of 0, K_ERR_CPU_EXCEPTION, must not read as success).
 * A fatal error ends in it when k_sys_fatal_error_handler() returns; a
 * custom handler may call it itself.
 */
FUNC_NORETURN void k_fatal_halt(unsigned int reason);

/*
 * Called for every fatal error after its diagnostics were printed (the
 * reference RTOS's hook: an application or a test suite may define it,
 * ztest or not). The default halts; when a definition returns, the
 * faulting thread is aborted (see z_fatal_error()).
 */
void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf);

/* ztest's look at a fatal error first (weak defaults say no): true when
 * the running test expected it (ztest_set_fault_valid(),
 * ztest_set_assert_valid()); the faulting thread is then aborted. The
 * default k_sys_fatal_error_handler() asks ztest the second:
 * true when a test was running (it fails), so the handler returns.
 */
bool z_ztest_fatal_error(unsigned int reason, const struct arch_esf *esf);
bool z_ztest_fatal_error_unexpected(unsigned int reason);
/* k_sys_fatal_error_handler() returned: thread, about to be aborted, may be
 * ztest's test thread, whose verdict then stands (the reference's rule).
 */
struct k_thread;
void z_ztest_fatal_error_handled(struct k_thread *thread);
/* thread ends itself (k_thread_abort() of itself, the end of its entry or
 * of its k_thread_user_mode_enter() entry): if it is ztest's test thread,
 * its verdict stands (the reference's test still pending passes).
 */
void z_ztest_thread_ended_itself(struct k_thread *thread);

#ifdef CONFIG_USERSPACE
/*
 * User mode's way into z_fatal_error() (the reference's x86 raises a
 * software interrupt instead): the reason becomes K_ERR_KERNEL_OOPS unless
 * it is K_ERR_KERNEL_OOPS or K_ERR_STACK_CHK_FAIL, so user mode can neither
 * panic the kernel nor forge a CPU exception. Never returns.
 */
__syscall void z_user_except(unsigned int reason);

/* The reference's z_except_reason(): a fatal error of this reason, raised
 * by the caller (k_panic(), k_oops()).
 */
#define z_except_reason(reason)                                                                    \
	do {                                                                                       \
		if (k_is_user_context()) {                                                         \
			z_user_except(reason);                                                     \
			CODE_UNREACHABLE;                                                          \
		}                                                                                  \
		z_fatal_error((reason), NULL);                                                     \
	} while (false)
#else
#define z_except_reason(reason) z_fatal_error((reason), NULL)
#endif

#define k_panic() z_except_reason(K_ERR_KERNEL_PANIC)
#define k_oops()  z_except_reason(K_ERR_KERNEL_OOPS)

/* Called by the architecture's timer interrupt with the ticks elapsed. */
void sys_clock_announce(int32_t ticks);

#ifdef CONFIG_ZTEST
/*
 * Test support: hook(arg) runs in the timer interrupt on every tick (NULL
 * removes it), so suites can call the kernel from a real interrupt handler.
 */
void z_test_tick_hook_set(void (*hook)(void *arg), void *arg);
#endif

#ifdef CONFIG_MULTITHREADING
/*
 * True while the kernel is starting, before the first thread runs
 * (the reference: before its POST_KERNEL initialisation). User mode runs
 * only later and cannot read the kernel's flag, so false there.
 */
static inline bool k_is_pre_kernel(void)
{
	extern bool z_sys_post_kernel;

	return !k_is_user_context() && !z_sys_post_kernel;
}
#endif

/* The application's entry point; its return value is the exit status. */
int main(void);

/* As the reference's <kernel.h>: _current, for code that reads the thread
 * object of the running thread.
 */
#include <kernel_structs.h>

#endif /* PAGODA_INCLUDE_KERNEL_H */
