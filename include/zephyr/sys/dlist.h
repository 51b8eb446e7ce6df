/* SPDX-License-Identifier: Apache-2.0 */
/* Zephyr's include path for doubly linked lists: Pagoda's <sys/dlist.h>. */
#include <sys/dlist.h>
