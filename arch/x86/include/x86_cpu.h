/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 CPU definitions shared by the boot assembly and the C code: control
 * register bits, MSRs, segment selectors, and (in C) port I/O and the
 * exception stack frame.
 */
#ifndef PAGODA_ARCH_X86_CPU_H
#define PAGODA_ARCH_X86_CPU_H

#define X86_CR0_PE       0x00000001
#define X86_CR0_WP       0x00010000
#define X86_CR0_PG       0x80000000
#define X86_CR4_PAE      (1 << 5)
#define X86_CR4_SMEP     (1 << 20)
#define X86_CR4_SMAP     (1 << 21)
#define X86_CPUID7_SMEP  (1 << 7)  /* CPUID 7.0 EBX */
#define X86_CPUID7_SMAP  (1 << 20) /* CPUID 7.0 EBX */
#define X86_MSR_EFER     0xC0000080
#define X86_EFER_LME     (1 << 8)
#define X86_EFER_NXE     (1 << 11)
#define X86_CPUID_EXT_NX (1 << 20) /* CPUID 0x80000001 EDX */
#define X86_CPUID_EXT_LM (1 << 29) /* CPUID 0x80000001 EDX */
#define X86_EFLAGS_IF    (1 << 9)

/* The boot GDT and the run-time GDT use the same selectors, so the segment
 * registers loaded at boot stay valid when the run-time GDT replaces it.
 */
#define X86_SEL_CODE32 0x08
#define X86_SEL_DATA   0x10
#define X86_SEL_CODE64 0x18
#define X86_SEL_TSS    0x20 /* x86_64: the TSS (two slots); ia32: the double-fault task's */
#define X86_SEL_TSS32  0x18 /* ia32: the task the kernel runs in */
/* CONFIG_USERSPACE: ring-3 code and data, after the entries above (RPL 3). */
#ifdef CONFIG_X86_64
#define X86_SEL_USER_CODE 0x33 /* 64-bit */
#define X86_SEL_USER_DATA 0x3b
#else
#define X86_SEL_USER_CODE 0x2b
#define X86_SEL_USER_DATA 0x33
#endif
#define X86_SYSCALL_VECTOR 0x80 /* the system-call gate, DPL 3 */

#define X86_DEBUG_EXIT_PORT            0xf4
#define X86_MULTIBOOT_MAGIC            0x1BADB002
#define X86_MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

#define X86_NUM_EXCEPTIONS     32
#define X86_IRQ_BASE           32 /* the PIC's IRQ 0 is remapped to this vector */
#define X86_NUM_IRQS           16
/* irq_offload()'s software interrupt: the vector after the PIC's. */
#define X86_IRQ_OFFLOAD_VECTOR (X86_IRQ_BASE + X86_NUM_IRQS)
#define X86_NUM_STUBS          (X86_IRQ_OFFLOAD_VECTOR + 1)

/* CONFIG_X86_KPTI: the stack the CPU switches to on an entry from ring 3
 * (TSS esp0/rsp0), on the trampoline's data pages (kpti.c): the longest
 * frame it holds is eight words.
 */
#define X86_TRAMPOLINE_STACK_SIZE 256

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#include <sys/util.h>

/* Register state saved by the exception/interrupt entry stubs (isr.S).
 * The field order mirrors what the stubs push.
 */
#ifdef CONFIG_X86_64
struct arch_esf {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
#define ESF_IP(esf) ((esf)->rip)
#else
struct arch_esf {
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax; /* pushal */
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags; /* pushed by the CPU; no stack switch in ring 0 */
};
#define ESF_IP(esf) ((esf)->eip)
#endif

static inline void z_x86_outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t z_x86_inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/* rep insw/outsw move a whole block per instruction; any buffer alignment works. */
static inline void z_x86_insw(uint16_t port, void *buf, size_t words)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

static inline void z_x86_outsw(uint16_t port, const void *buf, size_t words)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(words) : "d"(port) : "memory");
}

static inline void z_x86_outl(uint16_t port, uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint32_t z_x86_inl(uint16_t port)
{
	uint32_t value;

	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline uintptr_t z_x86_cr2_get(void)
{
	uintptr_t value;

	__asm__ volatile("mov %%cr2, %0" : "=r"(value));
	return value;
}

static inline uintptr_t z_x86_cr3_get(void)
{
	uintptr_t value;

	__asm__ volatile("mov %%cr3, %0" : "=r"(value));
	return value;
}

/* Load CR3 (the tables' physical address): every non-global TLB entry goes. */
static inline void z_x86_cr3_set(uintptr_t value)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(value) : "memory");
}

