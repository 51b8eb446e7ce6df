/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory domains (CONFIG_USERSPACE): user threads see their own domain's
 * partitions and nothing of another's; adding, removing and moving take
 * effect at once; every misuse of the API is an error that changes
 * nothing; K_MEM_PERM_USER maps are for every domain; with demand paging,
 * paged-out user memory works under system calls and user accesses; two
 * domains' threads alternate under time slicing with their data intact;
 * ZTEST_USER cases use ZTEST_BMEM/ZTEST_DMEM globals.
 *
 * Each fault case runs the bad access in a user thread of its own; the
 * suite's k_sys_fatal_error_handler() records the reason and the thread
 * and returns, so the kernel ends only that thread.
 */
#include <app_memory/app_memdomain.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <string.h>
#include <ztest.h>

#define PAGE              CONFIG_MMU_PAGE_SIZE
#define STACK_SIZE        8192
#define NO_FAULT          0xffffffffU
#define USER_PRIO         K_PRIO_PREEMPT(1)
#define WORDS             (PAGE / sizeof(uint32_t))
#define HAS_XD            (IS_ENABLED(CONFIG_X86_64) || IS_ENABLED(CONFIG_X86_PAE))
/* Copy a string literal, its terminator included. */
#define STR_PUT(dst, lit) memcpy((void *)(dst), (lit), sizeof(lit))

K_APPMEM_PARTITION_DEFINE(part_a);
K_APPMEM_PARTITION_DEFINE(part_b);
K_APPMEM_PARTITION_DEFINE(part_ro);

/* One page each: the partitions are exactly these arrays' pages. */
K_APP_BMEM(part_a) static volatile uint32_t a_data[WORDS];
K_APP_DMEM(part_b) static volatile uint32_t b_data[WORDS] = {0xb0b0b0b0};
K_APP_DMEM(part_ro) static volatile uint32_t ro_data[WORDS] = {0x5a5a5a5a};
/* K_APP_BMEM with a value is zeroed at boot all the same, as in the reference. */
K_APPMEM_PARTITION_DEFINE(part_z);
K_APP_DMEM(part_z) static volatile uint32_t z_data = 0x600d;
K_APP_BMEM(part_z) static volatile uint32_t z_bss = 0x2bad;

static struct k_mem_domain dom_a, dom_b, dom_ro;

K_THREAD_STACK_DEFINE(user_stack, STACK_SIZE);
K_THREAD_STACK_DEFINE(user_stack2, STACK_SIZE);
static struct k_thread user_thread;
static struct k_thread user_thread2;

static struct k_sem sem_ok; /* the user side's "my checks passed" */
static struct k_sem sem_go; /* the test's "go on" */

static volatile unsigned int fault_reason[2];

static int thread_slot(const struct k_thread *t)
{
	return t == &user_thread ? 0 : (t == &user_thread2 ? 1 : -1);
}

void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	int slot = thread_slot(k_current_get());

	ARG_UNUSED(esf);
	if (slot < 0) {
		printk("fatal error %u outside the user threads\n", reason);
		if (!z_ztest_fatal_error_unexpected(reason)) {
			k_fatal_halt(reason);
		}
		return;
	}
	fault_reason[slot] = reason;
	/* Returning: the kernel aborts only the faulting thread. */
}

/* Create a user thread of domain d running fn(p1, p2, p3), not started yet. */
static void user_create(struct k_thread *t, k_thread_stack_t *stack, struct k_mem_domain *d,
			k_thread_entry_t fn, void *p1, void *p2, void *p3)
{
	fault_reason[thread_slot(t)] = NO_FAULT;
	zassert_not_null(k_thread_create(t, stack, STACK_SIZE, fn, p1, p2, p3, USER_PRIO, K_USER,
					 K_FOREVER));
	k_object_access_grant(&sem_ok, t);
	k_object_access_grant(&sem_go, t);
	zassert_ok(k_mem_domain_add_thread(d, t));
	zassert_equal_ptr(t->mem_domain_info.mem_domain, d);
}

/* Run fn(p1, p2) in a user thread of domain d to its end: the fault reason or NO_FAULT. */
static unsigned int run_in(struct k_mem_domain *d, k_thread_entry_t fn, void *p1, void *p2)
{
	k_sem_reset(&sem_ok);
	user_create(&user_thread, user_stack, d, fn, p1, p2, NULL);
	k_thread_start(&user_thread);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	return fault_reason[0];
}

static void expect_pass(struct k_mem_domain *d, k_thread_entry_t fn, void *p1, void *p2)
{
	unsigned int got = run_in(d, fn, p1, p2);

	zassert_equal(got, NO_FAULT, "user thread faulted, reason %u", got);
	zassert_equal(k_sem_count_get(&sem_ok), 1, "the user thread's checks did not all pass");
}

static void expect_fault(struct k_mem_domain *d, k_thread_entry_t fn, void *p1, void *p2)
{
	unsigned int got = run_in(d, fn, p1, p2);

	zassert_equal(got, K_ERR_CPU_EXCEPTION, "fault reason %u, expected a CPU exception", got);
	zassert_equal(k_sem_count_get(&sem_ok), 0, "the access after the fault ran");
}

/* ---- user-side actions ------------------------------------------------------------------ */

/* p1: words to write with p2's value and read back. */
static void write_words(void *p1, void *p2, void *p3)
{
	volatile uint32_t *w = p1;

	ARG_UNUSED(p3);
	for (size_t i = 0; i < WORDS; i++) {
		w[i] = (uint32_t)(uintptr_t)p2 + (uint32_t)i;
	}
	for (size_t i = 0; i < WORDS; i++) {
		if (w[i] != (uint32_t)(uintptr_t)p2 + (uint32_t)i) {
			return;
		}
	}
	k_sem_give(&sem_ok);
}

/* p1: a word that must read as p2. */
static void read_word(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p3);
	if (*(volatile uint32_t *)p1 == (uint32_t)(uintptr_t)p2) {
		k_sem_give(&sem_ok);
	}
}

