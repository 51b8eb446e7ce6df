/* SPDX-License-Identifier: Apache-2.0 */
/* The generic end of every fatal error: CPU exceptions, panics, oopses. */
#include <kernel.h>
#ifdef CONFIG_DEMAND_PAGING
#include <paging.h>
#endif

static const char *reason_name(unsigned int reason)
{
	switch (reason) {
	case K_ERR_CPU_EXCEPTION:
		return "CPU exception";
	case K_ERR_SPURIOUS_IRQ:
		return "unhandled interrupt";
	case K_ERR_STACK_CHK_FAIL:
		return "stack check failure";
	case K_ERR_KERNEL_OOPS:
		return "kernel oops";
	case K_ERR_KERNEL_PANIC:
		return "kernel panic";
	default:
		return "unknown error";
	}
}

__weak void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(reason);
	ARG_UNUSED(esf);
}

FUNC_NORETURN void z_fatal_error(unsigned int reason, const struct arch_esf *esf)
{
	(void)arch_irq_lock();
	printk(">>> PAGODA FATAL ERROR %u: %s\n", reason, reason_name(reason));
	k_sys_fatal_error_handler(reason, esf);
	printk("Halting system\n");
	k_fatal_halt(reason);
}

FUNC_NORETURN void k_fatal_halt(unsigned int reason)
{
	/* Every reason ends the same way: even K_ERR_CPU_EXCEPTION (0) is a failure. */
	ARG_UNUSED(reason);
	(void)arch_irq_lock();
	k_poweroff(K_EXIT_FATAL);
}

void z_fatal_error_unwind(void)
{
#ifdef CONFIG_DEMAND_PAGING
	unsigned int depth = z_paging_transfer_depth();

	if (depth > 0U) {
		printk(">>> the fatal error interrupted a backing-store transfer of page %p: "
		       "resuming elsewhere would leave it half done; halting\n",
		       z_paging_transfer_page(depth - 1U));
		k_poweroff(K_EXIT_FATAL);
	}
#endif
	arch_fatal_unwind();
}

FUNC_NORETURN void z_assert_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	printk("ASSERTION FAIL [%s] @ %s:%d\n\t", cond, file, line);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	k_panic();
}
