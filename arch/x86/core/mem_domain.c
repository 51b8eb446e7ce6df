/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory domains on x86 (<arch/mem_domain.h>): page tables per domain.
 *
 * A domain's tables are the kernel's except where it has partitions. It
 * owns a copy of the upper levels that lead to the kernel window (made at
 * arch_mem_domain_init(): 1 page with 32-bit paging, 2 with PAE, 3 on
 * x86_64) and, for each page table of the window in which it has a
 * partition, a copy of that page table; every other link points at the
 * kernel's own tables, shared by all. An entry of a domain's copy is the
 * kernel's entry, except on a partition's pages, where it is
 * domain_entry(): US as the attribute says, RW only if both the kernel's
 * mapping and the attribute allow it, XD if either has it.
 *
 * The kernel's tables stay the master: mmu.c writes them, and every write
 * to a page table some domain has copied is repeated in the copies
 * (z_x86_domains_sync()), so a page-out, page-in, map or unmap reaches
 * every domain at once; the accessed and dirty bits the CPU sets in a copy
 * are gathered by arch_page_info_get() (z_x86_domains_ad()) and kept when
 * an entry is rewritten for the same frame. Tables come from one pool in
 * the image (CONFIG_X86_MEM_DOMAIN_TABLE_PAGES); an exhausted pool is
 * -ENOMEM with nothing changed.
 *
 * CR3 holds the running thread's domain's tables; arch_user_switch()
 * reloads it only when the next thread's domain has other tables. No entry
 * is global, so the reload drops every translation of the old domain.
 *
 * With CONFIG_X86_KPTI a domain's tables are user mode's view only: the
 * kernel runs on its own tables (nothing user-accessible there, kpti.c),
 * and the trampoline loads the domain's on each return to ring 3. Where a
 * domain has no page table of its own it links the user view's copy of
 * the kernel's (user_base[]): the kernel's entries that user mode may use
 * (US: text, rodata, K_MEM_PERM_USER maps), the trampoline's pages
 * supervisor-only, nothing else; links outside the window are cleared.
 */
#include <app_memory/mem_domain.h>
#include <arch/mem_domain.h>
#include <arch/mm.h>
#include <arch/syscall.h>
#include <kernel.h>
#include <string.h>
#include <sys/errno.h>
#include <x86_mmu.h>

#ifdef CONFIG_USERSPACE

#define PAGE       ((uintptr_t)CONFIG_MMU_PAGE_SIZE)
#define SLOTS      (CONFIG_X86_MAX_ADDITIONAL_MEM_DOMAINS + 1)
#define POOL_PAGES CONFIG_X86_MEM_DOMAIN_TABLE_PAGES
#define LEAF       Z_X86_LEAF_LEVEL
#define PERM_BITS  (X86_MMU_US | X86_MMU_RW | X86_MMU_XD)
#define AD_BITS    (X86_MMU_A | X86_MMU_D)

/* Upper-level tables below the top one that cover the window. */
#define WINDOW_TABLES(shift) ((Z_X86_VM_LAST >> (shift)) - (Z_X86_VM_FIRST >> (shift)) + 1U)
#if Z_X86_NUM_LEVELS == 4
#define UPPER_PAGES (1U + WINDOW_TABLES(Z_X86_LEVEL0_SHIFT) + WINDOW_TABLES(Z_X86_LEVEL1_SHIFT))
#elif Z_X86_NUM_LEVELS == 3
#define UPPER_PAGES (1U + WINDOW_TABLES(Z_X86_LEVEL0_SHIFT))
#else
#define UPPER_PAGES 1U
#endif

extern char z_x86_pagetables_start[];

pentry_t *z_x86_current_ptables = (pentry_t *)z_x86_pagetables_start;
uint8_t z_x86_pt_copies[Z_X86_WINDOW_PTS];
size_t z_x86_pt_copies_total;

/* The pool, and per page of it, which partition (index + 1, 0 none) each
 * entry of a domain's page table belongs to, or STACK_OWNER: a page of a
 * user thread's stack, of a thread in the domain.
 */