/* p1: a word to read, then (after the test says go) to read again. */
static void read_wait_read(void *p1, void *p2, void *p3)
{
	volatile uint32_t *w = p1;
	uint32_t first = *w;

	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_give(&sem_ok);
	(void)k_sem_take(&sem_go, K_FOREVER);
	if (*w == first) {
		k_sem_give(&sem_ok);
	}
}

/* ---- suite set-up --------------------------------------------------------------------------- */

static void *suite_setup(void)
{
	struct k_mem_partition *a_parts[] = {&part_a};

	k_sem_init(&sem_ok, 0, 10);
	k_sem_init(&sem_go, 0, 10);
	part_ro.attr = K_MEM_PARTITION_P_RO_U_RO;
	zassert_ok(k_mem_domain_init(&dom_a, 1, a_parts));
	zassert_ok(k_mem_domain_init(&dom_b, 0, NULL));
	zassert_ok(k_mem_domain_add_partition(&dom_b, &part_b));
	zassert_ok(k_mem_domain_init(&dom_ro, 0, NULL));
	zassert_ok(k_mem_domain_add_partition(&dom_ro, &part_ro));
	return NULL;
}

ZTEST_SUITE(mem_domain, NULL, suite_setup, NULL, NULL, NULL);

/* ---- the partitions --------------------------------------------------------------------- */

ZTEST(mem_domain, test_app_partitions_laid_out)
{
	/* One page each, page-aligned, the arrays inside. */
	zassert_equal(part_a.size, PAGE);
	zassert_equal(part_a.start % PAGE, 0);
	zassert_equal(part_a.start, (uintptr_t)a_data);
	zassert_equal(part_b.start, (uintptr_t)b_data);
	zassert_equal(part_ro.start, (uintptr_t)ro_data);
	zassert_equal(part_a.attr, K_MEM_PARTITION_P_RW_U_RW);
	/* K_APP_BMEM starts zeroed, K_APP_DMEM initialised. */
	zassert_equal(b_data[0], 0xb0b0b0b0);
	zassert_equal(ro_data[0], 0x5a5a5a5a);
	zassert_equal(z_data, 0x600d);
	zassert_equal(z_bss, 0, "a K_APP_BMEM initialiser was kept: %#x", z_bss);
	zassert_true(part_z.start <= (uintptr_t)&z_bss &&
		     (uintptr_t)&z_bss < part_z.start + part_z.size);
}

ZTEST(mem_domain, test_own_partition)
{
	expect_pass(&dom_a, write_words, (void *)a_data, (void *)0xa000);
	/* The kernel sees what the user thread wrote. */
	zassert_equal(a_data[0], 0xa000);
	zassert_equal(a_data[WORDS - 1], 0xa000 + WORDS - 1);
	expect_pass(&dom_b, write_words, (void *)b_data, (void *)0xb000);
}

ZTEST(mem_domain, test_other_domain_partition)
{
	a_data[0] = 0x1111;
	expect_fault(&dom_b, write_words, (void *)a_data, (void *)0xbad);
	expect_fault(&dom_b, read_word, (void *)a_data, (void *)0x1111);
	expect_fault(&dom_a, read_word, (void *)b_data, (void *)0);
	zassert_equal(a_data[0], 0x1111, "domain b wrote domain a's partition");
	/* And the default domain's threads see neither. */
	expect_fault(&k_mem_domain_default, read_word, (void *)a_data, (void *)0x1111);
}

/* A supervisor thread of domain p3 that enters user mode to run read_word(p1, p2). */
static void enter_user_read(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p3);
	k_thread_user_mode_enter(read_word, p1, p2, NULL);
}

ZTEST(mem_domain, test_user_mode_enter_loads_domain_tables)
{
	/* A user thread of domain a runs (its tables loaded) and blocks ... */
	a_data[0] = 0x2222;
	k_sem_reset(&sem_ok);
	k_sem_reset(&sem_go);
	user_create(&user_thread2, user_stack2, &dom_a, read_wait_read, (void *)a_data, NULL, NULL);
	k_thread_start(&user_thread2);
	zassert_ok(k_sem_take(&sem_ok, K_FOREVER));
	/* ... and supervisor threads run on whatever tables are loaded: one of
	 * domain b entering user mode must get b's, where a's partition is not.
	 */
	fault_reason[0] = NO_FAULT;
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, enter_user_read,
					 (void *)a_data, (void *)0x2222, NULL, USER_PRIO, 0,
					 K_FOREVER));
	k_object_access_grant(&sem_ok, &user_thread);
	zassert_ok(k_mem_domain_add_thread(&dom_b, &user_thread));
	k_thread_start(&user_thread);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal(fault_reason[0], K_ERR_CPU_EXCEPTION,
		      "a thread of domain b read domain a's partition after entering user mode");
	zassert_equal(k_sem_count_get(&sem_ok), 0, "the read went through");
	k_sem_give(&sem_go);
	zassert_ok(k_thread_join(&user_thread2, K_FOREVER));
}

ZTEST(mem_domain, test_read_only_partition)
{
	expect_pass(&dom_ro, read_word, (void *)ro_data, (void *)0x5a5a5a5a);
	expect_fault(&dom_ro, write_words, (void *)ro_data, (void *)0);
	zassert_equal(ro_data[0], 0x5a5a5a5a, "a read-only partition was written");
}

ZTEST(mem_domain, test_partition_removed)
{
	k_sem_reset(&sem_ok);
	user_create(&user_thread, user_stack, &dom_a, read_wait_read, (void *)a_data, NULL, NULL);
	k_thread_start(&user_thread);
	zassert_ok(k_sem_take(&sem_ok, K_FOREVER), "the first read failed");
	zassert_ok(k_mem_domain_remove_partition(&dom_a, &part_a));
	zassert_equal(dom_a.num_partitions, 0);
	k_sem_give(&sem_go);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal(fault_reason[0], K_ERR_CPU_EXCEPTION, "the read after the removal ran");
	zassert_equal(k_sem_count_get(&sem_ok), 0);
	/* Back, and usable again. */
	zassert_ok(k_mem_domain_add_partition(&dom_a, &part_a));
	expect_pass(&dom_a, write_words, (void *)a_data, (void *)0xa100);
}

