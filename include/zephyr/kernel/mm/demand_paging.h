/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for the demand-paging API: Pagoda's <kernel/mm/demand_paging.h>. */
#include <kernel/mm/demand_paging.h>
