/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Legacy 8259A interrupt controllers and the 8254 PIT as the system timer.
 * IRQs 0-15 are remapped to vectors 32-47, clear of the CPU exceptions.
 */
#include <kernel.h>
#include <sys/errno.h>
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
#define NUM_IRQS       16

#define PIT_CH0                0x40
#define PIT_CMD                0x43
#define PIT_CH0_RATE_GENERATOR 0x34 /* channel 0, lo/hi byte, mode 2 */
#define PIT_HZ                 1193182U
#define PIT_CH2                0x42
#define PIT_CH2_ONE_SHOT       0xB0 /* channel 2, lo/hi byte, mode 0 */
#define PORT_B                 0x61 /* bit 0: channel 2 gate, 1: speaker, 5: channel 2 out */
#define PORT_B_GATE2           0x01
#define PORT_B_SPEAKER         0x02
#define PORT_B_OUT2            0x20
/* Calibration: the best of 7 windows of 4 ms of PIT counts (at most 0xffff). */
#define TSC_CALIBRATION_COUNT  (PIT_HZ / 250U)
#define TSC_CALIBRATION_RUNS   7U

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

static uint64_t tsc_hz;

/*
 * TSC cycles over one one-shot of PIT channel 2 (CALIBRATION_COUNT counts),
 * and how uncertain they are: the start lies between the TSC reads around
 * the write that arms the counter, the end between the reads around the
 * last poll that saw OUT2 low and the first that saw it high.
 */
static uint64_t tsc_over_pit_window(uint64_t *uncertainty)
{
	uint64_t start_lo, start_hi, end_lo, end_hi;
	uint32_t spins = 0;

	z_x86_outb(PIT_CMD, PIT_CH2_ONE_SHOT);
	z_x86_outb(PIT_CH2, TSC_CALIBRATION_COUNT & 0xff);
	start_lo = arch_cycle_get_64();
	z_x86_outb(PIT_CH2, (TSC_CALIBRATION_COUNT >> 8) & 0xff);
	start_hi = arch_cycle_get_64();
	end_lo = start_hi;
	/* Mode 0: OUT2 goes high when the count reaches zero. The spin limit
	 * only guards against a machine without channel 2 (OUT2 never rises).
	 */
	for (;;) {
		uint64_t before = arch_cycle_get_64();
		bool high = (z_x86_inb(PORT_B) & PORT_B_OUT2) != 0U;

		end_hi = arch_cycle_get_64();
		if (high || ++spins >= 100000000U) {
			break;
		}
		end_lo = before;
	}
	*uncertainty = (end_hi - end_lo) + (start_hi - start_lo);
	return (end_lo + end_hi) / 2U - (start_lo + start_hi) / 2U;
}

/*
 * The TSC rate, counted over one-shots of PIT channel 2 (gated through
 * port 0x61, speaker off, polled: no interrupt involved), as the PC's
 * firmware and Linux do. Runs once, on the first request for the rate
 (about 28 ms with interrupts off: not at boot, which most images would
 pay for nothing). Under a busy
 * host a virtual CPU can be descheduled between a PIT access and the TSC
 * reads around it, which stretches or shortens that window: of several
 * windows the one whose ends are known most precisely is kept.
 */
static void tsc_calibrate(void)
{
	uint8_t port_b = z_x86_inb(PORT_B);
	uint64_t best = 0, best_uncertainty = UINT64_MAX;

	z_x86_outb(PORT_B, (uint8_t)((port_b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	for (unsigned int i = 0; i < TSC_CALIBRATION_RUNS; i++) {
		uint64_t uncertainty;
		uint64_t cycles = tsc_over_pit_window(&uncertainty);

		if (uncertainty < best_uncertainty) {
			best = cycles;
			best_uncertainty = uncertainty;
		}
	}
	z_x86_outb(PORT_B, port_b);
	tsc_hz = best * PIT_HZ / TSC_CALIBRATION_COUNT;
	if (tsc_hz == 0U) {
		tsc_hz = 1000000000U; /* no usable TSC or PIT: say 1 GHz rather than 0 */
	}
}

uint64_t arch_cycle_freq_get(void)
{
	if (tsc_hz == 0U) {
		unsigned int key = irq_lock();

		if (tsc_hz == 0U) {
			tsc_calibrate();
		}
		irq_unlock(key);
	}
	return tsc_hz;
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

/* Device handlers (irq_connect_dynamic()); the timer's is built in. */
static struct {
	void (*routine)(const void *parameter);
	const void *parameter;
} handlers[NUM_IRQS];

int arch_irq_connect_dynamic(unsigned int irq, unsigned int priority,
			     void (*routine)(const void *parameter), const void *parameter,
			     uint32_t flags)
{
	ARG_UNUSED(priority); /* the 8259's fixed order decides: lower lines first */
	ARG_UNUSED(flags);
	if (irq >= NUM_IRQS || irq == IRQ_TIMER || irq == IRQ_CASCADE || routine == NULL) {
		return -EINVAL;
	}

	unsigned int key = irq_lock();

	handlers[irq].routine = routine;
	handlers[irq].parameter = parameter;
	irq_unlock(key);
	return (int)(X86_IRQ_BASE + irq);
}

static void mask_set(unsigned int irq, bool masked)
{
	uint16_t port = (irq < 8U) ? PIC1_DATA : PIC2_DATA;
	unsigned int key = irq_lock();
	uint8_t mask = z_x86_inb(port);

	mask = masked ? (uint8_t)(mask | BIT(irq & 7U)) : (uint8_t)(mask & ~BIT(irq & 7U));
	z_x86_outb(port, mask);
	if (!masked && irq >= 8U) {
		/* The slave reaches the CPU through the master's cascade line. */
		z_x86_outb(PIC1_DATA, (uint8_t)(z_x86_inb(PIC1_DATA) & ~BIT(IRQ_CASCADE)));
	}
	irq_unlock(key);
}

void arch_irq_enable(unsigned int irq)
{
	if (irq < NUM_IRQS && irq != IRQ_TIMER && irq != IRQ_CASCADE) {
		mask_set(irq, false);
	}
}

void arch_irq_disable(unsigned int irq)
{
	if (irq < NUM_IRQS && irq != IRQ_TIMER && irq != IRQ_CASCADE) {
		mask_set(irq, true);
	}
}

static void dispatch(struct arch_esf *esf)
{
	unsigned int irq = (unsigned int)esf->vector - X86_IRQ_BASE;

#ifdef CONFIG_IRQ_OFFLOAD
	if (esf->vector == X86_IRQ_OFFLOAD_VECTOR) {
		z_x86_irq_offload_isr(); /* a software interrupt: no PIC to acknowledge */
		return;
	}
#endif

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
	if (irq < NUM_IRQS && handlers[irq].routine != NULL) {
		handlers[irq].routine(handlers[irq].parameter);
		end_of_interrupt(irq);
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