ZTEST(mem_domain, test_partition_added_to_blocked_thread)
{
	k_sem_reset(&sem_ok);
	k_sem_reset(&sem_go);
	user_create(&user_thread, user_stack, &dom_b, read_wait_read, (void *)b_data, NULL, NULL);
	k_thread_start(&user_thread);
	zassert_ok(k_sem_take(&sem_ok, K_FOREVER));
	k_sem_give(&sem_go);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal(fault_reason[0], NO_FAULT);

	/* dom_b gains part_a while its thread is blocked: the thread uses it. */
	a_data[0] = 0x2222;
	k_sem_reset(&sem_ok);
	user_create(&user_thread, user_stack, &dom_b, read_wait_read, (void *)b_data, NULL, NULL);
	k_thread_start(&user_thread);
	zassert_ok(k_sem_take(&sem_ok, K_FOREVER));
	zassert_ok(k_mem_domain_add_partition(&dom_b, &part_a));
	k_sem_give(&sem_go);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	expect_pass(&dom_b, read_word, (void *)a_data, (void *)0x2222);
	zassert_ok(k_mem_domain_remove_partition(&dom_b, &part_a));
	expect_fault(&dom_b, read_word, (void *)a_data, (void *)0x2222);
	/* dom_a kept it all along. */
	expect_pass(&dom_a, read_word, (void *)a_data, (void *)0x2222);
}

/* Read b_data, wait, then write b_data and read a_data (faults once moved to dom_b). */
static void move_probe(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	(void)a_data[0]; /* dom_a: allowed */
	k_sem_give(&sem_ok);
	(void)k_sem_take(&sem_go, K_FOREVER);
	b_data[1] = 0x600d; /* dom_b now */
	k_sem_give(&sem_ok);
	(void)a_data[0]; /* no longer */
	k_sem_give(&sem_ok);
}

ZTEST(mem_domain, test_move_thread)
{
	k_sem_reset(&sem_ok);
	k_sem_reset(&sem_go);
	user_create(&user_thread, user_stack, &dom_a, move_probe, NULL, NULL, NULL);
	k_thread_start(&user_thread);
	zassert_ok(k_sem_take(&sem_ok, K_FOREVER), "dom_a's thread could not read part_a");
	zassert_ok(k_mem_domain_add_thread(&dom_b, &user_thread));
	zassert_equal_ptr(user_thread.mem_domain_info.mem_domain, &dom_b);
	/* Moving to the domain it is in changes nothing. */
	zassert_ok(k_mem_domain_add_thread(&dom_b, &user_thread));
	k_sem_give(&sem_go);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal(fault_reason[0], K_ERR_CPU_EXCEPTION,
		      "part_a still reachable after the move");
	zassert_equal(k_sem_count_get(&sem_ok), 1, "part_b was not reachable after the move");
	zassert_equal(b_data[1], 0x600d);
}

/* p1: a word to read (the value does not matter). */
static void peek(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	(void)*(volatile uint32_t *)p1;
	k_sem_give(&sem_ok);
}

/* Run peek(addr) in user_thread2 of domain d: its fault reason or NO_FAULT. */
static unsigned int peek_from(struct k_mem_domain *d, uintptr_t addr)
{
	user_create(&user_thread2, user_stack2, d, peek, (void *)addr, NULL, NULL);
	k_thread_start(&user_thread2);
	zassert_ok(k_thread_join(&user_thread2, K_FOREVER));
	return fault_reason[1];
}

ZTEST(mem_domain, test_other_thread_stack)
{
	/* A user thread's stack is its domain's: another domain's thread
	 * cannot touch it, one of the same domain can (as in the reference).
	 */
	k_sem_reset(&sem_ok);
	k_sem_reset(&sem_go);
	user_create(&user_thread, user_stack, &dom_a, read_wait_read, (void *)a_data, NULL, NULL);
	k_thread_start(&user_thread);
	zassert_ok(k_sem_take(&sem_ok, K_FOREVER));

	uintptr_t stack_top = user_thread.stack_info.start + user_thread.stack_info.size - 64;

	zassert_equal(peek_from(&dom_b, stack_top), K_ERR_CPU_EXCEPTION,
		      "another domain's thread read a user stack");
	zassert_equal(peek_from(&k_mem_domain_default, stack_top), K_ERR_CPU_EXCEPTION);
	zassert_equal(peek_from(&dom_a, stack_top), NO_FAULT);
	/* Moved, the stack goes with it. */
	zassert_ok(k_mem_domain_add_thread(&dom_b, &user_thread));
	zassert_equal(peek_from(&dom_a, stack_top), K_ERR_CPU_EXCEPTION);
	zassert_equal(peek_from(&dom_b, stack_top), NO_FAULT);
	zassert_ok(k_mem_domain_add_thread(&dom_a, &user_thread));
	k_sem_give(&sem_go);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	/* It ran on in dom_a, its own stack and part_a usable. */
	zassert_equal(fault_reason[0], NO_FAULT);
}

/* A thread created by a thread of a domain is in that domain. */
static struct k_mem_domain *child_domain;

static void child(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
}

static void parent(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	zassert_not_null(k_thread_create(&user_thread2, user_stack2, STACK_SIZE, child, NULL, NULL,
					 NULL, USER_PRIO, 0, K_FOREVER));
	child_domain = user_thread2.mem_domain_info.mem_domain;
	k_thread_abort(&user_thread2);
}

ZTEST(mem_domain, test_inherit_domain)
{
	zassert_equal_ptr(k_current_get()->mem_domain_info.mem_domain, &k_mem_domain_default,
			  "the test thread is not in the default domain");
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, parent, NULL, NULL,
					 NULL, USER_PRIO, 0, K_FOREVER));
	zassert_equal_ptr(user_thread.mem_domain_info.mem_domain, &k_mem_domain_default);
	zassert_ok(k_mem_domain_add_thread(&dom_a, &user_thread));
	child_domain = NULL;
	k_thread_start(&user_thread);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal_ptr(child_domain, &dom_a, "the child is not in its parent's domain");
}

