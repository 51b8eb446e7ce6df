/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Legacy 8259A interrupt controllers and the 8254 PIT as the system timer.
 * IRQs 0-15 are remapped to vectors 32-47, clear of the CPU exceptions.
 */
#include <kernel.h>
#include <x86_cpu.h>

#define PIC1_CMD       0x20
#define PIC1_DATA      0x21
#define PIC2_CMD       0xA0
#define PIC2_DATA      0xA1
#define PIC_EOI        0x20
#define PIC_READ_ISR   0x0B
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086      0x01
#define IRQ_TIMER      0
#define IRQ_CASCADE    2

#define PIT_CH0                0x40
#define PIT_CMD                0x43
#define PIT_CH0_RATE_GENERATOR 0x34 /* channel 0, lo/hi byte, mode 2 */
#define PIT_HZ                 1193182U

void z_x86_pic_init(void)
{
	z_x86_outb(PIC1_CMD, ICW1_INIT_ICW4);
	z_x86_outb(PIC2_CMD, ICW1_INIT_ICW4);
	z_x86_outb(PIC1_DATA, X86_IRQ_BASE);
	z_x86_outb(PIC2_DATA, X86_IRQ_BASE + 8);
	z_x86_outb(PIC1_DATA, 1U << IRQ_CASCADE); /* slave on IRQ 2 */
	z_x86_outb(PIC2_DATA, IRQ_CASCADE);
	z_x86_outb(PIC1_DATA, ICW4_8086);
	z_x86_outb(PIC2_DATA, ICW4_8086);
	/* Only the timer is unmasked; nothing else has a driver. */
	z_x86_outb(PIC1_DATA, (uint8_t) ~(1U << IRQ_TIMER));
	z_x86_outb(PIC2_DATA, 0xFF);
}

void z_x86_timer_init(void)
{
	uint32_t divisor =
		(PIT_HZ + CONFIG_SYS_CLOCK_TICKS_PER_SEC / 2) / CONFIG_SYS_CLOCK_TICKS_PER_SEC;

	z_x86_outb(PIT_CMD, PIT_CH0_RATE_GENERATOR);
	z_x86_outb(PIT_CH0, divisor & 0xff);
	z_x86_outb(PIT_CH0, (divisor >> 8) & 0xff);
}

/* IRQ 7 and 15 fire spuriously when a request vanishes before the CPU
 * acknowledges it; the in-service register tells a real one apart.
 */
static bool is_spurious(unsigned int irq)
{
	uint16_t cmd = (irq < 8) ? PIC1_CMD : PIC2_CMD;

	if ((irq & 7U) != 7U) {
		return false;
	}
	z_x86_outb(cmd, PIC_READ_ISR);
	return (z_x86_inb(cmd) & 0x80) == 0U;
}

static void end_of_interrupt(unsigned int irq)
{
	if (irq >= 8) {
		z_x86_outb(PIC2_CMD, PIC_EOI);
	}
	z_x86_outb(PIC1_CMD, PIC_EOI);
}

unsigned int z_x86_irq_nesting;

static void dispatch(struct arch_esf *esf)
{
	unsigned int irq = (unsigned int)esf->vector - X86_IRQ_BASE;

	if (is_spurious(irq)) {
		if (irq == 15) {
			z_x86_outb(PIC1_CMD, PIC_EOI); /* the master did see the cascade */
		}
		return;
	}
	if (irq == IRQ_TIMER) {
		/* Acknowledged first: a fatal error in the tick's work that a test
		 * framework recovers from never returns here, and must not leave
		 * the timer masked in the PIC. (The CPU keeps interrupts off.)
		 */
		end_of_interrupt(irq);
		sys_clock_announce(1);
		return;
	}
	printk("Unexpected IRQ %u (vector %u)\n", irq, (unsigned int)esf->vector);
	end_of_interrupt(irq);
	z_fatal_error(K_ERR_SPURIOUS_IRQ, esf);
}

void z_x86_irq(struct arch_esf *esf)
{
	z_x86_irq_nesting++;
	dispatch(esf);
	z_x86_irq_nesting--;
}
