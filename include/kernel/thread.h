/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Threads and the scheduler, with the reference RTOS's (Zephyr's) names,
 * signatures and return codes. Included by <kernel.h>; README.md lists
 * where Pagoda deliberately differs.
 *
 * Priorities: a lower number runs first. Cooperative threads have negative
 * priorities (K_PRIO_COOP(x)) and run until they block or yield;
 * preemptible ones have priorities >= 0 (K_PRIO_PREEMPT(x)) and give way
 * to any better thread that becomes ready. The idle thread has
 * K_IDLE_PRIO, below every application priority.
 */
#ifndef PAGODA_INCLUDE_KERNEL_THREAD_H
#define PAGODA_INCLUDE_KERNEL_THREAD_H

#include <app_memory/mem_domain.h>
#include <kernel/timeout.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/dlist.h>
#include <sys/kobject.h>
#include <sys/util.h>
#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
#include <kernel/mm/demand_paging.h>
#endif

#define K_PRIO_COOP(x)                    (-(CONFIG_NUM_COOP_PRIORITIES - (x)))
#define K_PRIO_PREEMPT(x)                 (x)
#define K_HIGHEST_THREAD_PRIO             (-CONFIG_NUM_COOP_PRIORITIES)
#define K_LOWEST_THREAD_PRIO              CONFIG_NUM_PREEMPT_PRIORITIES
#define K_IDLE_PRIO                       K_LOWEST_THREAD_PRIO
#define K_HIGHEST_APPLICATION_THREAD_PRIO (K_HIGHEST_THREAD_PRIO)
#define K_LOWEST_APPLICATION_THREAD_PRIO  (K_LOWEST_THREAD_PRIO - 1)

/* k_thread_create() options (Zephyr's bits; K_USER and K_INHERIT_PERMS act with
 * CONFIG_USERSPACE, K_FP_REGS never).
 */
#define K_ESSENTIAL     BIT(0)
#define K_FP_REGS       BIT(1)
#define K_USER          BIT(2)
#define K_INHERIT_PERMS BIT(3)

typedef void (*k_thread_entry_t)(void *p1, void *p2, void *p3);

/* A queue of threads waiting for something, best priority first. */
typedef struct {
	sys_dlist_t waitq;
} _wait_q_t;

#define Z_WAIT_Q_INIT(wait_q)                                                                      \
	{                                                                                          \
		SYS_DLIST_STATIC_INIT(&(wait_q)->waitq)                                            \
	}

/* Where a thread's stack is, as the thread sees it (the mapped alias). */
struct _thread_stack_info {
	uintptr_t start; /* lowest usable address */
	size_t size;     /* usable bytes */
	/* Bytes below the top where the thread starts: the userspace local
	 * data (CONFIG_THREAD_USERSPACE_LOCAL_DATA) and the random start offset
	 * (CONFIG_STACK_POINTER_RANDOM); the initial stack pointer is
	 * start + size - delta.
	 */
	size_t delta;
	/* The guarded alias k_thread_create() made (CONFIG_THREAD_STACK_MEM_MAPPED):
	 * addr NULL when the thread runs on the object itself.
	 */
	struct {
		void *addr;
		size_t sz;
	} mapped;
};

/* struct _thread_base.thread_state bits: ready when none but QUEUED is set. */
#define _THREAD_PENDING   BIT(0) /* on a wait queue */
#define _THREAD_PRESTART  BIT(1) /* created, not started */
#define _THREAD_DEAD      BIT(2)
#define _THREAD_SUSPENDED BIT(3)
#define _THREAD_SLEEPING  BIT(4) /* in k_sleep() */
#define _THREAD_QUEUED    BIT(5) /* in the ready queue (the running thread too) */
#define _THREAD_IDLE      BIT(6) /* the idle thread: never blocks */
/* Aborted while asleep in a backing-store transfer of its own: it dies when
 * its memory-manager call ends (the page, its frame and the drive free).
 */
#define _THREAD_ABORTING  BIT(7)
/* Not a thread: the object the boot context is saved into at the first switch. */
#define _THREAD_DUMMY     BIT(8)