/* In user mode: create a user thread (user_thread2) that writes part_a and
 * the child's domain must be this one; join it.
 */
static void user_parent(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	if (k_thread_create(&user_thread2, user_stack2, STACK_SIZE, write_words, (void *)a_data,
			    (void *)0x7000, NULL, USER_PRIO, K_USER | K_INHERIT_PERMS,
			    K_NO_WAIT) == NULL) {
		return;
	}
	(void)k_thread_join(&user_thread2, K_FOREVER);
}

ZTEST(mem_domain, test_user_created_thread_inherits)
{
	k_sem_reset(&sem_ok);
	fault_reason[1] = NO_FAULT;
	user_create(&user_thread, user_stack, &dom_a, user_parent, NULL, NULL, NULL);
	k_object_access_grant(&user_thread2, &user_thread);
	k_object_access_grant(user_stack2, &user_thread);
	k_thread_start(&user_thread);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal(fault_reason[0], NO_FAULT, "the parent faulted");
	zassert_equal(fault_reason[1], NO_FAULT, "the child could not use its parent's domain");
	zassert_equal(k_sem_count_get(&sem_ok), 1, "the child did not run its checks");
	zassert_equal(a_data[1], 0x7001);
}

/* ---- K_MEM_PERM_USER maps and k_mem_map() partitions ------------------------------------ */

ZTEST(mem_domain, test_perm_user_map)
{
	void *shared = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER);
	void *private = k_mem_map(PAGE, K_MEM_PERM_RW);

	zassert_not_null(shared);
	zassert_not_null(private);
	/* Every domain's threads may use a K_MEM_PERM_USER map. */
	expect_pass(&dom_a, write_words, shared, (void *)0x1000);
	expect_pass(&dom_b, write_words, shared, (void *)0x2000);
	expect_pass(&k_mem_domain_default, read_word, shared, (void *)0x2000);
	zassert_equal(((uint32_t *)shared)[3], 0x2003);
	/* No domain's threads may use one without it. */
	expect_fault(&dom_a, write_words, private, (void *)0);
	expect_fault(&dom_b, read_word, private, (void *)0);
	zassert_ok(k_mem_unmap(shared, PAGE));
	zassert_ok(k_mem_unmap(private, PAGE));
}

ZTEST(mem_domain, test_mapped_partition)
{
	uint8_t *buf = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	struct k_mem_partition part = {(uintptr_t)buf, 2 * PAGE, K_MEM_PARTITION_P_RW_U_RW};

	zassert_not_null(buf);
	zassert_ok(k_mem_domain_add_partition(&dom_a, &part));
	expect_pass(&dom_a, write_words, buf + PAGE, (void *)0x3000);
	zassert_equal(((uint32_t *)(buf + PAGE))[1], 0x3001);
	expect_fault(&dom_b, read_word, buf, (void *)0);
	zassert_ok(k_mem_domain_remove_partition(&dom_a, &part));
	expect_fault(&dom_a, read_word, buf + PAGE, (void *)0x3000);
	zassert_ok(k_mem_unmap(buf, 2 * PAGE));
}

ZTEST(mem_domain, test_unmapped_partition_region)
{
	/* Pages of a partition that are unmapped leave it: what the kernel
	 * maps there next is not the domain's.
	 */
	uint8_t *buf = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	struct k_mem_partition part = {(uintptr_t)buf, 2 * PAGE, K_MEM_PARTITION_P_RW_U_RW};
	uint8_t *again;

	zassert_not_null(buf);
	zassert_ok(k_mem_domain_add_partition(&dom_a, &part));
	expect_pass(&dom_a, write_words, buf, (void *)0x6000);
	zassert_ok(k_mem_unmap(buf, 2 * PAGE));
	again = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	zassert_equal_ptr(again, buf, "the test needs the same addresses again");
	expect_fault(&dom_a, read_word, again, (void *)0);
	expect_fault(&dom_a, write_words, again + PAGE, (void *)0);
	zassert_ok(k_mem_domain_remove_partition(&dom_a, &part));
	zassert_ok(k_mem_unmap(again, 2 * PAGE));
}

/* ---- misuse: an error, and nothing changes ---------------------------------------------- */

extern char z_x86_pagetables_start[];
extern char k_mem_page_frames[];
static struct k_mem_domain dom_never; /* never initialised */

static struct k_mem_domain snap_a, snap_b;

static void snapshot(void)
{
	snap_a = dom_a;
	snap_b = dom_b;
}

static void unchanged(const char *what)
{
	zassert_mem_equal(&snap_a, &dom_a, sizeof(dom_a), "%s changed dom_a", what);
	zassert_mem_equal(&snap_b, &dom_b, sizeof(dom_b), "%s changed dom_b", what);
}

