/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for printk(): Pagoda's <sys/printk.h>. */
#include <sys/printk.h>
