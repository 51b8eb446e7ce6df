/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's view of stack objects and per-CPU records: the layout
 * macros (nothing reserved, page alignment), a kernel stack inside a
 * structure (K_KERNEL_STACK_MEMBER, __kstackmem), z_interrupt_stacks[],
 * _current_cpu->idle_thread, a stack object's size in its kernel-object
 * entry, and k_thread_stack_space_get() once a thread's stack alias is gone.
 */
#include <kernel_internal.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>
#ifdef CONFIG_USERSPACE
#include <zephyr/internal/syscall_handler.h>
#endif

#define SIZE 512

K_THREAD_STACK_DEFINE(user_stack, SIZE);
K_KERNEL_STACK_DEFINE(kern_stack, SIZE);

struct holder {
	int before;
	K_KERNEL_STACK_MEMBER(stack, SIZE);
	int after;
};

__kstackmem static struct holder holder;

static struct k_thread thread;
static volatile bool ran;

static void mark(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	ran = true;
}

ZTEST(stack_objects, test_layout_macros)
{
	zassert_equal(K_THREAD_STACK_RESERVED, 0U);
	zassert_equal(K_KERNEL_STACK_RESERVED, 0U);
	zassert_equal_ptr(K_THREAD_STACK_BUFFER(user_stack), (char *)user_stack);
	zassert_equal_ptr(K_KERNEL_STACK_BUFFER(kern_stack), (char *)kern_stack);
	zassert_equal(Z_THREAD_STACK_OBJ_ALIGN(SIZE), CONFIG_MMU_PAGE_SIZE);
	zassert_equal(Z_KERNEL_STACK_OBJ_ALIGN, CONFIG_MMU_PAGE_SIZE);
	zassert_equal(K_THREAD_STACK_SIZEOF(user_stack), K_THREAD_STACK_LEN(SIZE));
	zassert_equal((uintptr_t)user_stack % Z_THREAD_STACK_OBJ_ALIGN(SIZE), 0U);
}

ZTEST(stack_objects, test_member_stack_hosts_a_thread)
{
	zassert_equal((uintptr_t)holder.stack % Z_KERNEL_STACK_OBJ_ALIGN, 0U);
	zassert_equal(K_KERNEL_STACK_SIZEOF(holder.stack), K_KERNEL_STACK_LEN(SIZE));
	ran = false;
	zassert_not_null(k_thread_create(&thread, holder.stack, SIZE, mark, NULL, NULL, NULL,
					 K_PRIO_COOP(1), 0, K_NO_WAIT));
	zassert_equal(k_thread_join(&thread, K_FOREVER), 0);
	zassert_true(ran);
}

ZTEST(stack_objects, test_space_get_after_the_alias_is_gone)
{
	size_t unused = 0;

	k_thread_create(&thread, kern_stack, SIZE, mark, NULL, NULL, NULL, K_PRIO_COOP(1), 0,
			K_FOREVER);
	zassert_equal(k_thread_stack_space_get(&thread, &unused), 0, "a live thread's stack");
	zassert_true(unused > 0U);
	k_thread_start(&thread);
	zassert_equal(k_thread_join(&thread, K_FOREVER), 0);
	/* Joined: its guarded alias was unmapped. The reference: -EINVAL. */
	zassert_equal(k_thread_stack_space_get(&thread, &unused), -EINVAL);
}

ZTEST(stack_objects, test_cpu_records)
{
	struct k_thread *idle = _current_cpu->idle_thread;
	size_t unused = 0;

	zassert_equal(arch_num_cpus(), 1U);
	zassert_equal_ptr(idle, _kernel.cpus[0].idle_thread);
	zassert_true(z_is_idle_thread_object(idle));
	zassert_str_equal(k_thread_name_get(idle), "idle");
	zassert_equal(k_thread_stack_space_get(idle, &unused), 0);
	zassert_true(unused > 0U && unused < CONFIG_IDLE_STACK_SIZE);
	zassert_equal(sizeof(z_interrupt_stacks[0]), CONFIG_ISR_STACK_SIZE);
	zassert_equal(sizeof(z_interrupt_stacks) / sizeof(z_interrupt_stacks[0]),
		      CONFIG_MP_MAX_NUM_CPUS);
}

ZTEST(stack_objects, test_system_pool_without_a_heap)
{
	struct k_heap *before = k_current_get()->resource_pool;

	k_thread_system_pool_assign(k_current_get());
	/* CONFIG_HEAP_MEM_POOL_SIZE=0: there is no system heap to assign. */
	zassert_is_null(k_current_get()->resource_pool);
	k_thread_heap_assign(k_current_get(), before);
}

ZTEST(stack_objects, test_object_entry_keeps_the_size)
{
#ifdef CONFIG_USERSPACE
	struct k_object *ko = k_object_find(user_stack);

	zassert_not_null(ko, "a K_THREAD_STACK_DEFINE() stack is a kernel object");
	zassert_equal(ko->data.stack_size, sizeof(user_stack));
	zassert_is_null(k_object_find(kern_stack), "a kernel stack is none");
	zassert_is_null(k_object_find(holder.stack));
#else
	ztest_test_skip();
#endif
}

/* Where a new thread's first frame lies, and the offset it started at. */
ZTEST_BMEM static volatile uintptr_t local_at;

static void note_sp(void *p1, void *p2, void *p3)
{
	int here;

	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	local_at = (uintptr_t)&here;
}

#ifdef CONFIG_STACK_POINTER_RANDOM
#define SP_BOUND CONFIG_STACK_POINTER_RANDOM
#else
#define SP_BOUND 0
#endif

/* CONFIG_STACK_POINTER_RANDOM: each thread starts up to the bound below its
 * stack's top (rounded to 16), in supervisor and in user mode; else at it.
 */
static void check_start_offsets(uint32_t options)
{
	size_t first = SIZE_MAX;
	bool differ = false;

	for (int i = 0; i < 32; i++) {
		k_thread_create(&thread, user_stack, SIZE, note_sp, NULL, NULL, NULL,
				K_PRIO_COOP(1), options, K_NO_WAIT);
		zassert_equal(k_thread_join(&thread, K_FOREVER), 0);

		size_t delta = thread.stack_info.delta;
		uintptr_t top = thread.stack_info.start + thread.stack_info.size;

		zassert_equal(delta % 16U, 0U);
		zassert_true(delta <= ROUND_UP(SP_BOUND, 16), "offset %zu", delta);
		zassert_true(local_at < top - delta && local_at >= top - delta - 512U,
			     "the thread ran at %lx, not just below %lx", (unsigned long)local_at,
			     (unsigned long)(top - delta));
		differ |= (first != SIZE_MAX && delta != first);
		first = delta;
	}
	zassert_equal(differ, SP_BOUND > 0, "offsets %s", differ ? "vary" : "never vary");
}

ZTEST(stack_objects, test_start_offset)
{
	check_start_offsets(0);
}

ZTEST(stack_objects, test_start_offset_user)
{
#ifdef CONFIG_USERSPACE
	check_start_offsets(K_USER);
#else
	ztest_test_skip();
#endif
}

ZTEST_SUITE(stack_objects, NULL, NULL, NULL, NULL, NULL);
