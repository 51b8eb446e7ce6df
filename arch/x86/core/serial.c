/* SPDX-License-Identifier: Apache-2.0 */
/* Console on COM1 (16550 UART at 0x3F8), polled; the coverage dump on COM2. */
#include <kernel.h>
#include <x86_cpu.h>

#define COM1          0x3F8
#define COM2          0x2F8 /* the coverage dump: a port of its own, the console stays readable */
#define UART_THR      0     /* transmit holding */
#define UART_IER      1
#define UART_DLL      0
#define UART_DLM      1
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LSR_THRE 0x20
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1  0x03

static void uart_init(uint16_t port)
{
	z_x86_outb(port + UART_IER, 0x00);
	z_x86_outb(port + UART_LCR, UART_LCR_DLAB);
	z_x86_outb(port + UART_DLL, 1); /* 115200 baud */
	z_x86_outb(port + UART_DLM, 0);
	z_x86_outb(port + UART_LCR, UART_LCR_8N1);
	z_x86_outb(port + UART_FCR, 0xC7); /* FIFOs on and cleared */
	z_x86_outb(port + UART_MCR, 0x03); /* DTR, RTS */
}

void z_x86_serial_init(void)
{
	uart_init(COM1);
	if (IS_ENABLED(CONFIG_COVERAGE_GCOV)) {
		uart_init(COM2);
	}
}

static void uart_put(uint8_t c)
{
	while ((z_x86_inb(COM1 + UART_LSR) & UART_LSR_THRE) == 0U) {
	}
	z_x86_outb(COM1 + UART_THR, c);
}

void arch_console_putc(int c)
{
	/* QEMU puts the terminal in raw mode: a bare '\n' would not return. */
	if (c == '\n') {
		uart_put('\r');
	}
	uart_put((uint8_t)c);
}

#ifdef CONFIG_COVERAGE_GCOV
/* Not instrumented, and its port I/O written out rather than the inline
 * z_x86_inb()/z_x86_outb() (which carry counters of their own where
 * inlined): counters changing while the dump writes them would disagree
 * with the dump's own bytes.
 */
__attribute__((no_profile_instrument_function)) void arch_coverage_putc(int c)
{
	uint8_t lsr;

	do {
		__asm__ volatile("inb %w1, %0" : "=a"(lsr) : "Nd"((uint16_t)(COM2 + UART_LSR)));
	} while ((lsr & UART_LSR_THRE) == 0U);
	/* Bytes as they are: the host reads a file, not a terminal. */
	__asm__ volatile("outb %0, %w1" : : "a"((uint8_t)c), "Nd"((uint16_t)(COM2 + UART_THR)));
}
#endif
