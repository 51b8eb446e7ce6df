/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel objects as user mode sees them: the image's objects known from
 * boot (scripts/gen_kobjects.py), and objects allocated at run time
 * (CONFIG_DYNAMIC_OBJECTS): k_object_alloc() from the caller's resource
 * pool with permission for the caller, freed when the last permission
 * goes (revoke, release, the end of the last thread that had it) or at
 * k_object_free().
 */
#include <kernel.h>
#include <kernel_internal.h>
#include <string.h>
#include <syscall_handler.h>
#include <ztest.h>

extern uint8_t _thread_idx_map[CONFIG_MAX_THREAD_BYTES];

#define STACK_SIZE 8192
#define USER_PRIO  K_PRIO_PREEMPT(1)
#define MAX_SEMS   2048

K_THREAD_STACK_DEFINE(user_stack, STACK_SIZE);
static struct k_thread user_thread;

static struct k_sem sem_plain; /* never initialised by anyone */
static struct k_sem sem_plain_arr[2];
static struct k_mutex mutex_plain;

static struct k_sem *allocated[MAX_SEMS];

static void *kobject_setup(void)
{
	k_thread_system_pool_assign(k_current_get());
	return NULL;
}

/* The image's objects are known from boot, uninitialised, as in the reference. */
ZTEST(kobject, test_image_objects_known)
{
	const void *objs[] = {&sem_plain, &sem_plain_arr[0], &sem_plain_arr[1]};

	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		struct k_object *ko = k_object_find(objs[i]);

		zassert_not_null(ko, "object %zu unknown", i);
		zassert_equal(k_object_validate(ko, K_OBJ_SEM, _OBJ_INIT_ANY), -EPERM,
			      "object %zu usable without a grant", i);
		k_object_access_grant(objs[i], k_current_get());
		zassert_equal(k_object_validate(ko, K_OBJ_SEM, _OBJ_INIT_TRUE), -EINVAL,
			      "object %zu initialised at boot", i);
		zassert_equal(k_object_validate(ko, K_OBJ_MUTEX, _OBJ_INIT_ANY), -EBADF,
			      "object %zu of another type", i);
	}
	zassert_equal(k_object_validate(k_object_find(&mutex_plain), K_OBJ_MUTEX, _OBJ_INIT_ANY),
		      -EPERM, "a mutex variable unknown");
	k_sem_init(&sem_plain, 0, 1);
	zassert_equal(k_object_validate(k_object_find(&sem_plain), K_OBJ_SEM, _OBJ_INIT_TRUE), 0);
}

/* Allocated from the caller's pool, known at once, usable by the caller only. */
ZTEST(kobject, test_alloc_sem)
{
	struct k_heap *pool = k_current_get()->resource_pool;
	struct k_sem *sem = k_object_alloc(K_OBJ_SEM);

	zassert_not_null(sem);
	uintptr_t start = (uintptr_t)pool->heap.init_mem;

	zassert_true((uintptr_t)sem >= start && (uintptr_t)sem < start + pool->heap.init_bytes,
		     "not from the thread's resource pool");
	struct k_object *ko = k_object_find(sem);

	zassert_not_null(ko, "not a kernel object");
	zassert_equal(k_object_validate(ko, K_OBJ_SEM, _OBJ_INIT_FALSE), 0,
		      "the maker may not use it, or it is initialised");
	zassert_equal(k_object_validate(ko, K_OBJ_MUTEX, _OBJ_INIT_ANY), -EBADF);
	zassert_equal(k_sem_init(sem, 1, 1), 0);
	zassert_equal(k_object_validate(ko, K_OBJ_SEM, _OBJ_INIT_TRUE), 0, "not initialised");
	zassert_equal(k_sem_take(sem, K_NO_WAIT), 0);
	k_object_free(sem);
	zassert_is_null(k_object_find(sem), "still an object after k_object_free()");
}

