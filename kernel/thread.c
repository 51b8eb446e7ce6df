/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thread life cycle: creation with a stack mapped between two guard pages,
 * start, abort, join, names; the idle and main threads; the dead threads'
 * stacks given back (by a joiner, by k_thread_abort() of another thread,
 * or by the idle thread, since a thread cannot unmap the stack it runs on).
 */
#include <arch/thread.h>
#include <kernel/mm.h>
#include <kernel_internal.h>
#include <kernel_structs.h>
#include <ksched.h>
#include <paging.h>
#include <random/random.h>
#include <string.h>
#include <syscall_handler.h>

#define PAGE          CONFIG_MMU_PAGE_SIZE
#define STACK_PATTERN 0xaaU

extern char __kernel_start[], __kernel_end[];
extern const struct _static_thread_data __static_thread_data_list_start[];
extern const struct _static_thread_data __static_thread_data_list_end[];
#ifdef CONFIG_USERSPACE
extern const struct k_object_assignment __k_object_assignment_list_start[];
extern const struct k_object_assignment __k_object_assignment_list_end[];
#endif

/* Created and not dead; and dead with a stack still mapped (thread.list via reap_node). */
static sys_dlist_t live_threads = SYS_DLIST_STATIC_INIT(&live_threads);
static sys_dlist_t reap_list = SYS_DLIST_STATIC_INIT(&reap_list);

static struct k_thread idle_thread;
struct k_thread z_main_thread; /* the reference's name (<kernel_internal.h>) */
K_KERNEL_STACK_DEFINE(z_idle_stack, CONFIG_IDLE_STACK_SIZE);
K_KERNEL_STACK_DEFINE(z_main_thread_stack, CONFIG_MAIN_STACK_SIZE);
K_KERNEL_STACK_ARRAY_DEFINE(z_interrupt_stacks, CONFIG_MP_MAX_NUM_CPUS, CONFIG_ISR_STACK_SIZE);
BUILD_ASSERT(CONFIG_ISR_STACK_SIZE % PAGE == 0, "CONFIG_ISR_STACK_SIZE: a whole number of pages");
/* The reference's per-CPU records (<kernel_structs.h>): one CPU. */
struct z_kernel _kernel = {.cpus = {{.idle_thread = &idle_thread}}};
/* The interrupt stack's guarded alias. */
static uintptr_t isr_stack_start;

#define thread_err(...) printk("k_thread_create: " __VA_ARGS__)

static bool on_list(sys_dlist_t *list, const struct k_thread *t)
{
	sys_dnode_t *node;

	SYS_DLIST_FOR_EACH_NODE (list, node) {
		if (node == &t->reap_node) {
			return true;
		}
	}
	return false;
}

sys_dlist_t *z_thread_live_list(void)
{
	return &live_threads;
}

/* ---- stacks ------------------------------------------------------------------------ */

#ifdef CONFIG_DYNAMIC_THREAD
static void reap(struct k_thread *t);
static bool unstash(const struct k_thread *t, const void *obj);

static struct dyn_stack {
	void *base; /* from k_mem_map(): guarded and locked already */
	size_t size;
	struct k_thread *user;
#ifdef CONFIG_USERSPACE
	/* With K_USER: the stack as a kernel object (linked while it is one). */
	struct z_dyn_object obj;
#endif
} dyn_stacks[CONFIG_DYNAMIC_THREAD_POOL_SIZE];

static struct dyn_stack *dyn_stack_find(const void *stack)
{
	for (size_t i = 0; i < ARRAY_SIZE(dyn_stacks); i++) {
		if (dyn_stacks[i].base != NULL && dyn_stacks[i].base == stack) {
			return &dyn_stacks[i];
		}
	}
	return NULL;
}

/* Give slot's stack back (entered with interrupts locked by key; returns unlocked). */
static void dyn_stack_release(struct dyn_stack *slot, unsigned int key)
{
	void *base = slot->base;
	size_t size = slot->size;

#ifdef CONFIG_USERSPACE
	if (sys_dnode_is_linked(&slot->obj.node)) {
		z_dyn_object_remove(&slot->obj);
	}
#endif
	slot->base = NULL; /* size stays: the slot is reserved until unmapped */
	irq_unlock(key);
	(void)k_mem_unmap(base, size);
	key = irq_lock();
	slot->size = 0U;
	irq_unlock(key);
}

/*
 * The reference frees a run-time object when its last permission goes
 * (its maker ended or released it): a K_USER stack no thread may use and
 * none runs on is given back here, before the next allocation, since the
 * end of a thread cannot unmap.
 */
static void dyn_stacks_reclaim(void)
{
#ifdef CONFIG_USERSPACE
	for (size_t i = 0; i < ARRAY_SIZE(dyn_stacks); i++) {
		struct dyn_stack *slot = &dyn_stacks[i];
		unsigned int key = irq_lock();

		if (slot->base != NULL && slot->user == NULL &&
		    sys_dnode_is_linked(&slot->obj.node) && z_dyn_object_unreferenced(&slot->obj)) {
			dyn_stack_release(slot, key);
		} else {
			irq_unlock(key);
		}
	}
#endif
}

