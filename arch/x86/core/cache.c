/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data-cache maintenance for <cache.h> (see its notes): clflushopt or
 * clflush per line over a range, wbinvd for the whole cache.
 */
#include <arch/cache.h>
#include <kernel.h>
#include <x86_cpu.h>

#if defined(CONFIG_CACHE_MANAGEMENT) && defined(CONFIG_DCACHE)

#define CPUID1_EDX_CLFSH      (1U << 19)
#define CPUID7_EBX_CLFLUSHOPT (1U << 23)
#define X86_CR0_NW            (1U << 29)
#define X86_CR0_CD            (1U << 30)

enum line_op { LINE_OP_UNKNOWN, LINE_OP_NONE, LINE_OP_CLFLUSH, LINE_OP_CLFLUSHOPT };

static enum line_op line_op;
static size_t line_size;

/* What the CPU offers, asked once (CPUID is slow under a hypervisor). */
static void probe(void)
{
	uint32_t regs[4];
	uint32_t max_leaf;

	if (line_op != LINE_OP_UNKNOWN) {
		return;
	}
	z_x86_cpuid(0, regs);
	max_leaf = regs[0];
	z_x86_cpuid(1, regs);
	if ((regs[3] & CPUID1_EDX_CLFSH) == 0U) {
		line_op = LINE_OP_NONE;
		return;
	}
	/* EBX[15:8]: the clflush line size in 8-byte units. */
	line_size = ((regs[1] >> 8) & 0xffU) * 8U;
	line_op = LINE_OP_CLFLUSH;
	if (max_leaf >= 7U) {
		z_x86_cpuid(7, regs);
		if ((regs[1] & CPUID7_EBX_CLFLUSHOPT) != 0U) {
			line_op = LINE_OP_CLFLUSHOPT;
		}
	}
	if (line_size == 0U) {
		line_op = LINE_OP_NONE; /* a line size of 0 cannot step a range */
	}
}

static void wbinvd(void)
{
	__asm__ volatile("wbinvd" : : : "memory");
}

/* Write back and invalidate every line [addr, addr + size) touches. */
static int flush_lines(void *addr, size_t size)
{
	probe();
	if (size == 0U) {
		return 0;
	}
	if (line_op == LINE_OP_NONE) {
		wbinvd();
		return 0;
	}

	uintptr_t line = ROUND_DOWN((uintptr_t)addr, line_size);
	uintptr_t last = (uintptr_t)addr + (size - 1U);

	if (last < (uintptr_t)addr) {
		last = UINTPTR_MAX; /* the range wraps: stop at the top */
	}
	/* Order earlier stores before the flushes (clflushopt is weakly ordered). */
	__asm__ volatile("mfence" : : : "memory");
	for (;;) {
		if (line_op == LINE_OP_CLFLUSHOPT) {
			__asm__ volatile("clflushopt (%0)" : : "r"(line) : "memory");
		} else {
			__asm__ volatile("clflush (%0)" : : "r"(line) : "memory");
		}
		if (last - line < line_size) {
			break;
		}
		line += line_size;
	}
	__asm__ volatile("mfence" : : : "memory");
	return 0;
}

int arch_dcache_flush_all(void)
{
	wbinvd();
	return 0;
}

/* wbinvd, not invd: invd would discard dirty lines the kernel still needs. */
int arch_dcache_invd_all(void)
{
	wbinvd();
	return 0;
}

int arch_dcache_flush_and_invd_all(void)
{
	wbinvd();
	return 0;
}

int arch_dcache_flush_range(void *addr, size_t size)
{
	return flush_lines(addr, size);
}

/* No x86 instruction drops a line without writing it back: clflush does both. */
int arch_dcache_invd_range(void *addr, size_t size)
{
	return flush_lines(addr, size);
}

int arch_dcache_flush_and_invd_range(void *addr, size_t size)
{
	return flush_lines(addr, size);
}

void arch_dcache_enable(void)
{
	uintptr_t cr0 = z_x86_cr0_get();

	cr0 &= ~(uintptr_t)(X86_CR0_CD | X86_CR0_NW);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

void arch_dcache_disable(void)
{
	uintptr_t cr0 = z_x86_cr0_get() | X86_CR0_CD;

	/* No new fills from here, then write back what the cache holds. */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	wbinvd();
}

size_t arch_dcache_line_size_get(void)
{
	probe();
	return line_size;
}

#endif /* CONFIG_CACHE_MANAGEMENT && CONFIG_DCACHE */
