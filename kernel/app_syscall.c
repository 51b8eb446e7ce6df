/* SPDX-License-Identifier: Apache-2.0 */
/* k_app_syscall(): an application's system call, by its descriptor (<sys/app_syscall.h>). */
#include <kernel.h>
#include <sys/app_syscall.h>
#include <syscall_handler.h>

extern const struct z_app_syscall __app_syscall_list_start[];
extern const struct z_app_syscall __app_syscall_list_end[];

uint64_t z_impl_k_app_syscall(const struct z_app_syscall *call, uintptr_t a1, uintptr_t a2,
			      uintptr_t a3, uintptr_t a4, uintptr_t a5)
{
	const uintptr_t words[Z_APP_SYSCALL_WORDS] = {a1, a2, a3, a4, a5};

	if (call->words > Z_APP_SYSCALL_WORDS) {
		return call->mrsh((const uintptr_t *)a1);
	}
	return call->mrsh(words);
}

#ifdef CONFIG_USERSPACE
/* Only a descriptor of the linker run: user mode cannot name any other function. */
uint64_t z_vrfy_k_app_syscall(const struct z_app_syscall *call, uintptr_t a1, uintptr_t a2,
			      uintptr_t a3, uintptr_t a4, uintptr_t a5)
{
	uintptr_t at = (uintptr_t)call;
	uintptr_t start = (uintptr_t)__app_syscall_list_start;

	K_OOPS(K_SYSCALL_VERIFY_MSG(at >= start && at < (uintptr_t)__app_syscall_list_end &&
					    (at - start) % sizeof(*call) == 0U,
				    "%p is no application system call", (void *)call));
	if (call->words > Z_APP_SYSCALL_WORDS) {
		/* Copied once: user mode cannot change them behind the checks. */
		uintptr_t more[Z_APP_SYSCALL_MAX_WORDS];

		K_OOPS(k_usermode_from_copy(more, (const void *)a1,
					    call->words * sizeof(uintptr_t)));
		return call->mrsh(more);
	}
	return z_impl_k_app_syscall(call, a1, a2, a3, a4, a5);
}
#endif
