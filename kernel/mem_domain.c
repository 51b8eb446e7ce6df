/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory domains (CONFIG_USERSPACE), the generic half: which partitions a
 * domain has and which threads are in it, every argument checked before
 * anything changes. The view of memory each domain gives its threads is the
 * architecture's (<arch/mem_domain.h>; x86: page tables per domain).
 *
 * A partition must be application memory: inside the K_APP_DMEM/K_APP_BMEM
 * area the linker collects (_app_smem_start.._app_smem_end), or inside the
 * usable part of one anonymous k_mem_map() region that is no thread's
 * stack or privileged stack. Everything else the kernel owns (text, data,
 * stacks, page tables, the page-frame database) is refused, so no
 * partition can hand kernel state to user mode.
 */
#include <app_memory/app_memdomain.h>
#include <app_memory/mem_domain.h>
#include <arch/mem_domain.h>
#include <ksched.h>
#include <mm_core.h>
#include <string.h>
#include <sys/errno.h>
#include <virt_region.h>

#ifdef CONFIG_USERSPACE

#define PAGE ((uintptr_t)CONFIG_MMU_PAGE_SIZE)

#define dom_err(fn, fmt, ...) printk("<err> mem_domain: %s: " fmt, fn, ##__VA_ARGS__)

extern char _app_smem_start[], _app_smem_end[];
extern struct z_app_region __app_regions_start[], __app_regions_end[];

struct k_mem_domain k_mem_domain_default;
static uint8_t max_partitions;

static bool inside(uintptr_t start, size_t size, uintptr_t lo, uintptr_t hi)
{
	return start >= lo && start <= hi && size <= hi - start;
}

/* [start, start + size) is page-aligned and does not wrap. */
static bool is_app_memory(uintptr_t start, size_t size)
{
	struct z_virt_region_span span;

	if (inside(start, size, (uintptr_t)_app_smem_start, (uintptr_t)_app_smem_end)) {
		return true;
	}
	if (!z_virt_is_anon_space((void *)start) || !z_virt_region_lookup((void *)start, &span) ||
	    span.owner != Z_VIRT_REGION_MAPPING || !span.anon) {
		return false;
	}
	/* The usable pages, between the region's two guard pages. */
	if (!inside(start, size, (uintptr_t)span.start + PAGE,
		    (uintptr_t)span.start + span.size - PAGE)) {
		return false;
	}
	return !z_thread_stacks_overlap(start, size) &&
	       !arch_mem_domain_range_is_private(start, size);
}

/* Whether part may join domain (its slots hold the partitions to compare with). */
static bool check_add_partition(const char *fn, const struct k_mem_domain *domain,
				const struct k_mem_partition *part)
{
	if (part == NULL) {
		dom_err(fn, "NULL partition\n");
		return false;
	}
	if (part->size == 0U) {
		dom_err(fn, "partition at 0x%lx has size 0\n", (unsigned long)part->start);
		return false;
	}
	if (part->start + part->size <= part->start) {
		dom_err(fn, "partition 0x%lx+0x%zx wraps\n", (unsigned long)part->start,
			part->size);
		return false;
	}
	if (((part->start | part->size) & (PAGE - 1U)) != 0U) {
		dom_err(fn, "partition 0x%lx+0x%zx is not page-aligned\n",
			(unsigned long)part->start, part->size);
		return false;
	}
	/* Only where the attributes can say "not executable" (x86: not with
	 * 32-bit paging, where every partition is executable).
	 */
	if (!K_MEM_PARTITION_IS_EXECUTABLE(K_MEM_PARTITION_P_RW_U_RW) &&
	    K_MEM_PARTITION_IS_WRITABLE(part->attr) && K_MEM_PARTITION_IS_EXECUTABLE(part->attr)) {
		dom_err(fn, "partition 0x%lx+0x%zx is writable and executable\n",
			(unsigned long)part->start, part->size);
		return false;
	}
	if ((part->attr & ~K_MEM_PARTITION_PERM_MASK) != 0U) {
		dom_err(fn, "partition 0x%lx+0x%zx: unknown attribute bits\n",
			(unsigned long)part->start, part->size);
		return false;
	}
	if (!is_app_memory(part->start, part->size)) {
		dom_err(fn, "partition 0x%lx+0x%zx is not application memory\n",
			(unsigned long)part->start, part->size);
		return false;
	}
	for (int i = 0; i < max_partitions; i++) {
		const struct k_mem_partition *d = &domain->partitions[i];

		if (d->size != 0U && part->start < d->start + d->size &&
		    d->start < part->start + part->size) {
			dom_err(fn, "partition 0x%lx+0x%zx overlaps 0x%lx+0x%zx\n",
				(unsigned long)part->start, part->size, (unsigned long)d->start,
				d->size);
			return false;
		}
	}
	return true;
}

