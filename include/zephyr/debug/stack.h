/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <debug/stack.h>. */
#include <debug/stack.h>
