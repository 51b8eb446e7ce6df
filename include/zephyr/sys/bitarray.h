/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for bit arrays: Pagoda's <sys/bitarray.h>. */
#include <sys/bitarray.h>
