/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <kernel/mm/backing_store.h>. */
#include <kernel/mm/backing_store.h>
