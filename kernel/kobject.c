/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel objects as user mode may name them (CONFIG_USERSPACE): a table,
 * filled at boot with the K_*_DEFINE() objects (their linker runs) and the
 * image's thread, stack, semaphore, mutex and condition-variable objects
 * (uninitialised: the table scripts/gen_kobjects.py made from the DWARF),
 * and at run time by the
 * k_*_init() calls and k_thread_create(), of every object in the image's
 * memory, with its type, whether it is initialised, and one permission bit
 * per thread.
 *
 * The reference RTOS builds a perfect hash of the image's objects at build
 * time from DWARF; Pagoda fills an open-addressing table at boot and
 * registers the other objects when they are initialised
 * (docs/ARCHITECTURE.md, "User mode"). Only objects inside the kernel
 * image (static or global) are registered: a stack-local object would
 * leave a stale entry behind when its frame goes. The table never shrinks:
 * an object stays known once initialised, as a static one does in the
 * reference. The slots in use are also listed in order, and each
 * permission index counts the bits it holds, so a thread's end clears
 * what it was granted without walking the whole table.
 *
 * Objects made at run time (a k_thread_stack_alloc() stack with K_USER,
 * k_object_alloc()'s from a heap, which may lie in the image) are not in
 * the table: their entry is embedded in what made them and listed apart,
 * as the reference lists its dynamic objects beside its build-time hash,
 * and looked up first; they go when the maker removes them or, if it asks,
 * when their last permission goes (kernel/dynamic_objects.c).
 */
#include <ksched.h>
#include <string.h>
#include <syscall_handler.h>

#ifdef CONFIG_USERSPACE

/* gen_kobjects.py's values: an otype, or a stack's size (a page or more). */
BUILD_ASSERT(K_OBJ_LAST < CONFIG_MMU_PAGE_SIZE, "an otype must read as no stack size");

#define NOBJ        CONFIG_MAX_KERNEL_OBJECTS
#define MAX_THREADS (CONFIG_MAX_THREAD_BYTES * 8)
/* The index of a thread that has none (ended): it gets and has nothing. */
#define NO_INDEX    UINT16_MAX

extern char __kernel_start[], __kernel_end[];
extern struct k_sem __k_sem_static_start[], __k_sem_static_end[];
extern struct k_mutex __k_mutex_static_start[], __k_mutex_static_end[];
extern struct k_condvar __k_condvar_static_start[], __k_condvar_static_end[];
extern struct k_pipe __k_pipe_static_start[], __k_pipe_static_end[];
extern struct k_timer __k_timer_static_start[], __k_timer_static_end[];
/* scripts/gen_kobjects.py: (address, value) pairs, then zeros; the value is
 * a stack object's size (never below a page) or the object's enum k_objects.
 */
extern const uintptr_t z_kobject_static_table[NOBJ * 2];

static struct k_object objects[NOBJ];
static uint16_t used_slots[NOBJ]; /* the slots in use, in the order they were taken */
static size_t nused;
/* The reference's name and meaning: a bit per thread index, set while free. */
uint8_t _thread_idx_map[CONFIG_MAX_THREAD_BYTES] = {[0 ... CONFIG_MAX_THREAD_BYTES - 1] = 0xffU};
/* Permission bits each thread index holds (K_OBJ_FLAG_PUBLIC apart). */
static uint16_t perm_count[MAX_THREADS];
static bool table_full_reported;
/* Run-time objects outside the image (struct z_dyn_object). */
static sys_dlist_t dyn_objects = SYS_DLIST_STATIC_INIT(&dyn_objects);

static bool in_image(const void *obj)
{
	return (uintptr_t)obj >= (uintptr_t)__kernel_start &&
	       (uintptr_t)obj < (uintptr_t)__kernel_end;
}

static size_t slot_of(const void *obj)
{
	/* Objects are at least word-aligned: drop the bits that never vary. The
	 * product's upper half mixes every bit of the address (its lower bits
	 * would follow the address's, and thread objects lie at multiples of
	 * their size).
	 */
	uint32_t a = (uint32_t)((uintptr_t)obj / sizeof(void *));

	return (size_t)((a * 2654435761U) >> 16) % NOBJ;
}

static struct k_object *dyn_find(const void *obj)
{
	struct z_dyn_object *dyn;

	SYS_DLIST_FOR_EACH_CONTAINER (&dyn_objects, dyn, node) {
		if (dyn->kobj.name == obj) {
			return &dyn->kobj;
		}
	}
	return NULL;
}

struct k_object *k_object_find(const void *obj)
{
	/* Run-time objects first: one may lie in the image (a K_HEAP_DEFINE()
	 * heap's memory) where the table may still name an object of old.
	 */
	if (!sys_dlist_is_empty(&dyn_objects)) {
		struct k_object *dyn = dyn_find(obj);

		if (dyn != NULL) {
			return dyn;
		}
	}
	if (!in_image(obj)) {
		return NULL;
	}

	size_t i = slot_of(obj);

	for (size_t n = 0; n < NOBJ; n++) {
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
			used_slots[nused++] = (uint16_t)i;
			return &objects[i];
		}
		i = (i + 1U == NOBJ) ? 0U : i + 1U;
	}
	return NULL;
}

