/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CPU exceptions: print what a person needs to find the bug (the exception,
 * the registers and, for a page fault, the address, the decoded error code
 * and the entry at every paging level), then hand over to z_fatal_error().
 */
#include <arch/mm.h>
#include <arch/thread.h>
#include <kernel.h>
#include <x86_cpu.h>
#include <x86_mmu.h>

#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_PAGE_FAULT   14

static const char *const exception_names[X86_NUM_EXCEPTIONS] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"BOUND range exceeded",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack-segment fault",
	"general protection fault",
	"page fault",
	"reserved (15)",
	"x87 floating-point",
	"alignment check",
	"machine check",
	"SIMD floating-point",
	"virtualization",
	"control protection",
	"reserved (22)",
	"reserved (23)",
	"reserved (24)",
	"reserved (25)",
	"reserved (26)",
	"reserved (27)",
	"hypervisor injection",
	"VMM communication",
	"security exception",
	"reserved (31)",
};

/* Page-fault error code bits (SDM vol. 3A, 4.7). */
#define PF_P    (1U << 0)
#define PF_W    (1U << 1)
#define PF_U    (1U << 2)
#define PF_RSVD (1U << 3)
#define PF_I    (1U << 4)
#define PF_PK   (1U << 5)
#define PF_SS   (1U << 6)

static void dump_page_fault(const struct arch_esf *esf)
{
	uintptr_t cr2 = z_x86_cr2_get();
	uint32_t code = (uint32_t)esf->error_code;

	printk("Faulting address (CR2): %p\n", (void *)cr2);
	printk("Error code 0x%x: %s, %s, %s mode%s%s%s%s\n", code,
	       (code & PF_P) ? "protection violation" : "page not present",
	       (code & PF_I) ? "instruction fetch" : ((code & PF_W) ? "write" : "read"),
	       (code & PF_U) ? "user" : "supervisor", (code & PF_RSVD) ? ", reserved bit set" : "",
	       (code & PF_PK) ? ", protection key" : "", (code & PF_SS) ? ", shadow stack" : "",
	       "");
	/* Which mapping or guard the address belongs to: the walk below only
	 * shows entries, and a guard page's entry is just "not present".
	 */
	z_mem_fault_print((void *)cr2);
	z_x86_dump_walk((void *)cr2);
#ifdef CONFIG_X86_KPTI
	/* User mode faulted on its own tables, not the kernel's. */
	if ((code & PF_U) != 0U) {
		printk("In user mode's tables (the thread's memory domain):\n");
		z_x86_dump_walk_tables(z_x86_current_top(), (void *)cr2);
	}
#endif
}

static void dump_registers(const struct arch_esf *esf, uintptr_t esp)
{
#ifdef CONFIG_X86_64
	printk("RAX: 0x%016llx RBX: 0x%016llx RCX: 0x%016llx RDX: 0x%016llx\n",
	       (unsigned long long)esf->rax, (unsigned long long)esf->rbx,
	       (unsigned long long)esf->rcx, (unsigned long long)esf->rdx);
	printk("RSI: 0x%016llx RDI: 0x%016llx RBP: 0x%016llx RSP: 0x%016llx\n",
	       (unsigned long long)esf->rsi, (unsigned long long)esf->rdi,
	       (unsigned long long)esf->rbp, (unsigned long long)esp);
	printk(" R8: 0x%016llx  R9: 0x%016llx R10: 0x%016llx R11: 0x%016llx\n",
	       (unsigned long long)esf->r8, (unsigned long long)esf->r9,
	       (unsigned long long)esf->r10, (unsigned long long)esf->r11);
	printk("R12: 0x%016llx R13: 0x%016llx R14: 0x%016llx R15: 0x%016llx\n",
	       (unsigned long long)esf->r12, (unsigned long long)esf->r13,
	       (unsigned long long)esf->r14, (unsigned long long)esf->r15);
	printk("RIP: 0x%016llx  CS: 0x%04llx RFLAGS: 0x%016llx  SS: 0x%04llx\n",
	       (unsigned long long)esf->rip, (unsigned long long)esf->cs,
	       (unsigned long long)esf->rflags, (unsigned long long)esf->ss);
#else
	printk("EAX: 0x%08x EBX: 0x%08x ECX: 0x%08x EDX: 0x%08x\n", esf->eax, esf->ebx, esf->ecx,
	       esf->edx);
	printk("ESI: 0x%08x EDI: 0x%08x EBP: 0x%08x ESP: 0x%08lx\n", esf->esi, esf->edi, esf->ebp,
	       (unsigned long)esp);
	printk("EIP: 0x%08x  CS: 0x%04x EFLAGS: 0x%08x\n", esf->eip, esf->cs, esf->eflags);
#endif
	printk("CR0: 0x%lx CR3: 0x%lx CR4: 0x%lx\n", (unsigned long)z_x86_cr0_get(),
	       (unsigned long)z_x86_cr3_get(), (unsigned long)z_x86_cr4_get());
}

