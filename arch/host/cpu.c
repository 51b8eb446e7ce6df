/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host port's CPU side: <arch/cpu.h>, and the <kernel.h> functions that
 * firmware gets from kernel/init.c and kernel/timeout.c, on the C library of
 * a Linux host program. The fuzzer (with the software MMU, mmu.c) and the
 * host unit tests both link it; host_port.h describes the two settings a
 * fuzzer's autoconf.h turns on (a clock the test advances, a console kept
 * in memory only).
 *
 * kernel/fatal.c is linked as in firmware, so a fatal error or a failed
 * __ASSERT() reaches k_sys_fatal_error_handler() (ztest's, in a unit test)
 * and then k_poweroff().
 */
#include <kernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_port.h"

/* ---- interrupts ---------------------------------------------------------- */

/*
 * One thread and no interrupt source, so a lock is only a flag. Keeping it
 * lets the software MMU check that the generic code locks where it must,
 * and lets a test see interrupts left locked.
 *
 * Where the flag goes from locked to enabled (arch_irq_unlock() of a key
 * that enables, arch_irq_enable_all()), an interrupt that was pending would
 * be taken at once: that is a point where other code may run in the middle
 * of the kernel's (host_point_hook, host_port.h). The hook runs as an
 * interrupt handler would: arch_is_in_isr() true, interrupts locked.
 */
static bool irqs_enabled = true;
static unsigned int isr_depth;

void (*host_point_hook)(enum host_point where);

static void interrupt_point(void)
{
	if (host_point_hook == NULL || isr_depth > 0U) {
		return; /* handlers run with interrupts locked: no nesting of handlers */
	}
	isr_depth++;
	irqs_enabled = false; /* as an interrupt gate leaves them */
	host_point_hook(HOST_POINT_IRQ);
	irqs_enabled = true; /* iret */
	isr_depth--;
}

unsigned int arch_irq_lock(void)
{
	unsigned int key = irqs_enabled ? 1U : 0U;

	irqs_enabled = false;
	return key;
}

void arch_irq_unlock(unsigned int key)
{
	bool was = irqs_enabled;

	irqs_enabled = (key != 0U);
	if (irqs_enabled && !was) {
		interrupt_point();
	}
}

bool arch_irq_enabled(void)
{
	return irqs_enabled;
}

bool arch_irq_unlocked(unsigned int key)
{
	return key != 0U;
}

void arch_irq_enable_all(void)
{
	bool was = irqs_enabled;

	irqs_enabled = true;
	if (!was) {
		interrupt_point();
	}
}

bool arch_is_in_isr(void)
{
	return isr_depth > 0U;
}

/* ---- time ---------------------------------------------------------------- */

/* One cycle per nanosecond, whichever the clock. */
#ifdef HOST_PORT_TEST_CLOCK

static uint64_t clock_ms;
static uint64_t cycle_calls;

void host_clock_reset(void)
{
	clock_ms = 0;
	cycle_calls = 0;
}

void host_clock_advance_ms(uint32_t ms)
{
	clock_ms += ms;
}

/* A million cycles per ms, and every read a cycle later than the last. */
uint64_t arch_cycle_get_64(void)
{
	return clock_ms * 1000000U + cycle_calls++;
}

int64_t k_uptime_ticks(void)
{
	return (int64_t)(clock_ms * CONFIG_SYS_CLOCK_TICKS_PER_SEC / 1000U);
}

int64_t k_uptime_get(void)
{
	return k_uptime_ticks() * 1000 / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
}

#else /* the host's clock; host_clock_*() are left undefined */

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Time starts at the first call, as uptime starts at boot. */
static uint64_t boot_ns(void)
{
	static uint64_t boot;

	if (boot == 0U) {
		boot = monotonic_ns();
	}
	return boot;
}

static uint64_t since_boot_ns(void)
{
	uint64_t boot = boot_ns(); /* first, so that now >= boot */

	return monotonic_ns() - boot;
}

uint64_t arch_cycle_get_64(void)
{
	return since_boot_ns();
}

int64_t k_uptime_get(void)
{
	return (int64_t)(since_boot_ns() / 1000000U);
}

int64_t k_uptime_ticks(void)
{
	return k_uptime_get() * CONFIG_SYS_CLOCK_TICKS_PER_SEC / 1000;
}

#endif /* HOST_PORT_TEST_CLOCK */

/* Both clocks count one cycle per nanosecond. */
uint64_t arch_cycle_freq_get(void)
{
	return 1000000000U;
}

/* ---- console ------------------------------------------------------------- */

static char ring[HOST_CONSOLE_KEEP];
static size_t ring_pos; /* next byte written */
static bool ring_full;  /* wrapped at least once */
static int echo = -1;   /* -1: not decided yet (environment) */

void host_console_echo(bool on)
{
	echo = on ? 1 : 0;
}

void host_console_clear(void)
{
	ring_pos = 0;
	ring_full = false;
}

size_t host_console_tail(char *buf, size_t size)
{
	size_t kept = ring_full ? sizeof(ring) : ring_pos;
	size_t n = MIN(kept, size - 1U);
	size_t start = (ring_pos + sizeof(ring) - n) % sizeof(ring);

	for (size_t i = 0; i < n; i++) {
		buf[i] = ring[(start + i) % sizeof(ring)];
	}
	buf[n] = '\0';
	return n;
}

void arch_console_putc(int c)
{
	ring[ring_pos] = (char)c;
	ring_pos = (ring_pos + 1U) % sizeof(ring);
	ring_full = ring_full || ring_pos == 0U;
#ifdef HOST_PORT_QUIET_CONSOLE
	if (echo < 0) {
		const char *env = getenv("PAGODA_HOST_ECHO");

		echo = env != NULL && strcmp(env, "1") == 0;
	}
	if (echo != 0) {
		fputc(c, stderr);
	}
#else
	putchar(c);
	/* Flush per line so a test that crashes still shows its START line. */
	if (c == '\n') {
		fflush(stdout);
	}
#endif
}

/* ---- the end ------------------------------------------------------------- */

void (*host_fatal_hook)(const char *why);

void arch_system_halt(int status)
{
	fflush(stdout);
	fflush(stderr);
	if (status != 0 && host_fatal_hook != NULL) {
		host_fatal_hook("the kernel halted (fatal error or failed assertion)");
		abort(); /* rather than exit(): a fuzzer must see a crash and keep the input */
	}
	exit(status);
}

void k_poweroff(int status)
{
	arch_system_halt(status);
}

const char *arch_name(void)
{
	return "host";
}

const char *arch_paging_mode_name(void)
{
	return "host software MMU";
}