static bool check_domain(const char *fn, const struct k_mem_domain *domain)
{
	if (domain == NULL || !arch_mem_domain_is_known(domain)) {
		dom_err(fn, "%s domain %p\n", domain == NULL ? "NULL" : "uninitialised",
			(void *)domain);
		return false;
	}
	return true;
}

int k_mem_domain_init(struct k_mem_domain *domain, uint8_t num_parts,
		      struct k_mem_partition *parts[])
{
	static const char fn[] = "k_mem_domain_init";
	struct k_mem_domain scratch; /* the partitions checked so far, for the overlap test */

	if (domain == NULL || (num_parts != 0U && parts == NULL) || num_parts > max_partitions) {
		dom_err(fn, "domain %p, %u partitions at %p (at most %u)\n", (void *)domain,
			num_parts, (void *)parts, max_partitions);
		return -EINVAL;
	}
	memset(scratch.partitions, 0, sizeof(scratch.partitions));
	for (uint8_t i = 0; i < num_parts; i++) {
		if (!check_add_partition(fn, &scratch, parts[i])) {
			return -EINVAL;
		}
		scratch.partitions[i] = *parts[i];
	}

	unsigned int key = irq_lock();
	bool known = arch_mem_domain_is_known(domain);
	int ret = arch_mem_domain_init(domain);

	if (ret != 0) {
		irq_unlock(key);
		dom_err(fn, "no page tables left for another domain\n");
		return -ENOMEM;
	}
	memset(domain->partitions, 0, sizeof(domain->partitions));
	domain->num_partitions = 0U;
	if (!known) {
		/* A domain initialised again keeps its threads. */
		sys_dlist_init(&domain->mem_domain_q);
	}
	for (uint8_t i = 0; i < num_parts; i++) {
		domain->partitions[i] = *parts[i];
		ret = arch_mem_domain_partition_add(domain, i);
		if (ret != 0) {
			/* Out of tables halfway: back to an empty domain. */
			(void)arch_mem_domain_init(domain);
			memset(domain->partitions, 0, sizeof(domain->partitions));
			irq_unlock(key);
			dom_err(fn, "no page tables left for partition %u\n", i);
			return ret;
		}
		domain->num_partitions++;
	}
	irq_unlock(key);
	return 0;
}

/* The slot of domain's partition with match's start and size, or (match
 * NULL) a free slot; -1 when there is none.
 */
static int slot_find(const struct k_mem_domain *domain, const struct k_mem_partition *match)
{
	for (int i = 0; i < max_partitions; i++) {
		const struct k_mem_partition *d = &domain->partitions[i];

		if (match == NULL ? d->size == 0U
				  : (d->size != 0U && d->start == match->start &&
				     d->size == match->size)) {
			return i;
		}
	}
	return -1;
}

int k_mem_domain_add_partition(struct k_mem_domain *domain, struct k_mem_partition *part)
{
	static const char fn[] = "k_mem_domain_add_partition";
	unsigned int key = irq_lock();
	int p_idx;
	int ret;

	if (!check_domain(fn, domain) || !check_add_partition(fn, domain, part)) {
		irq_unlock(key);
		return -EINVAL;
	}
	p_idx = slot_find(domain, NULL);
	if (p_idx < 0) {
		irq_unlock(key);
		dom_err(fn, "no free partition slot\n");
		return -ENOSPC;
	}
	struct k_mem_partition was = domain->partitions[p_idx];

	domain->partitions[p_idx] = *part;
	ret = arch_mem_domain_partition_add(domain, (uint32_t)p_idx);
	if (ret != 0) {
		domain->partitions[p_idx] = was; /* the free slot as it was, not a stale start */
		irq_unlock(key);
		dom_err(fn, "no page tables left\n");
		return ret;
	}
	domain->num_partitions++;
	irq_unlock(key);
	return 0;
}