k_thread_stack_t *z_impl_k_thread_stack_alloc(size_t size, int flags)
{
	if (size == 0U || size > SIZE_MAX - PAGE) {
		return NULL;
	}
	dyn_stacks_reclaim();

	unsigned int key = irq_lock();
	struct dyn_stack *slot = NULL;

	for (size_t i = 0; slot == NULL && i < ARRAY_SIZE(dyn_stacks); i++) {
		if (dyn_stacks[i].base == NULL && dyn_stacks[i].size == 0U) {
			slot = &dyn_stacks[i];
		}
	}
	if (slot == NULL) {
		irq_unlock(key);
		return NULL;
	}
	slot->size = K_THREAD_STACK_LEN(size); /* reserved while unlocked */
	irq_unlock(key);

	void *base = k_mem_map(slot->size, K_MEM_PERM_RW | K_MEM_MAP_LOCK);

	key = irq_lock();
	slot->base = base;
	if (base == NULL) {
		slot->size = 0U;
	}
#ifdef CONFIG_USERSPACE
	/* A user thread may create on it, the caller first (the reference's
	 * K_OBJ_THREAD_STACK_ELEMENT made by k_object_alloc_size()).
	 */
	if (base != NULL && (flags & K_USER) != 0) {
		z_dyn_object_add(&slot->obj, base, K_OBJ_THREAD_STACK_ELEMENT, slot->size);
	}
#else
	ARG_UNUSED(flags);
#endif
	irq_unlock(key);
	return base;
}

int z_impl_k_thread_stack_free(k_thread_stack_t *stack)
{
	/* Its thread ended in an interrupt handler: the stack waits in a record. */
	while (stack != NULL && unstash(NULL, stack)) {
	}

	unsigned int key = irq_lock();
	struct dyn_stack *slot = (stack == NULL) ? NULL : dyn_stack_find(stack);

	if (slot != NULL && slot->user != NULL &&
	    (slot->user->base.thread_state & _THREAD_DEAD) != 0U) {
		/* Its thread has ended but nobody has given its stack back yet. */
		struct k_thread *user = slot->user;

		irq_unlock(key);
		reap(user);
		key = irq_lock();
		slot = dyn_stack_find(stack);
	}
	if (slot == NULL) {
		irq_unlock(key);
		return -EINVAL;
	}
	if (slot->user != NULL) {
		irq_unlock(key);
		return -EBUSY;
	}
	dyn_stack_release(slot, key);
	return 0;
}

#ifdef CONFIG_USERSPACE
k_thread_stack_t *z_vrfy_k_thread_stack_alloc(size_t size, int flags)
{
	return z_impl_k_thread_stack_alloc(size, flags);
}

/* A stack object the caller may use and no thread runs on, as the reference. */
int z_vrfy_k_thread_stack_free(k_thread_stack_t *stack)
{
	K_OOPS(K_SYSCALL_OBJ_NEVER_INIT(stack, K_OBJ_THREAD_STACK_ELEMENT));
	return z_impl_k_thread_stack_free(stack);
}
#endif
#endif /* CONFIG_DYNAMIC_THREAD */

/* How far below its stack's top a new thread starts (CONFIG_STACK_POINTER_RANDOM). */
static size_t random_offset(size_t stack_size)
{
#if defined(CONFIG_STACK_POINTER_RANDOM) && CONFIG_STACK_POINTER_RANDOM > 0
	size_t value;

	sys_rand_get(&value, sizeof(value));
	size_t fuzz = value % CONFIG_STACK_POINTER_RANDOM;

	/* At most half the stack goes, as in the reference. */
	return (fuzz * 2U > stack_size) ? 0U : ROUND_UP(fuzz, 16U);
#else
	ARG_UNUSED(stack_size);
	return 0;
#endif
}

