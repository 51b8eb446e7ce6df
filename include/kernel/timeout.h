/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timeouts as the reference RTOS (Zephyr) spells them: k_timeout_t holds a
 * count of system-timer ticks, K_NO_WAIT and K_FOREVER are its two special
 * values, K_MSEC() and friends round a duration up to whole ticks.
 */
#ifndef PAGODA_INCLUDE_KERNEL_TIMEOUT_H
#define PAGODA_INCLUDE_KERNEL_TIMEOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/dlist.h>
#include <sys/time_units.h>

typedef int64_t k_ticks_t;

typedef struct {
	k_ticks_t ticks;
} k_timeout_t;

#define K_TICKS_FOREVER ((k_ticks_t)-1)

#define Z_TIMEOUT_TICKS(t) ((k_timeout_t){.ticks = (t)})
#define K_NO_WAIT          Z_TIMEOUT_TICKS(0)
#define K_FOREVER          Z_TIMEOUT_TICKS(K_TICKS_FOREVER)
#define K_TICKS(t)         Z_TIMEOUT_TICKS((k_ticks_t)((t) < 0 ? 0 : (t)))
#define K_NSEC(t)          Z_TIMEOUT_TICKS((k_ticks_t)k_ns_to_ticks_ceil64(MAX((int64_t)(t), 0)))
#define K_USEC(t)          Z_TIMEOUT_TICKS((k_ticks_t)k_us_to_ticks_ceil64(MAX((int64_t)(t), 0)))
#define K_MSEC(ms)         Z_TIMEOUT_TICKS((k_ticks_t)k_ms_to_ticks_ceil64(MAX((int64_t)(ms), 0)))
#define K_SECONDS(s)       K_MSEC((int64_t)(s)*1000)
#define K_MINUTES(m)       K_SECONDS((int64_t)(m)*60)
#define K_HOURS(h)         K_MINUTES((int64_t)(h)*60)

#define K_TIMEOUT_EQ(a, b) ((a).ticks == (b).ticks)

/* A pending expiry on the kernel's timeout list (kernel-internal). */
struct _timeout;
typedef void (*_timeout_func_t)(struct _timeout *t);

struct _timeout {
	sys_dnode_t node;
	k_ticks_t dticks; /* ticks after the previous entry of the list */
	_timeout_func_t fn;
};

#endif /* PAGODA_INCLUDE_KERNEL_TIMEOUT_H */
