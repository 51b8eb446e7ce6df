/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for __ASSERT(): Pagoda's <sys/__assert.h>. */
#include <sys/__assert.h>
