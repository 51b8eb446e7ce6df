/* SPDX-License-Identifier: Apache-2.0 */
/* Interrupt locking, the cycle counter and halting: the small arch hooks. */
#include <kernel.h>
#include <string.h>
#include <x86_cpu.h>

FUNC_NO_STACK_PROTECTOR void arch_boot_rodata_write(void *dst, const void *src, size_t n)
{
	uintptr_t cr0 = z_x86_cr0_get();

	/* Without WP the CPU lets ring 0 write read-only pages. */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~(uintptr_t)X86_CR0_WP) : "memory");
	memcpy(dst, src, n);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

bool arch_irq_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushf; pop %0" : "=r"(flags));
	return (flags & X86_EFLAGS_IF) != 0U;
}

void arch_irq_enable_all(void)
{
	__asm__ volatile("sti" : : : "memory");
}

bool arch_is_in_isr(void)
{
	return z_x86_irq_nesting > 0U;
}

uint64_t arch_cycle_get_64(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

FUNC_NORETURN void arch_system_halt(int status)
{
	(void)arch_irq_lock();
	z_x86_outl(X86_DEBUG_EXIT_PORT, (uint32_t)status);
	/* Not under QEMU (or without isa-debug-exit): stop here. */
	for (;;) {
		__asm__ volatile("hlt");
	}
}

const char *arch_name(void)
{
	return IS_ENABLED(CONFIG_X86_64) ? "x86_64" : "ia32";
}

const char *arch_paging_mode_name(void)
{
	if (IS_ENABLED(CONFIG_X86_64)) {
		return "IA-32e 4-level paging";
	}
	return IS_ENABLED(CONFIG_X86_PAE) ? "PAE 3-level paging" : "32-bit 2-level paging";
}
