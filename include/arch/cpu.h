/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architecture interface for everything but memory management (that
 * part is <arch/mm.h>). Declarations only, no inline assembly (but for the
 * interrupt lock an architecture may inline, below), so that the generic
 * kernel, the tests and the host port all see the same contract;
 * arch/x86/ implements it for firmware, arch/host/cpu.c for host programs
 * (the fuzzer and the host unit tests).
 */
#ifndef PAGODA_INCLUDE_ARCH_CPU_H
#define PAGODA_INCLUDE_ARCH_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The reference's x86 stack-object header (what its code computes with). */
#include <arch/x86/thread_stack.h>

/* Register state at an exception or interrupt; layout is arch-private. */
struct arch_esf;

/* The CPUs the kernel runs on (the reference's arch_num_cpus()): one. */
static inline unsigned int arch_num_cpus(void)
{
	return 1U;
}

/* Disable interrupts and return a key that arch_irq_unlock() restores:
 * nesting works because the key records whether they were enabled. An
 * architecture may define these three inline in a header of its own,
 * included here (x86: <arch/x86/cpu_inline.h>), defining
 * ARCH_HAS_INLINE_IRQ_LOCK.
 */
#ifdef CONFIG_X86
#include <arch/x86/cpu_inline.h>
#endif
#ifndef ARCH_HAS_INLINE_IRQ_LOCK
unsigned int arch_irq_lock(void);
void arch_irq_unlock(unsigned int key);
/* True when key (from arch_irq_lock()) says interrupts were enabled. */
bool arch_irq_unlocked(unsigned int key);
#endif
/* True when interrupts are enabled on this CPU. */
bool arch_irq_enabled(void);
/* Enable interrupts for the first time, once the kernel is ready for them. */
void arch_irq_enable_all(void);
/* True while an interrupt handler runs (not in a CPU exception taken outside one). */
bool arch_is_in_isr(void);

/* Device interrupts (<irq.h>): routine(parameter) runs for irq, with
 * interrupts locked, once per interrupt; the line is then acknowledged.
 * Returns the vector, or -EINVAL for a line that does not exist or is the
 * system timer's. Lines start masked: arch_irq_enable() unmasks one.
 */
int arch_irq_connect_dynamic(unsigned int irq, unsigned int priority,
			     void (*routine)(const void *parameter), const void *parameter,
			     uint32_t flags);
void arch_irq_enable(unsigned int irq);
void arch_irq_disable(unsigned int irq);

/* CONFIG_IRQ_OFFLOAD: run routine(parameter) now, in interrupt context (a
 * software interrupt through the ordinary interrupt path), and return after it.
 */
void arch_irq_offload(void (*routine)(const void *parameter), const void *parameter);

/*
 * At boot only (one CPU, interrupts off, before any thread): copy n bytes
 * of src to dst, which lies in the kernel's read-only data (x86: with
 * CR0.WP clear around the copy). The stack canary's guard is written so.
 */
void arch_boot_rodata_write(void *dst, const void *src, size_t n);

/* Free-running cycle counter (the TSC on x86). */
uint64_t arch_cycle_get_64(void);
/* Its frequency in Hz, measured on the first call (x86: the TSC against the PIT, ~28 ms). */
uint64_t arch_cycle_freq_get(void);

/* Write one byte to the console, polled; '\n' becomes "\r\n". */
void arch_console_putc(int c);
/* CONFIG_COVERAGE_GCOV: write one byte of the coverage dump, polled, on a
 * channel of its own (x86: COM2), as is.
 */
void arch_coverage_putc(int c);

/* Stop the system. Under QEMU the status becomes the exit code through the
 * isa-debug-exit device ((status << 1) | 1); elsewhere the CPU halts.
 */
__attribute__((noreturn)) void arch_system_halt(int status);

/* Human-readable names for the boot banner and samples. */
const char *arch_name(void);
const char *arch_paging_mode_name(void);

/* Provided by the kernel: the architecture calls it once the CPU (segments,
 * exception vectors, console, timer) is set up, with interrupts disabled.
 */
__attribute__((noreturn)) void z_cstart(void);

#endif /* PAGODA_INCLUDE_ARCH_CPU_H */
