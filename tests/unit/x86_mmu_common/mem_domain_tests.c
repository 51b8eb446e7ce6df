/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 memory domains (arch/x86/core/mem_domain.c) on the host, over the
 * in-memory kernel tables of host_tables.c, in the paging mode the
 * including folder defines (tests/unit/x86_mem_domain_32, _pae, _64). What
 * the CPU does with the tables is for tests/kernel/mem_domain; here: the
 * exact entries of a domain's copies (US, RW, XD, the PART bits) against
 * the kernel's, which links lead to a copy and which to the kernel's own
 * page table, the pool's count page by page, -ENOMEM when it runs dry with
 * every table and the bookkeeping as they were, copies given back when
 * their last partition goes (their A/D bits moved to the kernel's entries),
 * the kernel's writes repeated in the copies, A/D gathered from them, user
 * stacks as the domain's own pages.
 *
 * The file is #included, with user mode on in this translation unit only
 * (ztest and the walker are built without it), so the cases read and reset
 * its pool's bookkeeping.
 */
#define CONFIG_MULTITHREADING                 1
#define CONFIG_USERSPACE                      1
#define CONFIG_MAX_DOMAIN_PARTITIONS          4
#define CONFIG_MAX_THREAD_BYTES               2
#define CONFIG_PRIVILEGED_STACK_SIZE          4096
#define CONFIG_X86_MAX_ADDITIONAL_MEM_DOMAINS 2
/* Three domains' upper levels, and a little over two domains' worth of
 * page tables (WHOLE_PTS below), so that the last domain gets some only.
 */
#if defined(CONFIG_X86_64)
#define CONFIG_X86_MEM_DOMAIN_TABLE_PAGES 24
#elif defined(CONFIG_X86_PAE)
#define CONFIG_X86_MEM_DOMAIN_TABLE_PAGES 21
#else
#define CONFIG_X86_MEM_DOMAIN_TABLE_PAGES 11
#endif

#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>
#include <x86_mmu.h>
#include <ztest.h>

#include "host_tables.h"

/* Defined by mmu.c for the target only: the test records the calls. */
void z_x86_tables_load(const struct k_thread *thread);

#include "../../../arch/x86/core/mem_domain.c"

#define VM_BASE   ((uintptr_t)CONFIG_KERNEL_VM_BASE)
#define PT_SPAN   ((uintptr_t)Z_X86_PT_ENTRIES * PAGE)
/* The first page of window page table j (j >= 1: whole page tables). */
#define PT_VA(j)  (ROUND_DOWN(VM_BASE, PT_SPAN) + (uintptr_t)(j)*PT_SPAN)
#define FRAME     0x00400000UL /* "physical" address of the test's mappings */
#define RW_U_RW   K_MEM_PARTITION_P_RW_U_RW
#define RO_U_RO   K_MEM_PARTITION_P_RO_U_RO
#define KERN_BITS (X86_MMU_P | X86_MMU_RW | X86_MMU_US | X86_MMU_XD | X86_MMU_A | X86_MMU_D)

static struct k_thread threads[2];
static struct k_thread *current = &threads[0];
static const struct k_thread *tables_loaded;
static int tables_loads;

k_tid_t k_current_get(void)
{
	return current;
}

void z_x86_tables_load(const struct k_thread *thread)
{
	tables_loaded = thread;
	tables_loads++;
}

static struct k_mem_domain doms[SLOTS + 1];

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	host_tables_build();
	memset(slots, 0, sizeof(slots));
	memset(pool, 0xa5, sizeof(pool)); /* a copy must not rely on a zeroed page */
	memset(pool_used, 0, sizeof(pool_used));
	pool_free = POOL_PAGES;
	memset(z_x86_pt_copies, 0, sizeof(z_x86_pt_copies));
	z_x86_pt_copies_total = 0;
	z_x86_current_ptables = z_x86_top_table();
	memset(doms, 0, sizeof(doms));
	memset(threads, 0, sizeof(threads));
	current = &threads[0];
	tables_loaded = NULL;
	tables_loads = 0;
}

