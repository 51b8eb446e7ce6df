/* SPDX-License-Identifier: Apache-2.0 */
/* Doubly-linked list: every operation, checked against the expected order. */
#include <sys/dlist.h>
#include <ztest.h>

struct item {
	int value;
	sys_dnode_t node;
};

static struct item items[8];
static sys_dlist_t list;

static void reset(void *fixture)
{
	ARG_UNUSED(fixture);
	sys_dlist_init(&list);
	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		items[i].value = (int)i;
		sys_dnode_init(&items[i].node);
	}
}

/* The list holds exactly the item values in `want`, in order, both ways. */
static void check_order(const int *want, size_t n)
{
	size_t i = 0;
	sys_dnode_t *node;

	SYS_DLIST_FOR_EACH_NODE (&list, node) {
		zassert_true(i < n, "more nodes than expected");
		zassert_equal(CONTAINER_OF(node, struct item, node)->value, want[i], "position %zu",
			      i);
		i++;
	}
	zassert_equal(i, n, "fewer nodes than expected");
	zassert_equal(sys_dlist_len(&list), n);

	/* Backwards through prev links. */
	node = sys_dlist_peek_tail(&list);
	for (size_t j = n; j > 0; j--) {
		zassert_not_null(node);
		zassert_equal(CONTAINER_OF(node, struct item, node)->value, want[j - 1]);
		node = sys_dlist_peek_prev(&list, node);
	}
	zassert_is_null(node);
}

ZTEST(dlist, test_empty)
{
	zassert_true(sys_dlist_is_empty(&list));
	zassert_is_null(sys_dlist_peek_head(&list));
	zassert_is_null(sys_dlist_peek_tail(&list));
	zassert_is_null(sys_dlist_get(&list));
	zassert_is_null(sys_dlist_peek_next(&list, NULL));
	zassert_is_null(sys_dlist_peek_prev(&list, NULL));
	zassert_equal(sys_dlist_len(&list), 0U);
	zassert_false(sys_dlist_has_multiple_nodes(&list));
	check_order(NULL, 0);
}

ZTEST(dlist, test_static_init)
{
	static sys_dlist_t s = SYS_DLIST_STATIC_INIT(&s);

	zassert_true(sys_dlist_is_empty(&s));
	sys_dlist_append(&s, &items[0].node);
	zassert_equal_ptr(sys_dlist_peek_head(&s), &items[0].node);
	sys_dlist_remove(&items[0].node);
	zassert_true(sys_dlist_is_empty(&s));
}

ZTEST(dlist, test_append_prepend)
{
	sys_dlist_append(&list, &items[1].node);
	zassert_false(sys_dlist_has_multiple_nodes(&list));
	sys_dlist_append(&list, &items[2].node);
	sys_dlist_prepend(&list, &items[0].node);
	zassert_true(sys_dlist_has_multiple_nodes(&list));
	check_order((const int[]){0, 1, 2}, 3);

	zassert_true(sys_dlist_is_head(&list, &items[0].node));
	zassert_true(sys_dlist_is_tail(&list, &items[2].node));
	zassert_false(sys_dlist_is_head(&list, &items[1].node));
	zassert_equal_ptr(sys_dlist_peek_head_not_empty(&list), &items[0].node);
	zassert_equal_ptr(sys_dlist_peek_next_no_check(&list, &items[0].node), &items[1].node);
	zassert_is_null(sys_dlist_peek_next(&list, &items[2].node));
	zassert_is_null(sys_dlist_peek_prev(&list, &items[0].node));
	zassert_equal_ptr(sys_dlist_peek_prev_no_check(&list, &items[2].node), &items[1].node);
}

ZTEST(dlist, test_remove_and_linked)
{
	for (int i = 0; i < 4; i++) {
		zassert_false(sys_dnode_is_linked(&items[i].node));
		sys_dlist_append(&list, &items[i].node);
		zassert_true(sys_dnode_is_linked(&items[i].node));
	}
	sys_dlist_remove(&items[2].node); /* middle */
	zassert_false(sys_dnode_is_linked(&items[2].node));
	check_order((const int[]){0, 1, 3}, 3);
	sys_dlist_remove(&items[0].node); /* head */
	check_order((const int[]){1, 3}, 2);
	sys_dlist_remove(&items[3].node); /* tail */
	check_order((const int[]){1}, 1);
	sys_dlist_remove(&items[1].node); /* only */
	zassert_true(sys_dlist_is_empty(&list));
}

