/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path: Pagoda's <sys/errno.h>. */
#include <sys/errno.h>
