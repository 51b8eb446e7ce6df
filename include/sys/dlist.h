/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: intrusive doubly-linked circular list.
 *
 * A list is a sentinel node whose head/tail point at the first/last element
 * (or at the list itself when empty); an element embeds a sys_dnode_t. Every
 * operation is O(1) except sys_dlist_len() and sys_dlist_insert_at(), and
 * none allocates. Not thread safe: callers lock.
 *
 * A node that is on no list has NULL links (sys_dnode_init(), and
 * sys_dlist_remove() leaves it so); sys_dnode_is_linked() tests that.
 */
#ifndef PAGODA_INCLUDE_SYS_DLIST_H_
#define PAGODA_INCLUDE_SYS_DLIST_H_

#include <stdbool.h>
#include <stddef.h>
#include <sys/util.h>

struct _dnode {
	union {
		struct _dnode *head; /* list: first element */
		struct _dnode *next; /* node: following element */
	};
	union {
		struct _dnode *tail; /* list: last element */
		struct _dnode *prev; /* node: preceding element */
	};
};

typedef struct _dnode sys_dlist_t;
typedef struct _dnode sys_dnode_t;

/* Static initialiser: sys_dlist_t l = SYS_DLIST_STATIC_INIT(&l); */
#define SYS_DLIST_STATIC_INIT(ptr_to_list)                                                         \
	{                                                                                          \
		{(ptr_to_list)},                                                                   \
		{                                                                                  \
			(ptr_to_list)                                                              \
		}                                                                                  \
	}

static inline void sys_dlist_init(sys_dlist_t *list)
{
	list->head = list;
	list->tail = list;
}

static inline void sys_dnode_init(sys_dnode_t *node)
{
	node->next = NULL;
	node->prev = NULL;
}

static inline bool sys_dnode_is_linked(const sys_dnode_t *node)
{
	return node->next != NULL;
}

static inline bool sys_dlist_is_head(const sys_dlist_t *list, const sys_dnode_t *node)
{
	return list->head == node;
}

static inline bool sys_dlist_is_tail(const sys_dlist_t *list, const sys_dnode_t *node)
{
	return list->tail == node;
}

static inline bool sys_dlist_is_empty(const sys_dlist_t *list)
{
	return list->head == list;
}

static inline bool sys_dlist_has_multiple_nodes(const sys_dlist_t *list)
{
	return list->head != list->tail;
}

static inline sys_dnode_t *sys_dlist_peek_head(sys_dlist_t *list)
{
	return sys_dlist_is_empty(list) ? NULL : list->head;
}

static inline sys_dnode_t *sys_dlist_peek_head_not_empty(sys_dlist_t *list)
{
	return list->head;
}

static inline sys_dnode_t *sys_dlist_peek_tail(sys_dlist_t *list)
{
	return sys_dlist_is_empty(list) ? NULL : list->tail;
}

/* Element after node, NULL at the end; node must be on list. */
static inline sys_dnode_t *sys_dlist_peek_next_no_check(sys_dlist_t *list, sys_dnode_t *node)
{
	return (node == list->tail) ? NULL : node->next;
}

/* Same, but node may be NULL (then the answer is NULL). */
static inline sys_dnode_t *sys_dlist_peek_next(sys_dlist_t *list, sys_dnode_t *node)
{
	return (node != NULL) ? sys_dlist_peek_next_no_check(list, node) : NULL;
}

static inline sys_dnode_t *sys_dlist_peek_prev_no_check(sys_dlist_t *list, sys_dnode_t *node)
{
	return (node == list->head) ? NULL : node->prev;
}

static inline sys_dnode_t *sys_dlist_peek_prev(sys_dlist_t *list, sys_dnode_t *node)
{
	return (node != NULL) ? sys_dlist_peek_prev_no_check(list, node) : NULL;
}

static inline void sys_dlist_append(sys_dlist_t *list, sys_dnode_t *node)
{
	sys_dnode_t *const last = list->tail;

	node->next = list;
	node->prev = last;
	last->next = node;
	list->tail = node;
}

static inline void sys_dlist_prepend(sys_dlist_t *list, sys_dnode_t *node)
{
	sys_dnode_t *const first = list->head;

	node->next = first;
	node->prev = list;
	first->prev = node;
	list->head = node;
}