ZTEST(kobject, test_alloc_refused)
{
	zassert_is_null(k_object_alloc(K_OBJ_ANY));
	zassert_is_null(k_object_alloc(K_OBJ_LAST));
	zassert_is_null(k_object_alloc((enum k_objects)(K_OBJ_LAST + 1)));
	zassert_is_null(k_object_alloc(K_OBJ_THREAD_STACK_ELEMENT));
	zassert_is_null(k_object_alloc_size(K_OBJ_SEM, SIZE_MAX), "a size that wraps");

	/* No resource pool: nothing. */
	struct k_heap *pool = k_current_get()->resource_pool;

	k_current_get()->resource_pool = NULL;
	void *obj = k_object_alloc(K_OBJ_SEM);

	k_current_get()->resource_pool = pool;
	zassert_is_null(obj, "allocated without a resource pool");

	/* k_object_free() of what k_object_alloc() did not make changes nothing. */
	k_object_free(&sem_plain_arr[0]);
	zassert_not_null(k_object_find(&sem_plain_arr[0]));
	k_object_free(NULL);
}

/* How many semaphores the pool gives, all freed with k_object_free(). */
static size_t fill_pool(void)
{
	size_t n = 0;

	while (n < MAX_SEMS && (allocated[n] = k_object_alloc(K_OBJ_SEM)) != NULL) {
		n++;
	}
	zassert_true(n > 0 && n < MAX_SEMS, "pool of %zu semaphores", n);
	return n;
}

/* The last permission revoked or released: the object goes, its memory back. */
ZTEST(kobject, test_freed_when_unreferenced)
{
	size_t n = fill_pool();

	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 0U) {
			k_object_access_revoke(allocated[i], k_current_get());
		} else {
			k_object_release(allocated[i]);
		}
		zassert_is_null(k_object_find(allocated[i]), "object %zu still known", i);
	}
	zassert_equal(fill_pool(), n, "the memory of unreferenced objects was not freed");
	for (size_t i = 0; i < n; i++) {
		k_object_free(allocated[i]);
	}
	zassert_equal(fill_pool(), n, "k_object_free() did not free the memory");
	for (size_t i = 0; i < n; i++) {
		k_object_free(allocated[i]);
	}
}

/* A second holder keeps it; the end of the last holder frees it. */
static void user_give(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_give(p1);
}

ZTEST(kobject, test_freed_at_last_holder_end)
{
	struct k_sem *sem = k_object_alloc(K_OBJ_SEM);

	zassert_not_null(sem);
	zassert_equal(k_sem_init(sem, 0, 1), 0);
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, user_give, sem, NULL,
					 NULL, USER_PRIO, K_USER, K_FOREVER));
	k_object_access_grant(sem, &user_thread);
	k_object_access_revoke(sem, k_current_get());
	zassert_not_null(k_object_find(sem), "freed while a thread may still use it");
	k_thread_start(&user_thread);
	zassert_equal(k_thread_join(&user_thread, K_FOREVER), 0);
	zassert_is_null(k_object_find(sem), "not freed when its last holder ended");
}

/* From user mode, a system call: the object comes from the caller's pool. */
static void user_alloc(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	struct k_sem *sem = k_object_alloc(K_OBJ_SEM);

	if (sem == NULL || k_sem_init(sem, 0, 1) != 0) {
		return;
	}
	k_sem_give(sem);
	if (k_sem_take(sem, K_NO_WAIT) == 0) {
		*(struct k_sem **)p1 = sem;
	}
}

ZTEST_BMEM static struct k_sem *user_made_slot;

ZTEST(kobject, test_alloc_from_user)
{
	user_made_slot = NULL;
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, user_alloc,
					 &user_made_slot, NULL, NULL, USER_PRIO, K_USER,
					 K_FOREVER));
	k_thread_start(&user_thread);
	zassert_equal(k_thread_join(&user_thread, K_FOREVER), 0);
	zassert_not_null(user_made_slot, "the user thread could not allocate and use a semaphore");
	/* Its only holder ended: gone. */
	zassert_is_null(k_object_find(user_made_slot), "not freed at its maker's end");
}

