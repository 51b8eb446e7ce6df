/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for cbprintf(): Pagoda's <sys/cbprintf.h>. */
#include <sys/cbprintf.h>
