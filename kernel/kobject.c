/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel objects as user mode may name them (CONFIG_USERSPACE): a table,
 * filled at boot with the K_*_DEFINE() objects (their linker runs) and at
 * run time by the k_*_init() calls and k_thread_create(), of every object
 * in the image's memory, with its type, whether it is initialised, and
 * one permission bit per thread.
 *
 * The reference RTOS builds a perfect hash of the image's objects at build
 * time from DWARF; Pagoda registers them when they are initialised
 * (docs/ARCHITECTURE.md, "User mode"). Only objects inside the kernel
 * image (static or global) are registered: a stack-local object would
 * leave a stale entry behind when its frame goes. The table is open
 * addressing keyed by address and never shrinks: an object stays known
 * once initialised, as a static one does in the reference.
 */
#include <ksched.h>
#include <string.h>
#include <syscall_handler.h>

#ifdef CONFIG_USERSPACE

#define NOBJ        CONFIG_MAX_KERNEL_OBJECTS
#define MAX_THREADS (CONFIG_MAX_THREAD_BYTES * 8)
/* The index of a thread that has none (ended): it gets and has nothing. */
#define NO_INDEX    UINT16_MAX

extern char __kernel_start[], __kernel_end[];
extern struct k_sem __k_sem_static_start[], __k_sem_static_end[];
extern struct k_mutex __k_mutex_static_start[], __k_mutex_static_end[];
extern struct k_condvar __k_condvar_static_start[], __k_condvar_static_end[];

static struct k_object objects[NOBJ];
static uint8_t thread_index_used[CONFIG_MAX_THREAD_BYTES];
static bool table_full_reported;

static size_t slot_of(const void *obj)
{
	/* Objects are at least word-aligned: drop the bits that never vary. */
	uintptr_t a = (uintptr_t)obj / sizeof(void *);

	return (size_t)((a * 2654435761U) % NOBJ);
}

struct k_object *k_object_find(const void *obj)
{
	size_t i = slot_of(obj);

	for (size_t n = 0; n < NOBJ && obj != NULL; n++) {
		if (objects[i].name == obj) {
			return &objects[i];
		}
		if (objects[i].name == NULL) {
			return NULL;
		}
		i = (i + 1U == NOBJ) ? 0U : i + 1U;
	}
	return NULL;
}

static struct k_object *insert(const void *obj)
{
	size_t i = slot_of(obj);

	for (size_t n = 0; n < NOBJ; n++) {
		if (objects[i].name == obj) {
			return &objects[i];
		}
		if (objects[i].name == NULL) {
			objects[i].name = obj;
			return &objects[i];
		}
		i = (i + 1U == NOBJ) ? 0U : i + 1U;
	}
	return NULL;
}

void k_object_init(const void *obj, enum k_objects otype)
{
	uintptr_t a = (uintptr_t)obj;

	if (a < (uintptr_t)__kernel_start || a >= (uintptr_t)__kernel_end) {
		return; /* not in the image: never a kernel object to user mode */
	}

	unsigned int key = irq_lock();
	struct k_object *ko = insert(obj);

	if (ko == NULL) {
		irq_unlock(key);
		if (!table_full_reported) {
			table_full_reported = true;
			printk("k_object_init: the table of %u kernel objects is full: %p and "
			       "later "
			       "ones are unknown to user mode (CONFIG_MAX_KERNEL_OBJECTS)\n",
			       (unsigned int)NOBJ, obj);
		}
		return;
	}
	if (ko->type != otype) {
		/* Another kind of object now: nobody keeps the old permissions. */
		memset(ko->perms, 0, sizeof(ko->perms));
		ko->flags = 0;
		ko->type = (uint8_t)otype;
	}
	ko->flags |= K_OBJ_FLAG_INITIALIZED;
	irq_unlock(key);
}

/* Each run must be an array of its type with no gaps (Z_KOBJ_STATIC). */
#define RUN_OK(start, end) (((uintptr_t)(end) - (uintptr_t)(start)) % sizeof(*(start)) == 0U)

void z_kobject_static_init(void)
{
	__ASSERT(RUN_OK(__k_sem_static_start, __k_sem_static_end) &&
			 RUN_OK(__k_mutex_static_start, __k_mutex_static_end) &&
			 RUN_OK(__k_condvar_static_start, __k_condvar_static_end),
		 "a run of K_*_DEFINE() objects has gaps");
	for (struct k_sem *s = __k_sem_static_start; s < __k_sem_static_end; s++) {
		k_object_init(s, K_OBJ_SEM);
	}
	for (struct k_mutex *m = __k_mutex_static_start; m < __k_mutex_static_end; m++) {
		k_object_init(m, K_OBJ_MUTEX);
	}
	for (struct k_condvar *c = __k_condvar_static_start; c < __k_condvar_static_end; c++) {
		k_object_init(c, K_OBJ_CONDVAR);
	}
}

