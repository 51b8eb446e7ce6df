/* SPDX-License-Identifier: Apache-2.0 */
/* k_mem_layout_dump(): the kernel image's regions as the live tables map them. */
#include <arch/mm.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <mm_core.h>
#include <sys/errno.h>

extern char __boot_start[], __boot_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];
extern char __kernel_start[], __kernel_end[];

static void region(const char *name, char *start, char *end)
{
	uintptr_t phys = 0;
	uint32_t flags = 0;

	if (arch_page_phys_get(start, &phys) != 0 || k_mem_page_flags_get(start, &flags) != 0) {
		printk("  %-10s %p-%p  not mapped\n", name, start, end);
		return;
	}
	printk("  %-10s %p-%p  phys 0x%08lx  %5zu KiB  r%c%c\n", name, start, end,
	       (unsigned long)phys, (size_t)(end - start) / 1024,
	       (flags & K_MEM_PERM_RW) ? 'w' : '-', (flags & K_MEM_PERM_EXEC) ? 'x' : '-');
}

void k_mem_layout_dump(void)
{
	size_t used, size;

	printk("Kernel memory map (virtual window %p-%p):\n", (void *)CONFIG_KERNEL_VM_BASE,
	       (void *)(CONFIG_KERNEL_VM_BASE + CONFIG_KERNEL_VM_SIZE));
	region("boot", __boot_start, __boot_end);
	region("text", __text_start, __text_end);
	region("rodata", __rodata_start, __rodata_end);
	region("data+bss", __data_start, __bss_end);
	printk("  image      %p-%p  %zu KiB\n", __kernel_start, __kernel_end,
	       (size_t)(__kernel_end - __kernel_start) / 1024);
	arch_pagetables_usage(&used, &size);
	printk("Page-table area: %zu of %zu KiB in use (%zu tables preallocated)\n", used / 1024,
	       size / 1024, size / 4096);
}