/* The leaf entry of window page va in d's tables (a walk of the test's own). */
static pentry_t *dom_pte(const struct k_mem_domain *d, uintptr_t va)
{
	pentry_t *table = d->arch.ptables;

	for (unsigned int level = 0;; level++) {
		const struct x86_paging_level *info = &z_x86_paging_levels[level];
		pentry_t *entry = &table[(va >> info->shift) & (info->entries - 1U)];

		if (level == Z_X86_LEAF_LEVEL) {
			return entry;
		}
		zassert_true((*entry & X86_MMU_P) != 0, "level %u of %p not present", level,
			     (void *)va);
		table = z_x86_next_table(*entry);
	}
}

/* Map n pages at va in the kernel's tables, read-write or read-only. */
static void kmap(uintptr_t va, size_t n, bool rw)
{
	arch_mem_map((void *)va, FRAME + (va - VM_BASE), n * PAGE, rw ? K_MEM_PERM_RW : 0);
}

static int add_part(struct k_mem_domain *d, uint32_t i, uintptr_t start, size_t size,
		    k_mem_partition_attr_t attr)
{
	d->partitions[i] = (struct k_mem_partition){start, size, attr};
	return arch_mem_domain_partition_add(d, i);
}

/* Whether d's entry for va is the kernel's own page table's (no copy). */
static bool shares_kernel_pt(const struct k_mem_domain *d, uintptr_t va)
{
	return dom_pte(d, va) == host_pte(va);
}

/* ---- domains and their upper levels ------------------------------------------------------- */

ZTEST(x86_mem_domain, test_init_copies_upper_levels_only)
{
	kmap(PT_VA(1), 2, true);
	zassert_ok(arch_mem_domain_init(&doms[0]));
	zassert_true(arch_mem_domain_is_known(&doms[0]));
	zassert_equal(pool_free, POOL_PAGES - UPPER_PAGES, "the upper levels: %u pages",
		      (unsigned int)UPPER_PAGES);
	zassert_not_equal(doms[0].arch.ptables, (void *)z_x86_top_table());
	/* Every page of the window leads to the kernel's own page tables. */
	for (uintptr_t va = VM_BASE; va - VM_BASE < CONFIG_KERNEL_VM_SIZE; va += PT_SPAN / 2U) {
		zassert_true(shares_kernel_pt(&doms[0], va), "%p", (void *)va);
	}
	zassert_equal(*dom_pte(&doms[0], PT_VA(1)), *host_pte(PT_VA(1)));
	/* Initialised again: nothing more taken. */
	zassert_ok(arch_mem_domain_init(&doms[0]));
	zassert_equal(pool_free, POOL_PAGES - UPPER_PAGES);
}

ZTEST(x86_mem_domain, test_slots_run_out)
{
	for (size_t i = 0; i < SLOTS; i++) {
		zassert_ok(arch_mem_domain_init(&doms[i]), "domain %zu", i);
	}
	size_t free_before = pool_free;

	zassert_equal(arch_mem_domain_init(&doms[SLOTS]), -ENOMEM);
	zassert_false(arch_mem_domain_is_known(&doms[SLOTS]));
	zassert_equal(pool_free, free_before);
}

/* ---- partition entries ------------------------------------------------------------------ */

