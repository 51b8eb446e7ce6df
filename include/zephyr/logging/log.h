/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for logging: Pagoda's <logging/log.h>. */
#include <logging/log.h>