int k_mem_domain_remove_partition(struct k_mem_domain *domain, struct k_mem_partition *part)
{
	static const char fn[] = "k_mem_domain_remove_partition";
	unsigned int key = irq_lock();
	int p_idx;

	if (!check_domain(fn, domain) || part == NULL) {
		irq_unlock(key);
		return -EINVAL;
	}
	p_idx = slot_find(domain, part);
	if (p_idx < 0) {
		irq_unlock(key);
		dom_err(fn, "no partition 0x%lx+0x%zx in domain %p\n", (unsigned long)part->start,
			part->size, (void *)domain);
		return -ENOENT;
	}
	(void)arch_mem_domain_partition_remove(domain, (uint32_t)p_idx);
	domain->partitions[p_idx].size = 0U;
	domain->num_partitions--;
	irq_unlock(key);
	return 0;
}

/* Interrupts locked. */
static void thread_leave(struct k_thread *thread)
{
	if (thread->mem_domain_info.mem_domain != NULL) {
		(void)arch_mem_domain_thread_remove(thread);
		sys_dlist_remove(&thread->mem_domain_info.mem_domain_q_node);
		thread->mem_domain_info.mem_domain = NULL;
	}
}

/*
 * Interrupts locked. Move thread to domain: the new domain's view first
 * (it can fail: -ENOMEM, the thread stays where it was), then the old one
 * lets go.
 */
static int thread_join(struct k_mem_domain *domain, struct k_thread *thread)
{
	struct k_mem_domain *old = thread->mem_domain_info.mem_domain;
	int ret;

	thread->mem_domain_info.mem_domain = domain;
	ret = arch_mem_domain_thread_add(thread);
	thread->mem_domain_info.mem_domain = old;
	if (ret != 0) {
		return ret;
	}
	thread_leave(thread);
	sys_dlist_append(&domain->mem_domain_q, &thread->mem_domain_info.mem_domain_q_node);
	thread->mem_domain_info.mem_domain = domain;
	return 0;
}

int k_mem_domain_add_thread(struct k_mem_domain *domain, struct k_thread *thread)
{
	static const char fn[] = "k_mem_domain_add_thread";
	unsigned int key = irq_lock();

	if (!check_domain(fn, domain)) {
		irq_unlock(key);
		return -EINVAL;
	}
	if (thread == NULL || !z_thread_is_live(thread)) {
		irq_unlock(key);
		dom_err(fn, "thread %p is not a live thread\n", (void *)thread);
		return -EINVAL;
	}
	int ret = 0;

	if (thread->mem_domain_info.mem_domain != domain) {
		ret = thread_join(domain, thread);
		if (ret != 0) {
			dom_err(fn, "no page tables left for thread %p's stack\n", (void *)thread);
		}
	}
	irq_unlock(key);
	return ret;
}

int z_mem_domain_init_thread(struct k_thread *thread)
{
	struct k_thread *parent = z_current;
	struct k_mem_domain *domain = &k_mem_domain_default;
	unsigned int key = irq_lock();
	int ret;

	/* The boot context and a thread that lost its domain give the default one. */
	if (parent != NULL && parent->mem_domain_info.mem_domain != NULL) {
		domain = parent->mem_domain_info.mem_domain;
	}
	thread->mem_domain_info.mem_domain = NULL;
	ret = thread_join(domain, thread);
	irq_unlock(key);
	return ret;
}

int z_mem_domain_thread_user(struct k_thread *thread)
{
	unsigned int key = irq_lock();
	int ret = arch_mem_domain_thread_add(thread);

	irq_unlock(key);
	return ret;
}

void z_mem_domain_exit_thread(struct k_thread *thread)
{
	unsigned int key = irq_lock();

	thread_leave(thread);
	irq_unlock(key);
}

void z_app_regions_init(void)
{
	for (struct z_app_region *r = __app_regions_start; r < __app_regions_end; r++) {
		r->partition->start = (uintptr_t)r->start;
		r->partition->size = (size_t)(r->end - r->start);
		/* K_APP_BMEM() objects start zeroed even when given a value. */
		memset(r->bss_start, 0, (size_t)(r->end - r->bss_start));
	}
}

void z_mem_domain_module_init(void)
{
	z_app_regions_init();
	max_partitions =
		(uint8_t)MIN(arch_mem_domain_max_partitions_get(), CONFIG_MAX_DOMAIN_PARTITIONS);
	if (k_mem_domain_init(&k_mem_domain_default, 0, NULL) != 0) {
		k_panic();
	}
}

#endif /* CONFIG_USERSPACE */
