/* The first application: proves the kernel booted and shows its memory map. */
#include <kernel.h>
#include <kernel/mm.h>

int main(void)
{
	printk("Hello from Pagoda!\n");
	printk("Board %s, %s kernel, %s\n", CONFIG_BOARD, arch_name(), arch_paging_mode_name());
	k_mem_layout_dump();
	return 0;
}