/* Give t the stack it will run on: 0, or a negative errno with nothing held. */
static int stack_attach(struct k_thread *t, k_thread_stack_t *stack, size_t size)
{
	size_t len = K_THREAD_STACK_LEN(size);

	t->stack_obj = stack;
	t->stack_info.mapped.addr = NULL;
	t->stack_info.mapped.sz = 0;
#ifdef CONFIG_THREAD_STACK_MEM_MAPPED
	t->stack_obj_mapped = NULL;
	t->stack_obj_size = 0;
#endif
#ifdef CONFIG_DYNAMIC_THREAD
	unsigned int key = irq_lock();
	struct dyn_stack *slot = dyn_stack_find(stack);

	if (slot != NULL) {
		int ret = (slot->user != NULL) ? -EBUSY : (len > slot->size) ? -EINVAL : 0;

		if (ret == 0) {
			slot->user = t;
			t->stack_info.start = (uintptr_t)stack;
			t->stack_info.size = len;
		}
		irq_unlock(key);
		return ret;
	}
	irq_unlock(key);
#endif
	if ((uintptr_t)stack < (uintptr_t)__kernel_start ||
	    (uintptr_t)stack > (uintptr_t)__kernel_end - len) {
		return -EINVAL; /* not a stack object of the image */
	}
	if (!IS_ENABLED(CONFIG_THREAD_STACK_MEM_MAPPED)) {
		t->stack_info.start = (uintptr_t)stack;
		t->stack_info.size = len;
		return 0;
	}

	void *alias = k_mem_map_phys_guard(k_mem_phys_addr(stack), len, K_MEM_PERM_RW, false);

	if (alias == NULL) {
		return -ENOMEM;
	}
	t->stack_info.mapped.addr = alias;
	t->stack_info.mapped.sz = len;
	t->stack_obj_mapped = alias;
	t->stack_obj_size = len;
	t->stack_info.start = (uintptr_t)alias;
	t->stack_info.size = len;
	return 0;
}

/* Undo stack_attach() once nothing runs on the stack. */
static void stack_detach(void *mapping, size_t mapping_size, const void *stack_obj)
{
	if (mapping != NULL) {
		int ret = k_mem_unmap_phys_guard(mapping, mapping_size, false);

		__ASSERT(ret == 0, "a thread's stack mapping was lost");
		ARG_UNUSED(ret);
	}
#ifdef CONFIG_DYNAMIC_THREAD
	unsigned int key = irq_lock();
	struct dyn_stack *slot = dyn_stack_find(stack_obj);

	if (slot != NULL) {
		slot->user = NULL;
	}
	irq_unlock(key);
#else
	ARG_UNUSED(stack_obj);
#endif
}

static bool holds_stack(const struct k_thread *t)
{
#ifdef CONFIG_USERSPACE
	if (t->priv_stack_start != 0U) {
		return true;
	}
#endif
#ifdef CONFIG_DYNAMIC_THREAD
	if (dyn_stack_find(t->stack_obj) != NULL) {
		return true;
	}
#endif
	return t->stack_info.mapped.addr != NULL;
}

/*
 * A stack left by a thread aborted in an interrupt handler waits here, not
 * on the thread object: once k_thread_abort() returns the handler may reuse
 * or clear the object (the reference allows it), and nothing may write it.
 * With every record taken, the object itself waits on reap_list.
 */
#define STASH_RECORDS 8
static struct stack_stash {
	sys_dnode_t node;
	const struct k_thread *thread; /* NULL: free; else compared, never read through */
	void *mapping;
	size_t size;
	const void *obj;
#ifdef CONFIG_USERSPACE
	uintptr_t priv;
#endif
} stash_records[STASH_RECORDS];
static sys_dlist_t stash_list = SYS_DLIST_STATIC_INIT(&stash_list);

/* Move dead t's stack to a record (interrupts locked): false when none is free. */
static bool stash(struct k_thread *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(stash_records); i++) {
		struct stack_stash *r = &stash_records[i];

		if (r->thread == NULL) {
			r->thread = t;
			r->mapping = t->stack_info.mapped.addr;
			r->size = t->stack_info.mapped.sz;
			r->obj = t->stack_obj;
			t->stack_info.mapped.addr = NULL;
#ifdef CONFIG_USERSPACE
			r->priv = t->priv_stack_start;
			t->priv_stack_start = 0;
#endif
			sys_dlist_append(&stash_list, &r->node);
			return true;
		}
	}
	return false;
}

/*
 * Give back the stack of the first record of thread t, or of stack object
 * obj (both NULL: of any); false when there is none.
 */
static bool unstash(const struct k_thread *t, const void *obj)
{
	unsigned int key = irq_lock();
	struct stack_stash *r;

	SYS_DLIST_FOR_EACH_CONTAINER (&stash_list, r, node) {
		if ((t == NULL && obj == NULL) || (t != NULL && r->thread == t) ||
		    (obj != NULL && r->obj == obj)) {
			break;
		}
	}
	if (r == NULL) {
		irq_unlock(key);
		return false;
	}
	struct stack_stash held = *r;

	sys_dlist_remove(&r->node);
	r->thread = NULL;
	irq_unlock(key);
	stack_detach(held.mapping, held.size, held.obj);
#ifdef CONFIG_USERSPACE
	z_thread_priv_stack_free(held.priv);
#endif
	return true;
}

/* Give back the stack of dead thread t if it still holds one (interrupts unlocked). */
static void reap(struct k_thread *t)
{
	unsigned int key = irq_lock();

	if ((t->base.thread_state & _THREAD_DEAD) == 0U || !on_list(&reap_list, t)) {
		irq_unlock(key);
		return;
	}
	sys_dlist_remove(&t->reap_node);

	void *mapping = t->stack_info.mapped.addr;
	size_t size = t->stack_info.mapped.sz;
	const void *obj = t->stack_obj;

	t->stack_info.mapped.addr = NULL;
#ifdef CONFIG_USERSPACE
	uintptr_t priv = t->priv_stack_start;

	t->priv_stack_start = 0;
#endif
	irq_unlock(key);
	stack_detach(mapping, size, obj);
#ifdef CONFIG_USERSPACE
	z_thread_priv_stack_free(priv);
#endif
}

