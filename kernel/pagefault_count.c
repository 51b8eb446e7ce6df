/* SPDX-License-Identifier: Apache-2.0 */
/* k_mem_num_pagefaults_get(): the fault count of the paging statistics. */
#include <kernel.h>
#include <kernel/mm/demand_paging.h>

#if defined(CONFIG_DEMAND_PAGING) && defined(CONFIG_DEMAND_PAGING_STATS)
unsigned long k_mem_num_pagefaults_get(void)
{
	struct k_mem_paging_stats_t stats;

	k_mem_paging_stats_get(&stats);
	return stats.pagefaults.cnt;
}
#endif
