/*
 * The rest of the host port: what kernel/mm needs from <arch/cpu.h> and
 * <kernel.h> besides the MMU. Interrupt locking (arch/host/irq.c) only tracks a flag (one
 * thread, no interrupts), so the MMU can check that the generic code locks
 * where it must. Time is a clock the test advances, never the host's, so a
 * run depends on its input alone. The console keeps its last output for the
 * test's failure reports instead of flooding stdout with "<err> mm:" lines.
 */
#include <host_mmu.h>
#include <kernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Interrupt locking: arch/host/irq.c. */

/* ---- time ---------------------------------------------------------------- */

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
	if (echo < 0) {
		const char *env = getenv("PAGODA_HOST_ECHO");

		echo = env != NULL && strcmp(env, "1") == 0;
	}
	ring[ring_pos] = (char)c;
	ring_pos = (ring_pos + 1U) % sizeof(ring);
	ring_full = ring_full || ring_pos == 0U;
	if (echo != 0) {
		fputc(c, stderr);
	}
}

/* ---- the end ------------------------------------------------------------- */

void (*host_fatal_hook)(const char *why);

void arch_system_halt(int status)
{
	fflush(stdout);
	fflush(stderr);
	if (status == 0) {
		exit(0);
	}
	/* abort() rather than exit(): a fuzzer must see a crash and keep the input. */
	if (host_fatal_hook != NULL) {
		host_fatal_hook("the kernel halted (fatal error or failed assertion)");
	}
	abort();
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