static void reap_all(void)
{
	for (;;) {
		unsigned int key = irq_lock();
		sys_dnode_t *node = sys_dlist_peek_head(&reap_list);

		irq_unlock(key);
		if (node == NULL) {
			break;
		}
		reap(CONTAINER_OF(node, struct k_thread, reap_node));
	}
	while (unstash(NULL, NULL)) {
	}
}

static bool guard_hit(uintptr_t start, size_t size, uintptr_t addr)
{
	return (addr < start && start - addr <= PAGE) ||
	       (addr >= start + size && addr - (start + size) < PAGE);
}

struct k_thread *z_thread_stack_guard_owner(uintptr_t addr)
{
	sys_dnode_t *node;

	if (z_current != NULL &&
	    guard_hit(z_current->stack_info.start, z_current->stack_info.size, addr)) {
		return z_current;
	}
	SYS_DLIST_FOR_EACH_NODE (&live_threads, node) {
		struct k_thread *t = CONTAINER_OF(node, struct k_thread, reap_node);

		if (guard_hit(t->stack_info.start, t->stack_info.size, addr)) {
			return t;
		}
	}
	return NULL;
}

bool z_isr_stack_guard_hit(uintptr_t addr)
{
	return isr_stack_start != 0U &&
	       guard_hit(isr_stack_start, sizeof(z_interrupt_stacks[0]), addr);
}

int z_impl_k_thread_stack_space_get(const struct k_thread *thread, size_t *unused_ptr)
{
	if (!IS_ENABLED(CONFIG_INIT_STACKS)) {
		return -ENOTSUP;
	}
	/* It ran on a guarded alias that is gone (the thread ended): as the reference. */
	if (thread->stack_info.mapped.addr == NULL &&
	    thread->stack_info.start != (uintptr_t)thread->stack_obj) {
		return -EINVAL;
	}

	const uint8_t *low = (const uint8_t *)thread->stack_info.start;
	size_t unused = 0;

	while (unused < thread->stack_info.size && low[unused] == STACK_PATTERN) {
		unused++;
	}
	*unused_ptr = unused;
	return 0;
}

/* ---- creation, start, end ------------------------------------------------------------ */

#ifdef CONFIG_USERSPACE
bool z_thread_is_live(const struct k_thread *t)
{
	return on_list(&live_threads, t) && (t->base.thread_state & _THREAD_DEAD) == 0U;
}

static bool meets(uintptr_t a, size_t a_size, uintptr_t b, size_t b_size)
{
	return b_size != 0U && a < b + b_size && b < a + a_size;
}

static bool priv_stack_in(sys_dlist_t *list, uintptr_t start, size_t size)
{
	sys_dnode_t *node;

	SYS_DLIST_FOR_EACH_NODE (list, node) {
		const struct k_thread *t = CONTAINER_OF(node, struct k_thread, reap_node);

		if (t->priv_stack_start != 0U &&
		    meets(start, size, t->priv_stack_start,
			  K_THREAD_STACK_LEN(CONFIG_PRIVILEGED_STACK_SIZE))) {
			return true;
		}
	}
	return false;
}

bool z_thread_stacks_overlap(uintptr_t start, size_t size)
{
#ifdef CONFIG_DYNAMIC_THREAD
	for (size_t i = 0; i < ARRAY_SIZE(dyn_stacks); i++) {
		if (dyn_stacks[i].base != NULL &&
		    meets(start, size, (uintptr_t)dyn_stacks[i].base, dyn_stacks[i].size)) {
			return true;
		}
	}
#endif
	struct stack_stash *r;

	SYS_DLIST_FOR_EACH_CONTAINER (&stash_list, r, node) {
		if (r->priv != 0U &&
		    meets(start, size, r->priv, K_THREAD_STACK_LEN(CONFIG_PRIVILEGED_STACK_SIZE))) {
			return true;
		}
	}
	return priv_stack_in(&live_threads, start, size) || priv_stack_in(&reap_list, start, size);
}

/*
 * User-mode state of a new thread: a permission index, permission on
 * itself (and its creator's, K_INHERIT_PERMS), and for K_USER a
 * privileged stack (its stack becomes user-accessible in its memory
 * domain's view when it joins the domain). 0, or -ENOMEM with nothing
 * held.
 */
