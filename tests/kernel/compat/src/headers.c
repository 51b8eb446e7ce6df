/* SPDX-License-Identifier: Apache-2.0 */
/* Every forwarding header under include/zephyr/, together (CMakeLists.txt compiles each alone). */
#include <zephyr/arch/cache.h>
#include <zephyr/arch/cpu.h>
#include <zephyr/cache.h>
#include <zephyr/internal/syscall_handler.h>
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/kernel/mm.h>
#include <zephyr/kernel/mm/demand_paging.h>
#include <zephyr/kernel/thread.h>
#include <zephyr/kernel/thread_stack.h>
#include <zephyr/kernel_structs.h>
#include <zephyr/logging/log.h>
#include <zephyr/spinlock.h>
#include <zephyr/sys/__assert.h>
#include <zephyr/sys/barrier.h>
#include <zephyr/sys/bitarray.h>
#include <zephyr/sys/cbprintf.h>
#include <zephyr/sys/dlist.h>
#include <zephyr/sys/libc-hooks.h>
#include <zephyr/sys/mem_manage.h>
#include <zephyr/sys/printk.h>
#include <zephyr/sys/slist.h>
#include <zephyr/sys/time_units.h>
#include <zephyr/sys/util.h>
#include <zephyr/tc_util.h>
#include <zephyr/timing/timing.h>
#include <zephyr/timing/types.h>
#include <zephyr/toolchain.h>
#include <zephyr/ztest.h>

/* Something for the unit to define. */
typedef int compat_all_headers;
