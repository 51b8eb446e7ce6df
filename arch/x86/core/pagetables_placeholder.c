/* SPDX-License-Identifier: Apache-2.0 */
/*
 * First-pass link only: reserves the page-table area, zero-filled, with the
 * size the configuration needs. scripts/gen_mmu.py reads this first ELF and
 * generates the tables; the second link puts them in this exact place.
 */
#include <stdint.h>
#include <x86_mmu_size.h>

__attribute__((section(".pagetables"), aligned(4096), used))
uint8_t z_x86_pagetables_placeholder[Z_X86_PAGETABLES_SIZE];
