/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for time-unit conversions: Pagoda's <sys/time_units.h>. */
#include <sys/time_units.h>