/* k_object_is_valid(): known, of the type, initialised. */
ZTEST(kobject, test_is_valid)
{
	zassert_false(k_object_is_valid(&sem_plain_arr[1], K_OBJ_SEM), "not initialised yet");
	k_sem_init(&sem_plain_arr[1], 0, 1);
	zassert_true(k_object_is_valid(&sem_plain_arr[1], K_OBJ_SEM));
	zassert_true(k_object_is_valid(&sem_plain_arr[1], K_OBJ_ANY));
	zassert_false(k_object_is_valid(&sem_plain_arr[1], K_OBJ_MUTEX), "another type");
	zassert_false(k_object_is_valid(&allocated, K_OBJ_ANY), "no object");
	zassert_true(k_object_is_valid(k_current_get(), K_OBJ_THREAD), "a running thread");
}

ZTEST(kobject, test_otype_to_str)
{
	zassert_str_equal(otype_to_str(K_OBJ_SEM), "k_sem");
	zassert_str_equal(otype_to_str(K_OBJ_THREAD), "k_thread");
	zassert_str_equal(otype_to_str(K_OBJ_ANY), "generic");
	zassert_str_equal(otype_to_str(K_OBJ_LAST), "?");
	for (int t = K_OBJ_ANY; t < K_OBJ_LAST; t++) {
		zassert_true(strcmp(otype_to_str((enum k_objects)t), "?") != 0, "type %d unnamed",
			     t);
	}
}

/* k_object_access_check() from user mode: 0, -EPERM, -EBADF; never an oops. */
static struct k_sem sem_granted, sem_ungranted;
ZTEST_BMEM static int check_results[4];

static void user_check(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	check_results[0] = k_object_access_check(&sem_granted);
	check_results[1] = k_object_access_check(&sem_ungranted);
	check_results[2] = k_object_access_check(&check_results[3]);
	check_results[3] = k_object_access_check(k_current_get());
}

ZTEST(kobject, test_access_check)
{
	k_sem_init(&sem_granted, 0, 1);
	k_sem_init(&sem_ungranted, 0, 1);
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, user_check, NULL,
					 NULL, NULL, USER_PRIO, K_USER, K_FOREVER));
	k_object_access_grant(&sem_granted, &user_thread);
	k_thread_start(&user_thread);
	zassert_equal(k_thread_join(&user_thread, K_FOREVER), 0);
	zassert_equal(check_results[0], 0, "granted: %d", check_results[0]);
	zassert_equal(check_results[1], -EPERM, "not granted: %d", check_results[1]);
	zassert_equal(check_results[2], -EBADF, "no object: %d", check_results[2]);
	zassert_equal(check_results[3], 0, "itself: %d", check_results[3]);
}

/* A thread object from k_object_alloc() holds a thread index: no more of them
 * than there are indexes, and each thread made on it uses that index.
 */
K_SEM_DEFINE(sem_done, 0, 1);

static void thread_body(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_give(p1);
}

ZTEST(kobject, test_alloc_thread_index)
{
	struct k_thread *threads[CONFIG_MAX_THREAD_BYTES * 8];
	size_t n = 0;

	while (n < ARRAY_SIZE(threads) && (threads[n] = k_object_alloc(K_OBJ_THREAD)) != NULL) {
		n++;
	}
	zassert_true(n > 0 && n < ARRAY_SIZE(threads), "%zu thread objects", n);
	for (size_t i = 0; i < CONFIG_MAX_THREAD_BYTES; i++) {
		zassert_equal(_thread_idx_map[i], 0, "index byte %zu still has free indexes", i);
	}
	/* Every index is held: only a thread object from k_object_alloc() can run. */
	zassert_is_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, thread_body,
					&sem_done, NULL, NULL, USER_PRIO, 0, K_NO_WAIT),
			"a thread created with no index left");
	for (int round = 0; round < 2; round++) {
		zassert_not_null(k_thread_create(threads[0], user_stack, STACK_SIZE, thread_body,
						 &sem_done, NULL, NULL, USER_PRIO, 0, K_NO_WAIT),
				 "round %d: the object's own index was not used", round);
		zassert_equal(k_sem_take(&sem_done, K_FOREVER), 0);
		zassert_equal(k_thread_join(threads[0], K_FOREVER), 0);
	}
	for (size_t i = 0; i < n; i++) {
		k_object_free(threads[i]);
	}
	size_t free_bits = 0;

	for (size_t i = 0; i < CONFIG_MAX_THREAD_BYTES; i++) {
		free_bits += (size_t)__builtin_popcount(_thread_idx_map[i]);
	}
	zassert_true(free_bits >= n, "k_object_free() kept %zu indexes", n - free_bits);
}

