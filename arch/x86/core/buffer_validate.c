/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch_buffer_validate() (<arch/syscall.h>): may user mode read (or write)
 * a range, by the page tables the CPU uses. Also built for the host walker
 * tests (tests/unit/x86_mmu_*), over in-memory tables.
 */
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

/* True when user mode may access page va (write: and write it). */
static bool page_user_ok(uintptr_t va, bool write)
{
	pentry_t *table = z_x86_top_table();

	Z_X86_UNROLL_LEVELS
	for (unsigned int i = 0; i < Z_X86_NUM_LEVELS; i++) {
		pentry_t value = table[z_x86_entry_index(va, i)];
		/* PAE PDPTEs have neither US nor RW: they restrict nothing. */
		bool pae_pdpte = IS_ENABLED(CONFIG_X86_PAE) && i == 0;

		if ((value & X86_MMU_P) == 0) {
			return false;
		}
		if (!pae_pdpte &&
		    ((value & X86_MMU_US) == 0 || (write && (value & X86_MMU_RW) == 0))) {
			return false;
		}
		if (z_x86_is_leaf(value, i)) {
			return true;
		}
		table = z_x86_next_table(value);
	}
	return false;
}

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
		if (last < start || beyond_walk(last)) {
			ret = -1;
		} else {
			for (uintptr_t va = ROUND_DOWN(start, PAGE); ret == 0; va += PAGE) {
				if (!page_user_ok(va, write)) {
					ret = -1;
				}
				if (va >= ROUND_DOWN(last, PAGE)) {
					break;
				}
			}
		}
	}
	/* No load the caller makes under the result may run ahead of the check. */
	__asm__ volatile("lfence" ::: "memory");
	return ret;
}
#endif /* CONFIG_USERSPACE || Z_X86_MMU_HOST_TEST */
