/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's linker-script macros, for the app fragments of
 * zephyr_linker_sources() (cmake/app.cmake) on Pagoda's layout: a section
 * is linked at its virtual address and loaded VIRT_OFFSET lower, in the
 * image's data segment (gen_mmu.py gives each section the permissions of
 * its flags). The memory-region arguments name nothing here: Pagoda's
 * image has one RAM region.
 */
#ifndef PAGODA_LINKER_LINKER_TOOL_H
#define PAGODA_LINKER_LINKER_TOOL_H

#define SECTION_PROLOGUE(name, options, align)      name options : AT(ADDR(name) - VIRT_OFFSET) align
#define SECTION_DATA_PROLOGUE(name, options, align) SECTION_PROLOGUE(name, options, align)
#define GROUP_LINK_IN(where)                       :data
#define GROUP_ROM_LINK_IN(vregion, lregion)        :data
#define GROUP_DATA_LINK_IN(vregion, lregion)       :data
#define GROUP_NOLOAD_LINK_IN(vregion, lregion)     :data

#endif /* PAGODA_LINKER_LINKER_TOOL_H */
