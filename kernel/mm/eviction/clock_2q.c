/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CLOCK-2Q eviction, the default: scan resistance and loop resistance from
 * the accessed bit alone.
 *
 * Why this design. The commonest failure of LRU and CLOCK is a loop over a
 * few more pages than there are frames: the page evicted is always the one
 * needed next, and every access faults. LIRS (Jiang and Zhang, SIGMETRICS
 * 2002) and its clock form CLOCK-Pro (Jiang, Chen and Zhang, USENIX ATC
 * 2005) fix that by letting a page displace a "hot" resident page only when
 * its reuse distance is shorter than the hot page's recency; ARC and CAR
 * (Megiddo and Modha, FAST 2003 / Bansal and Modha, FAST 2004) adapt two
 * lists but still cycle on such loops. CLOCK-Pro needs three hands and the
 * non-resident pages threaded through its clock. This file keeps the
 * structure of 2Q (Johnson and Shasha, VLDB 1994) - a small probation FIFO
 * in front of a protected main list, plus a bounded history of evicted
 * pages - and takes its two admission tests from LIRS/CLOCK-Pro and from
 * Linux's refault distance (Weiner, "workingset", 2012):
 *
 * - Probation (about 1/64 of the evictable frames, PROBATION_SHIFT): a FIFO
 *   every page faulted in, added or unpinned enters ("fresh"). Its head is
 *   looked at once: a fresh page's accessed bit is the one its own faulting
 *   access set, so it says nothing, and a fresh page at the head is the
 *   victim - so a one-pass scan only ever cycles through probation, at one
 *   look a fault. (Counting a use on probation would need a second look at
 *   every page, the first only to clear that bit: 2.5 looks a fault where
 *   1.5 do; reuse is caught by the history below instead, at the price of
 *   one more fault for a page reused within probation's short stay.)
 * - Protected: a clock of the other frames. While it holds fewer than its
 *   share, probation's head moves into it instead of being evicted (so a
 *   loop just past RAM fills it once and then stays resident).
 * - Non-resident history: for each evicted page, its virtual page number and
 *   the eviction count at the time, in a direct-mapped table of one slot per
 *   frame (2 words per frame; a collision forgets the older page). A page
 *   faulted back in within REFAULT_NUM/REFAULT_DEN x evictable evictions
 *   is "refaulted": with that much more room it would have stayed.
 * - Promotion: a refaulted page at probation's head (not looked at: it is
 *   referenced whatever its bit) enters protected only if the protected page
 *   under the hand was not accessed since the hand last passed it; that
 *   page is then the victim (it was idle a whole revolution: no further
 *   probation lap, which would cost it one more look). Otherwise the hand
 *   moves on (clearing the bit) and the candidate goes back to probation's
 *   tail, looked at ("seen": its bit cleared, so a set bit at its next look
 *   is a use, which makes it a candidate again). The hand also ticks one
 *   step when TICK_PERIOD selects went by without it moving, so "not
 *   accessed since the hand passed" means idle for at most about
 *   TICK_PERIOD x protected-size faults. In a loop every
 *   protected page is used once a pass, which is shorter than that, so no
 *   loop page ever displaces another: faults per pass = N - F + probation,
 *   against OPT's N - F. Pages used more often than once a hand revolution
 *   (a hot set, Zipf's head) displace idle ones (a scan's leftovers).
 *
 * Dirty bits play no part: preferring clean pages evicts exactly the pages
 * a write loop is about to touch.
 *
 * Complexity (E = evictable frames, N = all frames): add, remove, accessed
 * O(1), no page lookup (add reads the history table: one hash, one compare);
 * select at most min(MAX_LOOKUPS, E) + 1 page lookups, O(1) worst case,
 * and a few in the common case (probation's head once, the protected hand
 * once a tick or a promotion); init O(N). Memory: links 2 x 2 or 2 x 4 bytes, a state
 * byte and 2 history words per frame.
 *
 * k_mem_paging_eviction_accessed() is a no-op: the hardware bits say more.
 * add of a frame already in a list and remove of one in none change nothing.
 */
#include "eviction_common.h"

#define PROBATION_SHIFT 6U /* probation's share: E >> 6, at least 1 */
#define REFAULT_NUM     3U /* a refault within 3/4 E evictions counts as a reference */
#define REFAULT_DEN     4U
#define TICK_PERIOD     2U  /* the protected hand moves at least once every 2 selects */
#define MAX_LOOKUPS     32U /* page lookups per select before taking what is at hand */

enum c2q_state {
	C2Q_NONE,      /* not evictable */
	C2Q_FRESH,     /* probation, entered by a fault: its bit is that fault's */
	C2Q_SEEN,      /* probation, sent back with its bit cleared: a set bit is a new use */
	C2Q_REFAULTED, /* probation, faulted back in soon after its eviction */
	C2Q_PROTECTED,
};

