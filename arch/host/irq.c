/*
 * Interrupt locking on a host: one thread and no interrupts, so a lock is
 * only a flag. Keeping it lets the software MMU check that the generic code
 * locks where it must, and lets a test see interrupts left locked. Shared
 * by the fuzzer's host port (arch/host/cpu.c) and the host unit tests
 * (tests/unit/common/host_port.c).
 */
#include <arch/cpu.h>
#include <stdbool.h>

static bool irqs_enabled = true;

unsigned int arch_irq_lock(void)
{
	unsigned int key = irqs_enabled ? 1U : 0U;

	irqs_enabled = false;
	return key;
}

void arch_irq_unlock(unsigned int key)
{
	irqs_enabled = (key != 0U);
}

bool arch_irq_enabled(void)
{
	return irqs_enabled;
}

void arch_irq_enable_all(void)
{
	irqs_enabled = true;
}

bool arch_is_in_isr(void)
{
	return false; /* no interrupts on a host */
}

void arch_fatal_unwind(void)
{
}
