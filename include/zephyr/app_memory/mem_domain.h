/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for memory domains: Pagoda's <app_memory/mem_domain.h>. */
#include <app_memory/mem_domain.h>
