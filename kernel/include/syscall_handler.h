/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a system call's verification function (z_vrfy_*) uses to check
 * user mode's arguments, with the reference RTOS's names: kernel objects
 * (K_SYSCALL_OBJ*), memory (K_SYSCALL_MEMORY_*), copies from and to user
 * memory, and K_OOPS() to end the caller. Also the generated call ids and
 * z_impl_/z_vrfy_ prototypes (syscall_list.h, scripts/gen_syscalls.py).
 */
#ifndef PAGODA_KERNEL_INCLUDE_SYSCALL_HANDLER_H
#define PAGODA_KERNEL_INCLUDE_SYSCALL_HANDLER_H

#include <kernel.h>
#include <syscall_list.h>

#ifdef CONFIG_USERSPACE
#include <arch/syscall.h>

/* Object flags. */
#define K_OBJ_FLAG_INITIALIZED BIT(0)
#define K_OBJ_FLAG_PUBLIC      BIT(1)
#define K_OBJ_FLAG_ALLOC       BIT(2) /* made at run time (struct z_dyn_object) */

/* What an object's entry keeps besides its permissions (the reference's union). */
union k_object_data {
	size_t stack_size;      /* K_OBJ_THREAD_STACK_ELEMENT: the stack object's size */
	unsigned int thread_id; /* K_OBJ_THREAD: its permission index + 1; 0: none yet */
	uintptr_t unused;
};

/* A kernel object user mode may name: the table entry (kernel/kobject.c). */
struct k_object {
	const void *name; /* the object's address; NULL: a free slot */
	uint8_t type;     /* enum k_objects */
	uint8_t flags;    /* K_OBJ_FLAG_*; initialised: a stack or thread object in use */
	uint8_t perms[CONFIG_MAX_THREAD_BYTES];
	union k_object_data data;
};

enum _obj_init_check {
	_OBJ_INIT_TRUE = 0,   /* must be initialised */
	_OBJ_INIT_FALSE = -1, /* must not be */
	_OBJ_INIT_ANY = 1,    /* either */
};

/* The table entry of obj, or NULL when obj is no kernel object. */
struct k_object *k_object_find(const void *obj);
/*
 * obj, a known object, is initialised and only the current thread may use
 * it (the reference's, for an object reused for something new); an
 * unknown address is ignored. Supervisor mode only.
 */
void k_object_recycle(const void *obj);
/*
 * 0 when the current thread may use ko as an otype in that init state;
 * -EBADF (no object, or another type), -EPERM (no permission), -EINVAL
 * (initialised or not, against init).
 */
int k_object_validate(struct k_object *ko, enum k_objects otype, enum _obj_init_check init);
/* The reference's name of a type ("k_sem"...; "generic" for K_OBJ_ANY, "?" past the last). */
const char *otype_to_str(enum k_objects otype);
/* Prints why validation of obj failed. */
void k_object_dump_error(int retval, const void *obj, struct k_object *ko, enum k_objects otype);
/* At boot: the K_*_DEFINE() objects become known to user mode, initialised;
 * the image's thread and stack objects (scripts/gen_kobjects.py), not.
 */
void z_kobject_static_init(void);
/*
 * k_object_init(obj): the reference's, a known object marked initialised
 * (nothing for an address that is none). k_object_init(obj, otype): what
 * the kernel's own k_*_init() calls and k_thread_create() use, the same,
 * but an object in the image becomes known as an otype first.
 */
void z_kobject_init(const void *obj);
void z_kobject_init_as(const void *obj, enum k_objects otype);
#define Z_KOBJECT_INIT_PICK(_1, _2, fn, ...) fn
#define k_object_init(...)                                                                         \
	Z_KOBJECT_INIT_PICK(__VA_ARGS__, z_kobject_init_as, z_kobject_init, _)(__VA_ARGS__)

/* Threads: a permission index (0 or -ENOMEM), given back at the end. */
int z_thread_perm_index_alloc(struct k_thread *t);
void z_thread_perms_all_clear(struct k_thread *t);
/*
 * A new thread t (with its permission index and stack_obj set) as a kernel
 * object: initialised, permission on itself, its stack object (if one
 * known from boot) in use, and with inherit_from non-NULL what
 * z_thread_perms_inherit() gives (K_INHERIT_PERMS).
 */
void z_thread_kobj_init(struct k_thread *t, struct k_thread *inherit_from);
/* Thread t has ended: its permissions and index go, its thread and stack
 * objects are free for a new k_thread_create() (not initialised).
 */
void z_thread_kobj_end(struct k_thread *t);
/* child gets every permission parent has but on parent itself (K_INHERIT_PERMS). */
void z_thread_perms_inherit(struct k_thread *parent, struct k_thread *child);

/*
 * A kernel object the kernel made at run time outside the image (a
 * k_thread_stack_alloc() stack with K_USER): its entry lives with its
 * maker, which adds and removes it.
 */
struct z_dyn_object {
	struct k_object kobj;
	sys_dnode_t node;
	/*
	 * Set by the maker before z_dyn_object_add(), or NULL: called
	 * (interrupts locked) once a permission taken away leaves none, with
	 * the object already out of the list, as the reference frees it then
	 * (CONFIG_DYNAMIC_OBJECTS); it may not free memory there.
	 */
	void (*unreferenced)(struct z_dyn_object *dyn);
};
/* obj becomes known as an otype (not initialised) with data; the current thread may use it. */
void z_dyn_object_add(struct z_dyn_object *dyn, const void *obj, enum k_objects otype,
		      uintptr_t data);
