/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pages in transition (transit.c): a page whose transfer to or from the
 * backing store sleeps (CONFIG_DEMAND_PAGING_SLEEP) is "busy" while it
 * moves. A record on the stack of the thread moving it says so; every
 * other caller that meets the page waits on the record and then looks at
 * the page again, so one read serves every thread faulting on it.
 * Records change only with interrupts locked. Without
 * CONFIG_DEMAND_PAGING_SLEEP nothing sleeps and every call is a stub.
 */
#ifndef PAGODA_KERNEL_MM_PAGING_TRANSIT_H
#define PAGODA_KERNEL_MM_PAGING_TRANSIT_H

#include <kernel.h>
#include <page_frames.h>

struct z_transit {
	void *va; /* the page */
	bool out; /* paging out (its frame is being written), else in */
#ifdef CONFIG_DEMAND_PAGING_SLEEP
	sys_dnode_t node;
	_wait_q_t waiters;
	struct k_thread *owner; /* the thread moving the page */
	bool boosted;
#endif
};

#ifdef CONFIG_DEMAND_PAGING_SLEEP

/* va is busy from now on (interrupts locked). */
void z_transit_begin(struct z_transit *t, void *va, bool out);
/* va is no longer busy: its waiters are made ready (interrupts locked). */
void z_transit_end(struct z_transit *t);
/* The record of a busy page in [addr, addr + size), or NULL. */
struct z_transit *z_transit_find(const void *addr, size_t size);
/* Block the calling thread until t ends (interrupts locked; still locked on
 * return). A waiter better than the thread moving the page lends it its
 * priority until the transfer ends (no inversion behind the paging thread).
 */
void z_transit_wait(struct z_transit *t);
/* Whether the caller can sleep on I/O: a thread that may block, interrupts
 * enabled at the call (irq_was_enabled).
 */
bool z_transit_may_sleep(bool irq_was_enabled);
/* Whether the current thread holds the scheduler lock. */
bool z_transit_sched_locked(void);
/* Switch to a better thread made ready meanwhile (or end the current one,
 * aborted during a transfer of its own); release key.
 */
void z_transit_reschedule(unsigned int key);

#else

static inline void z_transit_begin(struct z_transit *t, void *va, bool out)
{
	t->va = va;
	t->out = out;
}
static inline void z_transit_end(struct z_transit *t)
{
	ARG_UNUSED(t);
}
static inline struct z_transit *z_transit_find(const void *addr, size_t size)
{
	ARG_UNUSED(addr);
	ARG_UNUSED(size);
	return NULL;
}
static inline void z_transit_wait(struct z_transit *t)
{
	ARG_UNUSED(t);
}
static inline bool z_transit_may_sleep(bool irq_was_enabled)
{
	ARG_UNUSED(irq_was_enabled);
	return false;
}
static inline bool z_transit_sched_locked(void)
{
	return false;
}
static inline void z_transit_reschedule(unsigned int key)
{
	irq_unlock(key);
}

#endif /* CONFIG_DEMAND_PAGING_SLEEP */

#endif /* PAGODA_KERNEL_MM_PAGING_TRANSIT_H */