#define REFUSED(call, err)                                                                         \
	do {                                                                                       \
		snapshot();                                                                        \
		zassert_equal((call), (err), #call);                                               \
		unchanged(#call);                                                                  \
	} while (0)

/* Refused by k_mem_domain_add_partition() on dom_a; also by k_mem_domain_init()
 * unless only its overlap with dom_a's partitions is wrong (alone).
 */
static void refused_partition(uintptr_t start, size_t size, k_mem_partition_attr_t attr,
			      const char *what)
{
	struct k_mem_partition part = {start, size, attr};
	struct k_mem_partition *parts[] = {&part};

	snapshot();
	zassert_equal(k_mem_domain_add_partition(&dom_a, &part), -EINVAL, "%s: added", what);
	unchanged(what);
	if (start == part_a.start) {
		return;
	}
	/* A domain initialised with it is refused too, and stays unknown. */
	zassert_equal(k_mem_domain_init(&dom_never, 1, parts), -EINVAL, "%s: init", what);
	zassert_equal(k_mem_domain_add_partition(&dom_never, &part_b), -EINVAL);
}

ZTEST(mem_domain, test_misuse_partitions)
{
	uint8_t *buf = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	uintptr_t b = (uintptr_t)buf;

	zassert_not_null(buf);
	refused_partition(b, 0, K_MEM_PARTITION_P_RW_U_RW, "size 0");
	refused_partition(b + 1, PAGE, K_MEM_PARTITION_P_RW_U_RW, "unaligned start");
	refused_partition(b, PAGE + 1, K_MEM_PARTITION_P_RW_U_RW, "unaligned size");
	refused_partition(UINTPTR_MAX - PAGE + 1, 2 * PAGE, K_MEM_PARTITION_P_RW_U_RW, "wrap");
	refused_partition(b - PAGE, PAGE, K_MEM_PARTITION_P_RW_U_RW, "guard page");
	refused_partition(b, 3 * PAGE, K_MEM_PARTITION_P_RW_U_RW, "past the region");
	if (HAS_XD) {
		refused_partition(b, PAGE, K_MEM_PARTITION_P_RWX_U_RWX, "writable and executable");
	} else {
		printk("    32-bit paging has no execute-disable: every partition is executable, "
		       "so W+X is not refused (as in the reference)\n");
	}
	refused_partition(b, PAGE, (k_mem_partition_attr_t)Z_X86_MMU_P, "unknown attribute bits");
	refused_partition(part_a.start, PAGE, K_MEM_PARTITION_P_RW_U_RW, "overlaps part_a");
	refused_partition(ROUND_DOWN((uintptr_t)&suite_setup, PAGE), PAGE,
			  K_MEM_PARTITION_P_RX_U_RX, "kernel text");
	refused_partition(ROUND_DOWN((uintptr_t)&dom_a, PAGE), PAGE, K_MEM_PARTITION_P_RW_U_RW,
			  "kernel data");
	refused_partition((uintptr_t)z_x86_pagetables_start, PAGE, K_MEM_PARTITION_P_RO_U_RO,
			  "page tables");
	refused_partition(ROUND_DOWN((uintptr_t)k_mem_page_frames, PAGE), PAGE,
			  K_MEM_PARTITION_P_RO_U_RO, "frame database");
	refused_partition((uintptr_t)user_stack, PAGE, K_MEM_PARTITION_P_RW_U_RW, "stack object");
	refused_partition(PAGE, PAGE, K_MEM_PARTITION_P_RW_U_RW, "outside the kernel window");

	/* A user thread's privileged stack is a k_mem_map() region too. */
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, child, NULL, NULL,
					 NULL, USER_PRIO, K_USER, K_FOREVER));
	zassert_not_equal(user_thread.priv_stack_start, 0);
	refused_partition(user_thread.priv_stack_start, PAGE, K_MEM_PARTITION_P_RW_U_RW,
			  "privileged stack");
	k_thread_abort(&user_thread);

	/* NULLs. */
	REFUSED(k_mem_domain_add_partition(NULL, &part_a), -EINVAL);
	REFUSED(k_mem_domain_add_partition(&dom_a, NULL), -EINVAL);
	REFUSED(k_mem_domain_init(NULL, 0, NULL), -EINVAL);
	REFUSED(k_mem_domain_init(&dom_never, 1, NULL), -EINVAL);
	REFUSED(k_mem_domain_init(&dom_never, CONFIG_MAX_DOMAIN_PARTITIONS + 1, NULL), -EINVAL);
	zassert_equal(k_mem_domain_add_partition(&dom_never, &part_b), -EINVAL, "dom_never known");

	/* Removal of what is not there. */
	struct k_mem_partition missing = {b, PAGE, K_MEM_PARTITION_P_RW_U_RW};

	REFUSED(k_mem_domain_remove_partition(&dom_a, &missing), -ENOENT);
	REFUSED(k_mem_domain_remove_partition(&dom_b, &part_a), -ENOENT);
	REFUSED(k_mem_domain_remove_partition(NULL, &part_a), -EINVAL);
	REFUSED(k_mem_domain_remove_partition(&dom_a, NULL), -EINVAL);
	REFUSED(k_mem_domain_remove_partition(&dom_never, &part_a), -EINVAL);
	zassert_ok(k_mem_unmap(buf, 2 * PAGE));
}

ZTEST(mem_domain, test_misuse_partition_limit)
{
	uint8_t *buf = k_mem_map(4 * PAGE, K_MEM_PERM_RW);
	struct k_mem_partition parts[4];
	int added = 0;

	zassert_not_null(buf);
	for (int i = 0; i < 4; i++) {
		parts[i] = (struct k_mem_partition){(uintptr_t)buf + i * PAGE, PAGE,
						    K_MEM_PARTITION_P_RW_U_RW};
	}
	/* dom_b holds part_b: CONFIG_MAX_DOMAIN_PARTITIONS - 1 more fit. */
	for (int i = 0; i < CONFIG_MAX_DOMAIN_PARTITIONS - 1; i++) {
		zassert_ok(k_mem_domain_add_partition(&dom_b, &parts[i]));
		added++;
	}
	REFUSED(k_mem_domain_add_partition(&dom_b, &parts[3]), -ENOSPC);
	/* Each still works from user mode. */
	expect_pass(&dom_b, write_words, (void *)parts[added - 1].start, (void *)0x4000);
	for (int i = 0; i < added; i++) {
		zassert_ok(k_mem_domain_remove_partition(&dom_b, &parts[i]));
	}
	zassert_equal(dom_b.num_partitions, 1);
	zassert_ok(k_mem_unmap(buf, 4 * PAGE));
}

ZTEST(mem_domain, test_misuse_threads)
{
	REFUSED(k_mem_domain_add_thread(NULL, k_current_get()), -EINVAL);
	REFUSED(k_mem_domain_add_thread(&dom_a, NULL), -EINVAL);
	REFUSED(k_mem_domain_add_thread(&dom_never, k_current_get()), -EINVAL);
	zassert_equal_ptr(k_current_get()->mem_domain_info.mem_domain, &k_mem_domain_default);

	/* A dead thread. */
	zassert_not_null(k_thread_create(&user_thread, user_stack, STACK_SIZE, child, NULL, NULL,
					 NULL, USER_PRIO, 0, K_NO_WAIT));
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	REFUSED(k_mem_domain_add_thread(&dom_a, &user_thread), -EINVAL);
}

