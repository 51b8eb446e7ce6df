/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User mode's kernel side (CONFIG_USERSPACE): entering user mode, the
 * privileged stack, the bad-call handler and the oops of a failed
 * verification, copies from and to user memory, and k_str_out() (printk's
 * output from user mode). Without user mode only k_str_out() and
 * k_thread_user_mode_enter() remain, as plain calls.
 */
#include <kernel/mm.h>
#include <kernel_internal.h>
#include <ksched.h>
#include <string.h>
#include <syscall_handler.h>

void z_impl_k_str_out(char *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		arch_console_putc(c[i]);
	}
}

#ifndef CONFIG_USERSPACE

FUNC_NORETURN void k_thread_user_mode_enter(k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	/* No user mode: the entry runs in supervisor mode, as in the reference. */
	entry(p1, p2, p3);
	k_thread_abort(k_current_get());
	CODE_UNREACHABLE;
}

#else /* CONFIG_USERSPACE */

#define PRIV_STACK_LEN K_THREAD_STACK_LEN(CONFIG_PRIVILEGED_STACK_SIZE)

void z_vrfy_k_str_out(char *c, size_t n)
{
	K_OOPS(K_SYSCALL_MEMORY_READ(c, n));
	z_impl_k_str_out(c, n);
}

FUNC_NORETURN void z_syscall_oops(void)
{
	z_fatal_error(K_ERR_KERNEL_OOPS, NULL);
}

void z_impl_z_user_except(unsigned int reason)
{
	z_fatal_error(reason, NULL);
}

void z_vrfy_z_user_except(unsigned int reason)
{
	if (reason != K_ERR_KERNEL_OOPS && reason != K_ERR_STACK_CHK_FAIL) {
		reason = K_ERR_KERNEL_OOPS;
	}
	z_impl_z_user_except(reason);
}

uint64_t z_syscall_bad(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4, uintptr_t a5,
		       uintptr_t a6)
{
	ARG_UNUSED(a1);
	ARG_UNUSED(a2);
	ARG_UNUSED(a3);
	ARG_UNUSED(a4);
	ARG_UNUSED(a5);
	ARG_UNUSED(a6);
	printk("bad system call id (the table has %d)\n", K_SYSCALL_BAD);
	z_syscall_oops();
}

