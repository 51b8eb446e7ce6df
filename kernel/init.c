/* SPDX-License-Identifier: Apache-2.0 */
/* Kernel start-up: from the architecture's C entry to the first threads. */
#include <kernel.h>
#include <ksched.h>
#include <mm_core.h>
#ifdef CONFIG_COVERAGE_GCOV
#include <coverage.h>
#endif

static void boot_banner(void)
{
	if (IS_ENABLED(CONFIG_BOOT_BANNER)) {
		printk("*** Booting Pagoda v%s on %s (%s, %s) ***\n", PAGODA_VERSION_STRING,
		       CONFIG_BOARD, arch_name(), arch_paging_mode_name());
	}
}

/* Interrupts stay off until the first thread runs (z_thread_entry()). No
 * canary: its frame spans the guard's setting.
 */
FUNC_NO_STACK_PROTECTOR FUNC_NORETURN void z_cstart(void)
{
#ifdef CONFIG_STACK_CANARIES
	z_stack_canary_init();
#endif
	boot_banner();
	z_mem_manage_init();
	z_threads_start();
}

FUNC_NORETURN void k_poweroff(int status)
{
#ifdef CONFIG_COVERAGE_GCOV
	/* Every way out passes here: the counters leave, interrupts off so
	 * that they hold still while written.
	 */
	(void)arch_irq_lock();
	z_coverage_dump();
#endif
	arch_system_halt(status);
}