/* Scheduler state of a thread (kernel-internal; read by tests, never written). */
struct _thread_base {
	sys_dnode_t qnode;     /* in a ready queue or a wait queue */
	_wait_q_t *pended_on;  /* the wait queue it is in, if any */
	uint16_t thread_state; /* _THREAD_* bits */
	uint8_t user_options;  /* K_ESSENTIAL, ... */
	int8_t prio;           /* effective priority (raised by mutex inheritance) */
	int8_t own_prio;       /* priority set by the application */
	uint16_t sched_locked; /* k_sched_lock() depth */
#ifdef CONFIG_SCHED_CPU_MASK
	uint16_t cpu_mask; /* the CPUs it may run on (bit 0: the one CPU) */
#endif
	struct _timeout timeout;
#ifdef CONFIG_SCHED_THREAD_USAGE
	/* Cycles run (kernel/thread_usage.c); zeroed with the rest at creation. */
	struct k_cycle_stats {
		uint64_t total;
	} usage;
#endif
};

#ifdef CONFIG_THREAD_USERSPACE_LOCAL_DATA
/* Per-thread data user mode may use, at the top of the thread's stack (the
 * reference's; it holds errno there with its CONFIG_ERRNO, which Pagoda's
 * libc does not have, so it is empty here).
 */
struct _thread_userspace_local_data {
};
#endif

struct k_thread {
	struct _thread_base base;
	/* The thread's K_THREAD_DEFINE() record (struct _static_thread_data), else NULL. */
	void *init_data;
	void *switch_sp; /* saved stack pointer while switched out (arch_switch) */
	int swap_retval; /* what the wait that ended returns (0, -EAGAIN, ...) */
	void *swap_data; /* a value handed over to the waiter */
	struct _thread_stack_info stack_info;
	void *stack_obj;       /* the stack object as the caller gave it */
	sys_dnode_t reap_node; /* on the list of dead threads whose stack is still mapped */
	_wait_q_t join_queue;
	k_thread_entry_t entry;
	void *p1, *p2, *p3;
	int32_t slice_ticks;          /* time-slice ticks left */
	struct k_mutex *held_mutexes; /* chain through k_mutex.next_held */
#ifdef CONFIG_THREAD_NAME
	char name[CONFIG_THREAD_MAX_NAME_LEN];
#endif
#ifdef CONFIG_DEMAND_PAGING_THREAD_STATS
	/* Faults this thread took, evictions its faults and page-outs made.
	 * Not reset by k_thread_create() (the reference's rule): a thread
	 * object created again keeps counting, as ztest's test thread does.
	 */
	struct k_mem_paging_stats_t paging_stats;
#endif
#ifdef CONFIG_THREAD_CUSTOM_DATA
	void *custom_data; /* k_thread_custom_data_set(); NULL at creation */
#endif
#ifdef CONFIG_THREAD_USERSPACE_LOCAL_DATA
	/* At stack_info.start + stack_info.size - stack_info.delta. */
	struct _thread_userspace_local_data *userspace_local_data;
#endif
#ifdef CONFIG_THREAD_STACK_MEM_MAPPED
	/* stack_info.mapped by the names the reference's suites read. */
	struct z_thread_stack_element *stack_obj_mapped;
	size_t stack_obj_size;
#endif
#ifdef CONFIG_USERSPACE
	/* The privileged stack (system calls, and interrupts in user mode): a
	 * k_mem_map() region of K_THREAD_STACK_LEN(CONFIG_PRIVILEGED_STACK_SIZE)
	 * bytes, 0 until the thread first enters user mode.
	 */
	uintptr_t priv_stack_start;
	uint16_t perm_index;                     /* its bit in every kernel object's permissions */
	struct _mem_domain_info mem_domain_info; /* its memory domain */
#endif
	/* Where the kernel allocates on the thread's behalf (z_thread_malloc()):
	 * its creator's at creation, k_thread_heap_assign() changes it.
	 */
	struct k_heap *resource_pool;
};

typedef struct k_thread *k_tid_t;

/* ---- stacks ----------------------------------------------------------------------
 * A stack object is page-aligned and a whole number of pages: with
 * CONFIG_THREAD_STACK_MEM_MAPPED, k_thread_create() maps its frames again
 * into a region of their own with a non-present guard page below and above,
 * and the thread runs on that alias. Never paged out.
 */
struct z_thread_stack_element {
	char data;
};
typedef struct z_thread_stack_element k_thread_stack_t;

/* The reference's layout macros: a stack object is all buffer (nothing
 * reserved in it: guards are around its alias), page-aligned.
 */