#define STACK_OWNER 0xFFU
static uint8_t pool[POOL_PAGES][CONFIG_MMU_PAGE_SIZE] __aligned(CONFIG_MMU_PAGE_SIZE);
static uint8_t pool_part[POOL_PAGES][CONFIG_MMU_PAGE_SIZE / sizeof(pentry_t)];
static bool pool_used[POOL_PAGES];
static size_t pool_free = POOL_PAGES;

BUILD_ASSERT(CONFIG_MAX_DOMAIN_PARTITIONS < STACK_OWNER,
	     "pool_part holds partition index + 1 in a byte, below STACK_OWNER");

#ifdef CONFIG_X86_KPTI
static pentry_t user_base[Z_X86_WINDOW_PTS][CONFIG_MMU_PAGE_SIZE / sizeof(pentry_t)] __aligned(
	CONFIG_MMU_PAGE_SIZE);

static bool in_trampoline(uintptr_t va)
{
	return (va >= (uintptr_t)z_x86_trampoline_start && va < (uintptr_t)z_x86_trampoline_end) ||
	       (va >= (uintptr_t)z_x86_trampoline_data_start &&
		va < (uintptr_t)z_x86_trampoline_data_end);
}

/* What user mode's view holds for the kernel's entry k of window page va
 * outside partitions (a paged-out entry keeps its US, so a user page
 * paged out stays one the fault path may bring back).
 */
static pentry_t user_view(uintptr_t va, pentry_t k)
{
	if (in_trampoline(va)) {
		return k & ~X86_MMU_US; /* SMEP: the kernel runs it on user mode's tables */
	}
	return (k & X86_MMU_US) != 0 ? k : 0;
}

uint16_t z_x86_pt_synced[Z_X86_WINDOW_PTS];

/* The window page table a domain links where it has no copy of its own. */
#define SHARED_PT(j) ((pentry_t *)user_base[j])
#else
static pentry_t user_view(uintptr_t va, pentry_t k)
{
	ARG_UNUSED(va);
	return k;
}

#define SHARED_PT(j) (z_x86_window_pts[j])
#endif

/* The address of entry e of window page table j. */
static uintptr_t window_va(size_t j, unsigned int e)
{
	return ((((uintptr_t)CONFIG_KERNEL_VM_BASE >> Z_X86_PT_SHIFT) + j) << Z_X86_PT_SHIFT) +
	       (uintptr_t)e * PAGE;
}

static struct domain_tables {
	struct k_mem_domain *owner;
	pentry_t *top;
	pentry_t *pts[Z_X86_WINDOW_PTS]; /* its own copy of a window page table, or NULL */
} slots[SLOTS];

static pentry_t *pool_take(void)
{
	for (size_t i = 0; i < POOL_PAGES; i++) {
		if (!pool_used[i]) {
			pool_used[i] = true;
			pool_free--;
			return (pentry_t *)pool[i];
		}
	}
	__ASSERT(false, "the caller checked pool_free");
	return NULL;
}

static size_t pool_index(const pentry_t *table)
{
	return (size_t)((const uint8_t *)table - pool[0]) / PAGE;
}

static void pool_give(pentry_t *table)
{
	pool_used[pool_index(table)] = false;
	pool_free++;
}

static struct domain_tables *slot_of(const struct k_mem_domain *domain)
{
	if (domain->arch.slot < SLOTS && slots[domain->arch.slot].owner == domain) {
		return &slots[domain->arch.slot];
	}
	return NULL;
}

/* A window address inside page table j of the window. */
static uintptr_t pt_address(size_t j)
{
	uintptr_t va = (((uintptr_t)CONFIG_KERNEL_VM_BASE >> Z_X86_PT_SHIFT) + j) << Z_X86_PT_SHIFT;

	return MAX(va, (uintptr_t)CONFIG_KERNEL_VM_BASE);
}

