/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel objects as user mode sees them (the reference RTOS's names):
 * which objects a thread may pass to a system call, and whether the caller
 * runs in user mode. Included by <kernel.h>. Without CONFIG_USERSPACE
 * every thread is a supervisor thread and granting does nothing.
 */
#ifndef PAGODA_INCLUDE_SYS_KOBJECT_H
#define PAGODA_INCLUDE_SYS_KOBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/util.h>
#ifdef CONFIG_USERSPACE
#include <arch/syscall.h>
#endif

struct k_thread;

/* The kinds of object a system call may be given. */
enum k_objects {
	K_OBJ_ANY,
	K_OBJ_CONDVAR,
	K_OBJ_MUTEX,
	K_OBJ_PIPE,
	K_OBJ_SEM,
	K_OBJ_THREAD,
	K_OBJ_THREAD_STACK_ELEMENT, /* a K_THREAD_STACK_DEFINE() stack */
	K_OBJ_TIMER,
	K_OBJ_LAST
};

#ifdef CONFIG_USERSPACE

/* True when the caller runs in user mode. */
static inline bool k_is_user_context(void)
{
	return arch_is_user_context();
}

/*
 * Let thread use object in system calls. From user mode the caller needs
 * permission on both object and thread. An address that is no kernel
 * object is ignored.
 */
__syscall void k_object_access_grant(const void *object, struct k_thread *thread);
/* Take that permission back (supervisor mode only). */
void k_object_access_revoke(const void *object, struct k_thread *thread);
/* Give up the caller's own permission on object. */
__syscall void k_object_release(const void *object);
/* Every thread, present and future, may use object. */
void k_object_access_all_grant(const void *object);
/*
 * Whether the caller may use object: 0, -EPERM (it may not) or -EBADF
 * (object is no kernel object).
 */
__syscall int k_object_access_check(const void *object);
/* True when obj is an initialised kernel object of otype (K_OBJ_ANY: any type). */
bool k_object_is_valid(const void *obj, enum k_objects otype);

/* Grant thread each of the objects that follow (pointers). */
#define k_thread_access_grant(thread, ...)                                                         \
	do {                                                                                       \
		const void *const z_grant_objs[] = {__VA_ARGS__};                                  \
		for (unsigned int z_i = 0; z_i < ARRAY_SIZE(z_grant_objs); z_i++) {                \
			k_object_access_grant(z_grant_objs[z_i], (thread));                        \
		}                                                                                  \
	} while (0)

/* What K_THREAD_ACCESS_GRANT() records: a static thread and its objects (NULL-ended). */
struct k_object_assignment {
	struct k_thread *thread;
	const void *const *objects;
};

/*
 * Grant the K_THREAD_DEFINE() thread name_ each of the objects that follow
 * (pointers) before it first runs, as the reference does: the boot code
 * grants them after creating the static threads and before any runs.
 */
#define K_THREAD_ACCESS_GRANT(name_, ...)                                                          \
	static const void *const z_object_list_##name_[] = {__VA_ARGS__, NULL};                    \
	static const struct k_object_assignment z_object_access_##name_ __used __section(          \
		"._k_object_assignment." #name_)                                                   \
		__aligned(__alignof__(struct k_object_assignment)) = {&_k_thread_obj_##name_,      \
								      z_object_list_##name_}

#else /* !CONFIG_USERSPACE */

/* Without user mode there is no permission to grant (a declaration, so the
 * file-scope semicolon after the macro stays valid C).
 */
#define K_THREAD_ACCESS_GRANT(name_, ...) extern struct k_thread _k_thread_obj_##name_

static inline bool k_is_user_context(void)
{
	return false;
}

static inline void k_object_access_grant(const void *object, struct k_thread *thread)
{
	ARG_UNUSED(object);
	ARG_UNUSED(thread);
}

static inline void k_object_access_revoke(const void *object, struct k_thread *thread)
{
	ARG_UNUSED(object);
	ARG_UNUSED(thread);
}

static inline void k_object_release(const void *object)
{
	ARG_UNUSED(object);
}

static inline void k_object_access_all_grant(const void *object)
{
	ARG_UNUSED(object);
}

/* Without user mode every thread may use everything. */
static inline int k_object_access_check(const void *object)
{
	ARG_UNUSED(object);
	return 0;
}

static inline bool k_object_is_valid(const void *obj, enum k_objects otype)
{
	ARG_UNUSED(obj);
	ARG_UNUSED(otype);
	return true;
}

#define k_thread_access_grant(thread, ...)                                                         \
	do {                                                                                       \
		(void)(thread);                                                                    \
	} while (0)

#endif /* CONFIG_USERSPACE */

#ifdef CONFIG_DYNAMIC_OBJECTS
/*
 * A new otype object from the caller's resource pool (zeroed, not
 * initialised), which the caller may use: NULL for K_OBJ_ANY, K_OBJ_LAST
 * or beyond, K_OBJ_THREAD_STACK_ELEMENT (use k_thread_stack_alloc()), or
 * no memory. It is freed when no thread has permission on it any more.
 */
__syscall void *k_object_alloc(enum k_objects otype);
/* The same with size bytes (at least the object's own size). */
__syscall void *k_object_alloc_size(enum k_objects otype, size_t size);
/* Free obj from k_object_alloc() at once (supervisor mode only); else nothing. */
void k_object_free(void *obj);
#else
static inline void *k_object_alloc(enum k_objects otype)
{
	ARG_UNUSED(otype);
	return NULL;
}

static inline void *k_object_alloc_size(enum k_objects otype, size_t size)
{
	ARG_UNUSED(otype);
	ARG_UNUSED(size);
	return NULL;
}

static inline void k_object_free(void *obj)
{
	ARG_UNUSED(obj);
}
#endif /* CONFIG_DYNAMIC_OBJECTS */

#endif /* PAGODA_INCLUDE_SYS_KOBJECT_H */
