/* SPDX-License-Identifier: Apache-2.0 */
/* The timing API's counter type (Zephyr's <zephyr/timing/types.h>). */
#ifndef PAGODA_INCLUDE_TIMING_TYPES_H
#define PAGODA_INCLUDE_TIMING_TYPES_H

#include <stdint.h>

/* A reading of the timing counter: the cycle counter (the TSC on x86). */
typedef uint64_t timing_t;

#endif /* PAGODA_INCLUDE_TIMING_TYPES_H */
