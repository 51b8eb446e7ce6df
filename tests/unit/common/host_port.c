/*
 * The host "architecture" for unit tests: the <arch/cpu.h> and <kernel.h>
 * functions that firmware gets from arch/x86/ and kernel/, implemented on
 * the C library. Interrupt locking is a flag (arch/host/irq.c);
 * a fatal error goes through k_sys_fatal_error_handler() as in firmware, so
 * k_panic()/k_oops() and __ASSERT() failures inside a test are caught by
 * ztest the same way.
 */
#include <kernel.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Interrupt locking: arch/host/irq.c. */

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
	return since_boot_ns(); /* one "cycle" per nanosecond */
}

int64_t k_uptime_get(void)
{
	return (int64_t)(since_boot_ns() / 1000000U);
}

int64_t k_uptime_ticks(void)
{
	return k_uptime_get() * CONFIG_SYS_CLOCK_TICKS_PER_SEC / 1000;
}

void arch_console_putc(int c)
{
	putchar(c);
	/* Flush per line so a test that crashes still shows its START line. */
	if (c == '\n') {
		fflush(stdout);
	}
}

void arch_system_halt(int status)
{
	fflush(stdout);
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
	return "none";
}