ZTEST(dlist, test_get)
{
	for (int i = 0; i < 3; i++) {
		sys_dlist_append(&list, &items[i].node);
	}
	for (int i = 0; i < 3; i++) {
		sys_dnode_t *n = sys_dlist_get(&list);

		zassert_equal_ptr(n, &items[i].node);
		zassert_false(sys_dnode_is_linked(n));
	}
	zassert_is_null(sys_dlist_get(&list));
}

ZTEST(dlist, test_insert)
{
	sys_dlist_append(&list, &items[1].node);
	sys_dlist_append(&list, &items[3].node);
	sys_dlist_insert(&items[3].node, &items[2].node); /* middle */
	sys_dlist_insert(&items[1].node, &items[0].node); /* before head */
	check_order((const int[]){0, 1, 2, 3}, 4);
	zassert_true(sys_dlist_is_head(&list, &items[0].node));
}

static int greater_than(sys_dnode_t *node, void *data)
{
	return CONTAINER_OF(node, struct item, node)->value > *(int *)data;
}

ZTEST(dlist, test_insert_at)
{
	/* Keeps the list sorted: insert before the first larger element. */
	static const int order[] = {5, 2, 7, 0, 3};

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		struct item *it = &items[order[i]];

		sys_dlist_insert_at(&list, &it->node, greater_than, &it->value);
	}
	check_order((const int[]){0, 2, 3, 5, 7}, 5);
}

ZTEST(dlist, test_iterate_safe_and_from)
{
	sys_dnode_t *node;
	sys_dnode_t *next;

	for (int i = 0; i < 6; i++) {
		sys_dlist_append(&list, &items[i].node);
	}
	/* Remove the odd values while iterating. */
	SYS_DLIST_FOR_EACH_NODE_SAFE (&list, node, next) {
		if (CONTAINER_OF(node, struct item, node)->value % 2 != 0) {
			sys_dlist_remove(node);
		}
	}
	check_order((const int[]){0, 2, 4}, 3);

	int seen = 0;

	node = &items[0].node;
	SYS_DLIST_ITERATE_FROM_NODE(&list, node)
	{
		seen = seen * 10 + CONTAINER_OF(node, struct item, node)->value;
	}
	zassert_equal(seen, 24, "continues after the given node");

	seen = 0;
	node = NULL;
	SYS_DLIST_ITERATE_FROM_NODE(&list, node)
	{
		seen++;
	}
	zassert_equal(seen, 3, "NULL starts at the head");
}

ZTEST(dlist, test_containers)
{
	struct item *it;
	struct item *next;
	int sum = 0;

	zassert_is_null(SYS_DLIST_PEEK_HEAD_CONTAINER(&list, it, node));
	SYS_DLIST_FOR_EACH_CONTAINER (&list, it, node) {
		zassert_unreachable("empty list");
	}
	for (int i = 1; i <= 4; i++) {
		sys_dlist_append(&list, &items[i].node);
	}
	zassert_equal_ptr(SYS_DLIST_PEEK_HEAD_CONTAINER(&list, it, node), &items[1]);
	it = &items[4];
	zassert_is_null(SYS_DLIST_PEEK_NEXT_CONTAINER(&list, it, node));
	SYS_DLIST_FOR_EACH_CONTAINER (&list, it, node) {
		sum += it->value;
	}
	zassert_equal(sum, 10);

	SYS_DLIST_FOR_EACH_CONTAINER_SAFE (&list, it, next, node) {
		sys_dlist_remove(&it->node);
	}
	zassert_true(sys_dlist_is_empty(&list));
}

ZTEST(dlist, test_many)
{
	static struct item many[1000];

	for (size_t i = 0; i < ARRAY_SIZE(many); i++) {
		many[i].value = (int)i;
		if (i % 2 == 0) {
			sys_dlist_append(&list, &many[i].node);
		} else {
			sys_dlist_prepend(&list, &many[i].node);
		}
	}
	zassert_equal(sys_dlist_len(&list), ARRAY_SIZE(many));
	/* Prepended odds in descending order, then evens ascending. */
	zassert_equal(SYS_DLIST_CONTAINER(sys_dlist_peek_head(&list), &many[0], node)->value, 999);
	zassert_equal(SYS_DLIST_CONTAINER(sys_dlist_peek_tail(&list), &many[0], node)->value, 998);
	while (sys_dlist_get(&list) != NULL) {
	}
	zassert_true(sys_dlist_is_empty(&list));
}

ZTEST_SUITE(dlist, NULL, NULL, reset, NULL, NULL);