ZTEST(mem_domain, test_no_tables_left)
{
	static struct k_mem_domain extra[CONFIG_X86_MAX_ADDITIONAL_MEM_DOMAINS + 1];
	int ret = 0;
	size_t i;

	/* The suite's three domains took every slot but the default one's. */
	for (i = 0; i < ARRAY_SIZE(extra) && ret == 0; i++) {
		snapshot();
		ret = k_mem_domain_init(&extra[i], 0, NULL);
		unchanged("k_mem_domain_init");
	}
	zassert_equal(ret, -ENOMEM, "domain %zu: %d", i - 1, ret);
	zassert_equal(k_mem_domain_add_partition(&extra[i - 1], &part_a), -EINVAL,
		      "a domain that got no tables is in use");
	/* The others still work. */
	expect_pass(&dom_a, read_word, (void *)&a_data[WORDS - 1],
		    (void *)(uintptr_t)a_data[WORDS - 1]);
}

#ifdef CONFIG_DEMAND_MAPPING
/*
 * The page-table pool (CONFIG_X86_MEM_DOMAIN_TABLE_PAGES) run dry by
 * partitions spread over many page tables' spans: -ENOMEM with the domain
 * as it was, precisely when one more table is needed; a partition in a
 * page table the domain has already needs none; a thread of a domain runs
 * on; tables given back by a removal and by initialising a domain again
 * serve again. Only with demand mapping, where such a region takes no
 * frame: on 32-bit paging it spans more than the boards' 32 MiB of RAM.
 */

/* The span of one page table: a domain copies one per span it has partitions in. */
#define PT_SPAN ((IS_ENABLED(CONFIG_X86_64) || IS_ENABLED(CONFIG_X86_PAE)) ? MB(2) : MB(4))

static void add_refused_nomem(struct k_mem_domain *d, struct k_mem_partition *part)
{
	struct k_mem_domain before = *d;

	zassert_equal(k_mem_domain_add_partition(d, part), -ENOMEM, "0x%lx+0x%zx",
		      (unsigned long)part->start, part->size);
	zassert_mem_equal(&before, d, sizeof(before), "a refused partition changed the domain");
}

ZTEST(mem_domain, test_table_pool_exhausted)
{
	/* dom_ro first: it always gets a partition, which its re-initialisation drops. */
	struct k_mem_domain *doms[] = {&dom_ro, &dom_a, &dom_b};
	struct k_mem_partition big[ARRAY_SIZE(doms)] = {0};
	struct k_mem_partition *ro_parts[] = {&part_ro};
	size_t full = ARRAY_SIZE(doms); /* the domain in which the pool ran dry */
	size_t last = ARRAY_SIZE(doms); /* the last domain that got a partition */
	uint8_t *region = NULL;
	size_t region_size = 0;

	/* A thread of dom_a, running before the pool runs dry and after. */
	k_sem_reset(&sem_ok);
	k_sem_reset(&sem_go);
	user_create(&user_thread, user_stack, &dom_a, read_wait_read, (void *)&a_data[1], NULL,
		    NULL);
	k_thread_start(&user_thread);
	zassert_ok(k_sem_take(&sem_ok, K_FOREVER));

	for (size_t size = MB(48); size >= MB(8) && region == NULL; size -= MB(4)) {
		region = k_mem_map(size, K_MEM_PERM_RW);
		region_size = size;
	}
	zassert_not_null(region);

	/* Partition k of a domain: [base, base + k spans - 1 page), in k page
	 * tables, the last one's final page left out; the page after it
	 * starts the next table.
	 */
	uintptr_t base = ROUND_UP((uintptr_t)region + PAGE, PT_SPAN);
	size_t kmax = ((uintptr_t)region + region_size - PAGE - base) / PT_SPAN;

	for (size_t i = 0; i < ARRAY_SIZE(doms) && full == ARRAY_SIZE(doms); i++) {
		for (size_t k = kmax; k >= 1U; k--) {
			struct k_mem_partition p = {base, k * PT_SPAN - PAGE,
						    K_MEM_PARTITION_P_RW_U_RW};
			int ret = k_mem_domain_add_partition(doms[i], &p);

			if (ret == 0) {
				big[i] = p;
				last = i;
				break;
			}
			zassert_equal(ret, -ENOMEM, "domain %zu, %zu tables: %d", i, k, ret);
			add_refused_nomem(doms[i], &p);
			full = i;
		}
	}
	zassert_true(full < ARRAY_SIZE(doms), "the pool never ran dry (%zu MiB over %zu tables)",
		     region_size >> 20, kmax);
	zassert_true(last < ARRAY_SIZE(doms) && big[0].size != 0U);
	printk("table pool dry in domain %zu of 3: %zu MiB region, up to %zu tables a domain\n",
	       full + 1U, region_size >> 20, kmax);

	/* Dry: one table more is refused, a page in a table the domain has is not. */
	struct k_mem_partition tail = {big[last].start + big[last].size, PAGE,
				       K_MEM_PARTITION_P_RW_U_RW};
	struct k_mem_partition beyond = {tail.start + PAGE, PAGE, K_MEM_PARTITION_P_RW_U_RW};

	add_refused_nomem(doms[last], &beyond);
	zassert_ok(k_mem_domain_add_partition(doms[last], &tail), "needs no new table");

	/* Tables back by removal (dom_a, dom_b) and by initialising dom_ro
	 * again: the same partitions fit again, and leave the pool as dry.
	 */
	zassert_ok(k_mem_domain_remove_partition(doms[last], &tail));
	for (int round = 0; round < 2; round++) {
		for (size_t i = 1; i <= last; i++) {
			zassert_ok(k_mem_domain_remove_partition(doms[i], &big[i]));
		}
		zassert_ok(k_mem_domain_init(&dom_ro, 1, ro_parts));
		zassert_equal(dom_ro.num_partitions, 1);
		zassert_mem_equal(&dom_ro.partitions[0], &part_ro, sizeof(part_ro));
		if (round == 1) {
			break;
		}
		for (size_t i = 0; i <= last; i++) {
			zassert_ok(k_mem_domain_add_partition(doms[i], &big[i]), "domain %zu", i);
		}
		add_refused_nomem(doms[last], &beyond);
		/* One removal's tables serve the partition refused before. */
		zassert_ok(k_mem_domain_remove_partition(doms[last], &big[last]));
		zassert_ok(k_mem_domain_add_partition(doms[last], &beyond));
		zassert_ok(k_mem_domain_remove_partition(doms[last], &beyond));
		zassert_ok(k_mem_domain_add_partition(doms[last], &big[last]));
		/* Dry again: dom_a's thread (alive all along, so the tables in use
		 * are those of the first time) runs on, on its own partition.
		 */
		k_sem_give(&sem_go);
		zassert_ok(k_sem_take(&sem_ok, K_FOREVER));
	}
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_equal(fault_reason[0], NO_FAULT);

	/* Every domain as before: its partitions and nothing of the region. */
	expect_pass(&dom_a, read_word, (void *)&a_data[WORDS - 1],
		    (void *)(uintptr_t)a_data[WORDS - 1]);
	expect_pass(&dom_b, read_word, (void *)&b_data[0], (void *)(uintptr_t)b_data[0]);
	expect_pass(&dom_ro, read_word, (void *)&ro_data[0], (void *)(uintptr_t)ro_data[0]);
	expect_fault(&dom_a, read_word, (void *)base, (void *)0);
	expect_fault(&dom_ro, read_word, (void *)base, (void *)0);
	zassert_ok(k_mem_unmap(region, region_size));
	zassert_equal(k_mem_check_invariants(), 0);
}
#endif /* CONFIG_DEMAND_MAPPING */