/* What a domain's copy holds for kernel entry k on a page of a partition with attr. */
static pentry_t domain_entry(pentry_t k, k_mem_partition_attr_t attr)
{
	pentry_t r;

	if (k == 0) {
		return 0;
	}
	r = (k & ~PERM_BITS) | X86_MMU_PART | ((pentry_t)attr & X86_MMU_US) |
	    (k & (pentry_t)attr & X86_MMU_RW) | ((k | (pentry_t)attr) & X86_MMU_XD);
	if (((pentry_t)attr & (X86_MMU_US | X86_MMU_RW)) == (X86_MMU_US | X86_MMU_RW)) {
		r |= X86_MMU_PART_W;
	}
	return r;
}

/* Rewrite one entry of a domain's copy; keep the A/D bits the CPU set there
 * while it mapped the same frame (the dirty bit must not be lost).
 */
static void copy_entry_set(pentry_t *at, pentry_t value)
{
	pentry_t old = *at;

	if ((old & value & X86_MMU_P) != 0 && ((old ^ value) & X86_MMU_ADDR_MASK) == 0) {
		value |= old & AD_BITS;
	}
	z_x86_entry_write(at, value);
}

#ifdef CONFIG_X86_KPTI
/* Entry e of user_base[j] becomes v (keeping the A/D bits of the same frame). */
static void user_base_set(size_t j, unsigned int e, pentry_t v)
{
	z_x86_pt_synced[j] = (uint16_t)(z_x86_pt_synced[j] + (v != 0 ? 1U : 0U) -
					(user_base[j][e] != 0 ? 1U : 0U));
	copy_entry_set(&user_base[j][e], v);
}
#endif

static pentry_t derived(const struct domain_tables *s, size_t j, unsigned int e, pentry_t k)
{
	uint8_t part = pool_part[pool_index(s->pts[j])][e];

	if (part == 0U) {
		return user_view(window_va(j, e), k);
	}
	return domain_entry(k, part == STACK_OWNER ? K_MEM_PARTITION_P_RW_U_RW
						   : s->owner->partitions[part - 1U].attr);
}

void z_x86_domains_sync(uintptr_t virt, pentry_t value)
{
	size_t j = z_x86_window_pt_index(virt);
	unsigned int e = z_x86_entry_index(virt, LEAF);

#ifdef CONFIG_X86_KPTI
	user_base_set(j, e, user_view(virt, value));
#endif
	for (size_t i = 0; i < SLOTS; i++) {
		struct domain_tables *s = &slots[i];

		if (s->owner != NULL && s->pts[j] != NULL) {
			if (value == 0) {
				/* Unmapped: the page leaves its partition (or stack) for
				 * good, so whatever the kernel maps there next is the
				 * kernel's alone.
				 */
				pool_part[pool_index(s->pts[j])][e] = 0;
			}
			copy_entry_set(&s->pts[j][e], derived(s, j, e, value));
		}
	}
}

pentry_t z_x86_domains_ad(uintptr_t virt, bool clear_accessed)
{
	size_t j = z_x86_window_pt_index(virt);
	unsigned int e = z_x86_entry_index(virt, LEAF);
	pentry_t ad = 0;

#ifdef CONFIG_X86_KPTI
	/* User mode touched a K_MEM_PERM_USER page through the shared view. */
	if ((user_base[j][e] & X86_MMU_P) != 0) {
		ad |= user_base[j][e] & AD_BITS;
		if (clear_accessed && (user_base[j][e] & X86_MMU_A) != 0) {
			z_x86_entry_write(&user_base[j][e], user_base[j][e] & ~X86_MMU_A);
		}
	}
#endif
	for (size_t i = 0; i < SLOTS; i++) {
		struct domain_tables *s = &slots[i];

		if (s->owner != NULL && s->pts[j] != NULL) {
			pentry_t value = s->pts[j][e];

			if ((value & X86_MMU_P) != 0) {
				ad |= value & AD_BITS;
				if (clear_accessed && (value & X86_MMU_A) != 0) {
					z_x86_entry_write(&s->pts[j][e], value & ~X86_MMU_A);
				}
			}
		}
	}
	/* The caller invalidates the TLB entry when it saw A set. */
	return ad;
}

