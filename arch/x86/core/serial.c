/* SPDX-License-Identifier: Apache-2.0 */
/* Console on COM1 (16550 UART at 0x3F8), polled. */
#include <kernel.h>
#include <x86_cpu.h>

#define COM1          0x3F8
#define UART_THR      0 /* transmit holding */
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

void z_x86_serial_init(void)
{
	z_x86_outb(COM1 + UART_IER, 0x00);
	z_x86_outb(COM1 + UART_LCR, UART_LCR_DLAB);
	z_x86_outb(COM1 + UART_DLL, 1); /* 115200 baud */
	z_x86_outb(COM1 + UART_DLM, 0);
	z_x86_outb(COM1 + UART_LCR, UART_LCR_8N1);
	z_x86_outb(COM1 + UART_FCR, 0xC7); /* FIFOs on and cleared */
	z_x86_outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
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
