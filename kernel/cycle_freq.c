/* SPDX-License-Identifier: Apache-2.0 */
/* sys_clock_hw_cycles_per_sec_runtime_get(): the cycle counter's rate, also for user mode. */
#include <kernel.h>
#include <syscall_handler.h>

uint64_t z_impl_sys_clock_hw_cycles_per_sec_runtime_get(void)
{
	return arch_cycle_freq_get();
}

#ifdef CONFIG_USERSPACE
/* Nothing to check: no argument, and the rate is no secret. */
uint64_t z_vrfy_sys_clock_hw_cycles_per_sec_runtime_get(void)
{
	return z_impl_sys_clock_hw_cycles_per_sec_runtime_get();
}
#endif