static bool has_perm(const struct k_object *ko, const struct k_thread *t)
{
	unsigned int i = t->perm_index;

	return (ko->flags & K_OBJ_FLAG_PUBLIC) != 0U ||
	       (i < MAX_THREADS && (ko->perms[i / 8U] & BIT(i % 8U)) != 0U);
}

void k_object_perm_set(struct k_object *ko, const struct k_thread *t)
{
	unsigned int i = t->perm_index;

	if (i < MAX_THREADS) {
		ko->perms[i / 8U] |= (uint8_t)BIT(i % 8U);
	}
}

static void perm_clear(struct k_object *ko, const struct k_thread *t)
{
	unsigned int i = t->perm_index;

	if (i < MAX_THREADS) {
		ko->perms[i / 8U] &= (uint8_t)~BIT(i % 8U);
	}
}

int k_object_validate(struct k_object *ko, enum k_objects otype, enum _obj_init_check init)
{
	if (ko == NULL || (otype != K_OBJ_ANY && ko->type != otype)) {
		return -EBADF;
	}
	if (!has_perm(ko, z_current)) {
		return -EPERM;
	}
	bool initialized = (ko->flags & K_OBJ_FLAG_INITIALIZED) != 0U;

	if ((init == _OBJ_INIT_TRUE && !initialized) || (init == _OBJ_INIT_FALSE && initialized)) {
		return -EINVAL;
	}
	return 0;
}

void k_object_dump_error(int retval, const void *obj, struct k_object *ko, enum k_objects otype)
{
	switch (retval) {
	case -EBADF:
		printk("%p is not a valid kernel object of type %d\n", obj, (int)otype);
		break;
	case -EPERM:
		printk("thread %p (%s) has no permission on kernel object %p\n", (void *)z_current,
		       z_thread_name(z_current), obj);
		break;
	case -EINVAL:
		printk("kernel object %p is %sinitialized\n", obj,
		       (ko->flags & K_OBJ_FLAG_INITIALIZED) != 0U ? "" : "un");
		break;
	default:
		break;
	}
}

int z_thread_perm_index_alloc(struct k_thread *t)
{
	unsigned int key = irq_lock();

	for (unsigned int i = 0; i < MAX_THREADS; i++) {
		if ((thread_index_used[i / 8U] & BIT(i % 8U)) == 0U) {
			thread_index_used[i / 8U] |= (uint8_t)BIT(i % 8U);
			t->perm_index = (uint16_t)i;
			/* Whatever a former holder of the index had is gone already
			 * (z_thread_perms_all_clear()).
			 */
			irq_unlock(key);
			return 0;
		}
	}
	irq_unlock(key);
	return -ENOMEM;
}

void z_thread_perms_all_clear(struct k_thread *t)
{
	unsigned int key = irq_lock();
	unsigned int i = t->perm_index;

	if (i >= MAX_THREADS) {
		irq_unlock(key);
		return;
	}
	for (size_t n = 0; n < NOBJ; n++) {
		if (objects[n].name != NULL) {
			perm_clear(&objects[n], t);
		}
	}
	thread_index_used[i / 8U] &= (uint8_t)~BIT(i % 8U);
	/* A grant naming the dead thread must not reach the index's next owner. */
	t->perm_index = NO_INDEX;
	irq_unlock(key);
}

void z_thread_perms_inherit(struct k_thread *parent, struct k_thread *child)
{
	unsigned int key = irq_lock();

	for (size_t n = 0; n < NOBJ; n++) {
		if (objects[n].name != NULL && (objects[n].flags & K_OBJ_FLAG_PUBLIC) == 0U &&
		    has_perm(&objects[n], parent)) {
			k_object_perm_set(&objects[n], child);
		}
	}
	irq_unlock(key);
}

void z_impl_k_object_access_grant(const void *object, struct k_thread *thread)
{
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(object);

	if (ko != NULL) {
		k_object_perm_set(ko, thread);
	}
	irq_unlock(key);
}

void k_object_access_revoke(const void *object, struct k_thread *thread)
{
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(object);

	if (ko != NULL) {
		perm_clear(ko, thread);
	}
	irq_unlock(key);
}

void z_impl_k_object_release(const void *object)
{
	k_object_access_revoke(object, z_current);
}

void k_object_access_all_grant(const void *object)
{
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(object);

	if (ko != NULL) {
		ko->flags |= K_OBJ_FLAG_PUBLIC;
	}
	irq_unlock(key);
}

void z_vrfy_k_object_access_grant(const void *object, struct k_thread *thread)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	K_OOPS(z_obj_validation_check(k_object_find(object), object, K_OBJ_ANY, _OBJ_INIT_ANY));
	z_impl_k_object_access_grant(object, thread);
}

void z_vrfy_k_object_release(const void *object)
{
	K_OOPS(z_obj_validation_check(k_object_find(object), object, K_OBJ_ANY, _OBJ_INIT_ANY));
	z_impl_k_object_release(object);
}
#endif /* CONFIG_USERSPACE */
