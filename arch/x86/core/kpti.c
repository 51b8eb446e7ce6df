/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel page-table isolation (CONFIG_X86_KPTI), SMEP and SMAP.
 *
 * User mode runs on its memory domain's tables, which map nothing of the
 * kernel but what user mode may use (text, rodata, K_MEM_PERM_USER maps)
 * and the trampoline (mem_domain.c); the kernel runs on its own tables.
 * The CPU enters from ring 3 on the trampoline stack, on the trampoline's
 * data pages, and the trampoline (ia32/, intel64/kpti.S) switches CR3 and stacks.
 *
 * The kernel's own view has US clear on every link of its top level (the
 * PAE PDs' entries: PDPTEs have no US), so nothing is user-accessible in it:
 * SMEP and SMAP, when the CPU has them, then fault on any instruction fetch
 * or data access of a user page the kernel makes while on a user view (the
 * trampoline excepted, which is supervisor-only there), and the user copies
 * bracket their accesses with stac/clac (<arch/x86/syscall.h>). The leaves
 * keep their US bits: they are the record of what user mode may use, from
 * which the user views are made.
 */
#include <kernel.h>
#include <x86_cpu.h>
#include <x86_mmu.h>

#ifdef CONFIG_X86_KPTI

uint8_t z_x86_trampoline_stack[X86_TRAMPOLINE_STACK_SIZE] __aligned(16) Z_X86_TRAMPOLINE_DATA;
uintptr_t z_x86_kpti_kcr3 Z_X86_TRAMPOLINE_DATA;
uintptr_t z_x86_kpti_ucr3 Z_X86_TRAMPOLINE_DATA;
/* Kernel data: read only after the trampoline has loaded the kernel's tables. */
uintptr_t z_x86_kpti_priv_top;
bool z_x86_smap_on;

BUILD_ASSERT(X86_TRAMPOLINE_STACK_SIZE % 16 == 0, "the CPU aligns rsp0 down to 16 bytes");

/* Clear US on the links of the level that has it nearest the top. */
static void kernel_view_supervisor(void)
{
	pentry_t *top = z_x86_top_table();

#ifdef CONFIG_X86_PAE
	for (unsigned int i = 0; i < z_x86_paging_levels[0].entries; i++) {
		if ((top[i] & X86_MMU_P) != 0) {
			pentry_t *pd = z_x86_next_table(top[i]);

			for (unsigned int k = 0; k < z_x86_paging_levels[1].entries; k++) {
				z_x86_entry_write(&pd[k], pd[k] & ~X86_MMU_US);
			}
		}
	}
#else
	for (unsigned int i = 0; i < z_x86_paging_levels[0].entries; i++) {
		z_x86_entry_write(&top[i], top[i] & ~X86_MMU_US);
	}
#endif
}

void z_x86_kpti_init(void)
{
	uint32_t regs[4];
	uintptr_t cr4 = z_x86_cr4_get();

	z_x86_kpti_kcr3 = z_x86_table_phys(z_x86_top_table());
	z_x86_kpti_ucr3 = z_x86_kpti_kcr3; /* until a domain's thread runs */
	z_x86_tss_kernel_stack_set((uintptr_t)z_x86_trampoline_stack +
				   sizeof(z_x86_trampoline_stack));
	z_x86_user_base_init();
	kernel_view_supervisor();
	z_x86_cr3_set(z_x86_kpti_kcr3); /* no translation with the old US stays */

	z_x86_cpuid(0, regs);
	if (regs[0] >= 7U) {
		z_x86_cpuid(7, regs);
		if (IS_ENABLED(CONFIG_X86_SMEP) && (regs[1] & X86_CPUID7_SMEP) != 0U) {
			cr4 |= X86_CR4_SMEP;
		}
		if (IS_ENABLED(CONFIG_X86_SMAP) && (regs[1] & X86_CPUID7_SMAP) != 0U) {
			cr4 |= X86_CR4_SMAP;
			z_x86_smap_on = true;
		}
		z_x86_cr4_set(cr4);
	}
}

#endif /* CONFIG_X86_KPTI */
