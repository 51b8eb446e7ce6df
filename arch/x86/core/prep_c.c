/* SPDX-License-Identifier: Apache-2.0 */
/* First C code, called from the entry in isr.S with paging on. */
#include <kernel.h>
#include <x86_cpu.h>
#include <x86_mmu.h>

uint32_t z_x86_multiboot_info_phys;

FUNC_NORETURN void z_x86_prep_c(uint32_t magic, uint32_t multiboot_info);

FUNC_NORETURN void z_x86_prep_c(uint32_t magic, uint32_t multiboot_info)
{
	z_x86_mmu_init();
	z_x86_serial_init();
	z_x86_gdt_init();
	z_x86_idt_init();
#ifdef CONFIG_X86_KPTI
	z_x86_kpti_init();
#endif
	z_x86_pic_init();
	z_x86_timer_init();
	if (magic == X86_MULTIBOOT_BOOTLOADER_MAGIC) {
		z_x86_multiboot_info_phys = multiboot_info;
	} else {
		printk("warning: not started by a multiboot loader (magic 0x%x)\n", magic);
	}
	z_cstart();
}