static z_eviction_index_t next[K_MEM_NUM_PAGE_FRAMES];
static z_eviction_index_t prev[K_MEM_NUM_PAGE_FRAMES];
static uint8_t state[K_MEM_NUM_PAGE_FRAMES];
static struct z_eviction_list probation; /* first: the head */
static struct z_eviction_list protect;   /* first: the hand */
/* History of evicted pages: tag = virtual page number + 1 (0: empty), stamp = eviction count. */
static uint32_t history_tag[K_MEM_NUM_PAGE_FRAMES];
static uint32_t history_stamp[K_MEM_NUM_PAGE_FRAMES];
static uint32_t evictions;
static uint32_t hand_due; /* selects since the protected hand last moved, tick or trade */

static void list_add(struct z_eviction_list *list, size_t i)
{
	z_eviction_list_add(list, next, prev, i);
}

static void list_unlink(struct z_eviction_list *list, size_t i)
{
	z_eviction_list_unlink(list, next, prev, i);
}

/* first becomes the last: the FIFO's head goes to its tail; the hand moves on. */
static void list_rotate(struct z_eviction_list *list)
{
	list->first = next[list->first];
}

static uint32_t history_key(const struct k_mem_page_frame *pf)
{
	return (uint32_t)((uintptr_t)k_mem_page_frame_to_virt(pf) / CONFIG_MMU_PAGE_SIZE);
}

static size_t history_slot(uint32_t key)
{
	return (size_t)((key * 2654435761U) % (uint32_t)K_MEM_NUM_PAGE_FRAMES);
}

static void history_record(const struct k_mem_page_frame *pf)
{
	uint32_t key = history_key(pf);
	size_t slot = history_slot(key);

	evictions++;
	history_tag[slot] = key + 1U;
	history_stamp[slot] = evictions;
}

/* Whether the page pf now holds was evicted within the refault distance. */
static bool history_refault(const struct k_mem_page_frame *pf, size_t evictable)
{
	uint32_t key = history_key(pf);
	size_t slot = history_slot(key);

	if (history_tag[slot] != key + 1U) {
		return false;
	}
	history_tag[slot] = 0U; /* one refault per eviction */
	return (uint32_t)(evictions - history_stamp[slot]) <=
	       (uint32_t)(evictable * REFAULT_NUM / REFAULT_DEN);
}

void k_mem_paging_eviction_init(void)
{
	memset(next, 0xFF, sizeof(next));
	memset(prev, 0xFF, sizeof(prev));
	memset(state, C2Q_NONE, sizeof(state));
	memset(history_tag, 0, sizeof(history_tag));
	probation.first = Z_EVICTION_NONE;
	probation.count = 0;
	protect.first = Z_EVICTION_NONE;
	protect.count = 0;
	evictions = 0;
	hand_due = 0;
}

void k_mem_paging_eviction_add(struct k_mem_page_frame *pf)
{
	size_t i = z_eviction_frame_index(pf);

	if (state[i] != C2Q_NONE) {
		return;
	}
	state[i] = history_refault(pf, probation.count + protect.count + 1U) ? C2Q_REFAULTED
									     : C2Q_FRESH;
	list_add(&probation, i);
}

void k_mem_paging_eviction_remove(struct k_mem_page_frame *pf)
{
	size_t i = z_eviction_frame_index(pf);

	if (state[i] == C2Q_NONE) {
		return;
	}
	list_unlink(state[i] == C2Q_PROTECTED ? &protect : &probation, i);
	state[i] = C2Q_NONE;
}

/* z_eviction_replace() of a frame not at probation's head (a traded protected victim). */
static __noinline void replace_elsewhere(struct k_mem_page_frame *pf, size_t i, size_t count)
{
	list_unlink(state[i] == C2Q_PROTECTED ? &protect : &probation, i);
	list_add(&probation, i);
	state[i] = history_refault(pf, count) ? C2Q_REFAULTED : C2Q_FRESH;
}

void z_eviction_replace(struct k_mem_page_frame *pf)
{
	size_t i = z_eviction_frame_index(pf);
	size_t count = probation.count + protect.count; /* pf counted: add's count + 1 */

	__ASSERT(state[i] != C2Q_NONE, "frame %zu is not evictable", i);
	if (unlikely(state[i] == C2Q_PROTECTED || probation.first != i)) {
		replace_elsewhere(pf, i, count); /* apart: the common case keeps no registers */
		return;
	}
	/* Unlinked at the head and appended: the FIFO's order, rotated. */
	list_rotate(&probation);
	state[i] = history_refault(pf, count) ? C2Q_REFAULTED : C2Q_FRESH;
}

void k_mem_paging_eviction_accessed(uintptr_t phys)
{
	/* The accessed bits are the hardware's; a software hint adds nothing. */
	__ASSERT(k_mem_is_page_frame(phys), "0x%lx is not RAM", (unsigned long)phys);
	(void)phys;
}

static uintptr_t look(size_t i, bool clear)
{
	return z_eviction_page_info(&k_mem_page_frames[i], clear);
}