/*
 * The permission index belongs to the thread object, as in the reference:
 * what a thread object not yet running is granted is its thread's, and a
 * grant never reaches another thread through the object's stale fields.
 */
static struct k_thread later_thread;
static struct k_sem sem_for_later;

ZTEST(kobject, test_grant_before_create)
{
	k_sem_init(&sem_for_later, 0, 1);
	/* Stale contents of a thread object never created: the current thread's index. */
	later_thread.perm_index = k_current_get()->perm_index;
	k_object_access_grant(&sem_for_later, &later_thread);
	zassert_equal(k_object_validate(k_object_find(&sem_for_later), K_OBJ_SEM, _OBJ_INIT_ANY),
		      -EPERM, "a grant to another thread object reached the caller");

	zassert_not_null(k_thread_create(&later_thread, user_stack, STACK_SIZE, user_give,
					 &sem_for_later, NULL, NULL, USER_PRIO, K_USER, K_NO_WAIT));
	zassert_equal(k_thread_join(&later_thread, K_FOREVER), 0);
	zassert_equal(k_sem_take(&sem_for_later, K_NO_WAIT), 0,
		      "the grant made before k_thread_create() was lost");
}

/* Timers are kernel objects: user mode starts, stops and reads one it was granted. */
K_TIMER_DEFINE(timer_static, NULL, NULL);
static struct k_timer timer_plain;
ZTEST_BMEM static uint32_t timer_status;
ZTEST_BMEM static void *timer_data;

static void user_timer(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	struct k_timer *timer = p1;

	k_timer_user_data_set(timer, &timer_status);
	k_timer_start(timer, K_MSEC(10), K_NO_WAIT);
	timer_status = k_timer_status_sync(timer);
	timer_data = k_timer_user_data_get(timer);
	k_timer_stop(timer);
}

ZTEST(kobject, test_timer_object)
{
	zassert_true(k_object_is_valid(&timer_static, K_OBJ_TIMER), "K_TIMER_DEFINE() not known");
	zassert_not_null(k_object_find(&timer_plain), "a struct k_timer variable not known");
	zassert_false(k_object_is_valid(&timer_plain, K_OBJ_TIMER),
		      "initialised before k_timer_init()");
	k_timer_init(&timer_plain, NULL, NULL);
	zassert_true(k_object_is_valid(&timer_plain, K_OBJ_TIMER));
	zassert_str_equal(otype_to_str(K_OBJ_TIMER), "k_timer");

	struct k_timer *timers[] = {&timer_static, &timer_plain};

	for (size_t i = 0; i < ARRAY_SIZE(timers); i++) {
		timer_status = 0;
		timer_data = NULL;
		zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, user_timer,
						 timers[i], NULL, NULL, USER_PRIO, K_USER,
						 K_FOREVER));
		k_object_access_grant(timers[i], &user_thread);
		k_thread_start(&user_thread);
		zassert_equal(k_thread_join(&user_thread, K_FOREVER), 0);
		zassert_equal(timer_status, 1, "timer %zu: status %u", i, timer_status);
		zassert_equal_ptr(timer_data, &timer_status, "timer %zu: user data", i);
	}
	/* Allocated at run time too. */
	struct k_timer *timer = k_object_alloc(K_OBJ_TIMER);

	zassert_not_null(timer);
	k_timer_init(timer, NULL, NULL);
	zassert_true(k_object_is_valid(timer, K_OBJ_TIMER));
	k_object_free(timer);
}

ZTEST_SUITE(kobject, NULL, kobject_setup, NULL, NULL, NULL);
