/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fault-injecting RAM backing store (see fi_store.h). It implements the
 * k_mem_paging_backing_store_* interface of <kernel/mm/demand_paging.h>
 * like kernel/mm/backing_store/ram.c, plus the injection and the checks.
 */
#include "fi_store.h"

#include <arch/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <string.h>
#include <sys/errno.h>
#include <virt_region.h>

#define PAGE   CONFIG_MMU_PAGE_SIZE
#define POISON 0xdb /* a freed slot */
#define TORN   0xee /* what a failed transfer leaves behind */

BUILD_ASSERT((uintptr_t)(FI_STORE_SLOTS - 1) * PAGE <= ARCH_PAGE_LOCATION_MAX);

static uint8_t slots[FI_STORE_SLOTS][PAGE] __aligned(PAGE);
static bool in_use[FI_STORE_SLOTS];
static uint32_t free_stack[FI_STORE_SLOTS];
static size_t free_top;
static uint32_t backed_slot[K_MEM_NUM_PAGE_FRAMES];
static bool keep_slots = true;
static unsigned int misuse;

static struct {
	bool armed;
	bool always;
	bool fired;
	unsigned int countdown;
	unsigned int calls;
} rules[FI_NUM_OPS];

/* Counts a call of op; true when it must fail. */
static bool inject(enum fi_op op)
{
	rules[op].calls++;
	if (!rules[op].armed) {
		return false;
	}
	if (!rules[op].always && rules[op].countdown > 0U) {
		rules[op].countdown--;
		return false;
	}
	rules[op].armed = rules[op].always;
	rules[op].fired = true;
	return true;
}

void fi_store_fail_nth(enum fi_op op, unsigned int nth)
{
	unsigned int key = irq_lock();

	rules[op].armed = true;
	rules[op].always = false;
	rules[op].fired = false;
	rules[op].countdown = nth;
	irq_unlock(key);
}

void fi_store_fail_always(enum fi_op op)
{
	unsigned int key = irq_lock();

	rules[op].armed = true;
	rules[op].always = true;
	rules[op].fired = false;
	irq_unlock(key);
}

void fi_store_clear(void)
{
	unsigned int key = irq_lock();

	for (int op = 0; op < FI_NUM_OPS; op++) {
		rules[op].armed = false;
		rules[op].always = false;
	}
	irq_unlock(key);
}

bool fi_store_fired(enum fi_op op)
{
	return rules[op].fired;
}

unsigned int fi_store_calls(enum fi_op op)
{
	return rules[op].calls;
}

void fi_store_keep_slots(bool keep)
{
	keep_slots = keep;
}

size_t fi_store_used(void)
{
	return FI_STORE_SLOTS - free_top;
}

unsigned int fi_store_misuse(void)
{
	return misuse;
}

/* The slot of a location, or -1 (counted as misuse) when it is not one. */
static int slot_of(uintptr_t location)
{
	if (location % PAGE != 0U || location / PAGE >= FI_STORE_SLOTS) {
		misuse++;
		printk("fi_store: bad location 0x%lx\n", (unsigned long)location);
		return -1;
	}
	return (int)(location / PAGE);
}

/* The slot of a location some page holds, or -1 (misuse). */
static int held_slot(uintptr_t location, const char *what)
{
	int slot = slot_of(location);

	if (slot >= 0 && !in_use[slot]) {
		misuse++;
		printk("fi_store: %s of slot %d, which nobody holds\n", what, slot);
		return -1;
	}
	return slot;
}

const uint8_t *fi_store_slot(uintptr_t location)
{
	int slot = slot_of(location);

	return slot < 0 ? NULL : slots[slot];
}

void k_mem_paging_backing_store_init(void)
{
	for (uint32_t i = 0; i < FI_STORE_SLOTS; i++) {
		free_stack[i] = FI_STORE_SLOTS - 1U - i; /* slot 0 on top */
	}
	free_top = FI_STORE_SLOTS;
}

int k_mem_paging_backing_store_location_get(struct k_mem_page_frame *pf, uintptr_t *location,
					    bool page_fault)
{
	if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_BACKED)) {
		*location = (uintptr_t)backed_slot[pf - k_mem_page_frames] * PAGE;
		return 0;
	}
	if (inject(FI_LOCATION_GET) || free_top == 0U || (!page_fault && free_top == 1U)) {
		return -ENOMEM;
	}

	uint32_t slot = free_stack[--free_top];

	in_use[slot] = true;
	*location = (uintptr_t)slot * PAGE;
	return 0;
}

void k_mem_paging_backing_store_location_free(uintptr_t location)
{
	int slot = held_slot(location, "free");

	if (slot < 0) {
		return; /* a double free: keep the stack sane */
	}
	in_use[slot] = false;
	memset(slots[slot], POISON, PAGE); /* a page-in from it would show */
	free_stack[free_top++] = (uint32_t)slot;
}

int k_mem_paging_backing_store_page_out(uintptr_t location)
{
	int slot = held_slot(location, "page-out");

	if (slot < 0) {
		return -EIO;
	}
	if (inject(FI_PAGE_OUT)) {
		memset(slots[slot], TORN, PAGE / 2);
		return -EIO;
	}
	memcpy(slots[slot], ARCH_SCRATCH_PAGE, PAGE);
	return 0;
}

int k_mem_paging_backing_store_page_in(uintptr_t location)
{
	int slot = held_slot(location, "page-in");

	if (slot < 0) {
		return -EIO;
	}
	if (inject(FI_PAGE_IN)) {
		memset(ARCH_SCRATCH_PAGE, TORN, PAGE / 2);
		return -EIO;
	}
	memcpy(ARCH_SCRATCH_PAGE, slots[slot], PAGE);
	return 0;
}

void k_mem_paging_backing_store_page_finalize(struct k_mem_page_frame *pf, uintptr_t location)
{
	int slot = held_slot(location, "finalize");

	if (slot < 0) {
		return;
	}
	if (keep_slots && free_top > FI_STORE_SLOTS / 4U) {
		backed_slot[pf - k_mem_page_frames] = (uint32_t)slot;
		k_mem_page_frame_set(pf, K_MEM_PAGE_FRAME_BACKED);
	} else {
		k_mem_paging_backing_store_location_free(location);
	}
}

size_t k_mem_paging_backing_store_free_get(void)
{
	return free_top;
}