#ifdef CONFIG_X86_64
#define ESF_FLAGS(esf) ((esf)->rflags)
#else
#define ESF_FLAGS(esf) ((esf)->eflags)
#endif

/*
 * A fault in a guard page is a stack overflow: say whose. The address is
 * CR2, which a double fault leaves at the push that faulted.
 */
static bool report_stack_overflow(uintptr_t addr)
{
	struct k_thread *t = z_thread_stack_guard_owner(addr);

	if (t != NULL) {
		printk("***** stack overflow: thread %p (%s) ran into a guard page of its stack "
		       "(%p+0x%zx) at %p *****\n",
		       (void *)t, z_thread_name(t), (void *)t->stack_info.start, t->stack_info.size,
		       (void *)addr);
		return true;
	}
	if (z_isr_stack_guard_hit(addr)) {
		printk("***** stack overflow: the interrupt stack ran into its guard page at %p "
		       "*****\n",
		       (void *)addr);
		return true;
	}
	return false;
}

void z_x86_exception_fatal(struct arch_esf *esf, uintptr_t esp)
{
	unsigned int vector = (unsigned int)esf->vector;
	unsigned int reason = K_ERR_CPU_EXCEPTION;

	printk("\n*** CPU exception %u: %s, error code 0x%lx, at IP %p ***\n", vector,
	       exception_names[vector], (unsigned long)esf->error_code, (void *)ESF_IP(esf));
	if (vector == VECTOR_PAGE_FAULT) {
		dump_page_fault(esf);
	}
	if ((vector == VECTOR_PAGE_FAULT || vector == VECTOR_DOUBLE_FAULT) &&
	    report_stack_overflow(z_x86_cr2_get())) {
		reason = K_ERR_STACK_CHK_FAIL;
	}
	dump_registers(esf, esp);
	z_fatal_error(reason, esf);
}

void z_x86_exception_unresolved(struct arch_esf *esf)
{
#ifdef CONFIG_X86_64
	z_x86_exception_fatal(esf, esf->rsp);
#else
	uint32_t *above = &esf->eflags + 1;

	/* From ring 3 the CPU pushed the user's ESP and SS above EFLAGS; ring 0
	 * to ring 0 pushes neither, the stack continues above the frame.
	 */
	z_x86_exception_fatal(esf, (esf->cs & 3U) != 0U ? (uintptr_t)*above : (uintptr_t)above);
#endif
}

void z_x86_exception(struct arch_esf *esf)
{
	unsigned int vector = (unsigned int)esf->vector;

	/* Demand paging resolves the fault: iret retries the instruction.
	 * (x86_64 enters supervisor page faults in isr.S's own path, which
	 * asks first.) A fault from user mode is served only on a page the
	 * thread may touch by its domain's tables (paged out, or the first
	 * write to a demand-mapped page): the kernel must never page its own
	 * memory in for user mode, nor give it a frame.
	 */
	if (IS_ENABLED(CONFIG_DEMAND_PAGING) && vector == VECTOR_PAGE_FAULT &&
	    ((esf->error_code & PF_U) == 0U ||
	     (IS_ENABLED(CONFIG_USERSPACE) &&
	      z_x86_user_fault_resolvable(z_x86_cr2_get(), (esf->error_code & PF_W) != 0U,
					  (esf->error_code & PF_I) != 0U))) &&
	    z_mem_page_fault((void *)z_x86_cr2_get(), (ESF_FLAGS(esf) & X86_EFLAGS_IF) != 0U,
			     z_x86_irq_nesting > 0U)) {
		return;
	}
	z_x86_exception_unresolved(esf);
}