static int user_attach(struct k_thread *t, uint32_t options)
{
	t->priv_stack_start = 0;
	if (z_thread_perm_index_alloc(t) != 0) {
		thread_err("more than %d threads (CONFIG_MAX_THREAD_BYTES)\n",
			   CONFIG_MAX_THREAD_BYTES * 8);
		return -ENOMEM;
	}
	if ((options & K_USER) != 0U) {
		if (z_thread_priv_stack_alloc(t) != 0) {
			z_thread_perms_all_clear(t);
			thread_err("no memory for the privileged stack\n");
			return -ENOMEM;
		}
	}
	z_thread_kobj_init(t, (options & K_INHERIT_PERMS) != 0U ? z_current : NULL);
	return 0;
}
#endif

static void start_thread(struct k_thread *t)
{
	t->base.thread_state &= ~_THREAD_PRESTART;
	z_ready_thread(t);
}

static void delayed_start(struct _timeout *to)
{
	start_thread(CONTAINER_OF(to, struct k_thread, base.timeout));
}

static k_tid_t create(struct k_thread *t, k_thread_stack_t *stack, size_t stack_size,
		      k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
		      uint32_t options, k_timeout_t delay)
{
	unsigned int key = irq_lock();

	if (on_list(&live_threads, t)) {
		irq_unlock(key);
		thread_err("thread object %p is still in use\n", t);
		return NULL;
	}
	irq_unlock(key);
	reap(t); /* the object's last use, if it still holds a stack */
	while (unstash(t, NULL)) {
	}

	int ret = stack_attach(t, stack, stack_size);

	if (ret != 0) {
		thread_err("stack %p+0x%zx: %s\n", stack, stack_size,
			   ret == -EINVAL ? "not a stack object (K_THREAD_STACK_DEFINE, "
					    "k_thread_stack_alloc) or in use"
					  : "no virtual space for its guarded mapping");
		return NULL;
	}
#ifdef CONFIG_USERSPACE
	if (user_attach(t, options) != 0) {
		stack_detach(t->stack_info.mapped.addr, t->stack_info.mapped.sz, stack);
		return NULL;
	}
#endif
	memset(&t->base, 0, sizeof(t->base));
	t->base.prio = (int8_t)prio;
	t->base.own_prio = (int8_t)prio;
	t->base.user_options = (uint8_t)options;
	t->base.thread_state = _THREAD_PRESTART;
	z_waitq_init(&t->join_queue);
	t->swap_retval = 0;
	t->swap_data = NULL;
	t->held_mutexes = NULL;
	t->entry = entry;
	t->p1 = p1;
	t->p2 = p2;
	t->p3 = p3;
	t->slice_ticks = 0;
	t->init_data = NULL;
	sys_dnode_init(&t->reap_node);
#ifdef CONFIG_THREAD_NAME
	t->name[0] = '\0';
#endif
#ifdef CONFIG_THREAD_CUSTOM_DATA
	t->custom_data = NULL;
#endif
#ifdef CONFIG_SCHED_CPU_MASK
	t->base.cpu_mask = BIT(CONFIG_MP_MAX_NUM_CPUS) - 1U;
#endif
	t->resource_pool = (z_current != NULL) ? z_current->resource_pool : NULL;
	if (IS_ENABLED(CONFIG_INIT_STACKS)) {
		memset((void *)t->stack_info.start, STACK_PATTERN, t->stack_info.size);
	}
#ifdef CONFIG_USERSPACE
	if (z_mem_domain_init_thread(t) != 0) {
		thread_err("no page tables left for the stack in its memory domain\n");
		z_thread_kobj_end(t);
		z_thread_priv_stack_free(t->priv_stack_start);
		t->priv_stack_start = 0;
		stack_detach(t->stack_info.mapped.addr, t->stack_info.mapped.sz, stack);
		return NULL;
	}
#endif
	t->stack_info.delta = random_offset(t->stack_info.size);
#ifdef CONFIG_THREAD_USERSPACE_LOCAL_DATA
	/* At the very top, in the same (user-accessible) pages; the random
	 * offset, if any, below it.
	 */
	size_t local = ROUND_UP(sizeof(struct _thread_userspace_local_data), 16U);

	t->userspace_local_data =
		(struct _thread_userspace_local_data *)(t->stack_info.start + t->stack_info.size -
							local);
	t->stack_info.delta += local;
#endif
	arch_new_thread(t, t->stack_info.start + t->stack_info.size - t->stack_info.delta, entry,
			p1, p2, p3);

	key = irq_lock();
	sys_dlist_append(&live_threads, &t->reap_node);
	if (K_TIMEOUT_EQ(delay, K_NO_WAIT)) {
		start_thread(t);
		z_reschedule(key);
	} else {
		if (!K_TIMEOUT_EQ(delay, K_FOREVER)) {
			z_add_timeout(&t->base.timeout, delayed_start, delay.ticks);
		}
		irq_unlock(key);
	}
	return t;
}