/* ---- system calls on user buffers, paged out or not ------------------------------------- */

/* p1: a string in user memory, p2: where the name is copied back. */
static void name_calls(void *p1, void *p2, void *p3)
{
	char *name = p1;
	char *back = p2;

	ARG_UNUSED(p3);
	if (k_thread_name_set(k_current_get(), name) != 0) {
		return;
	}
	if (k_thread_name_copy(k_current_get(), back, 16) != 0 || strcmp(back, name) != 0) {
		return;
	}
	/* A kernel address: -EFAULT, as in the reference. */
	if (k_thread_name_set(k_current_get(), (const char *)&dom_a) != -EFAULT) {
		return;
	}
	k_sem_give(&sem_ok);
}

/* p1: a string the caller may not read. */
static void name_refused(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	if (k_thread_name_set(k_current_get(), p1) == -EFAULT) {
		k_sem_give(&sem_ok);
	}
}

ZTEST(mem_domain, test_syscall_partition_buffer)
{
	STR_PUT(a_data, "in-part-a");
	expect_pass(&dom_a, name_calls, (void *)a_data, (char *)a_data + 64);
	/* Another domain's partition is not the caller's: -EFAULT, no copy. */
	expect_pass(&dom_b, name_refused, (void *)a_data, NULL);
}

#ifdef CONFIG_DEMAND_PAGING
/* Touch every page of [p1, p1 + p2 pages): read the seed, write it + 1. */
static void touch_pages(void *p1, void *p2, void *p3)
{
	uint8_t *buf = p1;
	size_t pages = (size_t)(uintptr_t)p2;

	ARG_UNUSED(p3);
	for (size_t i = 0; i < pages; i++) {
		volatile uint32_t *w = (volatile uint32_t *)(buf + i * PAGE);

		if (*w != 0xc0de0000U + i) {
			return;
		}
		*w = 0xc0de1000U + i;
	}
	k_sem_give(&sem_ok);
}
#endif

ZTEST(mem_domain, test_paged_out_user_memory)
{
	if (!IS_ENABLED(CONFIG_DEMAND_PAGING)) {
		printk("    skipped: needs CONFIG_DEMAND_PAGING "
		       "(kernel.mem_domain.demand_paging)\n");
		ztest_test_skip();
	}
#ifdef CONFIG_DEMAND_PAGING
	const size_t pages = 3;
	uint8_t *buf = k_mem_map(pages * PAGE, K_MEM_PERM_RW);
	uint8_t *shared = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER);
	struct k_mem_partition part = {(uintptr_t)buf, pages * PAGE, K_MEM_PARTITION_P_RW_U_RW};
	struct k_mem_paging_stats_t before, after;

	zassert_not_null(buf);
	zassert_not_null(shared);
	zassert_ok(k_mem_domain_add_partition(&dom_a, &part));

	/* A system call reads and writes a paged-out partition's pages. */
	STR_PUT(buf, "paged-name");
	zassert_ok(k_mem_page_out(buf, pages * PAGE));
	k_mem_paging_stats_get(&before);
	expect_pass(&dom_a, name_calls, buf, buf + PAGE + 8);
	k_mem_paging_stats_get(&after);
	zassert_true(after.pagefaults.cnt > before.pagefaults.cnt, "nothing was paged in");
	zassert_equal(strcmp((char *)buf + PAGE + 8, "paged-name"), 0);

	/* User-mode accesses fault the pages in: demand paging serves them. */
	for (size_t i = 0; i < pages; i++) {
		*(uint32_t *)(buf + i * PAGE) = 0xc0de0000U + i;
	}
	zassert_ok(k_mem_page_out(buf, pages * PAGE));
	expect_pass(&dom_a, touch_pages, buf, (void *)pages);
	for (size_t i = 0; i < pages; i++) {
		zassert_equal(*(uint32_t *)(buf + i * PAGE), 0xc0de1000U + i, "page %zu", i);
	}
	/* The user's writes are dirty: a second page-out keeps them. */
	zassert_ok(k_mem_page_out(buf, pages * PAGE));
	zassert_equal(*(volatile uint32_t *)(buf + PAGE), 0xc0de1001U, "a user write was lost");

	/* Paged out, still another domain's: the fault is not served. */
	zassert_ok(k_mem_page_out(buf, pages * PAGE));
	expect_fault(&dom_b, read_word, buf, (void *)0);
	zassert_ok(k_mem_domain_remove_partition(&dom_a, &part));
	zassert_ok(k_mem_unmap(buf, pages * PAGE));

	/* The same for a K_MEM_PERM_USER map, in any domain. */
	*(uint32_t *)shared = 0xc0de0000U;
	zassert_ok(k_mem_page_out(shared, PAGE));
	expect_pass(&dom_b, touch_pages, shared, (void *)1);
	zassert_equal(*(uint32_t *)shared, 0xc0de1000U);
	zassert_ok(k_mem_unmap(shared, PAGE));
