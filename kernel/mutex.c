/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mutexes: recursive, owner-only unlock, priority inheritance.
 *
 * Uncontended, neither locking nor unlocking touches the interrupt lock:
 * locking is one compare-and-swap of the owner, unlocking clears it and
 * then looks whether a thread queued meanwhile, and if one did, hands the
 * mutex over as a contended unlock does. A thread that finds the mutex
 * taken links it into the owner's list of mutexes with waiters
 * (held_mutexes) and raises the owner to its own priority if that is
 * better; the owner's priority is always the best of its own and those
 * waiters', recomputed when a waiter gives up or an ownership ends. The
 * unlock hands the mutex to the best waiter directly, so that no other
 * thread can take it in between.
 */
#include <ksched.h>
#include <paging.h>
#include <syscall_handler.h>

int z_impl_k_mutex_init(struct k_mutex *mutex)
{
	z_waitq_init(&mutex->wait_q);
	mutex->owner = NULL;
	mutex->lock_count = 0;
	mutex->owner_orig_prio = K_LOWEST_APPLICATION_THREAD_PRIO;
	mutex->next_held = NULL;
	mutex->held_by = NULL;
#ifdef CONFIG_USERSPACE
	k_object_init(mutex, K_OBJ_MUTEX);
#endif
	return 0;
}

/* ---- the owners' lists of mutexes with waiters (interrupts locked) ---- */

static void unlink_held(struct k_mutex *mutex)
{
	struct k_thread *t = mutex->held_by;

	if (t == NULL) {
		return;
	}
	for (struct k_mutex **p = &t->held_mutexes; *p != NULL; p = &(*p)->next_held) {
		if (*p == mutex) {
			*p = mutex->next_held;
			break;
		}
	}
	mutex->next_held = NULL;
	mutex->held_by = NULL;
}

static void link_held(struct k_mutex *mutex, struct k_thread *owner)
{
	if (mutex->held_by != owner) {
		unlink_held(mutex);
		mutex->next_held = owner->held_mutexes;
		owner->held_mutexes = mutex;
		mutex->held_by = owner;
	}
}

/* t's own priority, or the best waiter's of the mutexes it holds, or of the
 * pages it moves to or from the backing store, if better.
 */
int z_thread_inherited_prio(struct k_thread *t)
{
	int prio = z_paging_waiter_prio(t, t->base.own_prio);

	for (struct k_mutex *m = t->held_mutexes; m != NULL; m = m->next_held) {
		struct k_thread *best = z_waitq_head(&m->wait_q);

		if (best != NULL && best->base.prio < prio) {
			prio = best->base.prio;
		}
	}
	return prio;
}

static void take(struct k_mutex *mutex, struct k_thread *t)
{
	mutex->owner = t;
	mutex->lock_count = 1;
	mutex->owner_orig_prio = t->base.prio;
}

/*
 * The mutex is free (owner NULL) or was just left by self: give it to the
 * best waiter, if any, and put the priorities right. 1 when a thread was
 * readied.
 */
static int hand_over(struct k_mutex *mutex, struct k_thread *self)
{
	unlink_held(mutex);
	z_thread_prio_set_effective(self, z_thread_inherited_prio(self));
	if (mutex->owner != NULL && mutex->owner != self) {
		/* Taken by another thread since the lock-free release: it owns the waiters. */
		if (z_waitq_head(&mutex->wait_q) != NULL) {
			link_held(mutex, mutex->owner);
			z_thread_prio_set_effective(mutex->owner,
						    z_thread_inherited_prio(mutex->owner));
		}
		return 0;
	}

	struct k_thread *next = z_unpend_first(&mutex->wait_q);

	if (next == NULL) {
		__atomic_store_n(&mutex->owner, NULL, __ATOMIC_RELEASE);
		mutex->lock_count = 0;
		return 0;
	}
	take(mutex, next);
	if (z_waitq_head(&mutex->wait_q) != NULL) {
		link_held(mutex, next);
		z_thread_prio_set_effective(next, z_thread_inherited_prio(next));
	}
	next->swap_retval = 0;
	z_ready_thread(next);
	return 1;
}