static bool perm_test(const struct k_object *ko, unsigned int i)
{
	return (ko->perms[i / 8U] & BIT(i % 8U)) != 0U;
}

/* Every thread's bit on ko gone (interrupts locked). */
static void perms_drop(struct k_object *ko)
{
	for (unsigned int i = 0; i < MAX_THREADS; i++) {
		if (perm_test(ko, i)) {
			perm_count[i]--;
		}
	}
	memset(ko->perms, 0, sizeof(ko->perms));
}

/* The entry of obj in the image as an otype (interrupts locked), or NULL. */
static struct k_object *enter(const void *obj, enum k_objects otype)
{
	struct k_object *dyn = dyn_find(obj);

	/* A run-time object is one only as the type it was made. */
	if (dyn != NULL) {
		return (dyn->type == otype) ? dyn : NULL;
	}
	if (!in_image(obj)) {
		return NULL;
	}

	struct k_object *ko = insert(obj);

	if (ko == NULL) {
		if (!table_full_reported) {
			table_full_reported = true;
			printk("k_object_init: the table of %u kernel objects is full: %p and "
			       "later ones are unknown to user mode (CONFIG_MAX_KERNEL_OBJECTS)\n",
			       (unsigned int)NOBJ, obj);
		}
		return NULL;
	}
	if (ko->type != otype) {
		/* Another kind of object now: nobody keeps the old permissions. */
		perms_drop(ko);
		ko->flags = 0;
		ko->type = (uint8_t)otype;
		ko->data = (union k_object_data){0};
	}
	return ko;
}

/* Recount every thread index's bits from the objects themselves
 * (interrupts locked): k_object_recycle() cannot trust an entry's bits to
 * match the counts (the reference's suites write them directly).
 */
static void perm_counts_rebuild(void)
{
	struct z_dyn_object *dyn;

	memset(perm_count, 0, sizeof(perm_count));
	for (unsigned int i = 0; i < MAX_THREADS; i++) {
		SYS_DLIST_FOR_EACH_CONTAINER (&dyn_objects, dyn, node) {
			perm_count[i] += perm_test(&dyn->kobj, i) ? 1U : 0U;
		}
		for (size_t n = 0; n < nused; n++) {
			perm_count[i] += perm_test(&objects[used_slots[n]], i) ? 1U : 0U;
		}
	}
}

void k_object_recycle(const void *obj)
{
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(obj);

	if (ko != NULL) {
		memset(ko->perms, 0, sizeof(ko->perms));
		if (z_current != NULL && z_current->perm_index < MAX_THREADS) {
			ko->perms[z_current->perm_index / 8U] |=
				(uint8_t)BIT(z_current->perm_index % 8U);
		}
		ko->flags |= K_OBJ_FLAG_INITIALIZED;
		perm_counts_rebuild();
	}
	irq_unlock(key);
}