#define Z_THREAD_STACK_OBJ_ALIGN(size) CONFIG_MMU_PAGE_SIZE
#define Z_KERNEL_STACK_OBJ_ALIGN       CONFIG_MMU_PAGE_SIZE
#define K_THREAD_STACK_LEN(size)       ROUND_UP((size_t)(size), CONFIG_MMU_PAGE_SIZE)
#define K_KERNEL_STACK_LEN(size)       K_THREAD_STACK_LEN(size)
#define K_THREAD_STACK_RESERVED        ((size_t)0U)
#define K_KERNEL_STACK_RESERVED        ((size_t)0U)
#define K_THREAD_STACK_BUFFER(sym)     ((char *)(sym) + K_THREAD_STACK_RESERVED)
#define K_KERNEL_STACK_BUFFER(sym)     ((char *)(sym) + K_KERNEL_STACK_RESERVED)
/* K_THREAD_STACK_DEFINE() stacks may host a user thread: with CONFIG_USERSPACE
 * each is a kernel object from boot (scripts/gen_kobjects.py finds them in
 * this section's run); K_KERNEL_STACK_DEFINE() ones never, as in the reference.
 */
#define Z_STACK_SECTION                __section(".noinit.stacks") __aligned(Z_THREAD_STACK_OBJ_ALIGN(0))
#define Z_KERNEL_STACK_SECTION         __kstackmem __aligned(Z_KERNEL_STACK_OBJ_ALIGN)
/* Where kernel stacks live: a structure with a K_KERNEL_STACK_MEMBER() goes there too. */
#define __kstackmem                    __section(".noinit.kernel_stacks")