k_tid_t z_impl_k_thread_create(struct k_thread *new_thread, k_thread_stack_t *stack,
			       size_t stack_size, k_thread_entry_t entry, void *p1, void *p2,
			       void *p3, int prio, uint32_t options, k_timeout_t delay)
{
	if (new_thread == NULL || stack == NULL || entry == NULL) {
		thread_err("NULL %s\n", new_thread == NULL ? "thread"
					: stack == NULL    ? "stack"
							   : "entry");
		return NULL;
	}
	if (!z_is_valid_app_prio(prio)) {
		thread_err("priority %d is outside %d..%d\n", prio,
			   K_HIGHEST_APPLICATION_THREAD_PRIO, K_LOWEST_APPLICATION_THREAD_PRIO);
		return NULL;
	}
	if (!IS_ALIGNED(stack, PAGE) || stack_size == 0U || stack_size > SIZE_MAX - PAGE) {
		thread_err("stack %p+0x%zx: not page-aligned or of no size\n", stack, stack_size);
		return NULL;
	}
	if (k_is_in_isr()) {
		thread_err("called from an interrupt handler\n");
		return NULL;
	}
	return create(new_thread, stack, stack_size, entry, p1, p2, p3, prio, options, delay);
}

void z_impl_k_thread_start(k_tid_t thread)
{
	unsigned int key = irq_lock();

	if ((thread->base.thread_state & _THREAD_PRESTART) == 0U ||
	    (thread->base.thread_state & _THREAD_DEAD) != 0U) {
		irq_unlock(key);
		return;
	}
	(void)z_abort_timeout(&thread->base.timeout);
	start_thread(thread);
	z_reschedule(key);
}

FUNC_NORETURN void z_thread_entry(k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	arch_irq_enable_all();
#ifdef CONFIG_USERSPACE
	if ((z_current->base.user_options & K_USER) != 0U) {
		k_thread_user_mode_enter(entry, p1, p2, p3);
	}
#endif
	entry(p1, p2, p3);
	k_thread_abort(z_current);
	CODE_UNREACHABLE;
}

void z_impl_k_thread_abort(k_tid_t thread)
{
	unsigned int key = irq_lock();

	if ((thread->base.thread_state & _THREAD_DEAD) != 0U) {
		irq_unlock(key);
		return;
	}
	if ((thread->base.user_options & K_ESSENTIAL) != 0U) {
		irq_unlock(key);
		printk("k_thread_abort: %p is an essential thread\n", thread);
		k_panic();
	}
	if (thread == z_current && !k_is_in_isr()) {
		z_ztest_thread_ended_itself(thread);
	}
	if (thread != z_current && z_paging_thread_in_transfer(thread)) {
		/* Killed now it would leave its page busy, the frame half
		 * moved and the drive's command pending: it dies when its
		 * memory-manager call ends, and the caller waits for that (a
		 * handler cannot: it returns with the abort under way).
		 */
		thread->base.thread_state |= _THREAD_ABORTING;
		if (k_is_in_isr()) {
			irq_unlock(key);
		} else {
			(void)z_pend_curr(key, &thread->join_queue, K_FOREVER);
		}
		return;
	}
	z_thread_abort(thread);
#ifdef CONFIG_USERSPACE
	/* Both objects free for a new k_thread_create(), from user mode too. */
	z_thread_kobj_end(thread);
	z_mem_domain_exit_thread(thread);
#endif
	if (sys_dnode_is_linked(&thread->reap_node)) {
		sys_dlist_remove(&thread->reap_node);
	}
	if (holds_stack(thread) && !(k_is_in_isr() && stash(thread))) {
		sys_dlist_append(&reap_list, &thread->reap_node);
	}
	(void)z_wake_all(&thread->join_queue, 0);
	if (k_is_in_isr()) {
		if (thread == z_current) {
			z_sched_dummify_current();
		}
		irq_unlock(key); /* the interrupt's exit switches if thread was running */
		return;
	}
	if (thread == z_current) {
		(void)z_swap(key);
		CODE_UNREACHABLE;
	}
	irq_unlock(key);
	reap(thread);
	key = irq_lock();
	z_reschedule(key);
}

int z_impl_k_thread_join(struct k_thread *thread, k_timeout_t timeout)
{
	unsigned int key = irq_lock();
	int ret;

	if ((thread->base.thread_state & _THREAD_DEAD) != 0U) {
		irq_unlock(key);
		ret = 0;
	} else if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
		irq_unlock(key);
		return -EBUSY;
	} else if (thread == z_current || thread->base.pended_on == &z_current->join_queue) {
		irq_unlock(key);
		return -EDEADLK;
	} else {
		ret = z_pend_curr(key, &thread->join_queue, timeout);
	}
	if (ret == 0) {
		reap(thread);
	}
	return ret;
}

#ifdef CONFIG_THREAD_NAME
int z_impl_k_thread_name_set(k_tid_t thread, const char *str)
{
	struct k_thread *t = (thread == NULL) ? z_current : thread;
	size_t n = 0;

	if (str == NULL) {
		return -EINVAL;
	}
	while (n < sizeof(t->name) - 1U && str[n] != '\0') {
		t->name[n] = str[n];
		n++;
	}
	t->name[n] = '\0';
	return 0;
}