/* flags set on obj's entry, if obj is a kernel object. */
static void flags_set(const void *obj, uint8_t flags)
{
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(obj);

	if (ko != NULL) {
		ko->flags |= flags;
	}
	irq_unlock(key);
}

void z_kobject_init(const void *obj)
{
	flags_set(obj, K_OBJ_FLAG_INITIALIZED);
}

void z_kobject_init_as(const void *obj, enum k_objects otype)
{
	unsigned int key = irq_lock();
	struct k_object *ko = enter(obj, otype);

	if (ko != NULL) {
		ko->flags |= K_OBJ_FLAG_INITIALIZED;
	}
	irq_unlock(key);
}

/* Each run must be an array of its type with no gaps (Z_KOBJ_STATIC). */
#define RUN_OK(start, end) (((uintptr_t)(end) - (uintptr_t)(start)) % sizeof(*(start)) == 0U)

void z_kobject_static_init(void)
{
	__ASSERT(RUN_OK(__k_sem_static_start, __k_sem_static_end) &&
			 RUN_OK(__k_mutex_static_start, __k_mutex_static_end) &&
			 RUN_OK(__k_condvar_static_start, __k_condvar_static_end) &&
			 RUN_OK(__k_pipe_static_start, __k_pipe_static_end) &&
			 RUN_OK(__k_timer_static_start, __k_timer_static_end),
		 "a run of K_*_DEFINE() objects has gaps");
	/* Known, not initialised: k_thread_create() and the k_*_init() calls
	 * initialise them (from user mode too, on objects the caller was granted).
	 * Each entry's value is a stack's size (never below a page) or an otype.
	 */
	for (size_t n = 0; n < NOBJ && z_kobject_static_table[2 * n] != 0U; n++) {
		uintptr_t value = z_kobject_static_table[2 * n + 1];
		bool stack = value >= (uintptr_t)K_OBJ_LAST;
		unsigned int key = irq_lock();
		struct k_object *ko =
			enter((const void *)z_kobject_static_table[2 * n],
			      stack ? K_OBJ_THREAD_STACK_ELEMENT : (enum k_objects)value);

		if (ko != NULL && stack) {
			ko->data.stack_size = value;
		}
		irq_unlock(key);
	}
	for (struct k_sem *s = __k_sem_static_start; s < __k_sem_static_end; s++) {
		k_object_init(s, K_OBJ_SEM);
	}
	for (struct k_mutex *m = __k_mutex_static_start; m < __k_mutex_static_end; m++) {
		k_object_init(m, K_OBJ_MUTEX);
	}
	for (struct k_condvar *c = __k_condvar_static_start; c < __k_condvar_static_end; c++) {
		k_object_init(c, K_OBJ_CONDVAR);
	}
	for (struct k_pipe *p = __k_pipe_static_start; p < __k_pipe_static_end; p++) {
		k_object_init(p, K_OBJ_PIPE);
	}
	for (struct k_timer *t = __k_timer_static_start; t < __k_timer_static_end; t++) {
		k_object_init(t, K_OBJ_TIMER);
	}
}

static bool has_perm(const struct k_object *ko, const struct k_thread *t)
{
	unsigned int i = t->perm_index;

	return (ko->flags & K_OBJ_FLAG_PUBLIC) != 0U || (i < MAX_THREADS && perm_test(ko, i));
}

static void index_perm_set(struct k_object *ko, unsigned int i)
{
	if (!perm_test(ko, i)) {
		ko->perms[i / 8U] |= (uint8_t)BIT(i % 8U);
		perm_count[i]++;
	}
}

static void index_perm_clear(struct k_object *ko, unsigned int i)
{
	if (perm_test(ko, i)) {
		ko->perms[i / 8U] &= (uint8_t)~BIT(i % 8U);
		perm_count[i]--;
	}
}