/* Insert node just before successor, which is on a list. */
static inline void sys_dlist_insert(sys_dnode_t *successor, sys_dnode_t *node)
{
	sys_dnode_t *const before = successor->prev;

	node->prev = before;
	node->next = successor;
	before->next = node;
	successor->prev = node;
}

/*
 * Insert node before the first element for which cond(element, data) is
 * true, or at the end if there is none. O(n).
 */
static inline void sys_dlist_insert_at(sys_dlist_t *list, sys_dnode_t *node,
				       int (*cond)(sys_dnode_t *, void *), void *data)
{
	sys_dnode_t *pos = sys_dlist_peek_head(list);

	while (pos != NULL && cond(pos, data) == 0) {
		pos = sys_dlist_peek_next_no_check(list, pos);
	}
	if (pos == NULL) {
		sys_dlist_append(list, node);
	} else {
		sys_dlist_insert(pos, node);
	}
}

/* Unlink node from whatever list it is on and mark it unlinked. */
static inline void sys_dlist_remove(sys_dnode_t *node)
{
	sys_dnode_t *const before = node->prev;
	sys_dnode_t *const after = node->next;

	before->next = after;
	after->prev = before;
	sys_dnode_init(node);
}

/* Remove and return the first element, or NULL if the list is empty. */
static inline sys_dnode_t *sys_dlist_get(sys_dlist_t *list)
{
	sys_dnode_t *node = NULL;

	if (!sys_dlist_is_empty(list)) {
		node = list->head;
		sys_dlist_remove(node);
	}
	return node;
}

static inline size_t sys_dlist_len(sys_dlist_t *list)
{
	size_t len = 0;

	for (sys_dnode_t *n = list->head; n != list; n = n->next) {
		len++;
	}
	return len;
}

/* Iterate over nodes; the body must not remove __dn (use the _SAFE form). */
#define SYS_DLIST_FOR_EACH_NODE(__dl, __dn)                                                        \
	for (__dn = sys_dlist_peek_head(__dl); __dn != NULL; __dn = sys_dlist_peek_next(__dl, __dn))

/* Continue from __dn (from the head if __dn is NULL), __dn excluded. */
#define SYS_DLIST_ITERATE_FROM_NODE(__dl, __dn)                                                    \
	for (__dn = ((__dn) != NULL) ? sys_dlist_peek_next(__dl, __dn)                             \
				     : sys_dlist_peek_head(__dl);                                  \
	     __dn != NULL; __dn = sys_dlist_peek_next(__dl, __dn))

/* Iterate over nodes; the body may remove __dn. */
#define SYS_DLIST_FOR_EACH_NODE_SAFE(__dl, __dn, __dns)                                            \
	for (__dn = sys_dlist_peek_head(__dl), __dns = sys_dlist_peek_next(__dl, __dn);            \
	     __dn != NULL; __dn = __dns, __dns = sys_dlist_peek_next(__dl, __dn))

/* Container of node __dn (NULL stays NULL); __cn only gives the type. */
#define SYS_DLIST_CONTAINER(__dn, __cn, __n)                                                       \
	(((__dn) != NULL) ? CONTAINER_OF(__dn, __typeof__(*(__cn)), __n) : NULL)

#define SYS_DLIST_PEEK_HEAD_CONTAINER(__dl, __cn, __n)                                             \
	SYS_DLIST_CONTAINER(sys_dlist_peek_head(__dl), __cn, __n)

#define SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n)                                             \
	(((__cn) != NULL)                                                                          \
		 ? SYS_DLIST_CONTAINER(sys_dlist_peek_next(__dl, &((__cn)->__n)), __cn, __n)       \
		 : NULL)

/* Iterate over containers; the body must not remove __cn. */
#define SYS_DLIST_FOR_EACH_CONTAINER(__dl, __cn, __n)                                              \
	for (__cn = SYS_DLIST_PEEK_HEAD_CONTAINER(__dl, __cn, __n); __cn != NULL;                  \
	     __cn = SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n))

/* Iterate over containers; the body may remove __cn. */
#define SYS_DLIST_FOR_EACH_CONTAINER_SAFE(__dl, __cn, __cns, __n)                                  \
	for (__cn = SYS_DLIST_PEEK_HEAD_CONTAINER(__dl, __cn, __n),                                \
	    __cns = SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n);                                \
	     __cn != NULL; __cn = __cns, __cns = SYS_DLIST_PEEK_NEXT_CONTAINER(__dl, __cn, __n))

#endif /* PAGODA_INCLUDE_SYS_DLIST_H_ */