/* obj is no kernel object any more: every permission on it goes. */
void z_dyn_object_remove(struct z_dyn_object *dyn);
/* No thread may use it any more (the reference frees such an object). */
bool z_dyn_object_unreferenced(const struct z_dyn_object *dyn);
#ifdef CONFIG_DYNAMIC_OBJECTS
/* Frees the k_object_alloc() objects left unreferenced so far (thread context). */
void z_dyn_objects_reap(void);
/*
 * A thread index for a k_object_alloc() thread object (kept in its data as
 * index + 1, for every thread made on it), or -ENOMEM; given back when the
 * object goes.
 */
int z_thread_index_reserve(void);
void z_thread_index_unreserve(unsigned int index);
#endif

/* Ends the calling thread with K_ERR_KERNEL_OOPS (a verification failed). */
FUNC_NORETURN void z_syscall_oops(void);

#define K_OOPS(expr)                                                                               \
	do {                                                                                       \
		if (expr) {                                                                        \
			z_syscall_oops();                                                          \
		}                                                                                  \
	} while (false)

/* 0 when expr holds, else prints the message and gives 1. */
#define K_SYSCALL_VERIFY_MSG(expr, fmt, ...)                                                       \
	({                                                                                         \
		bool z_ok = (expr);                                                                \
		if (!z_ok) {                                                                       \
			printk("syscall %s failed check: " fmt "\n", __func__, ##__VA_ARGS__);     \
		}                                                                                  \
		!z_ok;                                                                             \
	})
#define K_SYSCALL_VERIFY(expr) K_SYSCALL_VERIFY_MSG(expr, "%s", #expr)

/* k_object_validate(), printing why it failed (the reference's name). */
static inline int k_object_validation_check(struct k_object *ko, const void *obj,
					    enum k_objects otype, enum _obj_init_check init)
{
	int ret = k_object_validate(ko, otype, init);

	if (ret != 0) {
		k_object_dump_error(ret, obj, ko, otype);
	}
	return ret;
}

/* The reference's name before it became k_object_validation_check(). */
#define z_obj_validation_check(ko, obj, otype, init) k_object_validation_check(ko, obj, otype, init)

/* 0 when the caller may use ptr as an initialised object of type. */
#define K_SYSCALL_OBJ(ptr, type)                                                                   \
	z_obj_validation_check(k_object_find(ptr), (ptr), (type), _OBJ_INIT_TRUE)
/* ... initialised or not (the k_*_init() calls). */
#define K_SYSCALL_OBJ_INIT(ptr, type)                                                              \
	z_obj_validation_check(k_object_find(ptr), (ptr), (type), _OBJ_INIT_ANY)
/* ... not initialised (k_thread_create()'s thread object: not in use). */
#define K_SYSCALL_OBJ_NEVER_INIT(ptr, type)                                                        \
	z_obj_validation_check(k_object_find(ptr), (ptr), (type), _OBJ_INIT_FALSE)

/* 0 when user mode may read (write) [ptr, ptr + size), else prints and gives 1. */
#define K_SYSCALL_MEMORY(ptr, size, write)                                                         \
	K_SYSCALL_VERIFY_MSG(arch_buffer_validate((const void *)(ptr), (size), (write)) == 0,      \
			     "memory %p (size %zu) %s access denied", (const void *)(ptr),         \
			     (size_t)(size), (write) ? "write" : "read")
#define K_SYSCALL_MEMORY_READ(ptr, size)  K_SYSCALL_MEMORY(ptr, size, false)
#define K_SYSCALL_MEMORY_WRITE(ptr, size) K_SYSCALL_MEMORY(ptr, size, true)

/* Copy size bytes from user memory src (0; EFAULT when user mode may not read it). */
int k_usermode_from_copy(void *dst, const void *src, size_t size);
/* Copy size bytes to user memory dst (0; EFAULT when user mode may not write it). */
int k_usermode_to_copy(void *dst, const void *src, size_t size);
/*
 * The length of user string src, at most maxlen; *err is 0, or -1 when a
 * byte before the end or maxlen is not readable by user mode.
 */
size_t k_usermode_string_nlen(const char *src, size_t maxlen, int *err);
/* Copy user string src with its NUL into dst (maxlen bytes): 0; EFAULT
 * (unreadable); EINVAL (no NUL within maxlen).
 */
int k_usermode_string_copy(char *dst, const char *src, size_t maxlen);
/*
 * A copy of size bytes of user memory src, from the current thread's
 * resource pool (z_thread_malloc(); k_free() it), or NULL when user mode
 * may not read src or the pool has no room.
 */
void *k_usermode_alloc_from_copy(const void *src, size_t size);
/*
 * A copy of user string src with its NUL, at most maxlen bytes, from the
 * thread's resource pool, or NULL (unreadable, no NUL within maxlen, no
 * room).
 */
char *k_usermode_string_alloc_copy(const char *src, size_t maxlen);
/* True in a system call made from user mode (not from supervisor mode, not in an interrupt). */
bool k_is_in_user_syscall(void);

#endif /* CONFIG_USERSPACE */

#endif /* PAGODA_KERNEL_INCLUDE_SYSCALL_HANDLER_H */