#endif
}

ZTEST(mem_domain, test_demand_mapped_partition)
{
	/* A fresh page of a demand-mapped region (the shared zero frame
	 * until its first write): written by user mode and by a system call.
	 */
	uint8_t *buf = k_mem_map(2 * PAGE, K_MEM_PERM_RW);
	struct k_mem_partition part = {(uintptr_t)buf, 2 * PAGE, K_MEM_PARTITION_P_RW_U_RW};

	zassert_not_null(buf);
	zassert_ok(k_mem_domain_add_partition(&dom_a, &part));
	expect_pass(&dom_a, write_words, buf, (void *)0x5000);
	zassert_equal(((uint32_t *)buf)[2], 0x5002);
	STR_PUT(buf, "zero-page");
	expect_pass(&dom_a, name_calls, buf, buf + PAGE);
	zassert_equal(strcmp((char *)buf + PAGE, "zero-page"), 0);
	zassert_ok(k_mem_domain_remove_partition(&dom_a, &part));
	zassert_ok(k_mem_unmap(buf, 2 * PAGE));
}

/* ---- two domains under time slicing ------------------------------------------------------ */

#define SLICE_SWITCHES 5

/* p1: its partition's page, p2: its index (0 or 1), p3: both threads'
 * progress counters (a K_MEM_PERM_USER map). Fill its page with a
 * value of its own, check it, count; done when it saw the other thread
 * advance SLICE_SWITCHES times between two of its own rounds (so each
 * was switched out and back in that often), or after 3 s.
 */
static void slicer(void *p1, void *p2, void *p3)
{
	volatile uint32_t *page = p1;
	unsigned int me = (unsigned int)(uintptr_t)p2;
	volatile uint32_t *progress = p3;
	uint32_t seen = progress[1U - me];
	unsigned int switches = 0;
	int64_t end = k_uptime_get() + 3000;

	for (uint32_t round = 1; switches < SLICE_SWITCHES; round++) {
		uint32_t value = (me + 1U) << 24 | round;

		for (size_t i = 0; i < WORDS; i++) {
			page[i] = value;
		}
		for (size_t i = 0; i < WORDS; i++) {
			if (page[i] != value) {
				return; /* another domain's write: the check fails */
			}
		}
		progress[me] = round;
		if (progress[1U - me] != seen) {
			seen = progress[1U - me];
			switches++;
		}
		if ((round & 63U) == 0U && k_uptime_get() > end) {
			return;
		}
	}
	k_sem_give(&sem_ok);
}

ZTEST(mem_domain, test_time_slicing_two_domains)
{
	void *progress = k_mem_map(PAGE, K_MEM_PERM_RW | K_MEM_PERM_USER);

	zassert_not_null(progress);
	k_sem_reset(&sem_ok);
	user_create(&user_thread, user_stack, &dom_a, slicer, (void *)a_data, (void *)0, progress);
	user_create(&user_thread2, user_stack2, &dom_b, slicer, (void *)b_data, (void *)1,
		    progress);
	k_thread_start(&user_thread);
	k_thread_start(&user_thread2);
	zassert_ok(k_thread_join(&user_thread, K_FOREVER));
	zassert_ok(k_thread_join(&user_thread2, K_FOREVER));
	zassert_equal(fault_reason[0], NO_FAULT);
	zassert_equal(fault_reason[1], NO_FAULT);
	zassert_equal(k_sem_count_get(&sem_ok), 2,
		      "the threads did not alternate, or one's page changed under it");
	/* Each page holds its own thread's last value. */
	zassert_equal(a_data[0] >> 24, 1);
	zassert_equal(b_data[WORDS - 1] >> 24, 2);
	zassert_ok(k_mem_unmap(progress, PAGE));
}

/* ---- ZTEST_USER with ZTEST_BMEM / ZTEST_DMEM --------------------------------------------- */

ZTEST_BMEM static uint32_t ztest_counter;
ZTEST_DMEM static uint32_t ztest_initial = 0x1234;
ZTEST_BMEM static char ztest_buf[32];

ZTEST_USER(mem_domain_ztest, test_user_globals)
{
	zassert_true(k_is_user_context(), "not a user-mode case");
	zassert_equal(ztest_initial, 0x1234);
	ztest_counter++;
	ztest_initial = 0x4321;
	/* A system call on a ZTEST_BMEM buffer. */
	zassert_ok(k_thread_name_set(k_current_get(), "ztest-user"));
	zassert_ok(k_thread_name_copy(k_current_get(), ztest_buf, sizeof(ztest_buf)));
	zassert_equal(strcmp(ztest_buf, "ztest-user"), 0);
}

ZTEST(mem_domain_ztest, test_user_globals_seen)
{
	/* Runs after test_user_globals (alphabetical): the user case's writes stayed. */
	zassert_equal(ztest_counter, 1);
	zassert_equal(ztest_initial, 0x4321);
	zassert_equal(ztest_mem_partition.start % PAGE, 0);
	zassert_true((uintptr_t)&ztest_counter - ztest_mem_partition.start <
		     ztest_mem_partition.size);
}

ZTEST_SUITE(mem_domain_ztest, NULL, NULL, NULL, NULL, NULL);