ZTEST(x86_mem_domain, test_partition_entries)
{
	uintptr_t va = PT_VA(1);

	kmap(va, 1, true);
	kmap(va + PAGE, 1, false); /* the kernel's mapping is read-only */
	kmap(va + 3 * PAGE, 1, true);
	zassert_ok(arch_mem_domain_init(&doms[0]));
	zassert_ok(arch_mem_domain_init(&doms[1]));
	/* Three pages, the last one not mapped at all. */
	zassert_ok(add_part(&doms[0], 0, va, 3 * PAGE, RW_U_RW));
	zassert_ok(add_part(&doms[1], 0, va, 2 * PAGE, RO_U_RO));
	zassert_equal(pool_free, POOL_PAGES - 2 * UPPER_PAGES - 2, "one page table each");
	zassert_false(shares_kernel_pt(&doms[0], va));

	for (int d = 0; d < 2; d++) {
		bool user_w = d == 0;

		for (int p = 0; p < 2; p++) {
			pentry_t k = *host_pte(va + p * PAGE);
			pentry_t e = *dom_pte(&doms[d], va + p * PAGE);
			bool kernel_w = p == 0;

			zassert_equal(e & X86_MMU_ADDR_MASK, k & X86_MMU_ADDR_MASK);
			zassert_true((e & X86_MMU_P) != 0);
			zassert_true((e & X86_MMU_US) != 0, "dom %d page %d: user", d, p);
			zassert_equal((e & X86_MMU_RW) != 0, user_w && kernel_w,
				      "dom %d page %d: RW only if both allow it", d, p);
			if (X86_MMU_XD != 0) {
				zassert_true((e & X86_MMU_XD) != 0, "dom %d page %d: XD", d, p);
			}
			zassert_true((e & X86_MMU_PART) != 0);
			zassert_equal((e & X86_MMU_PART_W) != 0, user_w);
			zassert_equal(e & ~(pentry_t)(X86_MMU_ADDR_MASK | KERN_BITS | X86_MMU_PART |
						      X86_MMU_PART_W),
				      k & ~(pentry_t)(X86_MMU_ADDR_MASK | KERN_BITS),
				      "the other bits are the kernel's");
			/* The kernel's own entry stays supervisor-only. */
			zassert_equal(k & X86_MMU_US, 0);
		}
	}
	zassert_equal(*dom_pte(&doms[0], va + 2 * PAGE), 0, "unmapped stays unmapped");
	/* Outside the partitions, in the copied table: the kernel's entry. */
	zassert_equal(*dom_pte(&doms[0], va + 3 * PAGE), *host_pte(va + 3 * PAGE));
	zassert_equal(*dom_pte(&doms[1], va + 2 * PAGE), *host_pte(va + 2 * PAGE));
	/* Another page table: still the kernel's own. */
	zassert_true(shares_kernel_pt(&doms[0], PT_VA(2)));
}

/* ---- the pool ---------------------------------------------------------------------------- */

struct pool_state {
	uint8_t pool[POOL_PAGES][CONFIG_MMU_PAGE_SIZE];
	uint8_t part[POOL_PAGES][CONFIG_MMU_PAGE_SIZE / sizeof(pentry_t)];
	bool used[POOL_PAGES];
	size_t free;
	struct domain_tables slots[SLOTS];
	uint8_t copies[Z_X86_WINDOW_PTS];
	char ktables[Z_X86_PAGETABLES_SIZE];
};

static struct pool_state saved;

static void pool_save(void)
{
	memcpy(saved.pool, pool, sizeof(pool));
	memcpy(saved.part, pool_part, sizeof(pool_part));
	memcpy(saved.used, pool_used, sizeof(pool_used));
	saved.free = pool_free;
	memcpy(saved.slots, slots, sizeof(slots));
	memcpy(saved.copies, z_x86_pt_copies, sizeof(z_x86_pt_copies));
	memcpy(saved.ktables, z_x86_pagetables_start, sizeof(saved.ktables));
}

static void pool_unchanged(const char *what)
{
	zassert_mem_equal(saved.pool, pool, sizeof(pool), "%s: a table changed", what);
	zassert_mem_equal(saved.part, pool_part, sizeof(pool_part), "%s: owners changed", what);
	zassert_mem_equal(saved.used, pool_used, sizeof(pool_used), "%s", what);
	zassert_equal(saved.free, pool_free, "%s", what);
	zassert_mem_equal(saved.slots, slots, sizeof(slots), "%s: a domain changed", what);
	zassert_mem_equal(saved.copies, z_x86_pt_copies, sizeof(saved.copies), "%s", what);
	zassert_mem_equal(saved.ktables, z_x86_pagetables_start, sizeof(saved.ktables),
			  "%s: the kernel's tables changed", what);
}

/* Partitions of whole page tables from PT_VA(1), as many as the window has. */
#define WHOLE_PTS (Z_X86_WINDOW_PTS - 2U)