/* Probation's head i moves to protected, just behind the hand. */
static ALWAYS_INLINE void protect_head(size_t i)
{
	list_unlink(&probation, i);
	state[i] = C2Q_PROTECTED;
	list_add(&protect, i);
}

static struct k_mem_page_frame *victim(size_t i, uintptr_t info, bool *dirty)
{
	struct k_mem_page_frame *pf = &k_mem_page_frames[i];

	*dirty = (info & ARCH_DATA_PAGE_DIRTY) != 0U;
	history_record(pf);
	return pf;
}

/* The protected hand's tick: one step when TICK_PERIOD selects went by without it moving. */
static ALWAYS_INLINE bool hand_tick(void)
{
	if (++hand_due >= TICK_PERIOD && protect.count > 0U) {
		(void)look(protect.first, true);
		list_rotate(&protect);
		hand_due = 0;
		return true;
	}
	return false;
}

static __noinline struct k_mem_page_frame *select_loop(size_t count, size_t lookups, bool *dirty);

/*
 * The select, its common case first, in few registers (select_loop() takes
 * the same steps in every case): protected has no room and probation's
 * head is fresh, so after the tick (if due) the head is the victim at its
 * look (which need not clear its bit: the page leaves). The tick leaves a
 * lookup for it: protected and probation are not empty then.
 */
/* The common case with the protected hand's tick due (every TICK_PERIOD-th select). */
static __noinline struct k_mem_page_frame *select_ticking(size_t i, bool *dirty)
{
	(void)hand_tick();
	return victim(i, look(i, false), dirty);
}

struct k_mem_page_frame *k_mem_paging_eviction_select(bool *dirty)
{
	size_t count = probation.count + protect.count;
	size_t lookups = MIN(count, (size_t)MAX_LOOKUPS); /* left before the last one */
	size_t i = probation.first;

	if (likely(i != Z_EVICTION_NONE && state[i] == C2Q_FRESH &&
		   protect.count + MAX(count >> PROBATION_SHIFT, 1U) >= count)) {
		if (hand_due + 1U >= TICK_PERIOD) {
			return select_ticking(i, dirty); /* apart: a second look, a rotation */
		}
		hand_due++;
		return victim(i, look(i, false), dirty);
	}
	if (count == 0U) {
		return NULL;
	}
	if (hand_tick()) {
		lookups--;
	}
	return select_loop(count, lookups, dirty);
}

/* The select's steps while lookups last, then what is at hand. */
static __noinline struct k_mem_page_frame *select_loop(size_t count, size_t lookups, bool *dirty)
{
	size_t probation_share = MAX(count >> PROBATION_SHIFT, 1U);
	size_t i;
	uintptr_t info;

	while (lookups > 0U) {
		if (probation.first == Z_EVICTION_NONE) {
			/* Everything is protected: plain CLOCK on it. */
			i = protect.first;
			info = look(i, true);
			lookups--;
			if ((info & ARCH_DATA_PAGE_ACCESSED) == 0U) {
				return victim(i, info, dirty);
			}
			list_rotate(&protect);
			continue;
		}
		i = probation.first;
		if (state[i] != C2Q_REFAULTED) {
			info = look(i, true);
			lookups--;
			/* A fresh page's bit is its faulting access's: only a seen one's is a use.
			 */
			if (state[i] == C2Q_FRESH || (info & ARCH_DATA_PAGE_ACCESSED) == 0U) {
				if (protect.count + probation_share < count) {
					protect_head(i); /* protected has room: keep it */
					continue;
				}
				return victim(i, info, dirty);
			}
		} else {
			lookups--; /* no look, but a step all the same: select stays O(1) */
		}
		/* Refaulted soon after its eviction (no look needed), or used while seen. */
		if (protect.count + probation_share < count) {
			protect_head(i);
			continue;
		}
		if (lookups == 0U || protect.count == 0U) {
			break; /* nothing to trade with: i is at hand */
		}
		size_t h = protect.first;
		uintptr_t hinfo = look(h, true);

		lookups--;
		list_rotate(&protect);
		hand_due = 0; /* the hand moved: it counts as the tick */
		if ((hinfo & ARCH_DATA_PAGE_ACCESSED) == 0U) {
			/*
			 * h idle for a whole revolution: i takes its place and h is
			 * the victim (it stays in protected until the caller removes
			 * it, as every victim stays evictable).
			 */
			protect_head(i);
			return victim(h, hinfo, dirty);
		}
		/* Protected is busy: i goes back to probation's tail, seen, its bit clear. */
		if (state[i] == C2Q_REFAULTED) {
			if (lookups == 0U) {
				break;
			}
			(void)look(i, true);
			lookups--;
			state[i] = C2Q_SEEN;
		}
		list_rotate(&probation);
	}
	/* Out of lookups: take what is at hand, with its dirty bit. */
	i = (probation.first != Z_EVICTION_NONE) ? probation.first : protect.first;
	return victim(i, look(i, false), dirty);
}