const char *k_thread_name_get(k_tid_t thread)
{
	return thread->name;
}
int z_impl_k_thread_name_copy(k_tid_t thread, char *buf, size_t size)
{
	size_t n = 0;

	for (; n < size && thread->name[n] != '\0'; n++) {
		buf[n] = thread->name[n];
	}
	for (; n < size; n++) {
		buf[n] = '\0';
	}
	return 0;
}
#else
int z_impl_k_thread_name_set(k_tid_t thread, const char *str)
{
	ARG_UNUSED(thread);
	ARG_UNUSED(str);
	return -ENOSYS;
}

int z_impl_k_thread_name_copy(k_tid_t thread, char *buf, size_t size)
{
	ARG_UNUSED(thread);
	ARG_UNUSED(buf);
	ARG_UNUSED(size);
	return -ENOSYS;
}
#endif

#ifdef CONFIG_USERSPACE
/*
 * Ends the caller unless it may use thread, a thread object; true when the
 * object is not initialised (never created, or ended): join and abort then
 * have nothing to do, as in the reference.
 */
static bool thread_obj_ended(struct k_thread *thread)
{
	struct k_object *ko = k_object_find(thread);
	int ret = k_object_validate(ko, K_OBJ_THREAD, _OBJ_INIT_TRUE);

	if (ret == -EINVAL) {
		return true;
	}
	if (ret != 0) {
		k_object_dump_error(ret, thread, ko, K_OBJ_THREAD);
		z_syscall_oops();
	}
	return false;
}

k_tid_t z_vrfy_k_thread_create(struct k_thread *new_thread, k_thread_stack_t *stack,
			       size_t stack_size, k_thread_entry_t entry, void *p1, void *p2,
			       void *p3, int prio, uint32_t options, k_timeout_t delay)
{
	/* Both objects known from boot, granted to the caller, and not in use. */
	K_OOPS(K_SYSCALL_OBJ_NEVER_INIT(new_thread, K_OBJ_THREAD));

	struct k_object *stack_ko = k_object_find(stack);

	K_OOPS(K_SYSCALL_VERIFY_MSG(z_obj_validation_check(stack_ko, stack,
							   K_OBJ_THREAD_STACK_ELEMENT,
							   _OBJ_INIT_FALSE) == 0,
				    "bad stack object"));
	K_OOPS(K_SYSCALL_VERIFY_MSG(stack_size <= stack_ko->data.stack_size,
				    "stack size %zu is too big, max is %zu", stack_size,
				    stack_ko->data.stack_size));
	/* A user thread makes user threads only, never an essential one. */
	K_OOPS(K_SYSCALL_VERIFY((options & K_USER) != 0U));
	K_OOPS(K_SYSCALL_VERIFY((options & K_ESSENTIAL) == 0U));
	/* Not above the caller's own (current) priority. */
	K_OOPS(K_SYSCALL_VERIFY(z_is_valid_app_prio(prio)));
	K_OOPS(K_SYSCALL_VERIFY_MSG(prio >= z_current->base.prio,
				    "priority %d above the caller's %d", prio,
				    z_current->base.prio));
	return z_impl_k_thread_create(new_thread, stack, stack_size, entry, p1, p2, p3, prio,
				      options, delay);
}

void z_vrfy_k_thread_start(k_tid_t thread)
{
	K_OOPS(K_SYSCALL_OBJ(thread, K_OBJ_THREAD));
	z_impl_k_thread_start(thread);
}

void z_vrfy_k_thread_abort(k_tid_t thread)
{
	if (thread_obj_ended(thread)) {
		return;
	}
	K_OOPS(K_SYSCALL_VERIFY_MSG((thread->base.user_options & K_ESSENTIAL) == 0U,
				    "aborting essential thread %p", (void *)thread));
	z_impl_k_thread_abort(thread);
}

int z_vrfy_k_thread_join(struct k_thread *thread, k_timeout_t timeout)
{
	if (thread_obj_ended(thread)) {
		return 0;
	}
	return z_impl_k_thread_join(thread, timeout);
}

/* Any initialised thread's name may be read, permission or not (as in the
 * reference); what is no thread object at all is refused before use.
 */
int z_vrfy_k_thread_name_copy(k_tid_t thread, char *buf, size_t size)
{
#ifdef CONFIG_THREAD_NAME
	struct k_object *ko = k_object_find(thread);

	if (ko == NULL || ko->type != K_OBJ_THREAD || (ko->flags & K_OBJ_FLAG_INITIALIZED) == 0U) {
		return -EINVAL;
	}
	if (K_SYSCALL_MEMORY_WRITE(buf, size) != 0) {
		return -EFAULT;
	}

	size_t len = strlen(thread->name);

	if (len + 1U > size) {
		return -ENOSPC;
	}
	return k_usermode_to_copy(buf, thread->name, len + 1U) == 0 ? 0 : -EFAULT;
#else
	ARG_UNUSED(thread);
	ARG_UNUSED(buf);
	ARG_UNUSED(size);
	return -ENOSYS;
#endif
}