/* Copy ktable (level level, mapping from base) and, below it, every
 * upper-level table that leads to the window. With KPTI (user mode's
 * view) only the window stays, linked to user_base[] with US (the
 * kernel's own links have none, kpti.c).
 */
static pentry_t *copy_upper(const pentry_t *ktable, unsigned int level, uint64_t base)
{
	pentry_t *copy = pool_take();
	unsigned int shift = z_x86_paging_levels[level].shift;
	/* PAE PDPTEs have no US bit. */
	pentry_t us = (IS_ENABLED(CONFIG_X86_KPTI) && !(IS_ENABLED(CONFIG_X86_PAE) && level == 0))
			      ? X86_MMU_US
			      : 0;

	memcpy(copy, ktable, PAGE);
	if (!IS_ENABLED(CONFIG_X86_KPTI) && level + 1U >= LEAF) {
		return copy;
	}
	for (unsigned int i = 0; i < z_x86_paging_levels[level].entries; i++) {
		uint64_t lo = base + ((uint64_t)i << shift);
		uint64_t hi = lo + ((1ULL << shift) - 1U);
		pentry_t *child;

		if (hi < Z_X86_VM_FIRST || lo > Z_X86_VM_LAST) {
			if (IS_ENABLED(CONFIG_X86_KPTI)) {
				copy[i] = 0;
			}
			continue;
		}
		if (level + 1U < LEAF) {
			child = copy_upper(z_x86_next_table(ktable[i]), level + 1U, lo);
		} else {
			child = SHARED_PT(
				z_x86_window_pt_index((uintptr_t)MAX(lo, Z_X86_VM_FIRST)));
		}
		copy[i] = (ktable[i] & ~X86_MMU_ADDR_MASK) | (pentry_t)z_x86_table_phys(child) | us;
	}
	return copy;
}

/* The entry of a domain's tables that links the page table covering virt. */
static pentry_t *pt_link(const struct domain_tables *s, uintptr_t virt)
{
	pentry_t *table = s->top;

	Z_X86_UNROLL_LEVELS
	for (unsigned int i = 0; i + 1U < LEAF; i++) {
		table = z_x86_next_table(table[z_x86_entry_index(virt, i)]);
	}
	return &table[z_x86_entry_index(virt, LEAF - 1U)];
}

static void relink(const struct domain_tables *s, size_t j, const pentry_t *pt)
{
	pentry_t *link = pt_link(s, pt_address(j));

	z_x86_entry_write(link, (*link & ~X86_MMU_ADDR_MASK) | (pentry_t)z_x86_table_phys(pt));
}

/* Give s its own copy of window page table j (a pool page is free). */
static void pt_make_private(struct domain_tables *s, size_t j)
{
	pentry_t *pt = pool_take();

	memcpy(pt, SHARED_PT(j), PAGE);
	memset(pool_part[pool_index(pt)], 0, sizeof(pool_part[0]));
	s->pts[j] = pt;
	z_x86_pt_copies[j]++;
	z_x86_pt_copies_total++;
#ifdef CONFIG_X86_KPTI
	z_x86_pt_synced[j]++;
#endif
	relink(s, j, pt);
}

/* Back to the kernel's page table j; the copy's A/D bits go to the kernel's entries. */
static void pt_release(struct domain_tables *s, size_t j)
{
	pentry_t *pt = s->pts[j];
	pentry_t *kpt = z_x86_window_pts[j];

	relink(s, j, SHARED_PT(j));
	for (unsigned int e = 0; e < Z_X86_PT_ENTRIES; e++) {
		if ((pt[e] & kpt[e] & X86_MMU_P) != 0 &&
		    ((pt[e] ^ kpt[e]) & X86_MMU_ADDR_MASK) == 0) {
			kpt[e] |= pt[e] & AD_BITS;
		}
	}
	s->pts[j] = NULL;
	z_x86_pt_copies[j]--;
	z_x86_pt_copies_total--;
#ifdef CONFIG_X86_KPTI
	z_x86_pt_synced[j]--;
#endif
	pool_give(pt);
}

