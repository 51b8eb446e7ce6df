/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An application's own system calls (its __syscall declarations,
 * scripts/gen_app_syscalls.py). With CONFIG_USERSPACE the wrapper traps
 * from user mode through one kernel system call, k_app_syscall(), naming
 * the call by its descriptor, which the reference's <syscalls/X_mrsh.c>
 * (included after z_vrfy_X()) defines in a linker run of its own; the
 * kernel accepts only a descriptor from that run. Up to five argument
 * words travel in registers; a call with more (up to
 * Z_APP_SYSCALL_MAX_WORDS) passes them all in an array in user memory,
 * which the kernel copies (the reference's "more" arguments).
 */
#ifndef PAGODA_INCLUDE_SYS_APP_SYSCALL_H
#define PAGODA_INCLUDE_SYS_APP_SYSCALL_H

#include <arch/syscall.h>
#include <stdint.h>
#include <sys/util.h>

struct z_app_syscall {
	/* Rebuilds the arguments from the words and calls z_vrfy_<name>(). */
	uint64_t (*mrsh)(const uintptr_t *words);
	/* The argument words; beyond Z_APP_SYSCALL_WORDS, the first register
	 * word points at all of them.
	 */
	uint8_t words;
};

#define Z_APP_SYSCALL_WORDS        5
#define Z_APP_SYSCALL_MAX_WORDS    16
/* Words an argument of type T takes. */
#define Z_APP_SYSCALL_ARG_WORDS(T) ((sizeof(T) + sizeof(uintptr_t) - 1U) / sizeof(uintptr_t))

/* A wrapper's trap: its n argument words w[] in registers, or beyond
 * Z_APP_SYSCALL_WORDS the array's address (w has room for five words).
 */
#define Z_APP_SYSCALL_TRAP(call, n, w)                                                             \
	((n) > Z_APP_SYSCALL_WORDS                                                                 \
		 ? k_app_syscall((call), (uintptr_t)(w), 0, 0, 0, 0)                               \
		 : k_app_syscall((call), (w)[0], (w)[1], (w)[2], (w)[3], (w)[4]))

__syscall uint64_t k_app_syscall(const struct z_app_syscall *call, uintptr_t a1, uintptr_t a2,
				 uintptr_t a3, uintptr_t a4, uintptr_t a5);

#endif /* PAGODA_INCLUDE_SYS_APP_SYSCALL_H */