int z_thread_priv_stack_alloc(struct k_thread *t)
{
	if (t->priv_stack_start != 0U) {
		return 0;
	}

	void *stack = k_mem_map(PRIV_STACK_LEN, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	if (stack == NULL) {
		return -ENOMEM;
	}
	t->priv_stack_start = (uintptr_t)stack;
	return 0;
}

void z_thread_priv_stack_free(uintptr_t start)
{
	if (start != 0U) {
		int ret = k_mem_unmap((void *)start, PRIV_STACK_LEN);

		__ASSERT(ret == 0, "a privileged stack's mapping was lost");
		ARG_UNUSED(ret);
	}
}

FUNC_NORETURN void k_thread_user_mode_enter(k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	if (k_is_user_context()) {
		entry(p1, p2, p3);
		k_thread_abort(k_current_get());
		CODE_UNREACHABLE;
	}

	struct k_thread *t = z_current;

	/* A K_KERNEL_STACK_DEFINE() stack (or a dynamic one made without K_USER)
	 * is no stack object user mode may run on. The reference asserts
	 * (__ASSERT(), a kernel panic); Pagoda checks always: there is no
	 * error to return from a call that does not return.
	 */
	struct k_object *stack_ko = k_object_find(t->stack_obj);

	if (stack_ko == NULL || stack_ko->type != K_OBJ_THREAD_STACK_ELEMENT) {
		printk("k_thread_user_mode_enter: thread %p runs on a kernel-only stack (%p)\n",
		       (void *)t, t->stack_obj);
		k_panic();
	}
	if (z_thread_priv_stack_alloc(t) != 0) {
		printk("k_thread_user_mode_enter: no memory for the privileged stack of %p\n",
		       (void *)t);
		k_oops();
	}
	t->base.user_options |= K_USER;
	/* Its stack, user-accessible in its memory domain's view. */
	if (z_mem_domain_thread_user(t) != 0) {
		printk("k_thread_user_mode_enter: no page tables for the stack of %p in its "
		       "memory domain\n",
		       (void *)t);
		k_oops();
	}
#ifdef CONFIG_THREAD_USERSPACE_LOCAL_DATA
	/* Nothing written there in supervisor mode reaches user mode. */
	memset(t->userspace_local_data, 0, sizeof(*t->userspace_local_data));
#endif
	arch_user_mode_enter(entry, p1, p2, p3);
}

/* Runs in user mode: everything here is a system call or the thread's own code. */
FUNC_NORETURN void z_thread_user_entry(k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	entry(p1, p2, p3);
	k_thread_abort(k_current_get());
	CODE_UNREACHABLE;
}

static int user_copy(void *dst, const void *src, size_t size, bool to_user)
{
	if (to_user ? K_SYSCALL_MEMORY_WRITE(dst, size) : K_SYSCALL_MEMORY_READ(src, size)) {
		return EFAULT;
	}
	arch_user_access_begin();
	memcpy(dst, src, size);
	arch_user_access_end();
	return 0;
}

int k_usermode_from_copy(void *dst, const void *src, size_t size)
{
	return user_copy(dst, src, size, false);
}

int k_usermode_to_copy(void *dst, const void *src, size_t size)
{
	return user_copy(dst, src, size, true);
}

size_t k_usermode_string_nlen(const char *src, size_t maxlen, int *err)
{
	size_t n = 0;

	*err = 0;
	while (n < maxlen) {
		const char *p = src + n;

		/* Each page once: at the first byte and at every page start. */
		if ((n == 0U || ((uintptr_t)p % CONFIG_MMU_PAGE_SIZE) == 0U) &&
		    arch_buffer_validate(p, 1, false) != 0) {
			*err = -1;
			return n;
		}
		arch_user_access_begin();
		char c = *p;

		arch_user_access_end();
		if (c == '\0') {
			break;
		}
		n++;
	}
	return n;
}

/* The length of user string src without its NUL: 0, EFAULT (unreadable),
 * EINVAL (no NUL within maxlen).
 */
static int user_string_len(const char *src, size_t maxlen, size_t *len)
{
	int err;

	*len = k_usermode_string_nlen(src, maxlen, &err);
	if (err != 0) {
		return EFAULT;
	}
	if (*len == maxlen) {
		printk("string too long %p (%zu)\n", src, *len);
		return EINVAL;
	}
	return 0;
}

int k_usermode_string_copy(char *dst, const char *src, size_t maxlen)
{
	size_t len;
	int ret = user_string_len(src, maxlen, &len);

	return (ret != 0) ? ret : k_usermode_from_copy(dst, src, len + 1U);
}

void *k_usermode_alloc_from_copy(const void *src, size_t size)
{
	if (K_SYSCALL_MEMORY_READ(src, size)) {
		return NULL;
	}
	void *dst = z_thread_malloc(size);

	if (dst == NULL) {
		printk("k_usermode_alloc_from_copy: %zu bytes: no room in the resource pool of "
		       "%p\n",
		       size, (void *)z_current);
		return NULL;
	}
	if (k_usermode_from_copy(dst, src, size) != 0) {
		k_free(dst);
		return NULL;
	}
	return dst;
}

char *k_usermode_string_alloc_copy(const char *src, size_t maxlen)
{
	size_t len;

	if (user_string_len(src, maxlen, &len) != 0) {
		return NULL;
	}
	char *dst = k_usermode_alloc_from_copy(src, len + 1U);

	if (dst != NULL) {
		/* User mode may have changed the string since it was measured. */
		dst[len] = '\0';
	}
	return dst;
}

bool k_is_in_user_syscall(void)
{
	/* A user thread runs kernel code only in a system call (or an interrupt). */
	return !k_is_in_isr() && !k_is_user_context() &&
	       (z_current->base.user_options & K_USER) != 0U;
}

#endif /* CONFIG_USERSPACE */
