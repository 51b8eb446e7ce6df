/* SPDX-License-Identifier: Apache-2.0 */
/* Singly-linked list: every operation, with head and tail kept right. */
#include <sys/slist.h>
#include <ztest.h>

struct item {
	int value;
	sys_snode_t node;
};

static struct item items[8];
static sys_slist_t list;

static void reset(void *fixture)
{
	ARG_UNUSED(fixture);
	sys_slist_init(&list);
	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		items[i].value = (int)i;
		items[i].node.next = NULL;
	}
}

static void check_order(sys_slist_t *l, const int *want, size_t n)
{
	size_t i = 0;
	sys_snode_t *node;

	SYS_SLIST_FOR_EACH_NODE (l, node) {
		zassert_true(i < n, "more nodes than expected");
		zassert_equal(CONTAINER_OF(node, struct item, node)->value, want[i], "position %zu",
			      i);
		i++;
	}
	zassert_equal(i, n, "fewer nodes than expected");
	zassert_equal(sys_slist_len(l), n);
	if (n == 0) {
		zassert_is_null(sys_slist_peek_head(l));
		zassert_is_null(sys_slist_peek_tail(l));
		zassert_true(sys_slist_is_empty(l));
	} else {
		zassert_equal(CONTAINER_OF(sys_slist_peek_tail(l), struct item, node)->value,
			      want[n - 1], "tail");
		zassert_is_null(sys_slist_peek_tail(l)->next, "tail terminates");
	}
}

ZTEST(slist, test_empty)
{
	zassert_true(sys_slist_is_empty(&list));
	zassert_is_null(sys_slist_get(&list));
	zassert_is_null(sys_slist_peek_next(NULL));
	check_order(&list, NULL, 0);

	static sys_slist_t s = SYS_SLIST_STATIC_INIT(&s);

	zassert_true(sys_slist_is_empty(&s));
}

ZTEST(slist, test_append_prepend_get)
{
	sys_slist_append(&list, &items[1].node);
	sys_slist_prepend(&list, &items[0].node);
	sys_slist_append(&list, &items[2].node);
	check_order(&list, (const int[]){0, 1, 2}, 3);
	zassert_equal_ptr(sys_slist_peek_next_no_check(&items[0].node), &items[1].node);

	zassert_equal_ptr(sys_slist_get(&list), &items[0].node);
	zassert_equal_ptr(sys_slist_get_not_empty(&list), &items[1].node);
	check_order(&list, (const int[]){2}, 1);
	zassert_equal_ptr(sys_slist_get(&list), &items[2].node);
	check_order(&list, NULL, 0);

	/* Prepend into an empty list sets the tail too. */
	sys_slist_prepend(&list, &items[3].node);
	check_order(&list, (const int[]){3}, 1);
}

ZTEST(slist, test_insert)
{
	sys_slist_insert(&list, NULL, &items[1].node);           /* empty: becomes head */
	sys_slist_insert(&list, &items[1].node, &items[3].node); /* after tail */
	sys_slist_insert(&list, &items[1].node, &items[2].node); /* middle */
	sys_slist_insert(&list, NULL, &items[0].node);           /* new head */
	check_order(&list, (const int[]){0, 1, 2, 3}, 4);
}

ZTEST(slist, test_remove)
{
	for (int i = 0; i < 4; i++) {
		sys_slist_append(&list, &items[i].node);
	}
	sys_slist_remove(&list, &items[1].node, &items[2].node); /* middle */
	check_order(&list, (const int[]){0, 1, 3}, 3);
	sys_slist_remove(&list, &items[1].node, &items[3].node); /* tail */
	check_order(&list, (const int[]){0, 1}, 2);
	sys_slist_remove(&list, NULL, &items[0].node); /* head */
	check_order(&list, (const int[]){1}, 1);
	sys_slist_remove(&list, NULL, &items[1].node); /* only */
	check_order(&list, NULL, 0);
}

