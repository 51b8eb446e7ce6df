/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot: paging is on with the expected mode and protections, the timer
 * ticks, printk formats, and the expected-fault mechanism of ztest works.
 */
#include <kernel.h>
#include <string.h>
#include <x86_cpu.h>
#include <ztest.h>

ZTEST(boot, test_paging_enabled)
{
	zassert_true((z_x86_cr0_get() & X86_CR0_PG) != 0, "CR0.PG clear: paging is off");
	zassert_true((z_x86_cr0_get() & X86_CR0_PE) != 0, "CR0.PE clear");
}

ZTEST(boot, test_write_protect_enabled)
{
	zassert_true((z_x86_cr0_get() & X86_CR0_WP) != 0,
		     "CR0.WP clear: the kernel could write to read-only pages");
}

ZTEST(boot, test_paging_mode)
{
	bool pae = (z_x86_cr4_get() & X86_CR4_PAE) != 0;

	if (IS_ENABLED(CONFIG_X86_64) || IS_ENABLED(CONFIG_X86_PAE)) {
		zassert_true(pae, "CR4.PAE clear in a PAE/IA-32e build");
	} else {
		zassert_false(pae, "CR4.PAE set in a 2-level build");
	}
#ifdef CONFIG_X86_64
	/* EFER.LMA: the CPU is really in long mode. */
	zassert_true((z_x86_rdmsr(X86_MSR_EFER) & (1U << 10)) != 0, "EFER.LMA clear");
#endif
}

ZTEST(boot, test_nx_enabled)
{
	if (!IS_ENABLED(CONFIG_X86_XD)) {
		ztest_test_skip(); /* 32-bit 2-level paging has no XD bit */
	}
	zassert_true((z_x86_rdmsr(X86_MSR_EFER) & X86_EFER_NXE) != 0, "EFER.NXE clear");
}

ZTEST(boot, test_timer_ticks)
{
	int64_t start = k_uptime_ticks();
	uint64_t deadline = k_cycle_get_64() + 20000000000ULL;

	zassert_true(arch_irq_enabled(), "interrupts are disabled in main()");
	while (k_uptime_ticks() < start + 3 && k_cycle_get_64() < deadline) {
	}
	zassert_true(k_uptime_ticks() >= start + 3, "timer did not tick (%lld -> %lld)",
		     (long long)start, (long long)k_uptime_ticks());
	zassert_true(k_uptime_get() > 0, "uptime in ms did not advance");
}

ZTEST(boot, test_cycle_counter_advances)
{
	uint64_t first = k_cycle_get_64();
	uint64_t second = k_cycle_get_64();

	zassert_true(second > first, "TSC did not advance: %llu then %llu",
		     (unsigned long long)first, (unsigned long long)second);
}

ZTEST(boot, test_printk_formats)
{
	char buf[128];
	int len;

	len = snprintk(buf, sizeof(buf), "%d|%u|%x|%lx|%llx|%zu|%s|%c", -42, 42U, 0xbeefU,
		       0x12345678UL, 0x123456789abcdef0ULL, (size_t)4096, "str", 'c');
	zassert_equal(len, (int)strlen(buf));
	zassert_mem_equal(buf, "-42|42|beef|12345678|123456789abcdef0|4096|str|c", len + 1,
			  "got %s", buf);

	snprintk(buf, sizeof(buf), "[%5d|%-5d|%05d|%08x|%-4s|%4s]", 42, 42, -42, 0xabcU, "ab",
		 "ab");
	zassert_mem_equal(buf, "[   42|42   |-0042|00000abc|ab  |  ab]", 39, "got %s", buf);

	snprintk(buf, sizeof(buf), "%p", (void *)0x1000);
	zassert_mem_equal(buf, "0x1000", 7, "got %s", buf);
}

static ZTEST_BMEM volatile bool fault_test_started;

/* Named so that it runs before test_fault_2_next_test_runs in either order. */
ZTEST(boot, test_fault_1_expected_fault_passes)
{
	fault_test_started = true;
	ztest_set_fault_valid(true);
	*(volatile uint32_t *)0 = 0xdead; /* the NULL page is not mapped */
	zassert_unreachable("writing to NULL did not fault");
}

ZTEST(boot, test_fault_2_next_test_runs)
{
	zassert_true(fault_test_started, "the faulting test did not run first");
	/* Reaching here after the fault is the point of this test. */
	zassert_true(arch_irq_enabled(), "interrupts stayed off after the fault recovery");
}

ZTEST(boot, test_expected_assert_passes)
{
	volatile bool broken = true;

	ztest_set_assert_valid(true);
	__ASSERT(!broken, "this assertion is expected to fail");
	zassert_unreachable("__ASSERT did not stop the test (CONFIG_ASSERT=%d)",
			    IS_ENABLED(CONFIG_ASSERT));
}

ZTEST_SUITE(boot, NULL, NULL, NULL, NULL, NULL);