ZTEST(x86_mem_domain, test_pool_runs_dry_cleanly)
{
	kmap(PT_VA(1), WHOLE_PTS * Z_X86_PT_ENTRIES, true);
	for (size_t i = 0; i < SLOTS; i++) {
		zassert_ok(arch_mem_domain_init(&doms[i]));
	}
	size_t free_at_start = pool_free;
	size_t taken = 0;
	size_t i = 0;

	zassert_true(free_at_start > WHOLE_PTS, "the test needs more than one domain's worth");
	/* Each domain takes as many page tables as fit (partition 0). */
	for (i = 0; i < SLOTS && pool_free > 0U; i++) {
		size_t n = MIN((size_t)WHOLE_PTS, pool_free);

		if (n < WHOLE_PTS) {
			/* One table more than the pool has: refused, nothing changed. */
			pool_save();
			zassert_equal(add_part(&doms[i], 0, PT_VA(1), (n + 1U) * PT_SPAN, RW_U_RW),
				      -ENOMEM);
			pool_unchanged("one table too many");
		}
		zassert_ok(add_part(&doms[i], 0, PT_VA(1), n * PT_SPAN, RW_U_RW));
		taken += n;
	}
	zassert_equal(pool_free, 0);
	zassert_equal(taken, free_at_start);
	zassert_equal(z_x86_pt_copies_total, taken);

	/* Dry: a page in a table the domain has needs none; any other is refused. */
	struct k_mem_domain *last = &doms[i - 1U];
	size_t last_n = last->partitions[0].size / PT_SPAN;

	if (last_n < WHOLE_PTS) {
		pool_save();
		zassert_equal(add_part(last, 1, PT_VA(1 + last_n), PAGE, RW_U_RW), -ENOMEM);
		pool_unchanged("a page in a new table");
	}
	if (i < SLOTS) {
		pool_save();
		zassert_equal(add_part(&doms[i], 0, PT_VA(1), PAGE, RW_U_RW), -ENOMEM);
		pool_unchanged("a domain with no table");
	}
	/* The running user thread's stack needs a table there: refused, and
	 * its tables are not loaded.
	 */
	threads[1].priv_stack_start = 1;
	threads[1].stack_info.start = PT_VA(1 + WHOLE_PTS) - 2 * PAGE;
	threads[1].stack_info.size = 2 * PAGE;
	threads[1].mem_domain_info.mem_domain = last;
	current = &threads[1];
	if (last_n < WHOLE_PTS) {
		pool_save();
		zassert_equal(arch_mem_domain_thread_add(&threads[1]), -ENOMEM);
		pool_unchanged("a stack in a new table");
		zassert_equal(tables_loads, 0, "a refused move loaded tables");
	}

	/* Given back: each removal returns its tables, and they serve again. */
	size_t freed = 0;

	for (size_t d = 0; d < i; d++) {
		size_t n = doms[d].partitions[0].size / PT_SPAN;

		zassert_ok(arch_mem_domain_partition_remove(&doms[d], 0));
		zassert_equal(pool_free, freed + n, "domain %zu", d);
		zassert_ok(add_part(&doms[d], 0, PT_VA(1), n * PT_SPAN, RW_U_RW));
		zassert_equal(pool_free, freed);
		zassert_ok(arch_mem_domain_partition_remove(&doms[d], 0));
		doms[d].partitions[0].size = 0;
		freed += n;
	}
	zassert_equal(pool_free, free_at_start);
	zassert_equal(z_x86_pt_copies_total, 0);
	for (uintptr_t va = PT_VA(1); va < PT_VA(1 + WHOLE_PTS); va += PT_SPAN) {
		zassert_true(shares_kernel_pt(&doms[0], va), "%p", (void *)va);
	}
}

/* ---- removal, A/D, the kernel's writes -------------------------------------------------- */

