/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User mode on x86 (<arch/syscall.h>): the privileged stack in the TSS,
 * the drop to ring 3, user-accessible stacks, and buffer validation by
 * walking the page tables. The trap itself is in ia32/ and intel64/userspace.S.
 */
#include <arch/syscall.h>
#include <kernel.h>
#include <x86_cpu.h>
#include <x86_mmu.h>

#ifdef CONFIG_USERSPACE

#define PAGE ((uintptr_t)CONFIG_MMU_PAGE_SIZE)

/* userspace.S */
FUNC_NORETURN void z_x86_userspace_enter(k_thread_entry_t entry, void *p1, void *p2, void *p3,
					 uintptr_t stack_start, size_t stack_size,
					 uintptr_t priv_top);

bool arch_is_user_context(void)
{
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return (cs & 3U) != 0U;
}

static uintptr_t priv_top(const struct k_thread *t)
{
	return t->priv_stack_start + K_THREAD_STACK_LEN(CONFIG_PRIVILEGED_STACK_SIZE);
}

void arch_user_switch(struct k_thread *next)
{
	/* A supervisor thread never leaves ring 0, so its TSS value is never used. */
	if (next->priv_stack_start != 0U) {
		z_x86_tss_kernel_stack_set(priv_top(next));
	}
}

FUNC_NORETURN void arch_user_mode_enter(k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	struct k_thread *t = k_current_get();

	(void)arch_irq_lock(); /* z_x86_userspace_enter's iret enables them again */
	z_x86_tss_kernel_stack_set(priv_top(t));
	z_x86_userspace_enter(entry, p1, p2, p3, t->stack_info.start, t->stack_info.size,
			      priv_top(t));
}

void arch_mem_user_set(uintptr_t start, size_t size, bool user)
{
	for (uintptr_t va = start; va - start < size; va += PAGE) {
		pentry_t *entry;
		unsigned int level;

		if (z_x86_walk_state(va, &entry, &level) == Z_X86_ENTRY_PRESENT &&
		    level == Z_X86_LEAF_LEVEL) {
			z_x86_entry_write(entry,
					  user ? (*entry | X86_MMU_US) : (*entry & ~X86_MMU_US));
			z_x86_tlb_flush_page(va);
		}
	}
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

		/* A range that wraps, or (x86_64) leaves the lower canonical half,
		 * whose walk would find another address's entries.
		 */
		if (last < start || (IS_ENABLED(CONFIG_X86_64) && (last >> 47) != 0U)) {
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
#endif /* CONFIG_USERSPACE */
