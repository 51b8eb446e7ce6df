/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference's section attributes (its toolchain and section_tags
 * headers), on Pagoda's layout (README, "Linker sections"):
 *
 *   __in_section_unique(seg)   section ".seg.<file>.<counter>": one per use,
 *                              for an app linker fragment to collect with
 *                              KEEP(*(".seg.*")) (zephyr_linker_sources()).
 *   __noinit                   not zeroed at boot (.noinit, after .bss).
 *   __pinned_func/_rodata/_data/_bss/_noinit
 *                              never paged out: the whole image is pinned
 *                              in Pagoda, so these are the ordinary text,
 *                              rodata, data, bss and noinit sections.
 *   __boot_func/_rodata        the reference's boot-only code; Pagoda's
 *                              boot page holds the 32-bit entry only, so
 *                              C code marked so stays in ordinary text.
 */
#ifndef PAGODA_INCLUDE_LINKER_SECTION_TAGS_H
#define PAGODA_INCLUDE_LINKER_SECTION_TAGS_H

#include <sys/util.h>

#define ___in_section(a, b, c)                                                                     \
	__attribute__((section("." Z_STRINGIFY(a) "." Z_STRINGIFY(b) "." Z_STRINGIFY(c))))
#define __in_section(a, b, c)                ___in_section(a, b, c)
#define __in_section_unique(seg)             ___in_section(seg, __FILE__, __COUNTER__)
#define __in_section_unique_named(seg, name) ___in_section(seg, __FILE__, name)

/* The names start with the output section's own name, so gcc gives .bss
 * and .noinit ones no file contents and the linker script's wildcards
 * (linker/common.ld) place them.
 */
#define __noinit __in_section_unique(noinit)

#define __pinned_func   __attribute__((section(".text.pinned")))
#define __pinned_rodata __attribute__((section(".rodata.pinned")))
#define __pinned_data   __attribute__((section(".data.pinned")))
#define __pinned_bss    __attribute__((section(".bss.pinned")))
#define __pinned_noinit __in_section_unique(noinit.pinned)

#define __boot_func
#define __boot_rodata
#define __boot_data
#define __boot_bss
#define __boot_noinit __noinit

#define __isr

#endif /* PAGODA_INCLUDE_LINKER_SECTION_TAGS_H */