ZTEST(slist, test_find_and_remove)
{
	sys_snode_t *prev = &items[7].node;

	for (int i = 0; i < 4; i++) {
		sys_slist_append(&list, &items[i].node);
	}
	zassert_true(sys_slist_find(&list, &items[2].node, &prev));
	zassert_equal_ptr(prev, &items[1].node);
	zassert_true(sys_slist_find(&list, &items[0].node, &prev));
	zassert_is_null(prev, "the head has no predecessor");
	zassert_false(sys_slist_find(&list, &items[5].node, &prev));
	zassert_true(sys_slist_find(&list, &items[3].node, NULL));

	zassert_false(sys_slist_find_and_remove(&list, &items[6].node));
	check_order(&list, (const int[]){0, 1, 2, 3}, 4);
	zassert_true(sys_slist_find_and_remove(&list, &items[3].node));
	check_order(&list, (const int[]){0, 1, 2}, 3);
	zassert_true(sys_slist_find_and_remove(&list, &items[0].node));
	check_order(&list, (const int[]){1, 2}, 2);
	zassert_false(sys_slist_find_and_remove(&list, &items[0].node), "already gone");
}

ZTEST(slist, test_merge_and_append_list)
{
	sys_slist_t other;

	sys_slist_init(&other);
	sys_slist_append(&list, &items[0].node);
	sys_slist_append(&other, &items[1].node);
	sys_slist_append(&other, &items[2].node);
	sys_slist_merge_slist(&list, &other);
	check_order(&list, (const int[]){0, 1, 2}, 3);
	check_order(&other, NULL, 0);

	sys_slist_merge_slist(&list, &other); /* merging an empty list */
	check_order(&list, (const int[]){0, 1, 2}, 3);

	/* A pre-linked chain 3 -> 4. */
	items[3].node.next = &items[4].node;
	sys_slist_append_list(&list, &items[3].node, &items[4].node);
	check_order(&list, (const int[]){0, 1, 2, 3, 4}, 5);

	sys_slist_t empty;

	sys_slist_init(&empty);
	items[5].node.next = &items[6].node;
	sys_slist_append_list(&empty, &items[5].node, &items[6].node);
	check_order(&empty, (const int[]){5, 6}, 2);
}

ZTEST(slist, test_iterate_safe_and_containers)
{
	struct item *it;
	struct item *next;
	sys_snode_t *node;
	sys_snode_t *node_next;
	int sum = 0;

	SYS_SLIST_FOR_EACH_CONTAINER (&list, it, node) {
		zassert_unreachable("empty list");
	}
	for (int i = 0; i < 6; i++) {
		sys_slist_append(&list, &items[i].node);
	}
	SYS_SLIST_FOR_EACH_CONTAINER (&list, it, node) {
		sum += it->value;
	}
	zassert_equal(sum, 15);
	zassert_equal_ptr(SYS_SLIST_PEEK_HEAD_CONTAINER(&list, it, node), &items[0]);
	zassert_equal_ptr(SYS_SLIST_PEEK_TAIL_CONTAINER(&list, it, node), &items[5]);
	it = &items[5];
	zassert_is_null(SYS_SLIST_PEEK_NEXT_CONTAINER(it, node));

	/* Remove the odd values while iterating. */
	sys_snode_t *prev = NULL;

	SYS_SLIST_FOR_EACH_NODE_SAFE (&list, node, node_next) {
		if (CONTAINER_OF(node, struct item, node)->value % 2 != 0) {
			sys_slist_remove(&list, prev, node);
		} else {
			prev = node;
		}
	}
	check_order(&list, (const int[]){0, 2, 4}, 3);

	int seen = 0;

	node = &items[0].node;
	SYS_SLIST_ITERATE_FROM_NODE(&list, node)
	{
		seen = seen * 10 + CONTAINER_OF(node, struct item, node)->value;
	}
	zassert_equal(seen, 24);

	SYS_SLIST_FOR_EACH_CONTAINER_SAFE (&list, it, next, node) {
		zassert_true(sys_slist_find_and_remove(&list, &it->node));
	}
	check_order(&list, NULL, 0);
}

ZTEST_SUITE(slist, NULL, NULL, reset, NULL, NULL);
