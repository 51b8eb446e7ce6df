/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architecture interface for memory domains (CONFIG_USERSPACE), the
 * reference's arch_mem_domain_* calls. The kernel (kernel/mem_domain.c)
 * keeps the partitions and the threads of each domain and validates every
 * argument; the architecture keeps each domain's view of memory (x86: page
 * tables of its own, arch/x86/core/mem_domain.c) and makes every change
 * effective before it returns, TLB included, for the running thread too.
 * Called with interrupts locked. Declarations only.
 */
#ifndef PAGODA_INCLUDE_ARCH_MEM_DOMAIN_H
#define PAGODA_INCLUDE_ARCH_MEM_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k_mem_domain;
struct k_thread;

/* Partitions one domain can hold (at most CONFIG_MAX_DOMAIN_PARTITIONS). */
int arch_mem_domain_max_partitions_get(void);

/*
 * Give domain (which has no partitions) its own view of memory, the
 * kernel's. Called again on a domain it knows, it drops every partition.
 * 0, or -ENOMEM when no tables are left (nothing changed).
 */
int arch_mem_domain_init(struct k_mem_domain *domain);

/*
 * Make domain->partitions[partition_id] (checked by the kernel: page
 * aligned, inside the kernel window, no overlap in the domain) accessible
 * as its attribute says. 0, or -ENOMEM when the tables it needs are not
 * left (nothing changed).
 */
int arch_mem_domain_partition_add(struct k_mem_domain *domain, uint32_t partition_id);

/* Undo arch_mem_domain_partition_add() for partition_id (still in the array). 0. */
int arch_mem_domain_partition_remove(struct k_mem_domain *domain, uint32_t partition_id);

/*
 * thread->mem_domain_info.mem_domain is the domain thread joins (or is in,
 * when it has just entered user mode): a user thread's stack becomes
 * user-accessible in that domain's view (in no other: threads of one
 * domain share their stacks, as in the reference), and thread uses that
 * view from now on (at once when it is the running thread). 0, or
 * -ENOMEM with nothing changed when the tables for the stack are not left.
 */
int arch_mem_domain_thread_add(struct k_thread *thread);

/* thread is leaving its domain (to another, which thread_add already
 * prepared, or dead): its stack leaves that domain's view. 0.
 */
int arch_mem_domain_thread_remove(struct k_thread *thread);

/* Pagoda extension: whether domain went through arch_mem_domain_init()
 * (so a never-initialised domain is refused, not used).
 */
bool arch_mem_domain_is_known(const struct k_mem_domain *domain);

/*
 * Pagoda extension: whether [start, start + size) (page-aligned) holds
 * memory the architecture keeps for itself (page tables, a domain's
 * tables), which no partition may cover.
 */
bool arch_mem_domain_range_is_private(uintptr_t start, size_t size);

#endif /* PAGODA_INCLUDE_ARCH_MEM_DOMAIN_H */
