/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference RTOS's spinlocks (<zephyr/spinlock.h>). Pagoda runs on one
 * CPU, where a spinlock is exactly the interrupt lock: nothing spins.
 */
#ifndef PAGODA_INCLUDE_SPINLOCK_H
#define PAGODA_INCLUDE_SPINLOCK_H

#include <kernel.h>

struct k_spinlock {
	char unused; /* one CPU: the lock is the interrupt flag */
};

typedef struct {
	unsigned int key;
} k_spinlock_key_t;

static inline k_spinlock_key_t k_spin_lock(struct k_spinlock *l)
{
	ARG_UNUSED(l);
	return (k_spinlock_key_t){.key = irq_lock()};
}

static inline void k_spin_unlock(struct k_spinlock *l, k_spinlock_key_t key)
{
	ARG_UNUSED(l);
	irq_unlock(key.key);
}

static inline int k_spin_trylock(struct k_spinlock *l, k_spinlock_key_t *k)
{
	*k = k_spin_lock(l);
	return 0;
}

#endif /* PAGODA_INCLUDE_SPINLOCK_H */
