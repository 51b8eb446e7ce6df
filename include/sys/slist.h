/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: intrusive singly-linked list with head and tail pointers.
 *
 * Prepend, append, get (from the head) and removal with a known predecessor
 * are O(1); finding a node is O(n). No allocation. Not thread safe: callers
 * lock. An empty list has NULL head and tail; the last node's next is NULL.
 */
#ifndef PAGODA_INCLUDE_SYS_SLIST_H_
#define PAGODA_INCLUDE_SYS_SLIST_H_

#include <stdbool.h>
#include <stddef.h>
#include <sys/util.h>

struct _snode {
	struct _snode *next;
};
typedef struct _snode sys_snode_t;

struct _slist {
	sys_snode_t *head;
	sys_snode_t *tail;
};
typedef struct _slist sys_slist_t;

#define SYS_SLIST_STATIC_INIT(ptr_to_list)                                                         \
	{                                                                                          \
		NULL, NULL                                                                         \
	}

static inline void sys_slist_init(sys_slist_t *list)
{
	list->head = NULL;
	list->tail = NULL;
}

static inline bool sys_slist_is_empty(const sys_slist_t *list)
{
	return list->head == NULL;
}

static inline sys_snode_t *sys_slist_peek_head(sys_slist_t *list)
{
	return list->head;
}

static inline sys_snode_t *sys_slist_peek_tail(sys_slist_t *list)
{
	return list->tail;
}

static inline sys_snode_t *sys_slist_peek_next_no_check(sys_snode_t *node)
{
	return node->next;
}

/* Node after node, NULL at the end or when node is NULL. */
static inline sys_snode_t *sys_slist_peek_next(sys_snode_t *node)
{
	return (node != NULL) ? node->next : NULL;
}

static inline void sys_slist_prepend(sys_slist_t *list, sys_snode_t *node)
{
	node->next = list->head;
	list->head = node;
	if (list->tail == NULL) {
		list->tail = node;
	}
}

static inline void sys_slist_append(sys_slist_t *list, sys_snode_t *node)
{
	node->next = NULL;
	if (list->tail == NULL) {
		list->head = node;
	} else {
		list->tail->next = node;
	}
	list->tail = node;
}

/*
 * Append the chain head..tail (already linked through next) to list.
 * Both must be non-NULL, or both NULL to do nothing.
 */
static inline void sys_slist_append_list(sys_slist_t *list, void *head, void *tail)
{
	if (head == NULL || tail == NULL) {
		return;
	}
	if (list->tail == NULL) {
		list->head = (sys_snode_t *)head;
	} else {
		list->tail->next = (sys_snode_t *)head;
	}
	list->tail = (sys_snode_t *)tail;
	list->tail->next = NULL;
}

/* Move every node of list_to_append to the end of list; it ends up empty. */
static inline void sys_slist_merge_slist(sys_slist_t *list, sys_slist_t *list_to_append)
{
	sys_slist_append_list(list, list_to_append->head, list_to_append->tail);
	sys_slist_init(list_to_append);
}

/* Insert node after prev; prev NULL means at the head. */
static inline void sys_slist_insert(sys_slist_t *list, sys_snode_t *prev, sys_snode_t *node)
{
	if (prev == NULL) {
		sys_slist_prepend(list, node);
		return;
	}
	node->next = prev->next;
	prev->next = node;
	if (list->tail == prev) {
		list->tail = node;
	}
}

/* Remove and return the head; the list must not be empty. */
static inline sys_snode_t *sys_slist_get_not_empty(sys_slist_t *list)
{
	sys_snode_t *node = list->head;

	list->head = node->next;
	if (list->tail == node) {
		list->tail = NULL;
	}
	node->next = NULL;
	return node;
}

/* Remove and return the head, or NULL if the list is empty. */
static inline sys_snode_t *sys_slist_get(sys_slist_t *list)
{
	return sys_slist_is_empty(list) ? NULL : sys_slist_get_not_empty(list);
}