/* Make changes to s's tables visible now: the running thread may use them.
 * With KPTI the kernel never runs on them, and every return to user mode
 * loads them afresh.
 */
static void tables_changed(const struct domain_tables *s)
{
	if (!IS_ENABLED(CONFIG_X86_KPTI) && s->top == z_x86_current_ptables) {
		z_x86_cr3_set(z_x86_table_phys(s->top));
	}
}

/* Give [start, end) (page-aligned, in the window) to owner in s's tables
 * with attr: 0, or -ENOMEM with nothing changed when the page tables it
 * needs are not left.
 */
static int range_add(struct domain_tables *s, uintptr_t start, uintptr_t end, uint8_t owner,
		     k_mem_partition_attr_t attr)
{
	size_t need = 0;

	for (size_t j = z_x86_window_pt_index(start); j <= z_x86_window_pt_index(end - 1U); j++) {
		need += (s->pts[j] == NULL) ? 1U : 0U;
	}
	if (need > pool_free) {
		return -ENOMEM;
	}
	for (uintptr_t va = start; va != end; va += PAGE) {
		size_t j = z_x86_window_pt_index(va);
		unsigned int e = z_x86_entry_index(va, LEAF);

		if (s->pts[j] == NULL) {
			pt_make_private(s, j);
		}
		pool_part[pool_index(s->pts[j])][e] = owner;
		copy_entry_set(&s->pts[j][e], domain_entry(z_x86_window_pts[j][e], attr));
	}
	return 0;
}

/* The kernel's entries again for the pages of [start, end) that owner
 * (any owner but STACK_OWNER: keep_stacks) has in s's tables; a copied
 * page table left with no owned entry goes back to the kernel's.
 */
static void range_remove(struct domain_tables *s, uintptr_t start, uintptr_t end, bool keep_stacks)
{
	for (uintptr_t va = start; va != end; va += PAGE) {
		size_t j = z_x86_window_pt_index(va);
		unsigned int e = z_x86_entry_index(va, LEAF);
		uint8_t *owners;

		if (s->pts[j] == NULL) {
			/* Nothing of s's here: on past this page table's last page. */
			uintptr_t last = va | (((uintptr_t)1 << Z_X86_PT_SHIFT) - PAGE);

			if (last - va >= (end - PAGE) - va) {
				break;
			}
			va = last;
			continue;
		}
		owners = pool_part[pool_index(s->pts[j])];
		if (owners[e] != 0U && !(keep_stacks && owners[e] == STACK_OWNER)) {
			owners[e] = 0;
			copy_entry_set(&s->pts[j][e], user_view(va, z_x86_window_pts[j][e]));
		}
		/* Leaving this page table: give it back if nothing in it is owned. */
		if (va + PAGE == end || z_x86_window_pt_index(va + PAGE) != j) {
			bool any = false;

			for (unsigned int i = 0; i < Z_X86_PT_ENTRIES && !any; i++) {
				any = owners[i] != 0U;
			}
			if (!any) {
				pt_release(s, j);
			}
		}
	}
}

int arch_mem_domain_max_partitions_get(void)
{
	return CONFIG_MAX_DOMAIN_PARTITIONS;
}

bool arch_mem_domain_is_known(const struct k_mem_domain *domain)
{
	return slot_of(domain) != NULL;
}

int arch_mem_domain_init(struct k_mem_domain *domain)
{
	struct domain_tables *s = slot_of(domain);

	if (s != NULL) {
		/* Known: drop its partitions; its threads' stacks stay. */
		range_remove(s, (uintptr_t)CONFIG_KERNEL_VM_BASE,
			     (uintptr_t)ARCH_SCRATCH_PAGE + PAGE, true);
		tables_changed(s);
		return 0;
	}
	for (size_t i = 0; i < SLOTS && s == NULL; i++) {
		if (slots[i].owner == NULL) {
			s = &slots[i];
		}
	}
	if (s == NULL || pool_free < UPPER_PAGES) {
		return -ENOMEM;
	}
	memset(s, 0, sizeof(*s));
	s->owner = domain;
	s->top = copy_upper(z_x86_top_table(), 0, 0);
	domain->arch.ptables = s->top;
	domain->arch.slot = (uint8_t)(s - slots);
	return 0;
}