ZTEST(x86_mem_domain, test_removal_keeps_accessed_dirty)
{
	uintptr_t va = PT_VA(1);

	kmap(va, 4, true);
	zassert_ok(arch_mem_domain_init(&doms[0]));
	zassert_ok(add_part(&doms[0], 0, va, PAGE, RW_U_RW));
	zassert_ok(add_part(&doms[0], 1, va + 2 * PAGE, PAGE, RW_U_RW));
	size_t free_with = pool_free;

	/* The CPU set A and D in the copy only. */
	*dom_pte(&doms[0], va) |= X86_MMU_A | X86_MMU_D;
	*dom_pte(&doms[0], va + 2 * PAGE) |= X86_MMU_A;
	zassert_equal(*host_pte(va) & (X86_MMU_A | X86_MMU_D), 0);
	zassert_equal(z_x86_domains_ad(va, false), X86_MMU_A | X86_MMU_D);
	zassert_equal(z_x86_domains_ad(va + PAGE, false), 0);

	/* One of two partitions in the table goes: the copy stays. */
	zassert_ok(arch_mem_domain_partition_remove(&doms[0], 1));
	doms[0].partitions[1].size = 0;
	zassert_equal(pool_free, free_with);
	zassert_equal(*dom_pte(&doms[0], va + 2 * PAGE) & ~(pentry_t)X86_MMU_A,
		      *host_pte(va + 2 * PAGE), "back to the kernel's entry, A kept");
	zassert_true((*dom_pte(&doms[0], va) & X86_MMU_US) != 0, "the other one stays");

	/* The last one goes: the copy is given back, its A/D in the kernel's entries. */
	zassert_ok(arch_mem_domain_partition_remove(&doms[0], 0));
	zassert_equal(pool_free, free_with + 1U);
	zassert_true(shares_kernel_pt(&doms[0], va));
	zassert_equal(*host_pte(va) & (X86_MMU_A | X86_MMU_D), X86_MMU_A | X86_MMU_D);
	zassert_equal(*host_pte(va + 2 * PAGE) & X86_MMU_A, X86_MMU_A);
	zassert_equal(*host_pte(va) & X86_MMU_US, 0);
}

ZTEST(x86_mem_domain, test_kernel_writes_reach_copies)
{
	uintptr_t va = PT_VA(1);
	pentry_t moved;

	kmap(va, 2, true);
	zassert_ok(arch_mem_domain_init(&doms[0]));
	zassert_ok(arch_mem_domain_init(&doms[1]));
	zassert_ok(add_part(&doms[0], 0, va, PAGE, RW_U_RW));
	zassert_ok(add_part(&doms[1], 0, va + PAGE, PAGE, RO_U_RO));
	*dom_pte(&doms[0], va) |= X86_MMU_A | X86_MMU_D;

	/* A page-out: not present, still the partition's (its permissions
	 * recorded for the page-in); then a page-in at another frame.
	 */
	arch_mem_page_out((void *)va, 0x5000);
	z_x86_domains_sync(va, *host_pte(va));
	zassert_equal(*dom_pte(&doms[0], va) & X86_MMU_P, 0, "dom 0 still maps it");
	zassert_true((*dom_pte(&doms[0], va) & X86_MMU_PART) != 0, "left its partition");
	zassert_equal(*dom_pte(&doms[1], va), *host_pte(va), "dom 1's plain copy");
	arch_mem_page_in((void *)va, FRAME + 0x10000);
	z_x86_domains_sync(va, *host_pte(va));
	moved = *dom_pte(&doms[0], va);
	zassert_equal(moved & X86_MMU_ADDR_MASK, (pentry_t)(FRAME + 0x10000));
	zassert_true((moved & X86_MMU_US) != 0, "derived again");
	zassert_equal(moved & (X86_MMU_A | X86_MMU_D), 0, "another frame: no A/D");
	zassert_equal(*dom_pte(&doms[1], va), *host_pte(va));

	/* Rewritten for the same frame: the copy's A/D stay. */
	*dom_pte(&doms[0], va) |= X86_MMU_D;
	z_x86_domains_sync(va, *host_pte(va));
	zassert_true((*dom_pte(&doms[0], va) & X86_MMU_D) != 0, "a dirty bit was lost");
	/* A/D gathered from every copy, A cleared there on request. */
	*dom_pte(&doms[1], va + PAGE) |= X86_MMU_A;
	zassert_equal(z_x86_domains_ad(va + PAGE, true), X86_MMU_A);
	zassert_equal(*dom_pte(&doms[1], va + PAGE) & X86_MMU_A, 0);
	zassert_equal(z_x86_domains_ad(va + PAGE, false), 0);

	/* Unmapped, the page leaves its partition for good: a later map there
	 * is the kernel's alone.
	 */
	arch_mem_unmap((void *)va, PAGE);
	z_x86_domains_sync(va, *host_pte(va));
	zassert_equal(*dom_pte(&doms[0], va), 0);
	kmap(va, 1, true);
	z_x86_domains_sync(va, *host_pte(va));
	zassert_equal(*dom_pte(&doms[0], va), *host_pte(va), "still user-accessible");
}