/* The mutex was taken: wait for it (kept out of the fast path's frame). */
static __noinline int lock_contended(struct k_mutex *mutex, struct k_thread *self,
				     k_timeout_t timeout)
{
	unsigned int key = irq_lock();
	struct k_thread *owner = mutex->owner;

	if (owner == NULL) { /* released since the compare-and-swap */
		take(mutex, self);
		irq_unlock(key);
		return 0;
	}
	if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
		irq_unlock(key);
		return -EBUSY;
	}
	link_held(mutex, owner);
	if (self->base.prio < owner->base.prio) {
		z_thread_prio_set_effective(owner, self->base.prio);
	}

	int ret = z_pend_curr(key, &mutex->wait_q, timeout);

	if (ret == 0) {
		return 0; /* handed over by the unlock */
	}
	/* Timed out: the owner keeps only what the remaining waiters justify. */
	key = irq_lock();
	owner = mutex->owner;
	if (owner != NULL && owner != self) {
		if (z_waitq_head(&mutex->wait_q) == NULL) {
			unlink_held(mutex);
		}
		z_thread_prio_set_effective(owner, z_thread_inherited_prio(owner));
	}
	z_reschedule(key);
	return -EAGAIN;
}

int z_impl_k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout)
{
	struct k_thread *self = z_current;
	struct k_thread *owner = NULL;

	if (__atomic_compare_exchange_n(&mutex->owner, &owner, self, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
		mutex->lock_count = 1;
		mutex->owner_orig_prio = self->base.prio;
		return 0;
	}
	if (owner == self) {
		mutex->lock_count++; /* only the owner touches the count */
		return 0;
	}
	return lock_contended(mutex, self, timeout);
}

int z_mutex_unlock_locked(struct k_mutex *mutex)
{
	struct k_thread *self = z_current;

	if (mutex->owner == NULL) {
		return -EINVAL;
	}
	if (mutex->owner != self) {
		return -EPERM;
	}
	if (--mutex->lock_count > 0U) {
		return 0;
	}
	return hand_over(mutex, self);
}

/* Waiters, or a stale link to clean: hand over under the interrupt lock. */
static __noinline void unlock_contended(struct k_mutex *mutex, struct k_thread *self)
{
	unsigned int key = irq_lock();

	if (hand_over(mutex, self) > 0) {
		z_reschedule(key);
		return;
	}
	irq_unlock(key);
}

int z_impl_k_mutex_unlock(struct k_mutex *mutex)
{
	struct k_thread *self = z_current;

	if (mutex->owner != self) {
		return (mutex->owner == NULL) ? -EINVAL : -EPERM;
	}
	if (mutex->lock_count > 1U) {
		mutex->lock_count--;
		return 0;
	}
	if (mutex->held_by == NULL && sys_dlist_is_empty(&mutex->wait_q.waitq)) {
		mutex->lock_count = 0;
		__atomic_store_n(&mutex->owner, NULL, __ATOMIC_SEQ_CST);
		if (likely(mutex->held_by == NULL && sys_dlist_is_empty(&mutex->wait_q.waitq))) {
			return 0;
		}
		/* A thread queued between the check and the release: it needs an owner. */
	}
	unlock_contended(mutex, self);
	return 0;
}

#ifdef CONFIG_USERSPACE
int z_vrfy_k_mutex_init(struct k_mutex *mutex)
{
	K_OOPS(K_SYSCALL_OBJ_INIT(mutex, K_OBJ_MUTEX));
	return z_impl_k_mutex_init(mutex);
}

int z_vrfy_k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout)
{
	K_OOPS(K_SYSCALL_OBJ(mutex, K_OBJ_MUTEX));
	return z_impl_k_mutex_lock(mutex, timeout);
}

int z_vrfy_k_mutex_unlock(struct k_mutex *mutex)
{
	K_OOPS(K_SYSCALL_OBJ(mutex, K_OBJ_MUTEX));
	return z_impl_k_mutex_unlock(mutex);
}
#endif /* CONFIG_USERSPACE */
