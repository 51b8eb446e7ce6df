/* SPDX-License-Identifier: Apache-2.0 */
/*
 * First-pass link only (CONFIG_USERSPACE): reserves the table of the
 * image's thread and stack objects, zero-filled. scripts/gen_kobjects.py
 * reads the first ELF's DWARF and writes the table, which the second link
 * puts in this exact place (same symbol, same size: nothing moves).
 * Pairs of words: address, stack size (0: a thread object).
 */
#include <stdint.h>

__attribute__((section(".kobject_static"), aligned(8), used))
const uintptr_t z_kobject_static_table[CONFIG_MAX_KERNEL_OBJECTS * 2];
