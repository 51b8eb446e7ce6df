/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel objects allocated at run time (CONFIG_DYNAMIC_OBJECTS), with the
 * reference RTOS's names and meanings: k_object_alloc() takes one from the
 * calling thread's resource pool, entered in the run-time list of
 * kernel/kobject.c with permission for the caller; the object goes when
 * the last thread's permission on it does (k_object_access_revoke(),
 * k_object_release(), the thread's end) or at k_object_free().
 *
 * The last permission may go with interrupts locked (a thread ending), where
 * no heap memory may be freed: the object leaves the list there and then (no
 * system call finds it any more), and its memory is freed by the next
 * revoke, release, allocation or free made by a thread.
 */
#include <kernel_internal.h>
#include <string.h>
#include <syscall_handler.h>

#ifdef CONFIG_DYNAMIC_OBJECTS

/* Objects are placed at this alignment, enough for every kernel object. */
#define OBJ_ALIGN 16U

/* One allocation: the entry, then the object. */
struct dyn_obj {
	struct z_dyn_object dyn;
	uint8_t data[] __aligned(OBJ_ALIGN);
};

/* Out of the list, memory not yet freed (struct z_dyn_object.node). */
static sys_dlist_t unreferenced = SYS_DLIST_STATIC_INIT(&unreferenced);

/* The object's own size, 0 for a type k_object_alloc() does not make. */
static size_t obj_size(enum k_objects otype)
{
	switch (otype) {
	case K_OBJ_CONDVAR:
		return sizeof(struct k_condvar);
	case K_OBJ_MUTEX:
		return sizeof(struct k_mutex);
	case K_OBJ_SEM:
		return sizeof(struct k_sem);
	case K_OBJ_THREAD:
		return sizeof(struct k_thread);
	case K_OBJ_TIMER:
		return sizeof(struct k_timer);
	default:
		/* K_OBJ_ANY, K_OBJ_LAST and beyond; stacks come from
		 * k_thread_stack_alloc(), which maps them between guard pages.
		 */
		return 0;
	}
}

/* The object's memory back, and a thread object's index. */
static void obj_free(struct dyn_obj *d)
{
	if (d->dyn.kobj.type == K_OBJ_THREAD && d->dyn.kobj.data.thread_id != 0U) {
		z_thread_index_unreserve((unsigned int)(d->dyn.kobj.data.thread_id - 1U));
	}
	k_free(d);
}

/* kernel/kobject.c: the last permission went (interrupts locked). */
static void on_unreferenced(struct z_dyn_object *dyn)
{
	sys_dlist_append(&unreferenced, &dyn->node);
}

void z_dyn_objects_reap(void)
{
	if (k_is_in_isr()) {
		return;
	}
	for (;;) {
		unsigned int key = irq_lock();
		sys_dnode_t *node = sys_dlist_get(&unreferenced);

		irq_unlock(key);
		if (node == NULL) {
			return;
		}
		obj_free(CONTAINER_OF(node, struct dyn_obj, dyn.node));
	}
}

static void *object_alloc(enum k_objects otype, size_t size)
{
	size_t own = obj_size(otype);
	size_t total;

	z_dyn_objects_reap();
	if (own == 0U || __builtin_add_overflow(sizeof(struct dyn_obj), MAX(size, own), &total)) {
		return NULL;
	}
	/* A thread object takes its permission index now, as in the reference:
	 * no more of them than there are indexes.
	 */
	int index = (otype == K_OBJ_THREAD) ? z_thread_index_reserve() : 0;

	if (index < 0) {
		return NULL;
	}
	struct dyn_obj *d = z_thread_aligned_alloc(OBJ_ALIGN, total);

	if (d == NULL) {
		if (otype == K_OBJ_THREAD) {
			z_thread_index_unreserve((unsigned int)index);
		}
		return NULL;
	}
	memset(d, 0, total);
	d->dyn.unreferenced = on_unreferenced;
	/* Known, not initialised; the caller may use it (the maker's permission). */
	z_dyn_object_add(&d->dyn, d->data, otype,
			 (otype == K_OBJ_THREAD) ? (uintptr_t)index + 1U : 0U);
	return d->data;
}

void *z_impl_k_object_alloc(enum k_objects otype)
{
	return object_alloc(otype, 0);
}

void *z_impl_k_object_alloc_size(enum k_objects otype, size_t size)
{
	return object_alloc(otype, size);
}

void k_object_free(void *obj)
{
	struct dyn_obj *d = NULL;
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(obj);

	if (ko != NULL && (ko->flags & K_OBJ_FLAG_ALLOC) != 0U) {
		struct z_dyn_object *dyn = CONTAINER_OF(ko, struct z_dyn_object, kobj);

		/* Only k_object_alloc()'s: a stack from k_thread_stack_alloc() is not. */
		if (dyn->unreferenced == on_unreferenced) {
			z_dyn_object_remove(dyn);
			d = CONTAINER_OF(dyn, struct dyn_obj, dyn);
		}
	}
	irq_unlock(key);
	if (d != NULL) {
		obj_free(d);
	}
	z_dyn_objects_reap();
}

void *z_vrfy_k_object_alloc(enum k_objects otype)
{
	return z_impl_k_object_alloc(otype);
}

void *z_vrfy_k_object_alloc_size(enum k_objects otype, size_t size)
{
	return z_impl_k_object_alloc_size(otype, size);
}

#endif /* CONFIG_DYNAMIC_OBJECTS */
