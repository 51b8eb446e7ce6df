/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for application memory: Pagoda's <app_memory/app_memdomain.h>. */
#include <app_memory/app_memdomain.h>
