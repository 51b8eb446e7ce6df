/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synthetic kernel image for tests/scripts/test_gen_mmu.py: one section of
 * each kind gen_mmu.py maps, valid for both i386 and x86-64.
 *
 *   -DPT_SIZE=n       pass 1: zero placeholder of n bytes in .pagetables
 *   -DBLOB="file"     pass 2: the generated tables instead
 *   -DEXTRA_DATA      grow .data by 4 bytes (moves everything after it)
 *   -DWX_SECTION      add a writable and executable section
 */
	.section .boot, "ax"
	.globl boot_entry
boot_entry:
	.long 0x1badb002
	hlt

	.section .text, "ax"
	.globl text_func
	.type text_func, @function
text_func:
	ret
	.size text_func, . - text_func

	.section .rodata, "a"
	.globl ro_table
	.type ro_table, @object
ro_table:			/* spans two pages */
	.fill 5000, 1, 0x11
	.size ro_table, . - ro_table

	.section .data, "aw"
	.globl data_var
	.type data_var, @object
data_var:
	.long 42
#ifdef EXTRA_DATA
	.long 7
#endif
	.size data_var, . - data_var

	.section .bss, "aw", @nobits
	.globl bss_buf
	.type bss_buf, @object
bss_buf:
	.skip 8192
	.size bss_buf, . - bss_buf

	.section .pagetables, "aw"
#ifdef BLOB
	.globl z_x86_pagetables_blob
z_x86_pagetables_blob:
	.incbin BLOB
#else
	.globl z_x86_pagetables_placeholder
	.type z_x86_pagetables_placeholder, @object
z_x86_pagetables_placeholder:
	.skip PT_SIZE
	.size z_x86_pagetables_placeholder, . - z_x86_pagetables_placeholder
#endif

#ifdef WX_SECTION
	.section .wx, "awx"
	.long 0
#endif

	.section .note.GNU-stack, "", @progbits