/* ---- user stacks -------------------------------------------------------------------------- */

ZTEST(x86_mem_domain, test_user_stack_is_the_domains)
{
	uintptr_t stack = PT_VA(2) + 4 * PAGE;
	struct k_thread *t = &threads[1];

	kmap(stack, 2, true);
	kmap(PT_VA(1), 1, true);
	zassert_ok(arch_mem_domain_init(&doms[0]));
	zassert_ok(arch_mem_domain_init(&doms[1]));
	t->stack_info.start = stack;
	t->stack_info.size = 2 * PAGE;
	t->mem_domain_info.mem_domain = &doms[0];

	/* A supervisor thread's stack is nobody's. */
	zassert_ok(arch_mem_domain_thread_add(t));
	zassert_true(shares_kernel_pt(&doms[0], stack));

	t->priv_stack_start = 1;
	zassert_ok(arch_mem_domain_thread_add(t));
	zassert_equal(tables_loads, 0, "not the running thread");
	for (uintptr_t va = stack; va < stack + 2 * PAGE; va += PAGE) {
		pentry_t e = *dom_pte(&doms[0], va);

		zassert_equal(e & (X86_MMU_US | X86_MMU_RW | X86_MMU_PART | X86_MMU_PART_W),
			      X86_MMU_US | X86_MMU_RW | X86_MMU_PART | X86_MMU_PART_W);
		zassert_equal(*dom_pte(&doms[1], va), *host_pte(va), "another domain's");
	}
	/* Initialised again, the domain drops its partitions, not its threads' stacks. */
	zassert_ok(add_part(&doms[0], 0, PT_VA(1), PAGE, RW_U_RW));
	zassert_ok(arch_mem_domain_init(&doms[0]));
	zassert_true(shares_kernel_pt(&doms[0], PT_VA(1)));
	zassert_true((*dom_pte(&doms[0], stack) & X86_MMU_US) != 0);

	/* Moved (new domain first), then out of the old one. */
	t->mem_domain_info.mem_domain = &doms[1];
	current = t;
	zassert_ok(arch_mem_domain_thread_add(t));
	zassert_equal_ptr(tables_loaded, t, "the running thread loads its new tables");
	t->mem_domain_info.mem_domain = &doms[0];
	zassert_ok(arch_mem_domain_thread_remove(t));
	zassert_true(shares_kernel_pt(&doms[0], stack), "the old domain gave its copy back");
	zassert_true((*dom_pte(&doms[1], stack) & X86_MMU_US) != 0);
}

ZTEST(x86_mem_domain, test_private_ranges)
{
	uintptr_t tables = (uintptr_t)z_x86_pagetables_start;

	zassert_true(arch_mem_domain_range_is_private((uintptr_t)pool, PAGE));
	zassert_true(arch_mem_domain_range_is_private((uintptr_t)pool + sizeof(pool) - 1U, 1));
	zassert_true(arch_mem_domain_range_is_private(tables - PAGE, 2 * PAGE));
	zassert_false(arch_mem_domain_range_is_private((uintptr_t)pool + sizeof(pool), PAGE));
	zassert_false(arch_mem_domain_range_is_private(tables + Z_X86_PAGETABLES_SIZE, PAGE));
}

ZTEST_SUITE(x86_mem_domain, NULL, NULL, before, NULL, NULL);