/* A thread the caller may use; the count is copied out to a buffer it may write. */
int z_vrfy_k_thread_stack_space_get(const struct k_thread *thread, size_t *unused_ptr)
{
	size_t unused;
	int ret;

	if (K_SYSCALL_OBJ(thread, K_OBJ_THREAD) != 0) {
		return -EINVAL;
	}
	ret = z_impl_k_thread_stack_space_get(thread, &unused);
	if (ret != 0) {
		return ret;
	}
	return k_usermode_to_copy(unused_ptr, &unused, sizeof(unused)) == 0 ? 0 : -EFAULT;
}

int z_vrfy_k_thread_name_set(k_tid_t thread, const char *str)
{
#ifdef CONFIG_THREAD_NAME
	char name[CONFIG_THREAD_MAX_NAME_LEN];

	if (thread != NULL && K_SYSCALL_OBJ(thread, K_OBJ_THREAD) != 0) {
		return -EINVAL;
	}
	if (k_usermode_string_copy(name, str, sizeof(name)) != 0) {
		return -EFAULT;
	}
	return z_impl_k_thread_name_set(thread, name);
#else
	ARG_UNUSED(thread);
	ARG_UNUSED(str);
	return -ENOSYS;
#endif
}
#endif /* CONFIG_USERSPACE */

/* "name" or "0x..." for diagnostics. */
const char *z_thread_name(const struct k_thread *t)
{
#ifdef CONFIG_THREAD_NAME
	if (t != NULL && t->name[0] != '\0') {
		return t->name;
	}
#endif
	ARG_UNUSED(t);
	return "(unnamed)";
}

/* ---- the system threads -------------------------------------------------------------- */

static void idle(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (;;) {
		reap_all();
		arch_cpu_idle();
	}
}

bool z_sys_post_kernel; /* k_is_pre_kernel(): set once the main thread runs */

static void main_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	z_sys_post_kernel = true;
	k_poweroff(main());
}

static void set_name(struct k_thread *t, const char *name)
{
#ifdef CONFIG_THREAD_NAME
	(void)k_thread_name_set(t, name);
#else
	ARG_UNUSED(t);
	ARG_UNUSED(name);
#endif
}

static void start_static_threads(void)
{
	for (const struct _static_thread_data *d = __static_thread_data_list_start;
	     d < __static_thread_data_list_end; d++) {
		k_timeout_t delay =
			(d->init_delay_ms == SYS_FOREVER_MS) ? K_FOREVER : K_MSEC(d->init_delay_ms);

		if (k_thread_create(d->init_thread, d->init_stack, d->init_stack_size,
				    d->init_entry, d->init_p1, d->init_p2, d->init_p3, d->init_prio,
				    d->init_options, delay) == NULL) {
			k_panic();
		}
		d->init_thread->init_data = (void *)d;
		set_name(d->init_thread, d->init_name);
	}
#ifdef CONFIG_USERSPACE
	/* Before any of them runs: nothing is scheduled until z_sched_start(). */
	for (const struct k_object_assignment *a = __k_object_assignment_list_start;
	     a < __k_object_assignment_list_end; a++) {
		for (const void *const *obj = a->objects; *obj != NULL; obj++) {
			k_object_access_grant(*obj, a->thread);
		}
	}
#endif
}

FUNC_NORETURN void z_threads_start(void)
{
	z_sched_init();
#ifdef CONFIG_USERSPACE
	z_kobject_static_init();
	z_mem_domain_module_init();
#endif

	void *isr_stack = k_mem_map_phys_guard(k_mem_phys_addr(z_interrupt_stacks[0]),
					       sizeof(z_interrupt_stacks[0]), K_MEM_PERM_RW, false);

	if (isr_stack == NULL) {
		k_panic();
	}
	isr_stack_start = (uintptr_t)isr_stack;
	arch_irq_stack_set(isr_stack_start + sizeof(z_interrupt_stacks[0]));

	if (create(&idle_thread, z_idle_stack, sizeof(z_idle_stack), idle, NULL, NULL, NULL,
		   K_IDLE_PRIO, K_ESSENTIAL, K_FOREVER) == NULL ||
	    create(&z_main_thread, z_main_thread_stack, sizeof(z_main_thread_stack), main_entry,
		   NULL, NULL, NULL, CONFIG_MAIN_THREAD_PRIORITY, K_ESSENTIAL, K_FOREVER) == NULL) {
		k_panic();
	}
	idle_thread.base.thread_state |= _THREAD_IDLE;
	set_name(&idle_thread, "idle");
	set_name(&z_main_thread, "main");
	start_thread(&idle_thread);
	start_thread(&z_main_thread);
	start_static_threads();
	z_sched_start();
}
