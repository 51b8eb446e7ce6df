/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host port's CPU side (arch/host/cpu.c): what a host test program may
 * call besides the kernel's API and the software MMU (host_mmu.h). Both the
 * fuzzer and the host unit tests link cpu.c; two settings of the build's
 * autoconf.h choose what a fuzzer needs:
 *
 * HOST_PORT_TEST_CLOCK    time moves only through host_clock_advance_ms(),
 *                         so a run depends on its input alone; without it,
 *                         time is the host's CLOCK_MONOTONIC since the first
 *                         read.
 * HOST_PORT_QUIET_CONSOLE the console is only kept in memory (echoed to
 *                         stderr on host_console_echo(true) or
 *                         PAGODA_HOST_ECHO=1); without it, it goes to stdout
 *                         as well, flushed at each newline.
 */
#ifndef PAGODA_ARCH_HOST_HOST_PORT_H
#define PAGODA_ARCH_HOST_HOST_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The test's clock behind k_uptime_get(), k_uptime_ticks() and
 * k_cycle_get_64(): back to 0, forward by ms. Defined with
 * HOST_PORT_TEST_CLOCK only, so that a test driving a clock that does not
 * listen fails to link.
 */
void host_clock_reset(void);
void host_clock_advance_ms(uint32_t ms);

/*
 * Points where the kernel lets other code run in the middle of its own, and
 * the hook a test sets to run code there (NULL: nothing runs). Today there
 * is one kind: HOST_POINT_IRQ, wherever interrupts go from locked to
 * enabled (the generic code's irq_unlock() and, under
 * CONFIG_DEMAND_PAGING_ALLOW_IRQ, the enable around a backing-store
 * transfer; the host disk model's unlock between two sectors): a pending
 * interrupt is taken there. The hook then runs as an interrupt handler:
 * arch_is_in_isr() (k_is_in_isr()) is true and interrupts are locked until
 * it returns; handlers do not nest.
 *
 * For threads: a preemption or blocking point of the kernel is another
 * enum host_point value, reported through the same hook from the host
 * port's context switch, but run in thread context (arch_is_in_isr()
 * false, interrupts as the switched-to thread has them). A test that
 * decides what runs at each point (the fuzzer) then needs no new wiring.
 */
enum host_point {
	HOST_POINT_IRQ,
};
extern void (*host_point_hook)(enum host_point where);

/* The console keeps the last HOST_CONSOLE_KEEP bytes printed (printk). */
#define HOST_CONSOLE_KEEP 8192
/* With HOST_PORT_QUIET_CONSOLE: echo to stderr or not (else: the environment). */
void host_console_echo(bool on);
/* Copy what the console kept into buf (NUL-terminated); returns its length. */
size_t host_console_tail(char *buf, size_t size);
void host_console_clear(void);

/*
 * NULL by default: arch_system_halt() and k_poweroff() (which the end of a
 * fatal error calls) then exit() with their status. Once a test sets it, a
 * halt with a non-zero status calls it, so that the test can print what led
 * there, and then abort()s: a fuzzer must see a crash to keep the input.
 */
extern void (*host_fatal_hook)(const char *why);

#endif /* PAGODA_ARCH_HOST_HOST_PORT_H */