static inline uintptr_t z_x86_cr0_get(void)
{
	uintptr_t value;

	__asm__ volatile("mov %%cr0, %0" : "=r"(value));
	return value;
}

static inline uintptr_t z_x86_cr4_get(void)
{
	uintptr_t value;

	__asm__ volatile("mov %%cr4, %0" : "=r"(value));
	return value;
}

static inline void z_x86_cr4_set(uintptr_t value)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}

static inline uint64_t z_x86_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

/* CPUID leaf (subleaf 0): regs[] = eax, ebx, ecx, edx. */
static inline void z_x86_cpuid(uint32_t leaf, uint32_t regs[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3])
			 : "a"(leaf), "c"(0U));
}

static inline void z_x86_invlpg(const void *addr)
{
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

/* Boot-time setup, in order (prep_c.c). */
void z_x86_serial_init(void);
void z_x86_gdt_init(void);
void z_x86_idt_init(void);
void z_x86_pic_init(void);
void z_x86_timer_init(void);

/* Interrupt handlers running (an exception with this non-zero came from an ISR). */
extern unsigned int z_x86_irq_nesting;

/* Entry from the stubs in isr.S. */
void z_x86_exception(struct arch_esf *esf);
/* An exception nothing resolves (a page fault demand paging could not serve): fatal. */
void z_x86_exception_unresolved(struct arch_esf *esf);
void z_x86_irq(struct arch_esf *esf);
void z_x86_timer_isr(void);
/* Runs the routine irq_offload() handed over (its vector's handler, irq_offload.c). */
void z_x86_irq_offload_isr(void);

/* Entry stubs: vector v enters at z_x86_isr_stub_base + v * X86_ISR_STUB_SIZE. */
extern const uint8_t z_x86_isr_stub_base[];
#define X86_ISR_STUB_SIZE 16
#ifdef CONFIG_X86_64
extern uint8_t z_x86_df_stack[];
#else
/* The double-fault task (ia32/df_task.c): its TSS and the kernel's. */
extern uint8_t z_x86_main_tss[], z_x86_df_tss[];
#define X86_TSS32_SIZE 104
void z_x86_df_task_init(void);
#endif
#ifdef CONFIG_USERSPACE
/* The stack the CPU switches to on an interrupt, exception or system call
 * from ring 3 (TSS esp0/rsp0), and the system-call gate's entry.
 */
void z_x86_tss_kernel_stack_set(uintptr_t top);
void z_x86_syscall_entry(void);
#endif
#ifdef CONFIG_X86_KPTI
/* What user mode's tables keep of the kernel (kpti.c, ia32/ and intel64/kpti.S): the
 * trampoline's code page and its data pages (IDT, GDT, TSS, the trampoline
 * stack, the CR3 values the trampoline loads).
 */
#define Z_X86_TRAMPOLINE_DATA __attribute__((section(".trampoline.data")))
extern char z_x86_trampoline_start[], z_x86_trampoline_end[];
extern char z_x86_trampoline_data_start[], z_x86_trampoline_data_end[];
/* CR3 of the kernel's tables and of the running thread's domain's user
 * view; the running thread's privileged stack top (kernel data).
 */
extern uintptr_t z_x86_kpti_kcr3, z_x86_kpti_ucr3, z_x86_kpti_priv_top;
void z_x86_trampoline_syscall(void);
/* Build the user view's share of the kernel, move ring-3 entries to the
 * trampoline stack, clear US from the kernel's own view, enable SMEP/SMAP.
 */
void z_x86_kpti_init(void);
#else
#define Z_X86_TRAMPOLINE_DATA
#endif
/* The top of the interrupt stack, 0 until the kernel maps it (thread.c). */
extern uintptr_t z_x86_irq_stack_top;
/* The fatal end of a CPU exception: diagnostics, stack overflows named.
 * esp is the stack pointer at the fault.
 */
void z_x86_exception_fatal(struct arch_esf *esf, uintptr_t esp);

/* Physical address of the multiboot information structure the loader
 * passed, or 0 when the loader was not multiboot compliant.
 */
extern uint32_t z_x86_multiboot_info_phys;

#endif /* !__ASSEMBLER__ */
#endif /* PAGODA_ARCH_X86_CPU_H */