/* Remove node, whose predecessor is prev_node (NULL if node is the head). */
static inline void sys_slist_remove(sys_slist_t *list, sys_snode_t *prev_node, sys_snode_t *node)
{
	if (prev_node == NULL) {
		list->head = node->next;
		if (list->tail == node) {
			list->tail = list->head;
		}
	} else {
		prev_node->next = node->next;
		if (list->tail == node) {
			list->tail = prev_node;
		}
	}
	node->next = NULL;
}

/*
 * Look node up; if found, store its predecessor (NULL for the head) in *prev
 * when prev is not NULL and return true. O(n).
 */
static inline bool sys_slist_find(sys_slist_t *list, sys_snode_t *node, sys_snode_t **prev)
{
	sys_snode_t *before = NULL;

	for (sys_snode_t *cur = list->head; cur != NULL; cur = cur->next) {
		if (cur == node) {
			if (prev != NULL) {
				*prev = before;
			}
			return true;
		}
		before = cur;
	}
	if (prev != NULL) {
		*prev = NULL;
	}
	return false;
}

/* Remove node if it is on list; returns whether it was. O(n). */
static inline bool sys_slist_find_and_remove(sys_slist_t *list, sys_snode_t *node)
{
	sys_snode_t *prev;

	if (!sys_slist_find(list, node, &prev)) {
		return false;
	}
	sys_slist_remove(list, prev, node);
	return true;
}

static inline size_t sys_slist_len(sys_slist_t *list)
{
	size_t len = 0;

	for (sys_snode_t *n = list->head; n != NULL; n = n->next) {
		len++;
	}
	return len;
}

/* Iterate over nodes; the body must not remove __sn (use the _SAFE form). */
#define SYS_SLIST_FOR_EACH_NODE(__sl, __sn)                                                        \
	for (__sn = sys_slist_peek_head(__sl); __sn != NULL; __sn = sys_slist_peek_next(__sn))

/* Continue after __sn (from the head if __sn is NULL). */
#define SYS_SLIST_ITERATE_FROM_NODE(__sl, __sn)                                                    \
	for (__sn = ((__sn) != NULL) ? sys_slist_peek_next(__sn) : sys_slist_peek_head(__sl);      \
	     __sn != NULL; __sn = sys_slist_peek_next(__sn))

/* Iterate over nodes; the body may remove __sn. */
#define SYS_SLIST_FOR_EACH_NODE_SAFE(__sl, __sn, __sns)                                            \
	for (__sn = sys_slist_peek_head(__sl), __sns = sys_slist_peek_next(__sn); __sn != NULL;    \
	     __sn = __sns, __sns = sys_slist_peek_next(__sn))

/* Container of node __ln (NULL stays NULL); __cn only gives the type. */
#define SYS_SLIST_CONTAINER(__ln, __cn, __n)                                                       \
	(((__ln) != NULL) ? CONTAINER_OF(__ln, __typeof__(*(__cn)), __n) : NULL)

#define SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n)                                             \
	SYS_SLIST_CONTAINER(sys_slist_peek_head(__sl), __cn, __n)

#define SYS_SLIST_PEEK_TAIL_CONTAINER(__sl, __cn, __n)                                             \
	SYS_SLIST_CONTAINER(sys_slist_peek_tail(__sl), __cn, __n)

#define SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n)                                                   \
	(((__cn) != NULL) ? SYS_SLIST_CONTAINER(sys_slist_peek_next(&((__cn)->__n)), __cn, __n)    \
			  : NULL)

/* Iterate over containers; the body must not remove __cn. */
#define SYS_SLIST_FOR_EACH_CONTAINER(__sl, __cn, __n)                                              \
	for (__cn = SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n); __cn != NULL;                  \
	     __cn = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n))

/* Iterate over containers; the body may remove __cn. */
#define SYS_SLIST_FOR_EACH_CONTAINER_SAFE(__sl, __cn, __cns, __n)                                  \
	for (__cn = SYS_SLIST_PEEK_HEAD_CONTAINER(__sl, __cn, __n),                                \
	    __cns = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n);                                      \
	     __cn != NULL; __cn = __cns, __cns = SYS_SLIST_PEEK_NEXT_CONTAINER(__cn, __n))

#endif /* PAGODA_INCLUDE_SYS_SLIST_H_ */
