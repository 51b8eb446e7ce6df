/* SPDX-License-Identifier: Apache-2.0 */
/* The gcov runtime's entry (subsys/coverage/gcov.c, CONFIG_COVERAGE_GCOV). */
#ifndef PAGODA_KERNEL_INCLUDE_COVERAGE_H
#define PAGODA_KERNEL_INCLUDE_COVERAGE_H

/* Write every object's counters to arch_coverage_putc(), once: a second
 * call (a fatal error during the dump) returns at once.
 */
void z_coverage_dump(void);

#endif /* PAGODA_KERNEL_INCLUDE_COVERAGE_H */
