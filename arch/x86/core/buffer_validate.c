/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch_buffer_validate() (<arch/syscall.h>): may user mode read (or write)
 * a range, by the page tables of the running thread's memory domain (the
 * ones CR3 holds). Also built for the host walker tests
 * (tests/unit/x86_mmu_*), over in-memory tables.
 *
 * A page counts by what user mode may do once it is in: a paged-out page
 * by the permissions its entry keeps for the page-in, a demand-mapped page
 * still on the shared zero frame as writable when its mapping is (and the
 * domain's partition, if any, lets user mode write). The copy then faults
 * the page in, so a system call never fails because memory was paged out.
 * The user-mode fault path asks the same question
 * (z_x86_user_fault_resolvable()).
 */
#include <arch/mm.h>
#include <arch/syscall.h>
#include <kernel.h>
#include <x86_mmu.h>

#if defined(CONFIG_USERSPACE) || defined(Z_X86_MMU_HOST_TEST)

#define PAGE ((uintptr_t)CONFIG_MMU_PAGE_SIZE)

static bool beyond_walk(uintptr_t last)
{
#ifdef CONFIG_X86_64
	return ((uint64_t)last >> 47) != 0U;
#else
	return ((uint64_t)last >> 32) != 0U;
#endif
}

/* The entry that maps va in the current tables (a page-table entry, or a
 * large page at *level) when every level above lets user mode through (P,
 * US, RW for a write); NULL otherwise.
 */
static pentry_t *user_leaf(uintptr_t va, bool write, unsigned int *level)
{
	pentry_t *table = z_x86_current_top();

	Z_X86_UNROLL_LEVELS
	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		pentry_t *at = &table[z_x86_entry_index(va, i)];
		pentry_t value = *at;
		/* PAE PDPTEs have neither US nor RW: they restrict nothing. */
		bool pae_pdpte = IS_ENABLED(CONFIG_X86_PAE) && i == 0;

		if (i == Z_X86_LEAF_LEVEL ||
		    ((value & X86_MMU_P) != 0 && z_x86_is_leaf(value, i))) {
			*level = i;
			return at;
		}
		if ((value & X86_MMU_P) == 0 ||
		    (!pae_pdpte &&
		     ((value & X86_MMU_US) == 0 || (write && (value & X86_MMU_RW) == 0)))) {
			return NULL;
		}
		table = z_x86_next_table(value);
	}
	return NULL;
}

/* A present read-only user page whose first write takes a frame of its own. */
static bool write_resolves(uintptr_t va, pentry_t value)
{
#if defined(CONFIG_DEMAND_PAGING) && !defined(Z_X86_MMU_HOST_TEST)
	return ((value & X86_MMU_PART) == 0 || (value & X86_MMU_PART_W) != 0) &&
	       z_mem_page_write_resolves((void *)va);
#else
	ARG_UNUSED(va);
	ARG_UNUSED(value);
	return false;
#endif
}

/* True when user mode may access page va through entry value (write: and write it). */
static ALWAYS_INLINE bool entry_user_ok(pentry_t value, uintptr_t va, bool write)
{
	if ((value & X86_MMU_P) == 0 && !z_x86_is_paged_out(value)) {
		return false;
	}
	/* Present, or paged out with the permissions it will come back with. */
	if ((value & X86_MMU_US) == 0) {
		return false;
	}
	return !write || (value & X86_MMU_RW) != 0 ||
	       ((value & X86_MMU_P) != 0 && write_resolves(va, value));
}

/* Whether user mode may access every page of [first, last] (page
 * addresses): one walk per page table (or large page), then its entries.
 */
static bool pages_user_ok(uintptr_t first, uintptr_t last, bool write)
{
	for (uintptr_t va = first;;) {
		unsigned int level;
		pentry_t *at = user_leaf(va, write, &level);

		if (at == NULL) {
			return false;
		}

		/* What the entry (a large page) or its page table maps. */
		unsigned int span_level = (level == Z_X86_LEAF_LEVEL) ? level - 1U : level;
		uintptr_t span = (uintptr_t)1 << z_x86_paging_levels[span_level].shift;
		/* The last page of it to check. */
		uintptr_t end = MIN(last, (va | (span - 1U)) & ~(PAGE - 1U));

		if (level != Z_X86_LEAF_LEVEL) {
			if (!entry_user_ok(*at, va, write)) {
				return false;
			}
		} else {
			for (uintptr_t p = va;; p += PAGE, at++) {
				if (!entry_user_ok(*at, p, write)) {
					return false;
				}
				if (p == end) {
					break;
				}
			}
		}
		if (end == last) {
			return true;
		}
		va = end + PAGE;
	}
}

#if defined(CONFIG_USERSPACE) && !defined(Z_X86_MMU_HOST_TEST)
bool z_x86_user_fault_resolvable(uintptr_t va, bool write, bool fetch)
{
	unsigned int level;
	pentry_t *at;
	pentry_t value;

	va &= ~(PAGE - 1U);
	at = user_leaf(va, write, &level);
	if (at == NULL || (value = *at, (value & X86_MMU_US) == 0)) {
		return false;
	}
	if ((value & X86_MMU_P) != 0) {
		/* A protection fault: only the first write to a demand-mapped page. */
		return write && !fetch && (value & X86_MMU_RW) == 0 && write_resolves(va, value);
	}
	return z_x86_is_paged_out(value) && (!write || (value & X86_MMU_RW) != 0) &&
	       (!fetch || (value & X86_MMU_XD) == 0);
}
#endif

int arch_buffer_validate(const void *addr, size_t size, bool write)
{
	uintptr_t start = (uintptr_t)addr;
	int ret = 0;

	if (size != 0U) {
		uintptr_t last = start + size - 1U;

		/* A range that wraps, or leaves the addresses the walk decodes
		 * (x86_64: the lower canonical half; 32-bit modes: 4 GiB, which only
		 * a 64-bit host build could pass), whose walk would find another
		 * address's entries.
		 */
		if (last < start || beyond_walk(last) ||
		    !pages_user_ok(ROUND_DOWN(start, PAGE), ROUND_DOWN(last, PAGE), write)) {
			ret = -1;
		}
	}
	/* No load the caller makes under the result may run ahead of the check. */
	__asm__ volatile("lfence" ::: "memory");
	return ret;
}
#endif /* CONFIG_USERSPACE || Z_X86_MMU_HOST_TEST */
