/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for singly linked lists: Pagoda's <sys/slist.h>. */
#include <sys/slist.h>