/* Bit i off ko; a run-time object left with none goes, if its maker says so. */
static void index_perm_drop(struct k_object *ko, unsigned int i)
{
	index_perm_clear(ko, i);
	if ((ko->flags & K_OBJ_FLAG_ALLOC) == 0U) {
		return;
	}
	struct z_dyn_object *dyn = CONTAINER_OF(ko, struct z_dyn_object, kobj);

	if (dyn->unreferenced == NULL) {
		return;
	}
	for (size_t n = 0; n < sizeof(ko->perms); n++) {
		if (ko->perms[n] != 0U) {
			return;
		}
	}
	sys_dlist_remove(&dyn->node);
	ko->name = NULL;
	dyn->unreferenced(dyn);
}

static int thread_index_of(struct k_thread *t, bool take);

static void perm_clear(struct k_object *ko, struct k_thread *t)
{
	int i = thread_index_of(t, false);

	if (i >= 0) {
		index_perm_drop(ko, (unsigned int)i);
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

bool k_object_is_valid(const void *obj, enum k_objects otype)
{
	struct k_object *ko = k_object_find(obj);

	return ko != NULL && (otype == K_OBJ_ANY || ko->type == otype) &&
	       (ko->flags & K_OBJ_FLAG_INITIALIZED) != 0U;
}

const char *otype_to_str(enum k_objects otype)
{
	switch (otype) {
	case K_OBJ_ANY:
		return "generic";
	case K_OBJ_CONDVAR:
		return "k_condvar";
	case K_OBJ_MUTEX:
		return "k_mutex";
	case K_OBJ_PIPE:
		return "k_pipe";
	case K_OBJ_SEM:
		return "k_sem";
	case K_OBJ_THREAD:
		return "k_thread";
	case K_OBJ_THREAD_STACK_ELEMENT:
		return "k_thread_stack_t";
	case K_OBJ_TIMER:
		return "k_timer";
	default:
		return "?";
	}
}

int z_impl_k_object_access_check(const void *object)
{
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(object);
	int ret = (ko == NULL) ? -EBADF : (has_perm(ko, z_current) ? 0 : -EPERM);

	irq_unlock(key);
	return ret;
}

int z_vrfy_k_object_access_check(const void *object)
{
	/* Only the address is looked up: nothing of user mode's is read. */
	return z_impl_k_object_access_check(object);
}

void k_object_dump_error(int retval, const void *obj, struct k_object *ko, enum k_objects otype)
{
	switch (retval) {
	case -EBADF:
		printk("%p is not a valid %s\n", obj, otype_to_str(otype));
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

/* A free thread index taken, or -ENOMEM (interrupts locked). */
static int index_take(void)
{
	for (unsigned int i = 0; i < MAX_THREADS; i++) {
		if ((_thread_idx_map[i / 8U] & BIT(i % 8U)) != 0U) {
			_thread_idx_map[i / 8U] &= (uint8_t)~BIT(i % 8U);
			/* Whatever a former holder of the index had is gone already
			 * (z_thread_perms_all_clear()).
			 */
			return (int)i;
		}
	}
	return -ENOMEM;
}

/*
 * A thread object's index lives in its entry (data: index + 1, 0 for none),
 * as the reference gives each thread object its own: taken by its first
 * grant or k_thread_create(), so that what a thread object is granted
 * before its thread starts is its thread's; given back when that thread
 * ends (a k_object_alloc() thread object keeps it until freed).
 */
static int entry_index(const struct k_object *ko)
{
	if (ko == NULL || ko->type != K_OBJ_THREAD || ko->data.thread_id == 0U) {
		return -1;
	}
	return (int)(ko->data.thread_id - 1U);
}

/* The index of thread object t, taken now if it has none and take; -1 if
 * t is no known thread object (the reference ignores a grant to one) or
 * none is left (interrupts locked).
 */
static int thread_index_of(struct k_thread *t, bool take)
{
	struct k_object *tko = k_object_find(t);
	int i = entry_index(tko);

	if (tko == NULL && t == z_current && t->perm_index < MAX_THREADS) {
		return t->perm_index; /* k_object_release() by a thread outside the table */
	}
	if (i >= 0 || !take || tko == NULL || tko->type != K_OBJ_THREAD) {
		return i;
	}
	i = index_take();
	if (i >= 0) {
		tko->data.thread_id = i + 1U;
	}
	return i;
}

int z_thread_perm_index_alloc(struct k_thread *t)
{
	unsigned int key = irq_lock();
	/* A thread object outside the table (on a stack) has no entry: its
	 * thread holds an index of its own while it runs.
	 */
	int i = thread_index_of(t, true);

	if (i < 0 && entry_index(k_object_find(t)) < 0) {
		i = index_take();
	}
	if (i >= 0) {
		t->perm_index = (uint16_t)i;
	}
	irq_unlock(key);
	return (i < 0) ? -ENOMEM : 0;
}

#ifdef CONFIG_DYNAMIC_OBJECTS
int z_thread_index_reserve(void)
{
	unsigned int key = irq_lock();
	int i = index_take();

	irq_unlock(key);
	return i;
}

void z_thread_index_unreserve(unsigned int i)
{
	unsigned int key = irq_lock();

	_thread_idx_map[i / 8U] |= (uint8_t)BIT(i % 8U);
	irq_unlock(key);
}
#endif

/* t's permissions and index given back; self: t's own entry (interrupts locked). */
static void perms_release(struct k_thread *t, struct k_object *self)
{
	unsigned int i = t->perm_index;

	if (i >= MAX_THREADS) {
		return;
	}
	/* Its own object first (a thread may always use itself): often the
	 * only bit it has. The walk of the slots in use stops at its last bit.
	 */
	if (self != NULL) {
		index_perm_clear(self, i);
	}

	struct z_dyn_object *dyn, *next;

	SYS_DLIST_FOR_EACH_CONTAINER_SAFE (&dyn_objects, dyn, next, node) {
		index_perm_drop(&dyn->kobj, i);
	}
	for (size_t n = 0; n < nused && perm_count[i] != 0U; n++) {
		index_perm_clear(&objects[used_slots[n]], i);
	}
	/* A k_object_alloc() thread object keeps its index for its next thread. */
	if (self == NULL || (self->flags & K_OBJ_FLAG_ALLOC) == 0U || entry_index(self) != (int)i) {
		_thread_idx_map[i / 8U] |= (uint8_t)BIT(i % 8U);
		if (entry_index(self) == (int)i) {
			self->data.thread_id = 0U;
		}
	}
	/* A grant naming the dead thread must not reach the index's next owner. */
	t->perm_index = NO_INDEX;
}

void z_thread_perms_all_clear(struct k_thread *t)
{
	unsigned int key = irq_lock();

	perms_release(t, k_object_find(t));
	irq_unlock(key);
}

/* Mark obj, if it is a known otype, initialised or not (interrupts locked). */
static void init_set(struct k_object *ko, enum k_objects otype, bool initialized)
{
	if (ko == NULL || ko->type != otype) {
		return;
	}
	if (initialized) {
		ko->flags |= K_OBJ_FLAG_INITIALIZED;
	} else {
		ko->flags &= (uint8_t)~K_OBJ_FLAG_INITIALIZED;
	}
}

void z_thread_kobj_init(struct k_thread *t, struct k_thread *inherit_from)
{
	unsigned int key = irq_lock();
	struct k_object *ko = enter(t, K_OBJ_THREAD);

	if (ko != NULL) {
		ko->flags |= K_OBJ_FLAG_INITIALIZED;
		if (t->perm_index < MAX_THREADS) {
			/* An object entered now (inside a structure) learns its index. */
			ko->data.thread_id = t->perm_index + 1U;
			index_perm_set(ko, t->perm_index);
		}
	}
	init_set(k_object_find(t->stack_obj), K_OBJ_THREAD_STACK_ELEMENT, true);
	irq_unlock(key);
	if (inherit_from != NULL) {
		z_thread_perms_inherit(inherit_from, t);
	}
}

void z_thread_kobj_end(struct k_thread *t)
{
	unsigned int key = irq_lock();
	struct k_object *self = k_object_find(t);

	perms_release(t, self);
	init_set(self, K_OBJ_THREAD, false);
	init_set(k_object_find(t->stack_obj), K_OBJ_THREAD_STACK_ELEMENT, false);
	irq_unlock(key);
}

void z_thread_perms_inherit(struct k_thread *parent, struct k_thread *child)
{
	unsigned int key = irq_lock();
	unsigned int p = parent->perm_index;
	unsigned int c = child->perm_index;

	if (p >= MAX_THREADS || c >= MAX_THREADS) {
		irq_unlock(key);
		return;
	}
	/* Everything the parent may use but the parent itself, as the reference. */
	unsigned int left = perm_count[p];
	struct z_dyn_object *dyn;

	SYS_DLIST_FOR_EACH_CONTAINER (&dyn_objects, dyn, node) {
		if (perm_test(&dyn->kobj, p)) {
			left--;
			index_perm_set(&dyn->kobj, c);
		}
	}
	for (size_t n = 0; n < nused && left != 0U; n++) {
		struct k_object *ko = &objects[used_slots[n]];

		if (perm_test(ko, p)) {
			left--;
			if (ko->name != parent) {
				index_perm_set(ko, c);
			}
		}
	}
	irq_unlock(key);
}

void z_dyn_object_add(struct z_dyn_object *dyn, const void *obj, enum k_objects otype,
		      uintptr_t data)
{
	unsigned int key = irq_lock();

	__ASSERT(dyn_find(obj) == NULL, "a run-time object entered twice");
	memset(&dyn->kobj, 0, sizeof(dyn->kobj));
	dyn->kobj.name = obj;
	dyn->kobj.type = (uint8_t)otype;
	dyn->kobj.flags = K_OBJ_FLAG_ALLOC;
	dyn->kobj.data.stack_size = data;
	/* The maker may use what it made, as in the reference. */
	if (z_current != NULL && z_current->perm_index < MAX_THREADS) {
		index_perm_set(&dyn->kobj, z_current->perm_index);
	}
	sys_dlist_append(&dyn_objects, &dyn->node);
	irq_unlock(key);
}

void z_dyn_object_remove(struct z_dyn_object *dyn)
{
	unsigned int key = irq_lock();

	perms_drop(&dyn->kobj);
	sys_dlist_remove(&dyn->node);
	dyn->kobj.name = NULL;
	irq_unlock(key);
}

bool z_dyn_object_unreferenced(const struct z_dyn_object *dyn)
{
	unsigned int key = irq_lock();
	bool none = (dyn->kobj.flags & K_OBJ_FLAG_PUBLIC) == 0U;

	for (size_t i = 0; none && i < sizeof(dyn->kobj.perms); i++) {
		none = dyn->kobj.perms[i] == 0U;
	}
	irq_unlock(key);
	return none;
}

void z_impl_k_object_access_grant(const void *object, struct k_thread *thread)
{
	unsigned int key = irq_lock();
	struct k_object *ko = k_object_find(object);

	if (ko != NULL) {
		int i = thread_index_of(thread, true);

		if (i >= 0) {
			index_perm_set(ko, (unsigned int)i);
		}
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
#ifdef CONFIG_DYNAMIC_OBJECTS
	z_dyn_objects_reap();
#endif
}

void z_impl_k_object_release(const void *object)
{
	k_object_access_revoke(object, z_current);
}

void k_object_access_all_grant(const void *object)
{
	flags_set(object, K_OBJ_FLAG_PUBLIC);
}

void z_vrfy_k_object_access_grant(const void *object, struct k_thread *thread)
{
	/* As the reference: the thread object need not be running yet, what it
	 * is granted is its next thread's.
	 */
	K_OOPS(K_SYSCALL_OBJ_INIT(thread, K_OBJ_THREAD));
	K_OOPS(z_obj_validation_check(k_object_find(object), object, K_OBJ_ANY, _OBJ_INIT_ANY));
	z_impl_k_object_access_grant(object, thread);
}

void z_vrfy_k_object_release(const void *object)
{
	K_OOPS(z_obj_validation_check(k_object_find(object), object, K_OBJ_ANY, _OBJ_INIT_ANY));
	z_impl_k_object_release(object);
}
#endif /* CONFIG_USERSPACE */
