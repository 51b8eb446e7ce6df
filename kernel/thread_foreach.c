/* SPDX-License-Identifier: Apache-2.0 */
/* k_thread_foreach() and k_thread_foreach_unlocked() over the live threads (thread.c). */
#include <ksched.h>

#ifdef CONFIG_THREAD_MONITOR
/* A NULL callback is refused with a message (the reference asserts). */
static bool cb_given(const char *fn, k_thread_user_cb_t user_cb)
{
	if (user_cb == NULL) {
		printk("%s: NULL callback\n", fn);
	}
	return user_cb != NULL;
}

void k_thread_foreach(k_thread_user_cb_t user_cb, void *user_data)
{
	sys_dnode_t *node;

	if (!cb_given(__func__, user_cb)) {
		return;
	}

	unsigned int key = irq_lock();

	SYS_DLIST_FOR_EACH_NODE (z_thread_live_list(), node) {
		user_cb(CONTAINER_OF(node, struct k_thread, reap_node), user_data);
	}
	irq_unlock(key);
}

void k_thread_foreach_unlocked(k_thread_user_cb_t user_cb, void *user_data)
{
	if (!cb_given(__func__, user_cb)) {
		return;
	}

	sys_dlist_t *list = z_thread_live_list();
	unsigned int key = irq_lock();

	/* The next node is read after the callback, under the lock, so threads
	 * created or ended meanwhile leave the walk consistent; but if the one
	 * just visited ended, its node is no longer on the list and the walk
	 * stops there (the reference leaves that case undefined).
	 */
	for (sys_dnode_t *node = sys_dlist_peek_head(list); node != NULL;
	     node = sys_dlist_peek_next(list, node)) {
		struct k_thread *t = CONTAINER_OF(node, struct k_thread, reap_node);

		irq_unlock(key);
		user_cb(t, user_data);
		key = irq_lock();
		if ((t->base.thread_state & _THREAD_DEAD) != 0U) {
			break;
		}
	}
	irq_unlock(key);
}
#endif
