/* SPDX-License-Identifier: Apache-2.0 */
/*
 * z_mm_state_digest(): a hash of everything a failed memory-manager call
 * must leave unchanged, for the misuse tests (CONFIG_ZTEST builds only: it
 * walks every frame and every page of the window).
 */
#include <arch/mm.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <virt_region.h>

#ifdef CONFIG_ZTEST
uint32_t z_mm_state_digest(void)
{
	unsigned int key = irq_lock();
	uint32_t hash = z_page_frames_digest(2166136261U);

	hash = z_virt_region_digest(hash);
	for (uintptr_t va = K_MEM_VM_START; va < K_MEM_VM_END; va += K_MEM_PAGE_SIZE) {
		uintptr_t location = 0;
		enum arch_page_location state = arch_page_location_get((void *)va, &location);

		/* Not state: the scratch page maps whatever frame the last transfer used. */
		if ((void *)va == ARCH_SCRATCH_PAGE) {
			continue;
		}
		hash = z_mm_hash(z_mm_hash(hash, state), location);
	}
	irq_unlock(key);
	return hash;
}
#endif /* CONFIG_ZTEST */
