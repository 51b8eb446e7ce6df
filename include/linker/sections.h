/* SPDX-License-Identifier: Apache-2.0 */
/* The reference's <linker/sections.h>: the section attributes (section_tags.h). */
#ifndef PAGODA_INCLUDE_LINKER_SECTIONS_H
#define PAGODA_INCLUDE_LINKER_SECTIONS_H

#include <linker/section_tags.h>

#endif /* PAGODA_INCLUDE_LINKER_SECTIONS_H */
