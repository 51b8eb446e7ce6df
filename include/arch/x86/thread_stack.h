/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's x86 stack-object header, for code that computes addresses
 * with it. There, a user thread's privileged stack is the first
 * CONFIG_PRIVILEGED_STACK_SIZE bytes of its stack object. Pagoda's stack
 * objects reserve nothing (K_THREAD_STACK_RESERVED is 0): the privileged
 * stack is a guarded k_mem_map() region of its own (struct k_thread's
 * priv_stack_start). So privilege_stack here overlays the first bytes of
 * the object's own stack memory, which user mode reaches only through the
 * thread's guarded alias, never at the object's address in the image.
 */
#ifndef PAGODA_INCLUDE_ARCH_X86_THREAD_STACK_H
#define PAGODA_INCLUDE_ARCH_X86_THREAD_STACK_H

struct z_x86_thread_stack_header {
#ifdef CONFIG_USERSPACE
	char privilege_stack[CONFIG_PRIVILEGED_STACK_SIZE];
#endif
};

#endif /* PAGODA_INCLUDE_ARCH_X86_THREAD_STACK_H */
