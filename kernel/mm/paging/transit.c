/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pages in transition (see transit.h): a list of the records of the pages
 * whose transfers are sleeping, each with the threads waiting for it. The
 * list holds at most one record per thread blocked in the memory manager,
 * so a walk of it is short.
 */
#include <ksched.h>
#include <paging.h>

#include "paging_stats.h"
#include "transit.h"

#ifdef CONFIG_DEMAND_PAGING_SLEEP

static sys_dlist_t busy_pages = SYS_DLIST_STATIC_INIT(&busy_pages);
static unsigned int busy_count;

unsigned int z_paging_transitions(void)
{
	return busy_count;
}

void z_transit_begin(struct z_transit *t, void *va, bool out)
{
	t->va = va;
	t->out = out;
	t->owner = z_current;
	t->boosted = false;
	z_waitq_init(&t->waiters);
	sys_dlist_append(&busy_pages, &t->node);
	busy_count++;
}

void z_transit_end(struct z_transit *t)
{
	sys_dlist_remove(&t->node);
	busy_count--;
	if (t->boosted) {
		/* What it still holds others up on (mutexes, another record) stays lent. */
		z_thread_prio_set_effective(t->owner, z_thread_inherited_prio(t->owner));
	}
	(void)z_wake_all(&t->waiters, 0);
}

int z_paging_waiter_prio(const struct k_thread *owner, int prio)
{
	sys_dnode_t *node;

	SYS_DLIST_FOR_EACH_NODE (&busy_pages, node) {
		struct z_transit *t = CONTAINER_OF(node, struct z_transit, node);
		struct k_thread *best = (t->owner == owner) ? z_waitq_head(&t->waiters) : NULL;

		if (best != NULL && best->base.prio < prio) {
			prio = best->base.prio;
		}
	}
	return prio;
}

bool z_paging_thread_in_transfer(const struct k_thread *thread)
{
	sys_dnode_t *node;

	SYS_DLIST_FOR_EACH_NODE (&busy_pages, node) {
		if (CONTAINER_OF(node, struct z_transit, node)->owner == thread) {
			return true;
		}
	}
	return false;
}

struct z_transit *z_transit_find(const void *addr, size_t size)
{
	sys_dnode_t *node;

	SYS_DLIST_FOR_EACH_NODE (&busy_pages, node) {
		struct z_transit *t = CONTAINER_OF(node, struct z_transit, node);

		if ((uintptr_t)t->va - (uintptr_t)addr < size) {
			return t;
		}
	}
	return NULL;
}

void z_transit_wait(struct z_transit *t)
{
	/* With interrupts locked: the record cannot end before the thread is
	 * on its queue. The key only matters once the thread runs again,
	 * and it re-locks then.
	 */
	if (z_current->base.prio < t->owner->base.prio) {
		z_thread_prio_set_effective(t->owner, z_current->base.prio);
		t->boosted = true;
	}
	(void)z_pend_curr(irq_lock(), &t->waiters, K_FOREVER);
	(void)irq_lock();
}

bool z_transit_may_sleep(bool irq_was_enabled)
{
	return irq_was_enabled && z_sched_may_block(true);
}

bool z_transit_sched_locked(void)
{
	return !k_is_in_isr() && z_current != NULL && z_current->base.sched_locked != 0U;
}

void z_transit_reschedule(unsigned int key)
{
	if ((z_current->base.thread_state & _THREAD_ABORTING) != 0U) {
		/* k_thread_abort() came during one of its transfers: now that
		 * its call holds nothing of the memory manager's, it dies.
		 */
		irq_unlock(key);
		k_thread_abort(z_current);
	}
	z_reschedule(key);
}

void z_paging_wait_range_idle(const void *addr, size_t size, bool irq_was_enabled)
{
	struct z_transit *t;

	if (!z_transit_may_sleep(irq_was_enabled)) {
		return; /* the caller refuses a busy page itself */
	}
	while ((t = z_transit_find(addr, size)) != NULL) {
		z_paging_count_transit_wait(t->out);
		z_transit_wait(t);
	}
}

#endif /* CONFIG_DEMAND_PAGING_SLEEP */