#define K_THREAD_STACK_DEFINE(sym, size)                                                           \
	struct z_thread_stack_element Z_STACK_SECTION sym[K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_ARRAY_DEFINE(sym, nmemb, size)                                              \
	struct z_thread_stack_element Z_STACK_SECTION sym[nmemb][K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_EXTERN(sym) extern k_thread_stack_t sym[]
#define K_THREAD_STACK_DECLARE(sym, size)                                                          \
	extern struct z_thread_stack_element sym[K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_ARRAY_DECLARE(sym, nmemb, size)                                             \
	extern struct z_thread_stack_element sym[nmemb][K_THREAD_STACK_LEN(size)]
#define K_KERNEL_STACK_DECLARE(sym, size) K_THREAD_STACK_DECLARE(sym, size)
#define K_KERNEL_STACK_ARRAY_DECLARE(sym, nmemb, size)                                             \
	K_THREAD_STACK_ARRAY_DECLARE(sym, nmemb, size)
#define K_KERNEL_STACK_DEFINE(sym, size)                                                           \
	struct z_thread_stack_element Z_KERNEL_STACK_SECTION sym[K_KERNEL_STACK_LEN(size)]
#define K_KERNEL_STACK_ARRAY_DEFINE(sym, nmemb, size)                                              \
	struct z_thread_stack_element Z_KERNEL_STACK_SECTION sym[nmemb][K_KERNEL_STACK_LEN(size)]
/* A kernel stack inside a structure (defined __kstackmem). */
#define K_KERNEL_STACK_MEMBER(sym, size)                                                           \
	struct z_thread_stack_element __aligned(Z_KERNEL_STACK_OBJ_ALIGN)                          \
		sym[K_KERNEL_STACK_LEN(size)]
#define K_KERNEL_STACK_EXTERN(sym) K_THREAD_STACK_EXTERN(sym)
#define K_THREAD_STACK_SIZEOF(sym) (sizeof(sym))
#define K_KERNEL_STACK_SIZEOF(sym) (sizeof(sym))

/* ---- threads -------------------------------------------------------------------- */

/*
 * Create a thread running entry(p1, p2, p3) on stack (stack_size usable
 * bytes) at priority prio; it starts after delay (K_NO_WAIT: now,
 * K_FOREVER: at k_thread_start()). Returns new_thread.
 * Pagoda returns NULL, leaving nothing behind, where the reference asserts:
 * a NULL thread, stack or entry, a stack not page-aligned or smaller than
 * one page, a priority out of range, a thread object still in use, or no
 * virtual space left for the stack's guarded mapping.
 * From user mode (CONFIG_USERSPACE), as in the reference, the caller is
 * ended (K_ERR_KERNEL_OOPS) unless: the thread and the stack
 * (K_THREAD_STACK_DEFINE) are objects it was granted and neither is in use,
 * stack_size is at most the stack object's size, options has K_USER and
 * not K_ESSENTIAL, and prio is valid and not above the caller's.
 */
__syscall k_tid_t k_thread_create(struct k_thread *new_thread, k_thread_stack_t *stack,
				  size_t stack_size, k_thread_entry_t entry, void *p1, void *p2,
				  void *p3, int prio, uint32_t options, k_timeout_t delay);
/* Start a thread created with a delay of K_FOREVER (no effect otherwise). */
__syscall void k_thread_start(k_tid_t thread);
/* End a thread (itself included: then it does not return). */
__syscall void k_thread_abort(k_tid_t thread);
/* Wait for a thread to end: 0; -EBUSY (K_NO_WAIT, still running); -EAGAIN
 * (timed out); -EDEADLK (the caller itself). Its stack mapping is gone
 * when this returns 0.
 */
__syscall int k_thread_join(struct k_thread *thread, k_timeout_t timeout);
__syscall void k_thread_suspend(k_tid_t thread);
__syscall void k_thread_resume(k_tid_t thread);
__syscall int k_thread_priority_get(k_tid_t thread);
__syscall void k_thread_priority_set(k_tid_t thread, int prio);

#ifdef CONFIG_SCHED_CPU_MASK
/*
 * The CPUs thread may run on (CONFIG_SCHED_CPU_MASK; all at creation),
 * changed only while it cannot run (not started, pending, sleeping,
 * suspended or dead): 0, or -EINVAL when it is runnable or cpu is not a
 * CPU of the system. With one CPU, a thread whose mask leaves CPU 0 out
 * does not run once started.
 */
int k_thread_cpu_mask_clear(k_tid_t thread);
int k_thread_cpu_mask_enable_all(k_tid_t thread);
int k_thread_cpu_mask_enable(k_tid_t thread, int cpu);
int k_thread_cpu_mask_disable(k_tid_t thread, int cpu);
/* Only cpu in the mask. */
int k_thread_cpu_pin(k_tid_t thread, int cpu);
#endif
__syscall k_tid_t k_current_get(void);
/* Let the other ready threads of the same or better priority run first. */
__syscall void k_yield(void);
/* Sleep; returns the milliseconds left when woken early (k_wakeup), else 0.
 * K_FOREVER suspends the thread and returns K_TICKS_FOREVER when resumed.
 */
__syscall int32_t k_sleep(k_timeout_t timeout);
int32_t k_msleep(int32_t ms);
/* As k_sleep(K_USEC(us)); returns microseconds left. */
__syscall int32_t k_usleep(int32_t us);
/* End a k_sleep() early (no effect on a thread not sleeping). */
void k_wakeup(k_tid_t thread);
/* Preemption off for the caller until the matching k_sched_unlock()
 * (nests); it still switches away when it blocks.
 */
void k_sched_lock(void);
void k_sched_unlock(void);
/* Time slicing among preemptible threads of priority prio or lower
 * (numerically >= prio): each runs at most slice_ms before the next of its
 * priority. 0 turns it off. Needs CONFIG_TIMESLICING.
 */
void k_sched_time_slice_set(int32_t slice_ms, int prio);
/* True when the caller cannot be preempted (cooperative, or scheduler locked). */
bool k_is_preempt_thread(void);

/*
 * Run entry(p1, p2, p3) in user mode for good (CONFIG_USERSPACE; without
 * it, in supervisor mode): the thread's stack is cleared and made
 * user-accessible, system calls get a privileged stack of their own. The
 * thread ends when entry returns. Oopses when no memory is left for the
 * privileged stack.
 */
FUNC_NORETURN void k_thread_user_mode_enter(k_thread_entry_t entry, void *p1, void *p2, void *p3);

/* Name thread (NULL: the caller): 0; -ENOSYS without CONFIG_THREAD_NAME.
 * From user mode: -EINVAL for a thread it may not use, -EFAULT for a
 * string it may not read (or not terminated within the name's length).
 */
__syscall int k_thread_name_set(k_tid_t thread, const char *str);
/*
 * Copy thread's name into buf (size bytes; as strncpy()): 0; -ENOSYS
 * without CONFIG_THREAD_NAME. From user mode any initialised thread's name
 * may be read; -EINVAL for what is no thread, -EFAULT for a buffer it may
 * not write, -ENOSPC when the name does not fit.
 */
__syscall int k_thread_name_copy(k_tid_t thread, char *buf, size_t size);
#ifdef CONFIG_THREAD_NAME
const char *k_thread_name_get(k_tid_t thread);
#endif

/* Unused bytes at the low end of a stack (CONFIG_INIT_STACKS): 0 or -ENOTSUP.
 * -EINVAL for a thread that ran on a guarded alias of its stack object and
 * has ended (the alias is gone), as in the reference.
 * From user mode (a system call, as in the reference): a thread it may use,
 * else -EINVAL; -EFAULT when it may not write *unused_ptr.
 */
__syscall int k_thread_stack_space_get(const struct k_thread *thread, size_t *unused_ptr);

#ifdef CONFIG_DYNAMIC_THREAD
/*
 * A stack of size usable bytes, mapped with guards and locked; NULL when
 * size is 0 or no memory or pool slot is left. flags: 0 or K_USER; with
 * K_USER under CONFIG_USERSPACE the stack is a kernel object
 * (K_OBJ_THREAD_STACK_ELEMENT) the caller may use, so a user thread may
 * create a user thread on it; it is given back once no thread may use it
 * and none runs on it, as the reference frees it then. A system call.
 */
__syscall k_thread_stack_t *k_thread_stack_alloc(size_t size, int flags);
/*
 * 0; -EBUSY while a live thread uses it; -EINVAL when not from
 * k_thread_stack_alloc(). From user mode (a system call): a stack object
 * the caller may use and no live thread's, else the caller is ended
 * (K_ERR_KERNEL_OOPS), as in the reference.
 */
__syscall int k_thread_stack_free(k_thread_stack_t *stack);
#endif

/* Define and start a thread at boot (before main() runs); delay in ms. */
#define K_THREAD_DEFINE(name, stack_size, entry, p1, p2, p3, prio, options, delay)                 \
	K_THREAD_STACK_DEFINE(_k_thread_stack_##name, stack_size);                                 \
	Z_THREAD_COMMON_DEFINE(name, entry, p1, p2, p3, prio, options, delay)

/* The same on a K_KERNEL_STACK_DEFINE() stack: the thread can never enter
 * user mode (k_thread_user_mode_enter() panics there).
 */
#define K_KERNEL_THREAD_DEFINE(name, stack_size, entry, p1, p2, p3, prio, options, delay)          \
	K_KERNEL_STACK_DEFINE(_k_thread_stack_##name, stack_size);                                 \
	Z_THREAD_COMMON_DEFINE(name, entry, p1, p2, p3, prio, options, delay)

#define Z_THREAD_COMMON_DEFINE(name, entry, p1, p2, p3, prio, options, delay)                      \
	struct k_thread _k_thread_obj_##name;                                                      \
	static const struct _static_thread_data _k_thread_data_##name __used __section(            \
		"_static_thread_data." #name)                                                      \
		__aligned(__alignof__(struct _static_thread_data)) = {                             \
			.init_thread = &_k_thread_obj_##name,                                      \
			.init_stack = _k_thread_stack_##name,                                      \
			.init_stack_size = K_THREAD_STACK_SIZEOF(_k_thread_stack_##name),          \
			.init_entry = (k_thread_entry_t)(entry),                                   \
			.init_p1 = (void *)(p1),                                                   \
			.init_p2 = (void *)(p2),                                                   \
			.init_p3 = (void *)(p3),                                                   \
			.init_prio = (prio),                                                       \
			.init_options = (options),                                                 \
			.init_delay_ms = (delay),                                                  \
			.init_name = #name,                                                        \
	};                                                                                         \
	const k_tid_t name = &_k_thread_obj_##name

struct _static_thread_data {
	struct k_thread *init_thread;
	k_thread_stack_t *init_stack;
	size_t init_stack_size;
	k_thread_entry_t init_entry;
	void *init_p1, *init_p2, *init_p3;
	int init_prio;
	uint32_t init_options;
	int32_t init_delay_ms;
	const char *init_name;
};

/* k_thread_foreach(), custom data, runtime statistics. */
#include <kernel/thread_tools.h>

#endif /* PAGODA_INCLUDE_KERNEL_THREAD_H */
