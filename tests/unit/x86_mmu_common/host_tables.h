/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel's page tables on the host, for the x86 unit tests
 * (walker_tests.c, tests/unit/x86_mem_domain_*): built as gen_mmu.py builds
 * them for the window (top table first, every table of the window linked)
 * but with the lower tables in reverse order, at small "physical"
 * addresses; and the TLB invalidations the code under test issues.
 */
#ifndef PAGODA_TESTS_UNIT_X86_MMU_COMMON_HOST_TABLES_H
#define PAGODA_TESTS_UNIT_X86_MMU_COMMON_HOST_TABLES_H

#include <stddef.h>
#include <stdint.h>
#include <x86_mmu.h>

#define HOST_MAX_FLUSHES 4096

/* Every z_x86_host_invlpg() since the count was last set to 0. */
extern uintptr_t host_flushes[HOST_MAX_FLUSHES];
extern size_t host_num_flushes;

/* Fresh tables for the whole window, nothing mapped; then z_x86_mmu_init(). */
void host_tables_build(void);

/* The leaf entry of window page va, by a walk of the test's own. */
pentry_t *host_pte(uintptr_t va);

#endif /* PAGODA_TESTS_UNIT_X86_MMU_COMMON_HOST_TABLES_H */