int arch_mem_domain_partition_add(struct k_mem_domain *domain, uint32_t partition_id)
{
	struct domain_tables *s = slot_of(domain);
	const struct k_mem_partition *part = &domain->partitions[partition_id];
	int ret;

	__ASSERT(s != NULL, "unknown domain %p", domain);
	ret = range_add(s, part->start, part->start + part->size, (uint8_t)(partition_id + 1U),
			part->attr);
	if (ret == 0) {
		tables_changed(s);
	}
	return ret;
}

int arch_mem_domain_partition_remove(struct k_mem_domain *domain, uint32_t partition_id)
{
	struct domain_tables *s = slot_of(domain);
	const struct k_mem_partition *part = &domain->partitions[partition_id];

	__ASSERT(s != NULL, "unknown domain %p", domain);
	range_remove(s, part->start, part->start + part->size, true);
	tables_changed(s);
	return 0;
}

/* The pages of thread's stack when it is a user thread (it has a
 * privileged stack): user-accessible in its domain's tables only.
 */
static bool user_stack(const struct k_thread *thread, uintptr_t *start, uintptr_t *end)
{
	if (thread->priv_stack_start == 0U) {
		return false;
	}
	*start = ROUND_DOWN(thread->stack_info.start, PAGE);
	*end = ROUND_UP(thread->stack_info.start + thread->stack_info.size, PAGE);
	return true;
}

int arch_mem_domain_thread_add(struct k_thread *thread)
{
	struct domain_tables *s = slot_of(thread->mem_domain_info.mem_domain);
	uintptr_t start;
	uintptr_t end;

	__ASSERT(s != NULL, "thread %p: unknown domain", thread);
	if (user_stack(thread, &start, &end)) {
		int ret = range_add(s, start, end, STACK_OWNER, K_MEM_PARTITION_P_RW_U_RW);

		if (ret != 0) {
			return ret;
		}
		tables_changed(s);
	}
	if (thread == k_current_get()) {
		z_x86_tables_load(thread);
	}
	return 0;
}

int arch_mem_domain_thread_remove(struct k_thread *thread)
{
	struct domain_tables *s = slot_of(thread->mem_domain_info.mem_domain);
	uintptr_t start;
	uintptr_t end;

	/* Its stack leaves the domain's tables (a move: thread_add put it in
	 * the new domain's first).
	 */
	if (s != NULL && user_stack(thread, &start, &end)) {
		range_remove(s, start, end, false);
		tables_changed(s);
	}
	return 0;
}

bool arch_mem_domain_range_is_private(uintptr_t start, size_t size)
{
	uintptr_t tables = (uintptr_t)z_x86_pagetables_start;

	return (start < (uintptr_t)pool + sizeof(pool) && (uintptr_t)pool < start + size) ||
#ifdef CONFIG_X86_KPTI
	       (start < (uintptr_t)user_base + sizeof(user_base) &&
		(uintptr_t)user_base < start + size) ||
#endif
	       (start < tables + (uintptr_t)Z_X86_PAGETABLES_SIZE && tables < start + size);
}

#ifdef CONFIG_X86_KPTI
void z_x86_user_base_init(void)
{
	for (size_t j = 0; j < Z_X86_WINDOW_PTS; j++) {
		for (unsigned int e = 0; e < Z_X86_PT_ENTRIES; e++) {
			user_base_set(j, e, user_view(window_va(j, e), z_x86_window_pts[j][e]));
		}
	}
}

bool z_x86_kpti_kept(uintptr_t va)
{
	return in_trampoline(va);
}
#endif

#endif /* CONFIG_USERSPACE */
