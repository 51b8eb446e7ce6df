/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shadow tags (CONFIG_MM_SHADOW_TAGS), a debug mode of the invariant
 * checker: the kernel remembers, for each backing-store slot and each frame
 * paged in from one, which page's contents it holds and a checksum of them,
 * and checks the actual contents against that at each transfer and at each
 * clean eviction. A frame or slot holding another page's contents (a
 * transfer through the wrong scratch mapping, a write through a stale TLB
 * entry) is reported at the step it happens; k_mem_check_invariants()
 * counts the reports. Compiled out entirely when the option is off.
 */
#ifndef PAGODA_KERNEL_MM_PAGING_SHADOW_H
#define PAGODA_KERNEL_MM_PAGING_SHADOW_H

#include <page_frames.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef CONFIG_MM_SHADOW_TAGS

/* Checksum of what the scratch page maps now. */
uint32_t z_shadow_scratch_sum(void);
/*
 * A page-out of va from pf to location just copied through the scratch
 * page, whose contents summed to sum before the copy: the scratch page must
 * still hold them (else the store took another frame's contents).
 */
void z_shadow_paged_out(void *va, struct k_mem_page_frame *pf, uintptr_t location, uint32_t sum);
/* A page-in of va from location into pf: the frame (mapped at the scratch
 * page by the caller) must hold what the slot's tag says va's contents are.
 */
void z_shadow_paged_in(void *va, struct k_mem_page_frame *pf, uintptr_t location);
/* A clean eviction of va from pf (mapped at the scratch page by the
 * caller), whose store copy at location is kept: the frame must still hold
 * what was paged in.
 */
void z_shadow_evicted_clean(void *va, struct k_mem_page_frame *pf, uintptr_t location);
/* Reports since the last call (k_mem_check_invariants() adds them). */
int z_shadow_breaks_take(void);
void z_shadow_init(void);

#else

static inline int z_shadow_breaks_take(void)
{
	return 0;
}

#endif /* CONFIG_MM_SHADOW_TAGS */

#endif /* PAGODA_KERNEL_MM_PAGING_SHADOW_H */
