/* SPDX-License-Identifier: Apache-2.0 */
/* The first application: proves the kernel booted and shows its memory. */
#include <kernel.h>
#include <kernel/mm.h>
#include <string.h>

#define BUFFER_SIZE (16 * CONFIG_MMU_PAGE_SIZE)

int main(void)
{
	printk("Hello from Pagoda!\n");
	printk("Board %s, %s kernel, %s\n", CONFIG_BOARD, arch_name(), arch_paging_mode_name());
	k_mem_layout_dump();

	size_t free_before = k_mem_free_get();
	char *buffer = k_mem_map(BUFFER_SIZE, K_MEM_PERM_RW);

	if (buffer == NULL) {
		printk("k_mem_map failed\n");
		return 1;
	}
	memset(buffer, 0x5a, BUFFER_SIZE); /* it is ours: touch all of it */
	printk("Free memory: %zu KiB; after mapping %zu KiB at %p: %zu KiB\n", free_before / 1024,
	       (size_t)BUFFER_SIZE / 1024, buffer, k_mem_free_get() / 1024);
	k_mem_unmap(buffer, BUFFER_SIZE);
	printk("After unmapping it: %zu KiB\n", k_mem_free_get() / 1024);
	return 0;
}
