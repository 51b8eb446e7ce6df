/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compiler stack canaries (CONFIG_STACK_CANARIES): the one global guard
 * gcc's -mstack-protector-guard=global reads, and what a function that
 * finds its canary overwritten calls. The guard is in rodata, which every
 * view maps for reading, user mode's too: set once at boot, it is
 * read-only for everyone after (the reference keeps it in a partition user
 * mode may write).
 */
#include <kernel.h>
#include <ksched.h>
#include <random/random.h>
#include <syscall_handler.h>

#ifdef CONFIG_STACK_CANARIES
/* Defined in assembly: a C definition volatile enough not to be folded
 * would give its section write permission, and so all of rodata.
 */
/* clang-format off */
__asm__(".pushsection .rodata.__stack_chk_guard, \"a\"\n"
	".balign 8\n"
	".globl __stack_chk_guard\n"
	".type __stack_chk_guard, @object\n"
	".size __stack_chk_guard, " STRINGIFY(__SIZEOF_POINTER__) "\n"
	"__stack_chk_guard:\n"
	".zero " STRINGIFY(__SIZEOF_POINTER__) "\n"
	".popsection");
/* clang-format on */
extern volatile uintptr_t __stack_chk_guard;

FUNC_NO_STACK_PROTECTOR void z_stack_canary_init(void)
{
	uintptr_t guard;

	sys_rand_get(&guard, sizeof(guard));
	arch_boot_rodata_write((void *)&__stack_chk_guard, &guard, sizeof(guard));
}

FUNC_NORETURN void __stack_chk_fail(void)
{
	/* From user mode the wrapper traps, so the kernel ends the thread. */
	z_stack_chk_fail();
	CODE_UNREACHABLE;
}
#endif /* CONFIG_STACK_CANARIES */

void z_impl_z_stack_chk_fail(void)
{
	z_fatal_error(K_ERR_STACK_CHK_FAIL, NULL);
}

#ifdef CONFIG_USERSPACE
void z_vrfy_z_stack_chk_fail(void)
{
	z_impl_z_stack_chk_fail();
}
#endif
