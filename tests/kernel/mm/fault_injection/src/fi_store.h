/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A RAM backing store whose operations fail on demand (the suite's
 * CONFIG_BACKING_STORE_CUSTOM store). Slots are FI_STORE_SLOTS pages of
 * .bss; location = slot index * page size.
 *
 * Each operation can be told to fail on its nth call from now (0: the
 * next), once, or on every call until cleared:
 * - FI_LOCATION_GET reports the store full (-ENOMEM). Only calls that need
 *   a new slot count: a BACKED frame's existing slot is always returned,
 *   as a real full store still holds what it holds (the kernel's unmap and
 *   the invariant checker look slots up this way);
 * - FI_PAGE_OUT fails the write (-EIO) after scribbling over the slot, as
 *   a torn write would;
 * - FI_PAGE_IN fails the read (-EIO) after scribbling over the frame.
 *
 * The store also polices the kernel: a location freed twice, or a
 * transfer to or from a slot nobody holds, is counted as misuse.
 */
#ifndef FI_STORE_H
#define FI_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FI_STORE_SLOTS 32

enum fi_op {
	FI_LOCATION_GET,
	FI_PAGE_OUT,
	FI_PAGE_IN,
	FI_NUM_OPS,
};

/* Fail op's nth call from now, once. */
void fi_store_fail_nth(enum fi_op op, unsigned int nth);
/* Fail every call of op until cleared. */
void fi_store_fail_always(enum fi_op op);
/* Stop injecting into every operation. */
void fi_store_clear(void);
/* Whether an injected failure of op happened since it was last armed. */
bool fi_store_fired(enum fi_op op);
/* Calls of op so far (for location_get: calls that needed a new slot). */
unsigned int fi_store_calls(enum fi_op op);

/*
 * Whether page_finalize may let a paged-in page keep its slot (the frame
 * becomes BACKED) while more than a quarter of the slots are free.
 * Default true.
 */
void fi_store_keep_slots(bool keep);

/* Slots in use. */
size_t fi_store_used(void);
/* Misuse seen so far (double frees, transfers with slots nobody holds). */
unsigned int fi_store_misuse(void);
/* The contents of location, for checking paged-out pages without faulting. */
const uint8_t *fi_store_slot(uintptr_t location);

static inline const char *fi_op_name(enum fi_op op)
{
	return op == FI_LOCATION_GET ? "location_get" : op == FI_PAGE_OUT ? "page_out" : "page_in";
}

#endif /* FI_STORE_H */
