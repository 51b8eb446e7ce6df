/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory domains (CONFIG_USERSPACE), with the reference RTOS's names,
 * signatures and return codes: a domain is a set of memory partitions
 * (page-aligned ranges with an access attribute) that its user threads may
 * touch. Every thread belongs to one domain: its creator's, or
 * k_mem_domain_default for threads created at boot. On x86 each domain has
 * page tables of its own (docs/ARCHITECTURE.md, "User mode"); the calls
 * change them at once, for running threads too. README.md lists where
 * Pagoda differs from the reference.
 */
#ifndef PAGODA_INCLUDE_APP_MEMORY_MEM_DOMAIN_H
#define PAGODA_INCLUDE_APP_MEMORY_MEM_DOMAIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/dlist.h>

#ifdef CONFIG_USERSPACE
#include <arch/x86/mmustructs.h>

struct k_thread;

/* A page-aligned range and what the domain's threads may do there (the
 * K_MEM_PARTITION_P_*_U_* attributes of <arch/x86/mmustructs.h>).
 */
struct k_mem_partition {
	uintptr_t start;
	size_t size;
	k_mem_partition_attr_t attr;
};

/* Define a partition over [start, start + size). */
#define K_MEM_PARTITION_DEFINE(name, start, size, attr)                                            \
	struct k_mem_partition name = {(uintptr_t)(start), (size), (attr)}

struct k_mem_domain {
	struct arch_mem_domain arch;
	/* A slot of size 0 is free. */
	struct k_mem_partition partitions[CONFIG_MAX_DOMAIN_PARTITIONS];
	sys_dlist_t mem_domain_q; /* its threads (k_thread.mem_domain_info) */
	uint8_t num_partitions;
};

/* A thread's place in its domain. */
struct _mem_domain_info {
	sys_dnode_t mem_domain_q_node;
	struct k_mem_domain *mem_domain;
};

/* The domain of the threads created at boot, and of their descendants
 * unless moved elsewhere. Starts empty (ztest adds ztest_mem_partition).
 */
extern struct k_mem_domain k_mem_domain_default;

/*
 * Initialise domain with num_parts partitions from parts[] (NULL when 0).
 * 0; -EINVAL for a NULL domain, parts NULL with num_parts > 0, more
 * partitions than arch_mem_domain_max_partitions_get(), or any partition
 * k_mem_domain_add_partition() would refuse; -ENOMEM when the architecture
 * has no page tables left for another domain or for the partitions. On
 * an error a new domain stays unusable, and a domain initialised again
 * (keeping its threads) is as it was, except after -ENOMEM while adding
 * the partitions: that leaves the domain initialised with none (a new one
 * keeps its tables, as the reference leaves it initialised).
 */
int k_mem_domain_init(struct k_mem_domain *domain, uint8_t num_parts,
		      struct k_mem_partition *parts[]);

/*
 * Add a copy of *part to domain: its threads may use it at once. 0;
 * -EINVAL for a NULL or unknown domain, a NULL partition, size 0, a range
 * that wraps or is not page-aligned, writable and executable, overlapping
 * one of the domain's partitions, or not application memory (see README:
 * anything but K_APP_DMEM/K_APP_BMEM data or k_mem_map() memory, e.g.
 * kernel text, data, stacks, page tables, the page-frame database);
 * -ENOSPC when the domain has no free partition slot; -ENOMEM when the
 * page-table pool is exhausted. Nothing changes on an error.
 */
int k_mem_domain_add_partition(struct k_mem_domain *domain, struct k_mem_partition *part);

/*
 * Remove the partition with part's start and size from domain: its
 * threads lose access at once. 0; -EINVAL for a NULL or unknown domain or
 * NULL part; -ENOENT when the domain has no such partition.
 */
int k_mem_domain_remove_partition(struct k_mem_domain *domain, struct k_mem_partition *part);

/*
 * Move thread to domain (from whichever it was in); takes effect at once,
 * on a running thread too; a user thread's stack moves with it. 0;
 * -EINVAL for a NULL or unknown domain, a NULL thread or one that is not
 * alive; -ENOMEM when the domain has no page tables left for the thread's
 * stack (it stays where it was).
 */
int k_mem_domain_add_thread(struct k_mem_domain *domain, struct k_thread *thread);

/* Kernel-internal: a new thread joins its creator's domain (the default
 * domain's at boot; -ENOMEM when its user stack finds no page tables
 * there); a thread entering user mode gets its stack into its domain's
 * view (0 or -ENOMEM); a dead thread leaves its domain; the default
 * domain is made before the first thread.
 */
int z_mem_domain_init_thread(struct k_thread *thread);
int z_mem_domain_thread_user(struct k_thread *thread);
void z_mem_domain_exit_thread(struct k_thread *thread);
void z_mem_domain_module_init(void);

#endif /* CONFIG_USERSPACE */

#endif /* PAGODA_INCLUDE_APP_MEMORY_MEM_DOMAIN_H */
