/*
 * Image layout shared by the ia32 and x86_64 linker scripts.
 *
 * The .boot section (multiboot header and the 32-bit entry that turns paging
 * on) is linked at its physical load address, so it runs before paging and
 * stays identity-mapped. Everything else is linked at
 * CONFIG_KERNEL_VM_BASE and loaded VIRT_OFFSET lower, at the physical
 * address right after .boot. Text, rodata and the read-write region each
 * start on a page, so scripts/gen_mmu.py can give each its own permissions.
 */
#define PAGE_SIZE CONFIG_MMU_PAGE_SIZE
#define VIRT_OFFSET (CONFIG_KERNEL_VM_BASE - CONFIG_SRAM_BASE_ADDRESS)
#define LOAD_AT(section) AT(ADDR(section) - VIRT_OFFSET)

ENTRY(__start)

PHDRS
{
	boot PT_LOAD FLAGS(5);   /* r-x */
	text PT_LOAD FLAGS(5);   /* r-x */
	rodata PT_LOAD FLAGS(4); /* r-- */
	data PT_LOAD FLAGS(6);   /* rw- */
}

SECTIONS
{
	. = CONFIG_SRAM_BASE_ADDRESS;
	__boot_start = .;
	.boot : {
		KEEP(*(.boot.header))
		*(.boot.text)
		*(.boot.rodata)
	} :boot
	. = ALIGN(PAGE_SIZE);
	__boot_end = .;

	. += VIRT_OFFSET;
	__kernel_start = CONFIG_KERNEL_VM_BASE;

	__text_start = .;
	.text : LOAD_AT(.text) {
		*(.text .text.*)
	} :text
	. = ALIGN(PAGE_SIZE);
	__text_end = .;

	__rodata_start = .;
	.rodata : LOAD_AT(.rodata) {
		*(.rodata .rodata.*)
	} :rodata
	. = ALIGN(PAGE_SIZE);
	__rodata_end = .;

	__data_start = .;
	.data : LOAD_AT(.data) {
		*(.data .data.*)
	} :data
	/* ztest registrations: GNU ld's __start_/__stop_ convention. */
	ztest_suite_node : LOAD_AT(ztest_suite_node) ALIGN(8) {
		__start_ztest_suite_node = .;
		KEEP(*(SORT(ztest_suite_node*)))
		__stop_ztest_suite_node = .;
	} :data
	ztest_unit_test : LOAD_AT(ztest_unit_test) ALIGN(8) {
		__start_ztest_unit_test = .;
		KEEP(*(ztest_unit_test*))
		__stop_ztest_unit_test = .;
	} :data
	.pagetables : LOAD_AT(.pagetables) ALIGN(PAGE_SIZE) {
		z_x86_pagetables_start = .;
		KEEP(*(.pagetables))
		z_x86_pagetables_end = .;
	} :data
	__load_end_phys = . - VIRT_OFFSET;

	.bss (NOLOAD) : LOAD_AT(.bss) ALIGN(16) {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	} :data
	/* Not zeroed at boot: the boot stack lives here while .bss is cleared. */
	.noinit (NOLOAD) : LOAD_AT(.noinit) ALIGN(16) {
		*(.noinit .noinit.*)
	} :data
	. = ALIGN(PAGE_SIZE);
	__kernel_end = .;
	__kernel_end_phys = . - VIRT_OFFSET;

	/DISCARD/ : {
		*(.comment)
		*(.note .note.*)
		*(.eh_frame .eh_frame_hdr)
		*(.interp .dynamic .dynsym .dynstr .hash .gnu.hash)
	}
}

z_x86_virt_offset = VIRT_OFFSET;

ASSERT(__boot_end - __boot_start <= PAGE_SIZE, "the .boot section must fit in one page")
ASSERT(CONFIG_KERNEL_VM_BASE % PAGE_SIZE == 0, "CONFIG_KERNEL_VM_BASE must be page-aligned")
ASSERT(__kernel_end <= CONFIG_KERNEL_VM_BASE + CONFIG_KERNEL_VM_SIZE,
       "the kernel image does not fit in the kernel virtual window: raise CONFIG_KERNEL_VM_SIZE")
