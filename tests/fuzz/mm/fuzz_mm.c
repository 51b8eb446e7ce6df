/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Model-based fuzzer of the memory manager (kernel/mm/, unchanged) over the
 * host software MMU (arch/host/). Each input is a sequence of operations on
 * a fresh memory manager; after every step the return value, the bytes read
 * and which accesses fault are compared with the reference model
 * (model.c), a failed call must have left z_mm_state_digest() unchanged,
 * and k_mem_check_invariants() must find nothing. Any disagreement prints
 * the decoded steps and aborts, so libFuzzer keeps the input.
 *
 * Input encoding (gen_corpus.py writes the same): steps one after the
 * other, each an opcode byte (taken modulo NUM_OPS) and its argument bytes;
 * missing bytes at the end read as 0. `addr` is three bytes (pick_addr),
 * `range` two (slot, variant: pick_range).
 *
 *   0 map_anon      slot flags extra size
 *   1 map_phys_guard slot phys_sel phys_arg flags extra size
 *   2 map_phys_bare slot phys_sel phys_arg off_lo off_hi flags extra size_sel size_arg
 *   3 unmap         slot variant
 *   4 read          addr len
 *   5 write         addr len seed
 *   6 exec          addr len
 *   7 touch         slot seed         one byte of every page of a mapping
 *   8 check         slot              every byte of a mapping against the model
 *   9 page_out      range
 *  10 page_in       range
 *  11 pin           range
 *  12 unpin         range
 *  13 frame_evict   sel arg
 *  14 update_flags  range flags extra
 *  15 time          ms/4              advance the clock by 4 * arg ms
 *  16 flags_get     addr
 *  17 page_fault    addr
 *  18 dump          -                 the dumps, statistics and histograms
 *  19 irq           skip count        arm an interrupt (below)
 *
 * Interrupts: `irq` arms one. The host port reports every point where
 * interrupts go from locked to enabled (host_point_hook: the kernel's
 * irq_unlock(), the enable around a transfer under ALLOW_IRQ, the disk
 * model between two sectors); inside the next kernel call a step makes,
 * the armed interrupt lets skip % 4 of them pass and is taken at the next.
 * Calls that run locked throughout and change what the model records
 * (the maps, unmaps, k_mem_update_flags(), k_mem_pin(), k_mem_unpin())
 * have their only point as they return, which is no different from
 * between two steps for the kernel but would find the model not yet
 * updated: interrupts are taken in the other calls and the accesses.
 * Where an interrupt is taken,
 * there, as an interrupt handler (k_is_in_isr() true, interrupts locked),
 * it runs 1 + count % 4 nested steps decoded from the input's next bytes,
 * each opcode byte choosing among the calls a handler may make (isr_ops[]):
 * reads and writes that do not fault (with ALLOW_IRQ a fault in a handler
 * is fatal; without it they may fault and are served), page_out, page_in
 * (not of the page in transit: fatal by the header), frame_evict,
 * flags_get, time, dump, and `refused` (unmap and update_flags of the
 * mapping whose page is in transit: -EBUSY, nothing changed). Each is
 * checked like a step; the interrupted step's checks that compare with the
 * state before its call accept what the handler did.
 *
 * Environment: FUZZ_MM_TRACE=1 prints each step as it runs;
 * FUZZ_MM_OPS_FILE names a file the step count is kept in (so the runner
 * reads it however the process ends); FUZZ_MM_INJECT=invariant|model
 * corrupts the state on purpose (the runner's own tests prove that such
 * breaks are caught).
 */
#include <arch/mm.h>
#include <errno.h>
#include <fcntl.h>
#include <host_mmu.h>
#include <host_port.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <kernel/mm/demand_paging.h>
#include <mm_core.h>
#include <mm_debug.h>
#include <page_frames.h>
#include <paging.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <virt_region.h>

#include "model.h"

#if defined(__has_include)
#if __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#define HAVE_ASAN_CALLBACK 1
#endif
#endif

enum op {
	OP_MAP_ANON,
	OP_MAP_PHYS_GUARD,
	OP_MAP_PHYS_BARE,
	OP_UNMAP,
	OP_READ,
	OP_WRITE,
	OP_EXEC,
	OP_TOUCH,
	OP_CHECK,
	OP_PAGE_OUT,
	OP_PAGE_IN,
	OP_PIN,
	OP_UNPIN,
	OP_FRAME_EVICT,
	OP_UPDATE_FLAGS,
	OP_TIME,
	OP_FLAGS_GET,
	OP_PAGE_FAULT,
	OP_DUMP,
	OP_IRQ,
	NUM_OPS,
	OP_REFUSED = NUM_OPS /* only in an interrupt handler */
};

static const char *const op_names[NUM_OPS + 1] = {
	"map_anon",  "map_phys_guard", "map_phys_bare", "unmap",
	"read",      "write",          "exec",          "touch",
	"check",     "page_out",       "page_in",       "pin",
	"unpin",     "frame_evict",    "update_flags",  "time",
	"flags_get", "page_fault",     "dump",          "irq",
	"refused",
};

/* Which unmap call a step made. */
enum unmap_api { UNMAP_ANON, UNMAP_GUARD_PHYS, UNMAP_BARE };
static const char *const unmap_names[] = {"k_mem_unmap", "k_mem_unmap_phys_guard",
					  "k_mem_unmap_phys_bare"};

/* One decoded step and its outcome, for the failure report. */
struct step {
	uint8_t op;
	uint8_t slot;
	uint8_t api; /* unmap: enum unmap_api */
	bool skipped;
	bool null_ptr; /* map_phys_bare: virt_ptr NULL */
	uintptr_t addr;
	size_t size;
	uintptr_t phys;
	uint32_t flags;
	long ret;
	int outer; /* the step an interrupt handler ran this one in, or -1 */
};

#define MAX_STEPS 1024
static struct step steps[MAX_STEPS];
static size_t num_steps;

static volatile uint64_t ops_fallback;
static volatile uint64_t *ops_total = &ops_fallback;
static bool trace_on;

/* Interrupts (OP_IRQ): the input being decoded, what is armed, where we are. */
static struct input *cur_in;
static int irq_skip = -1; /* points to let pass before the armed interrupt; -1: none */
static unsigned int irq_steps;
static int cur_step = -1;    /* the top-level step running */
static unsigned int in_call; /* a step's kernel call is under way: interrupts may come */
static bool in_handler;      /* running a handler's steps */
static unsigned int handled; /* handlers that ran during the current step's calls */

/* Brackets a step's kernel call: an armed interrupt may be taken inside. */
static void call_begin(void)
{
	in_call++;
}

static void call_end(void)
{
	in_call--;
}

/*
 * A handler ran inside the current step's calls: the step's checks against
 * the state before its call must allow for what the handler did (they stay
 * exact for the handler's own steps).
 */
static bool handler_ran(void)
{
	return !in_handler && handled != 0U;
}
static enum { INJECT_NONE, INJECT_INVARIANT, INJECT_MODEL } inject;

static uint64_t faults_direct;    /* k_mem_page_fault() calls that resolved one */
static unsigned long faults_base; /* the kernel's count when the input started */

static const uintptr_t kernel_end = HOST_VM_BASE + HOST_IMAGE_PAGES * PAGE;
static const uintptr_t scratch = HOST_VM_BASE + HOST_VM_SIZE - PAGE;
static const uintptr_t reserved_base = HOST_RAM_BASE + HOST_RAM_SIZE - HOST_RESERVED_FRAMES * PAGE;

/* ---- reporting ------------------------------------------------------------- */

static void flags_str(uint32_t flags, char *buf, size_t size)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {{K_MEM_PERM_RW, "RW"},
		     {K_MEM_PERM_EXEC, "EXEC"},
		     {K_MEM_PERM_USER, "USER"},
		     {K_MEM_MAP_UNINIT, "UNINIT"},
		     {K_MEM_MAP_LOCK, "LOCK"}};
	static const char *const cache[8] = {"",        "|WT",     "|NOCACHE", "|cache3",
					     "|cache4", "|cache5", "|cache6",  "|cache7"};
	uint32_t rest = flags & ~(uint32_t)K_MEM_CACHE_MASK;
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if ((rest & names[i].bit) != 0U) {
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "|" : "",
						names[i].name);
			rest &= ~names[i].bit;
		}
	}
	if (len == 0U) {
		len = (size_t)snprintf(buf, size, "RO");
	}
	len += (size_t)snprintf(buf + len, size - len, "%s", cache[flags & K_MEM_CACHE_MASK]);
	if (rest != 0U) {
		snprintf(buf + len, size - len, "|0x%x", (unsigned int)rest);
	}
}

static void print_step(FILE *out, size_t i)
{
	const struct step *s = &steps[i];
	char flags[80];

	flags_str(s->flags, flags, sizeof(flags));
	fprintf(out, "  #%-4zu %s%s", i, s->outer >= 0 ? "  [irq] " : "", op_names[s->op]);
	switch (s->op) {
	case OP_MAP_ANON:
		fprintf(out, "(slot %u, size 0x%zx, %s) = %#lx", s->slot, s->size, flags,
			(unsigned long)s->ret);
		break;
	case OP_MAP_PHYS_GUARD:
		fprintf(out, "(slot %u, phys 0x%lx, size 0x%zx, %s) = %#lx", s->slot,
			(unsigned long)s->phys, s->size, flags, (unsigned long)s->ret);
		break;
	case OP_MAP_PHYS_BARE:
		fprintf(out, "(slot %u, %sphys 0x%lx, size 0x%zx, %s) = %ld, virt 0x%lx", s->slot,
			s->null_ptr ? "virt_ptr NULL, " : "", (unsigned long)s->phys, s->size,
			flags, s->ret, (unsigned long)s->addr);
		break;
	case OP_UNMAP:
		fprintf(out, " %s(slot %u, 0x%lx, 0x%zx) = %ld", unmap_names[s->api], s->slot,
			(unsigned long)s->addr, s->size, s->ret);
		break;
	case OP_READ:
	case OP_WRITE:
	case OP_EXEC:
		fprintf(out, "(0x%lx, %zu) = %ld bytes", (unsigned long)s->addr, s->size, s->ret);
		break;
	case OP_TOUCH:
	case OP_CHECK:
		fprintf(out, "(slot %u)", s->slot);
		break;
	case OP_FRAME_EVICT:
		fprintf(out, "(0x%lx) = %ld", (unsigned long)s->phys, s->ret);
		break;
	case OP_UPDATE_FLAGS:
		fprintf(out, "(0x%lx, 0x%zx, %s) = %ld", (unsigned long)s->addr, s->size, flags,
			s->ret);
		break;
	case OP_TIME:
		fprintf(out, "(+%zu ms)", s->size);
		break;
	case OP_FLAGS_GET:
		fprintf(out, "(0x%lx) = %ld, %s", (unsigned long)s->addr, s->ret,
			s->ret == 0 ? flags : "-");
		break;
	case OP_PAGE_FAULT:
		fprintf(out, "(0x%lx) = %s", (unsigned long)s->addr, s->ret ? "true" : "false");
		break;
	case OP_DUMP:
		break;
	case OP_IRQ:
		fprintf(out, "(after %zu points, %zu steps)", (size_t)s->addr, s->size);
		break;
	case OP_REFUSED:
		fprintf(out, "(0x%lx, 0x%zx) = %ld", (unsigned long)s->addr, s->size, s->ret);
		break;
	default: /* page_out, page_in, pin, unpin */
		fprintf(out, "(0x%lx, 0x%zx) = %ld", (unsigned long)s->addr, s->size, s->ret);
		break;
	}
	fprintf(out, "%s\n", s->skipped ? "  [skipped: the model cannot judge it]" : "");
}

static bool reported;

static void print_report(const char *cls, const char *what)
{
	static char console[HOST_CONSOLE_KEEP + 1];

	if (reported) {
		return; /* a sanitizer report while reporting, say */
	}
	reported = true;
	if (cur_step >= 0) {
		const struct step *last = &steps[cur_step];

		/* Name the step: the one running, and the one a handler interrupted. */
		if (last->outer >= 0) {
			fprintf(stderr,
				"\nFUZZ-MM FAILURE (%s): step #%d %s, in an interrupt "
				"handler during step #%d %s: %s\n",
				cls, cur_step, op_names[last->op], last->outer,
				op_names[steps[last->outer].op], what);
		} else {
			fprintf(stderr, "\nFUZZ-MM FAILURE (%s): step #%d %s: %s\n", cls, cur_step,
				op_names[last->op], what);
		}
	} else {
		fprintf(stderr, "\nFUZZ-MM FAILURE (%s): %s\n", cls, what);
	}
	fprintf(stderr, "Steps of this input (the last one failed, its arguments as far as "
			"decoded):\n");
	for (size_t i = 0; i < num_steps; i++) {
		print_step(stderr, i);
	}
	if (host_console_tail(console, sizeof(console)) != 0U) {
		fprintf(stderr, "Kernel console, last lines:\n%s\n", console);
	}
	fprintf(stderr, "fuzz-mm: %llu ops\n", (unsigned long long)*ops_total);
	fflush(stderr);
}

__printf_like(2, 3) static FUNC_NORETURN void fail(const char *cls, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	print_report(cls, what);
	abort();
}

#define FAIL_MODEL(...) fail("model", __VA_ARGS__)

/* The kernel's own words for a halt: a shadow tag's report (the cause), else the assertion. */
static void on_kernel_fatal(const char *why)
{
	static char console[HOST_CONSOLE_KEEP + 1];
	char reason[400];
	const char *line = NULL;

	host_console_tail(console, sizeof(console));
	line = strstr(console, "<err> mm: shadow tag: ");
	if (line == NULL) {
		line = strstr(console, "ASSERTION FAIL");
	}
	if (line != NULL) {
		size_t len = strcspn(line, "\n");

		snprintf(reason, sizeof(reason), "%s: %.*s", why, (int)MIN(len, 300U), line);
		print_report("crash", reason);
		return;
	}
	print_report("crash", why);
}

#ifdef HAVE_ASAN_CALLBACK
static void on_sanitizer_report(const char *report)
{
	(void)report; /* already printed by the sanitizer */
	print_report("crash", "AddressSanitizer report above");
}
#endif

/* UBSan's hook for every error it reports (weak in its runtime). */
void __ubsan_on_report(void);
void __ubsan_on_report(void)
{
	print_report("crash", "UndefinedBehaviorSanitizer report below");
}

/* ---- input ----------------------------------------------------------------- */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct input *in)
{
	if (in->n == 0U) {
		return 0;
	}
	in->n--;
	return *in->p++;
}

static int free_slot(uint8_t sel)
{
	for (int i = 0; i < NHANDLES; i++) {
		int h = (sel + i) % NHANDLES;

		if (!handles[h].live) {
			return h;
		}
	}
	return -1;
}

static uint32_t anon_flags(uint8_t sel, uint8_t extra)
{
	uint32_t flags = ((sel & 1U) ? K_MEM_PERM_RW : 0U) | ((sel & 2U) ? K_MEM_PERM_EXEC : 0U) |
			 ((sel & 4U) ? K_MEM_MAP_UNINIT : 0U) | ((sel & 8U) ? K_MEM_MAP_LOCK : 0U);

	switch (sel >> 4) {
	case 15:
		return flags | K_MEM_PERM_USER;
	case 14:
		return flags | (1U + extra % K_MEM_CACHE_MASK); /* no cache mode for anonymous */
	case 13:
		return flags | BIT(extra % 32U);
	default:
		return flags;
	}
}

static uint32_t phys_flags(uint8_t sel, uint8_t extra)
{
	uint32_t flags = ((sel & 1U) ? K_MEM_PERM_RW : 0U) | ((sel & 2U) ? K_MEM_PERM_EXEC : 0U) |
			 ((sel >> 2) & 3U) % 3U;

	switch (sel >> 4) {
	case 15:
		return flags | K_MEM_PERM_USER;
	case 14:
		return flags | K_MEM_MAP_LOCK;
	case 13:
		return flags | BIT(extra % 32U);
	case 12:
		return (flags & ~(uint32_t)K_MEM_CACHE_MASK) |
		       (3U + extra % 5U); /* bad cache mode */
	default:
		return flags;
	}
}

static size_t map_size(uint8_t sel)
{
	static const size_t odd[8] = {
		0,
		1,
		PAGE + 1,
		HOST_VM_SIZE - 2 * PAGE,
		HOST_VM_SIZE - PAGE,
		SIZE_MAX & ~(PAGE - 1),
		HOST_VM_SIZE,
		PAGE - 1,
	};

	switch (sel >> 5) {
	case 5:
		return (1U + (sel & 31U)) * PAGE;
	case 6:
		return (1U + (sel & 31U) * 4U) * PAGE;
	case 7:
		return odd[sel & 7U];
	default:
		return (1U + (sel & 7U)) * PAGE;
	}
}

static size_t bare_size(uint8_t sel, uint8_t arg)
{
	static const size_t odd[8] = {
		0,    SIZE_MAX, HOST_VM_SIZE - PAGE, HOST_VM_SIZE - PAGE + 1, 1,
		PAGE, 3 * PAGE, 2 * PAGE - 1,
	};

	if (sel >> 5 == 7) {
		return odd[sel & 7U];
	}
	return 1U + ((size_t)sel << 8 | arg) % (6U * PAGE);
}

static uintptr_t pick_phys(uint8_t sel, uint8_t arg)
{
	switch (sel % 8U) {
	case 0:
	case 1:
		return reserved_base + (arg % HOST_RESERVED_FRAMES) * PAGE;
	case 2:
	case 3:
		return HOST_DEV_BASE + (arg % (HOST_DEV_SIZE / PAGE)) * PAGE;
	case 4:
		return HOST_RAM_BASE + (arg % NUM_FRAMES) * PAGE; /* kernel RAM: read only */
	case 5:
		return (uintptr_t)0xC0000000 + arg * PAGE; /* open bus */
	case 6:
		return reserved_base + 1U + arg; /* unaligned */
	default: /* the top of what an entry can name, or of the address space */
		return ((arg & 4U) ? HOST_PHYS_MAX + 1U : 0U) - (1U + arg % 4U) * PAGE;
	}
}

static uintptr_t pick_addr(struct input *in)
{
	uint8_t a = u8(in);
	uint8_t b = u8(in);
	uint8_t c = u8(in);
	size_t off = (c & 0x80U) ? PAGE - 1U - (c & 0x7FU) : (size_t)(c & 0x7FU) * 32U;
	size_t random_page = ((size_t)b * 2U + (c & 1U)) % VM_PAGES;
	const struct handle *m = &handles[a % NHANDLES];

	if (a >> 4 == 15) {
		static const uintptr_t outside[4] = {HOST_VM_BASE - PAGE,
						     HOST_VM_BASE + HOST_VM_SIZE, 0x1000,
						     (uintptr_t)0x7f0000000000};

		return outside[b % 4U] + off;
	}
	if (a >> 4 >= 12 || !m->used) {
		return model_page_va(random_page) + off;
	}
	/* A page of the mapping, its guards, or the page on either side. */
	long page = (long)m->first - 1 + (long)(b % (m->pages + 2U));

	if (page < 0 || page >= (long)VM_PAGES) {
		page = (long)m->first;
	}
	return model_page_va((size_t)page) + off;
}

static void pick_range(struct input *in, uintptr_t *addr, size_t *size)
{
	const struct handle *m = &handles[u8(in) % NHANDLES];
	uint8_t v = u8(in);

	if (!m->used) {
		*addr = model_page_va((v * 5U) % VM_PAGES);
		*size = (1U + v % 4U) * PAGE;
		return;
	}

	size_t guard = m->kind != KIND_PHYS_BARE ? 1U : 0U;
	size_t data_pages = m->pages - 2U * guard;
	uintptr_t data = model_page_va(m->first + guard);

	switch (v % 10U) {
	case 4:
		*addr = data + ((v >> 4) % data_pages) * PAGE;
		*size = PAGE;
		break;
	case 5:
		*addr = model_page_va(m->first);
		*size = m->pages * PAGE;
		break;
	case 6:
		*addr = data + 1U;
		*size = data_pages * PAGE;
		break;
	case 7:
		*addr = data;
		*size = 0;
		break;
	case 8:
		*addr = model_page_va((v * 7U) % VM_PAGES);
		*size = (1U + (v >> 4) % 4U) * PAGE;
		break;
	case 9:
		*addr = HOST_VM_BASE + ((v & 0x10U) ? 2U * PAGE : 0U); /* the image, and past it */
		*size = 4U * PAGE;
		break;
	default:
		*addr = data;
		*size = data_pages * PAGE;
		break;
	}
}

static size_t access_len(uint8_t sel)
{
	if (sel < 192U) {
		return 1U + sel % 64U;
	}
	if (sel < 248U) {
		return 1U + (size_t)(sel - 192U) * 73U;
	}
	return PAGE + (size_t)(sel - 248U) * 512U + 1U; /* across a page boundary */
}

/* ---- oracles from the kernel's own records (consistency checks only) ------------ */

static bool is_anon_va(uintptr_t va)
{
	return va >= kernel_end && va < scratch;
}

/* The page at va is resident in a frame of its own that is pinned. */
static bool page_pinned_now(uintptr_t va)
{
	uintptr_t phys;

	if (arch_page_location_get((void *)va, &phys) != ARCH_PAGE_LOCATION_PAGED_IN ||
	    !k_mem_is_page_frame(phys)) {
		return false;
	}

	const struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(phys);

	return k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED) &&
	       (uintptr_t)k_mem_page_frame_to_virt(pf) == va &&
	       k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED);
}

static size_t evictable_frames(void)
{
	size_t count = 0;

	for (size_t i = 0; i < NUM_FRAMES; i++) {
		const struct k_mem_page_frame *pf = &k_mem_page_frames[i];

		if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED) &&
		    !k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED | K_MEM_PAGE_FRAME_BUSY |
						     K_MEM_PAGE_FRAME_FREE |
						     K_MEM_PAGE_FRAME_RESERVED) &&
		    is_anon_va((uintptr_t)k_mem_page_frame_to_virt(pf))) {
			count++;
		}
	}
	return count;
}

/* No frame can be had for a fault: none free, and none to evict or nowhere to put it. */
static bool exhausted(void)
{
	return z_free_page_frame_count() == 0U &&
	       (evictable_frames() == 0U || k_mem_paging_backing_store_free_get() == 0U);
}

/* ---- accesses ---------------------------------------------------------------- */

/*
 * What an unresolved fault must leave alone, cheaply (accesses are most of
 * the steps): every page-table entry but its accessed bit, every frame
 * record, the free count.
 */
static uint64_t fault_fingerprint(void)
{
	uint64_t hash = host_mmu_fingerprint() ^ z_free_page_frame_count();

	for (size_t i = 0; i < NUM_FRAMES; i++) {
		hash = (hash ^ k_mem_page_frames[i].va_and_flags) * 0x100000001b3ULL;
	}
	return hash;
}

static bool would_fault(uintptr_t va, enum access_kind kind)
{
	uint32_t flags;

	/* Not present (a paged-out entry keeps its flags, so ask for the frame). */
	if (arch_page_phys_get((void *)ROUND_DOWN(va, PAGE), NULL) != 0 ||
	    arch_page_flags_get((void *)ROUND_DOWN(va, PAGE), &flags) != 0) {
		return true;
	}
	return (kind == ACC_WRITE && (flags & K_MEM_PERM_RW) == 0U) ||
	       (kind == ACC_EXEC && (flags & K_MEM_PERM_EXEC) == 0U);
}

static const char *const access_names[] = {"read", "write", "fetch"};

/* Should the fuzzer make this access at all? */
static bool judgeable(uintptr_t va, size_t len, enum access_kind kind)
{
	for (uintptr_t pos = va; pos - va < len; pos = ROUND_DOWN(pos, PAGE) + PAGE) {
		enum expect e = model_access(pos, kind);

		if (e == EXPECT_UNKNOWN) {
			return false;
		}
		if (e == EXPECT_FAULT) {
			return true; /* the access ends there */
		}
		const struct mpage *p = &model_pages[model_page_index(pos)];

		/* Kernel RAM behind a physical mapping is not the fuzzer's to write. */
		if (kind == ACC_WRITE && p->owner == OWN_PHYS &&
		    model_phys_class(p->phys) == PHYS_KERNEL) {
			return false;
		}
	}
	return true;
}

static void check_bytes(uintptr_t va, const uint8_t *got, size_t len, enum access_kind kind)
{
	static uint8_t want[PAGE];
	static bool known[PAGE];

	if (model_matches(va, got, len)) {
		return;
	}
	model_expected(va, len, want, known);
	for (size_t i = 0; i < len; i++) {
		if (known[i] && got[i] != want[i]) {
			char whose[160] = "";
			const struct mpage *p = &model_pages[model_page_index(va)];
			size_t at = p->tag_off - va % PAGE;

			/* The page's tag where the model still has it: whose is there instead? */
			if (p->tag != 0U && at + 4U <= len) {
				uint32_t tag_got;
				uint32_t tag_want;

				memcpy(&tag_got, got + at, 4);
				memcpy(&tag_want, want + at, 4);
				if (tag_want == p->tag && tag_got != p->tag && tag_got == 0U) {
					snprintf(whose, sizeof(whose),
						 "; its tag (page 0x%lx, generation %u) is gone",
						 (unsigned long)model_page_va(p->tag >> 16),
						 (unsigned int)(p->tag & 0xFFFFU));
				} else if (tag_want == p->tag && tag_got != p->tag) {
					snprintf(whose, sizeof(whose),
						 "; its tag (page 0x%lx, generation %u) reads as "
						 "page 0x%lx, generation %u",
						 (unsigned long)model_page_va(p->tag >> 16),
						 (unsigned int)(p->tag & 0xFFFFU),
						 (unsigned long)model_page_va((tag_got >> 16) %
									      VM_PAGES),
						 (unsigned int)(tag_got & 0xFFFFU));
				}
			}
			FAIL_MODEL("%s of 0x%lx: byte 0x%02x, the model says 0x%02x%s",
				   access_names[kind], (unsigned long)(va + i), got[i], want[i],
				   whose);
		}
	}
}

static void corrupt_behind(uintptr_t va)
{
	uintptr_t phys;
	uint8_t *mem;

	if (arch_page_phys_get((void *)va, &phys) == 0 && (mem = host_phys_ptr(phys)) != NULL) {
		*mem ^= 0x01;
	}
}

/*
 * One access as the CPU makes it, page by page, checked against the model;
 * returns the bytes done (the access stops at the first fault).
 */
static size_t access_checked(uintptr_t va, uint8_t *buf, size_t len, enum access_kind kind)
{
	size_t done = 0;

	while (done < len) {
		uintptr_t pos = va + done;
		size_t chunk = MIN(len - done, (size_t)(PAGE - pos % PAGE));
		enum expect e = model_access(pos, kind);
		bool may_fault = would_fault(pos, kind);
		uint64_t before = may_fault ? fault_fingerprint() : 0U;
		uint64_t resolved = host_mmu_faults_resolved();
		size_t got;

		call_begin();
		switch (kind) {
		case ACC_WRITE:
			got = host_mmu_write(pos, buf + done, chunk);
			break;
		case ACC_EXEC:
			got = host_mmu_exec(pos, buf + done, chunk);
			break;
		default:
			got = host_mmu_read(pos, buf + done, chunk);
			break;
		}
		call_end();
		if (got == chunk) {
			if (e == EXPECT_FAULT) {
				FAIL_MODEL("%s of 0x%lx was allowed; the model says it faults",
					   access_names[kind], (unsigned long)pos);
			}
			if (kind == ACC_WRITE) {
				model_write(pos, buf + done, chunk);
				if (inject == INJECT_MODEL) {
					corrupt_behind(pos);
				}
			} else {
				check_bytes(pos, buf + done, chunk, kind);
			}
			done += chunk;
			continue;
		}
		if (got != 0U) {
			FAIL_MODEL("%s of 0x%lx stopped inside a page", access_names[kind],
				   (unsigned long)pos);
		}
		if (!may_fault) {
			FAIL_MODEL("%s of 0x%lx faulted with the page allowing it",
				   access_names[kind], (unsigned long)pos);
		}
		/* The handler is not told the access type: a fetch from a page that
		 * is not executable may first be paged in (or given its frame), then
		 * fault for good. Only a fault never resolved must change nothing.
		 */
		if (host_mmu_faults_resolved() == resolved && !handler_ran() &&
		    fault_fingerprint() != before) {
			FAIL_MODEL("an unresolved fault at 0x%lx changed the state",
				   (unsigned long)pos);
		}
		if (e == EXPECT_ALLOW &&
		    !(model_pages[model_page_index(pos)].owner == OWN_ANON && exhausted())) {
			FAIL_MODEL("%s of 0x%lx faulted; the model says it is allowed (and frames "
				   "are not exhausted)",
				   access_names[kind], (unsigned long)pos);
		}
		break;
	}
	return done;
}

static uint8_t access_buf[3 * PAGE];

/*
 * With ALLOW_IRQ a page fault in an interrupt handler is fatal (the
 * header's rule): a handler's access must not fault. Without it, it may.
 */
static bool handler_may_access(uintptr_t va, size_t len, enum access_kind kind)
{
	if (!IS_ENABLED(CONFIG_DEMAND_PAGING_ALLOW_IRQ)) {
		return true;
	}
	for (uintptr_t pos = va; pos - va < len; pos = ROUND_DOWN(pos, PAGE) + PAGE) {
		if (would_fault(pos, kind)) {
			return false;
		}
	}
	return true;
}

/* The page at va is in transit in a transfer an interrupt handler interrupted. */
static bool in_transit(uintptr_t va)
{
	for (unsigned int level = 0; level < z_paging_transfer_depth(); level++) {
		if ((uintptr_t)z_paging_transfer_page(level) == ROUND_DOWN(va, PAGE)) {
			return true;
		}
	}
	return false;
}

static bool range_in_transit(uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = start; va < end; va += PAGE) {
		if (in_transit(va)) {
			return true;
		}
	}
	return false;
}

static void op_access(struct step *s, struct input *in, enum access_kind kind)
{
	s->addr = pick_addr(in);
	s->size = access_len(u8(in));
	if (kind == ACC_WRITE) {
		uint8_t seed = u8(in);

		for (size_t i = 0; i < s->size; i++) {
			access_buf[i] = (uint8_t)(seed + i * 7U + (i >> 8));
		}
	}
	if (!judgeable(s->addr, s->size, kind) ||
	    (in_handler && !handler_may_access(s->addr, s->size, kind))) {
		s->skipped = true;
		return;
	}
	s->ret = (long)access_checked(s->addr, access_buf, s->size, kind);
}

/* The pages a mapping's data lies in. */
static void data_pages(const struct handle *m, size_t *first, size_t *count)
{
	size_t guard = m->kind != KIND_PHYS_BARE ? 1U : 0U;

	*first = m->first + guard;
	*count = m->pages - 2U * guard;
}

static uint32_t tag_generation;

static void op_touch(struct step *s, struct input *in)
{
	const struct handle *m = &handles[s->slot = u8(in) % NHANDLES];
	uint8_t seed = u8(in);
	size_t first;
	size_t count;

	if (!m->live) {
		s->skipped = true;
		return;
	}
	data_pages(m, &first, &count);
	for (size_t i = 0; i < count; i++) {
		size_t off = (seed * 61U + i * 8U) % (PAGE / 4U) * 4U;
		uintptr_t va = model_page_va(first + i) + off;
		struct mpage *p = &model_pages[first + i];
		enum access_kind kind = (p->perms & K_MEM_PERM_RW) != 0U ? ACC_WRITE : ACC_READ;
		/* The page's tag: its number and a generation, so that a page found
		 * holding another's contents (or its own older ones) says whose.
		 */
		uint32_t tag = (uint32_t)(first + i) << 16 | (++tag_generation & 0xFFFFU);

		memcpy(access_buf, &tag, sizeof(tag));
		if (judgeable(va, sizeof(tag), kind) &&
		    access_checked(va, access_buf, sizeof(tag), kind) == sizeof(tag) &&
		    kind == ACC_WRITE) {
			p->tag = tag;
			p->tag_off = (uint16_t)off;
		}
	}
}

static void check_mapping(const struct handle *m)
{
	size_t first;
	size_t count;

	data_pages(m, &first, &count);
	for (size_t i = 0; i < count; i++) {
		(void)access_checked(model_page_va(first + i), access_buf, PAGE, ACC_READ);
	}
}

static void op_check(struct step *s, struct input *in)
{
	const struct handle *m = &handles[s->slot = u8(in) % NHANDLES];

	if (!m->live) {
		s->skipped = true;
		return;
	}
	check_mapping(m);
}

/* ---- mapping and unmapping ---------------------------------------------------- */

static void expect_unchanged(uint32_t before, const char *call)
{
	if (!handler_ran() && z_mm_state_digest() != before) {
		FAIL_MODEL("%s failed but changed the state", call);
	}
}

/* What a failed call that may evict must leave as it was. */
struct snapshot {
	uint32_t digest;
	size_t free_frames;
	unsigned long evictions;
};

static unsigned long evictions(void)
{
	struct k_mem_paging_stats_t stats;

	k_mem_paging_stats_get(&stats);
	return stats.eviction.clean + stats.eviction.dirty;
}

static struct snapshot snapshot(void)
{
	return (struct snapshot){z_mm_state_digest(), z_free_page_frame_count(), evictions()};
}

/*
 * A failed call changed nothing, except that pages it evicted to get
 * frames may stay paged out (k_mem_map() does not page them back in); the
 * frames it took must all be back. The model checks that no byte was lost.
 */
static void expect_unchanged_but_evictions(const struct snapshot *before, const char *call)
{
	if (handler_ran()) {
		return; /* the handler's calls changed the state too */
	}
	if (evictions() == before->evictions) {
		expect_unchanged(before->digest, call);
	} else if (z_free_page_frame_count() < before->free_frames) {
		FAIL_MODEL("%s failed and kept frames: %zu free before, %zu after", call,
			   before->free_frames, z_free_page_frame_count());
	}
}

/* The region [first, first + pages) a new mapping got: inside the window, all free. */
static void check_new_region(const char *call, size_t first, size_t pages, uintptr_t va)
{
	if (first + pages > VM_PAGES) {
		FAIL_MODEL("%s returned 0x%lx, outside the window", call, (unsigned long)va);
	}
	for (size_t i = 0; i < pages; i++) {
		if (model_pages[first + i].owner != OWN_FREE) {
			FAIL_MODEL("%s returned 0x%lx, overlapping page 0x%lx in use", call,
				   (unsigned long)va, (unsigned long)model_page_va(first + i));
		}
	}
}

static void op_map_guarded(struct step *s, struct input *in, bool is_anon)
{
	const char *call = is_anon ? "k_mem_map" : "k_mem_map_phys_guard";
	int h = free_slot(u8(in));

	if (!is_anon) {
		uint8_t sel = u8(in);

		s->phys = pick_phys(sel, u8(in));
	}
	uint8_t fsel = u8(in);

	s->flags = is_anon ? anon_flags(fsel, u8(in)) : phys_flags(fsel, u8(in));
	s->size = map_size(u8(in));
	if (h < 0) {
		s->skipped = true; /* every handle is live */
		return;
	}
	s->slot = (uint8_t)h;

	int valid = model_check_map_args(s->phys, s->size, s->flags, is_anon);
	size_t pages = valid == 0 ? s->size / PAGE + 2U : 0U;
	bool room = valid == 0 && model_free_run(pages);
	bool lock = (s->flags & K_MEM_MAP_LOCK) != 0U;
	size_t free_frames = z_free_page_frame_count();
	bool must_work = room && (!is_anon || !lock || free_frames >= s->size / PAGE);
	/* The state is only needed to judge a failure that may happen. */
	struct snapshot before = must_work ? (struct snapshot){0} : snapshot();
	uint8_t *va = is_anon ? k_mem_map(s->size, s->flags)
			      : k_mem_map_phys_guard(s->phys, s->size, s->flags, false);

	s->ret = (long)(uintptr_t)va;
	if (va == NULL) {
		if (must_work) {
			FAIL_MODEL("%s failed with valid arguments, virtual room and frames", call);
		}
		expect_unchanged_but_evictions(&before, call);
		return;
	}
	if (valid != 0) {
		FAIL_MODEL("%s accepted invalid arguments (the model says %d)", call, valid);
	}
	if (!room) {
		FAIL_MODEL("%s found room the model does not see", call);
	}
	if ((uintptr_t)va % PAGE != 0U || !model_in_window((uintptr_t)va - PAGE)) {
		FAIL_MODEL("%s returned 0x%lx", call, (unsigned long)(uintptr_t)va);
	}

	size_t first = model_page_index((uintptr_t)va - PAGE);

	check_new_region(call, first, pages, (uintptr_t)va);
	model_add(h, is_anon ? KIND_ANON : KIND_PHYS_GUARD, (uintptr_t)va, s->size, s->phys,
		  s->flags, first, pages);
	if (inject == INJECT_INVARIANT && is_anon) {
		/* A free frame that is also pinned: the free-list check must see it. */
		for (size_t i = 0; i < NUM_FRAMES; i++) {
			if (k_mem_page_frame_is(&k_mem_page_frames[i], K_MEM_PAGE_FRAME_FREE)) {
				k_mem_page_frame_set(&k_mem_page_frames[i],
						     K_MEM_PAGE_FRAME_PINNED);
				break;
			}
		}
	}
}

static void op_map_bare(struct step *s, struct input *in)
{
	static const char call[] = "k_mem_map_phys_bare";
	int h = free_slot(u8(in));
	uint8_t sel = u8(in);
	uint8_t arg = u8(in);
	uint16_t off = (uint16_t)(u8(in) | u8(in) << 8);
	uint8_t fsel = u8(in);
	uint8_t *virt = (uint8_t *)1;
	uint8_t size_sel;

	s->phys = pick_phys(sel, arg) + ((sel & 8U) ? off % PAGE : 0U);
	s->null_ptr = (off & 0xF000U) == 0xF000U;
	s->flags = phys_flags(fsel, u8(in));
	size_sel = u8(in);
	s->size = bare_size(size_sel, u8(in));
	if (h < 0) {
		s->skipped = true;
		return;
	}
	s->slot = (uint8_t)h;

	uintptr_t aligned = 0;
	size_t aligned_size = 0;
	int expected = s->null_ptr ? -EINVAL : model_check_flags(s->flags, MODEL_PHYS_FLAGS);

	if (expected == 0) {
		expected = model_phys_cover(s->phys, s->size, &aligned, &aligned_size);
	}
	if (expected == 0 && (aligned + (aligned_size - 1U) > HOST_PHYS_MAX ||
			      model_covers_zero_frame(aligned, aligned_size) ||
			      model_covers_owned_ram(aligned, aligned_size, s->flags))) {
		expected = -EINVAL;
	}
	if (expected == 0 && !model_free_run(aligned_size / PAGE)) {
		expected = -ENOMEM;
	}

	uint32_t before = expected != 0 ? z_mm_state_digest() : 0U;
	int ret = k_mem_map_phys_bare(s->null_ptr ? NULL : &virt, s->phys, s->size, s->flags);

	s->ret = ret;
	s->addr = (uintptr_t)virt;
	if (ret != expected) {
		FAIL_MODEL("%s returned %d, the model says %d", call, ret, expected);
	}
	if (ret != 0) {
		expect_unchanged(before, call);
		if (!s->null_ptr && virt != NULL) {
			FAIL_MODEL("%s failed without setting *virt_ptr to NULL", call);
		}
		return;
	}

	uintptr_t start = ROUND_DOWN((uintptr_t)virt, PAGE);

	if ((uintptr_t)virt - start != s->phys - aligned || !model_in_window(start)) {
		FAIL_MODEL("%s gave virt 0x%lx for phys 0x%lx", call, (unsigned long)s->addr,
			   (unsigned long)s->phys);
	}
	check_new_region(call, model_page_index(start), aligned_size / PAGE, s->addr);
	model_add(h, KIND_PHYS_BARE, s->addr, s->size, s->phys, s->flags, model_page_index(start),
		  aligned_size / PAGE);
}

static void op_unmap(struct step *s, struct input *in)
{
	const struct handle *m = &handles[s->slot = u8(in) % NHANDLES];
	uint8_t v = u8(in);
	uintptr_t addr = m->va;
	size_t size = m->size;
	enum unmap_api right = m->kind == KIND_ANON         ? UNMAP_ANON
			       : m->kind == KIND_PHYS_GUARD ? UNMAP_GUARD_PHYS
							    : UNMAP_BARE;
	enum unmap_api api = right;
	int which = -1;
	int expected;

	if (!m->used) {
		addr = model_page_va((v * 3U) % VM_PAGES) + PAGE;
		size = PAGE;
	}
	switch (v % 12U) {
	case 3:
		size += PAGE;
		break;
	case 4:
		size = size > PAGE ? size - PAGE : 0U;
		break;
	case 5:
		addr += PAGE;
		break;
	case 6:
		addr -= PAGE;
		break;
	case 7:
		addr += 1U;
		break;
	case 8: /* the wrong kind */
		api = right == UNMAP_ANON ? UNMAP_GUARD_PHYS : UNMAP_ANON;
		break;
	case 9:
		if (right == UNMAP_BARE) {
			api = UNMAP_GUARD_PHYS;
		} else {
			api = UNMAP_BARE; /* a guarded region as a bare one: guards included */
			addr -= PAGE;
			size += 2U * PAGE;
		}
		break;
	case 10:
		api = right == UNMAP_BARE ? UNMAP_ANON : UNMAP_BARE;
		break;
	case 11:
		size += 1U;
		break;
	default:
		break;
	}
	s->api = (uint8_t)api;
	s->addr = addr;
	s->size = size;
	expected = api == UNMAP_BARE ? model_unmap_bare(addr, size, &which)
				     : model_unmap_guard(addr, size, api == UNMAP_ANON, &which);

	uint32_t before = expected != 0 ? z_mm_state_digest() : 0U;
	int ret;

	switch (api) {
	case UNMAP_ANON:
		ret = k_mem_unmap((void *)addr, size);
		break;
	case UNMAP_GUARD_PHYS:
		ret = k_mem_unmap_phys_guard((void *)addr, size, false);
		break;
	default:
		ret = k_mem_unmap_phys_bare((uint8_t *)addr, size);
		break;
	}
	s->ret = ret;
	if (ret != expected) {
		FAIL_MODEL("%s returned %d, the model says %d", unmap_names[api], ret, expected);
	}
	if (ret != 0) {
		expect_unchanged(before, unmap_names[api]);
		return;
	}
	model_remove(which);
}

/* ---- paging --------------------------------------------------------------------- */

/*
 * The pages k_mem_page_out() and friends walk for [addr, addr + size): none
 * when size is 0; false when the range leaves the window (the call is
 * refused whole, -EFAULT).
 */
static bool page_span(uintptr_t addr, size_t size, uintptr_t *start, uintptr_t *end)
{
	*start = ROUND_DOWN(addr, PAGE);
	*end = size == 0U ? *start : ROUND_UP(addr + size, PAGE);
	return size == 0U || (model_in_window(addr) && size <= HOST_VM_BASE + HOST_VM_SIZE - addr);
}

/* Anonymous memory the paging calls may act on (not the image, not the scratch page). */
static bool pageable_anon(uintptr_t va)
{
	return is_anon_va(va) && model_pages[model_page_index(va)].owner == OWN_ANON;
}

static void op_page_out(struct step *s, struct input *in)
{
	uintptr_t start;
	uintptr_t end;
	int expected = 0;
	size_t candidates = 0;

	pick_range(in, &s->addr, &s->size);
	if (!page_span(s->addr, s->size, &start, &end)) {
		expected = -EFAULT;
		end = start;
	}
	for (uintptr_t va = start; va < end; va += PAGE) {
		if (pageable_anon(va) && in_transit(va)) {
			expected = -EBUSY; /* a handler's call: the interrupted code moves it */
			break;
		}
		if (!pageable_anon(va) || model_pages[model_page_index(va)].pinned) {
			expected = -EFAULT; /* pinned, or not anonymous memory */
			break;
		}
		candidates++;
	}

	size_t store_free = k_mem_paging_backing_store_free_get();

	call_begin();
	int ret = k_mem_page_out((void *)s->addr, s->size);

	call_end();
	s->ret = ret;
	/* The store keeps its last slot for faults; each page may need one. */
	if (ret != expected &&
	    !(ret == -ENOMEM && candidates > 0U && (store_free <= candidates || handler_ran()))) {
		FAIL_MODEL("k_mem_page_out returned %d, the model says %d (store has %zu free)",
			   ret, expected, store_free);
	}
	for (uintptr_t va = start; ret == 0 && !handler_ran() && va < end; va += PAGE) {
		uintptr_t where;

		if (arch_page_location_get((void *)va, &where) != ARCH_PAGE_LOCATION_PAGED_OUT &&
		    !z_paging_is_zero_frame(where)) {
			FAIL_MODEL("k_mem_page_out succeeded but page 0x%lx keeps its frame",
				   (unsigned long)va);
		}
	}
}

static void op_page_in(struct step *s, struct input *in)
{
	uintptr_t start;
	uintptr_t end;
	size_t paged_out = 0;

	pick_range(in, &s->addr, &s->size);
	if (!page_span(s->addr, s->size, &start, &end)) {
		end = start;
	}
	for (uintptr_t va = start; va < end; va += PAGE) {
		paged_out +=
			arch_page_location_get((void *)va, NULL) == ARCH_PAGE_LOCATION_PAGED_OUT;
	}

	if (in_handler && range_in_transit(start, end)) {
		s->skipped = true; /* fatal by the header: the in-kernel suites show it */
		return;
	}

	size_t free_frames = z_free_page_frame_count();

	call_begin();
	k_mem_page_in((void *)s->addr, s->size);
	call_end();
	/* With a free frame for each, every page comes in (and none is evicted). */
	for (uintptr_t va = start; free_frames >= paged_out && !handler_ran() && va < end;
	     va += PAGE) {
		if (arch_page_location_get((void *)va, NULL) == ARCH_PAGE_LOCATION_PAGED_OUT) {
			FAIL_MODEL("k_mem_page_in left page 0x%lx paged out with %zu frames free",
				   (unsigned long)va, free_frames);
		}
	}
}

static void op_pin(struct step *s, struct input *in)
{
	uintptr_t start;
	uintptr_t end;
	uintptr_t stop;
	size_t need = 0;

	pick_range(in, &s->addr, &s->size);
	/* A page that is not anonymous memory fails k_mem_pin() before it pins any. */
	if (!page_span(s->addr, s->size, &start, &end)) {
		end = start;
	}
	for (stop = start; stop < end && pageable_anon(stop); stop += PAGE) {
		need++;
	}
	if (stop != end) {
		stop = start;
		need = 0;
	}

	size_t free_frames = z_free_page_frame_count();
	bool short_stop = false;

	k_mem_pin((void *)s->addr, s->size);
	for (uintptr_t va = start; va < end; va += PAGE) {
		if (!pageable_anon(va)) {
			continue;
		}

		struct mpage *p = &model_pages[model_page_index(va)];
		bool now = page_pinned_now(va);

		if (va < stop && !short_stop && now) {
			p->pinned = true;
			continue;
		}
		if (va < stop && !short_stop) {
			short_stop = true; /* out of frames from here on */
			if (free_frames >= need && !handler_ran()) {
				FAIL_MODEL("k_mem_pin stopped at 0x%lx with %zu free frames for "
					   "%zu pages",
					   (unsigned long)va, free_frames, need);
			}
		}
		if (now != p->pinned) {
			FAIL_MODEL("k_mem_pin changed page 0x%lx after where it stopped",
				   (unsigned long)va);
		}
	}
	s->ret = short_stop ? -ENOMEM : 0;
}

static void op_unpin(struct step *s, struct input *in)
{
	uintptr_t start;
	uintptr_t end;

	pick_range(in, &s->addr, &s->size);
	if (!page_span(s->addr, s->size, &start, &end)) {
		end = start; /* refused */
	}
	k_mem_unpin((void *)s->addr, s->size);
	for (uintptr_t va = start; va < end; va += PAGE) {
		if (pageable_anon(va)) {
			model_pages[model_page_index(va)].pinned = false;
		}
	}
}

static void op_frame_evict(struct step *s, struct input *in)
{
	uint8_t sel = u8(in);
	uint8_t arg = u8(in);
	int expected = 0;
	uintptr_t va = 0;

	switch (sel % 8U) {
	case 5:
		s->phys = HOST_RAM_BASE + (arg % NUM_FRAMES) * PAGE + 1U + arg;
		break;
	case 6:
		s->phys = HOST_RAM_BASE + HOST_RAM_SIZE + arg * PAGE;
		break;
	case 7:
		s->phys = HOST_RAM_BASE - PAGE - arg;
		break;
	default:
		s->phys = HOST_RAM_BASE + (arg % NUM_FRAMES) * PAGE;
		break;
	}
	if (!k_mem_is_page_frame(s->phys)) {
		expected = -EINVAL;
	} else {
		const struct k_mem_page_frame *pf = k_mem_phys_to_page_frame(s->phys);

		if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_PINNED | K_MEM_PAGE_FRAME_BUSY |
						    K_MEM_PAGE_FRAME_RESERVED)) {
			expected = -EBUSY;
		} else if (k_mem_page_frame_is(pf, K_MEM_PAGE_FRAME_MAPPED)) {
			va = (uintptr_t)k_mem_page_frame_to_virt(pf);
			if (!pageable_anon(va)) {
				FAIL_MODEL("frame 0x%lx holds page 0x%lx, not anonymous memory to "
					   "the model",
					   (unsigned long)s->phys, (unsigned long)va);
			}
		}
	}

	size_t store_free = k_mem_paging_backing_store_free_get();
	bool may_fail = expected != 0 || (va != 0U && store_free <= 1U);
	uint32_t before = may_fail ? z_mm_state_digest() : 0U;
	call_begin();
	int ret = k_mem_page_frame_evict(s->phys);

	call_end();
	s->ret = ret;
	if (ret != expected && !(ret == -ENOMEM && (may_fail || handler_ran()))) {
		FAIL_MODEL("k_mem_page_frame_evict returned %d, the model says %d", ret, expected);
	}
	if (ret != 0) {
		expect_unchanged(before, "k_mem_page_frame_evict");
	} else if (va != 0U && !handler_ran() &&
		   arch_page_location_get((void *)va, NULL) != ARCH_PAGE_LOCATION_PAGED_OUT) {
		FAIL_MODEL("k_mem_page_frame_evict left page 0x%lx resident", (unsigned long)va);
	}
}

/* ---- permissions ---------------------------------------------------------------- */

static void op_update_flags(struct step *s, struct input *in)
{
	static const char call[] = "k_mem_update_flags";
	int expected;
	size_t paged_out = 0;

	pick_range(in, &s->addr, &s->size);
	{
		uint8_t fsel = u8(in);

		s->flags = phys_flags(fsel, u8(in));
	}
	expected = model_check_flags(s->flags, MODEL_PHYS_FLAGS);
	if (expected == 0 &&
	    (s->addr % PAGE != 0U || s->size == 0U || s->size % PAGE != 0U ||
	     !model_in_window(s->addr) || s->size > HOST_VM_BASE + HOST_VM_SIZE - s->addr)) {
		expected = -EINVAL;
	}
	for (size_t i = 0; expected == 0 && i < s->size / PAGE; i++) {
		const struct mpage *p = &model_pages[model_page_index(s->addr) + i];

		/* Only what k_mem_map*() mapped: never the image or the scratch page. */
		if (p->owner == OWN_FREE || p->owner == OWN_GUARD || p->owner == OWN_IMAGE ||
		    p->owner == OWN_SCRATCH) {
			expected = -EINVAL;
		}
		if (p->owner == OWN_ANON &&
		    arch_page_location_get((void *)(s->addr + i * PAGE), NULL) ==
			    ARCH_PAGE_LOCATION_PAGED_OUT) {
			paged_out++;
		}
	}

	uint32_t before = expected != 0 ? z_mm_state_digest() : 0U;
	size_t free_frames = z_free_page_frame_count();
	int ret = k_mem_update_flags((void *)s->addr, s->size, s->flags);

	s->ret = ret;
	/* The paged-out pages come in first and none of the range may leave
	 * meanwhile: with fewer frames free than those, the store decides.
	 */
	if (ret == -ENOMEM && expected == 0 && (paged_out > free_frames || handler_ran())) {
		return; /* legal: no permission changed */
	}
	if (ret != expected) {
		FAIL_MODEL("%s returned %d, the model says %d", call, ret, expected);
	}
	if (ret != 0) {
		expect_unchanged(before, call);
		return;
	}
	for (size_t i = 0; i < s->size / PAGE; i++) {
		model_pages[model_page_index(s->addr) + i].perms =
			s->flags & (K_MEM_PERM_RW | K_MEM_PERM_EXEC | K_MEM_CACHE_MASK);
	}
}

static void op_flags_get(struct step *s, struct input *in)
{
	uint32_t flags = 0;
	int ret;

	s->addr = pick_addr(in);
	call_begin();
	ret = k_mem_page_flags_get((const void *)s->addr, &flags);
	call_end();
	s->ret = ret;
	s->flags = flags;
	if (!model_in_window(s->addr)) {
		if (ret != -EFAULT) {
			FAIL_MODEL("k_mem_page_flags_get outside the window returned %d", ret);
		}
		return;
	}

	const struct mpage *p = &model_pages[model_page_index(s->addr)];

	switch (p->owner) {
	case OWN_FREE:
	case OWN_GUARD:
		if (ret != -EFAULT) {
			FAIL_MODEL("k_mem_page_flags_get of an unmapped page returned %d", ret);
		}
		break;
	case OWN_ANON:
		/* The permissions it was mapped with, whether resident, paged out
		 * or (demand mapping) still on the zero frame.
		 */
		if (ret != 0 || flags != p->perms) {
			FAIL_MODEL("k_mem_page_flags_get returned %d, flags 0x%x; the model's "
				   "permissions are 0x%x%s",
				   ret, (unsigned int)flags, (unsigned int)p->perms,
				   p->pinned ? " (pinned)" : "");
		}
		break;
	case OWN_IMAGE:
	case OWN_PHYS:
		if (ret != 0 || flags != p->perms) {
			FAIL_MODEL("k_mem_page_flags_get returned %d, flags 0x%x; the model says "
				   "0x%x",
				   ret, (unsigned int)flags, (unsigned int)p->perms);
		}
		break;
	default:
		break;
	}
}

static void op_page_fault(struct step *s, struct input *in)
{
	s->addr = pick_addr(in);

	uint64_t before = fault_fingerprint();
	call_begin();
	bool resolved = k_mem_page_fault((void *)s->addr);

	call_end();

	s->ret = resolved;
	if (resolved) {
		faults_direct++;
		if (!pageable_anon(ROUND_DOWN(s->addr, PAGE))) {
			FAIL_MODEL("k_mem_page_fault resolved a fault outside anonymous memory");
		}
	} else if (!handler_ran() && fault_fingerprint() != before) {
		FAIL_MODEL("k_mem_page_fault failed but changed the state");
	}
}

/* Everything that only reports: it must not crash nor change the state. */
static void op_dump(void)
{
	struct k_mem_paging_histogram_t hist;
	struct k_mem_paging_stats_t stats;
	uint32_t before = z_mm_state_digest();

	call_begin();
	k_mem_page_frames_dump();
	k_mem_layout_dump();
	arch_page_tables_dump();
	k_mem_paging_stats_get(&stats);
	k_mem_paging_histogram_eviction_get(&hist);
	k_mem_paging_histogram_backing_store_page_in_get(&hist);
	k_mem_paging_histogram_backing_store_page_out_get(&hist);
	call_end();
	expect_unchanged(before, "a dump");
}

/* ---- after every step ------------------------------------------------------------- */

static void check_state(void)
{
	struct k_mem_paging_stats_t stats;
	int breaks;

	if (!arch_irq_enabled()) {
		FAIL_MODEL("interrupts were left locked");
	}
	if (host_mmu_livelocks() != 0U) {
		FAIL_MODEL("the fault handler kept resolving a fault that stayed");
	}
	if (k_mem_free_get() !=
	    (z_free_page_frame_count() > CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE
		     ? z_free_page_frame_count() - CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE
		     : 0U) *
		    PAGE) {
		FAIL_MODEL("k_mem_free_get() says %zu bytes with %zu frames free", k_mem_free_get(),
			   z_free_page_frame_count());
	}
	breaks = k_mem_check_invariants();
	if (breaks != 0) {
		fail("invariant", "k_mem_check_invariants() found %d broken invariant(s)", breaks);
	}
	k_mem_paging_stats_get(&stats);
	if (stats.pagefaults.cnt - faults_base != host_mmu_faults_resolved() + faults_direct) {
		FAIL_MODEL("the statistics count %lu faults, the accessors saw %llu",
			   stats.pagefaults.cnt - faults_base,
			   (unsigned long long)(host_mmu_faults_resolved() + faults_direct));
	}
	/* Pinned means resident in a pinned frame, and only pinned pages are. */
	for (size_t i = HOST_IMAGE_PAGES; i < VM_PAGES - 1U; i++) {
		const struct mpage *p = &model_pages[i];

		if (p->owner == OWN_ANON && p->pinned != page_pinned_now(model_page_va(i))) {
			FAIL_MODEL("page 0x%lx is %spinned; the model says it is %spinned",
				   (unsigned long)model_page_va(i), p->pinned ? "not " : "",
				   p->pinned ? "" : "not ");
		}
	}
}

/*
 * An interrupt handler's calls that the header says must be refused: on
 * the mapping whose page is in transit in the interrupted code,
 * k_mem_update_flags() and k_mem_unmap() return -EBUSY and change nothing.
 */
static void op_refused(struct step *s)
{
	if (z_paging_transfer_depth() == 0U) {
		s->skipped = true; /* no transfer interrupted: nothing to refuse */
		return;
	}

	uintptr_t va = (uintptr_t)z_paging_transfer_page(0);
	const struct mpage *p = &model_pages[model_page_index(va)];

	if (!pageable_anon(va)) {
		FAIL_MODEL("page 0x%lx in transit is not anonymous memory to the model",
			   (unsigned long)va);
	}

	const struct handle *m = &handles[p->handle];
	uint32_t before = z_mm_state_digest();
	int ret;

	s->addr = m->va;
	s->size = m->size;
	ret = k_mem_update_flags((void *)m->va, m->size, p->perms);
	s->ret = ret;
	if (ret != -EBUSY) {
		FAIL_MODEL("k_mem_update_flags of mapping 0x%lx, whose page 0x%lx is in transit, "
			   "returned %d in an interrupt handler: the header says -EBUSY",
			   (unsigned long)m->va, (unsigned long)va, ret);
	}
	ret = k_mem_unmap((void *)m->va, m->size);
	s->ret = ret;
	if (ret != -EBUSY) {
		FAIL_MODEL("k_mem_unmap of mapping 0x%lx, whose page 0x%lx is in transit, returned "
			   "%d in an interrupt handler: the header says -EBUSY",
			   (unsigned long)m->va, (unsigned long)va, ret);
	}
	expect_unchanged(before, "a refused call");
}

static void op_irq(struct step *s, struct input *in)
{
	s->addr = u8(in) % 4U;
	s->size = 1U + u8(in) % 4U;
	irq_skip = (int)s->addr;
	irq_steps = (unsigned int)s->size;
}

static void dispatch(struct step *s, struct input *in)
{
	switch (s->op) {
	case OP_MAP_ANON:
		op_map_guarded(s, in, true);
		break;
	case OP_MAP_PHYS_GUARD:
		op_map_guarded(s, in, false);
		break;
	case OP_MAP_PHYS_BARE:
		op_map_bare(s, in);
		break;
	case OP_UNMAP:
		op_unmap(s, in);
		break;
	case OP_READ:
		op_access(s, in, ACC_READ);
		break;
	case OP_WRITE:
		op_access(s, in, ACC_WRITE);
		break;
	case OP_EXEC:
		op_access(s, in, ACC_EXEC);
		break;
	case OP_TOUCH:
		op_touch(s, in);
		break;
	case OP_CHECK:
		op_check(s, in);
		break;
	case OP_PAGE_OUT:
		op_page_out(s, in);
		break;
	case OP_PAGE_IN:
		op_page_in(s, in);
		break;
	case OP_PIN:
		op_pin(s, in);
		break;
	case OP_UNPIN:
		op_unpin(s, in);
		break;
	case OP_FRAME_EVICT:
		op_frame_evict(s, in);
		break;
	case OP_UPDATE_FLAGS:
		op_update_flags(s, in);
		break;
	case OP_TIME:
		s->size = 4U * u8(in);
		host_clock_advance_ms((uint32_t)s->size);
		break;
	case OP_FLAGS_GET:
		op_flags_get(s, in);
		break;
	case OP_PAGE_FAULT:
		op_page_fault(s, in);
		break;
	case OP_IRQ:
		op_irq(s, in);
		break;
	case OP_REFUSED:
		op_refused(s);
		break;
	default:
		op_dump();
		break;
	}
}

/* What an interrupt handler may call (include/kernel/mm.h, demand_paging.h). */
static const uint8_t isr_ops[] = {
	OP_READ,      OP_WRITE, OP_PAGE_OUT, OP_PAGE_IN, OP_FRAME_EVICT,
	OP_FLAGS_GET, OP_TIME,  OP_DUMP,     OP_REFUSED, OP_WRITE,
};

/* The host port's interrupt point (host_port.h): the armed interrupt, taken here. */
static void on_point(enum host_point where)
{
	if (where != HOST_POINT_IRQ || in_call == 0U || in_handler || irq_skip < 0) {
		return;
	}
	if (irq_skip > 0) {
		irq_skip--;
		return;
	}
	irq_skip = -1;
	if (!k_is_in_isr() || arch_irq_enabled()) {
		FAIL_MODEL("the host port runs a handler outside interrupt context");
	}

	int outer = cur_step;

	in_handler = true;
	handled++;
	for (unsigned int i = 0; i < irq_steps && cur_in->n > 0U && num_steps < MAX_STEPS; i++) {
		struct step *s = &steps[num_steps];

		*s = (struct step){.op = isr_ops[u8(cur_in) % ARRAY_SIZE(isr_ops)], .outer = outer};
		cur_step = (int)num_steps++;
		dispatch(s, cur_in);
		if (trace_on) {
			print_step(stderr, (size_t)cur_step);
		}
		(*ops_total)++;
	}
	cur_step = outer;
	in_handler = false;
}

static void run_step(struct input *in)
{
	struct step *s = &steps[num_steps];

	*s = (struct step){.op = u8(in) % NUM_OPS, .outer = -1};
	cur_step = (int)num_steps++;
	handled = 0;
	dispatch(s, in);
	if (trace_on) {
		print_step(stderr, (size_t)(s - steps));
	}
	if (!s->skipped) {
		check_state();
	}
	(*ops_total)++;
}

/* ---- libFuzzer ------------------------------------------------------------------ */

/* Which frames the kernel took for its shared zero frames, for the model. */
static void find_zero_frames(void)
{
	uintptr_t found[2] = {0, 0};
	size_t n = 0;

	for (size_t i = 0; i < NUM_FRAMES && n < 2U; i++) {
		uintptr_t phys = HOST_RAM_BASE + i * PAGE;

		if (z_paging_is_zero_frame(phys)) {
			found[n++] = phys;
		}
	}
	model_set_zero_frames(found[0], found[1]);
}

static void print_ops(void)
{
	fprintf(stderr, "fuzz-mm: %llu ops\n", (unsigned long long)*ops_total);
}

static void ops_file(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	void *map;

	if (fd < 0 || ftruncate(fd, sizeof(uint64_t)) != 0) {
		perror(path);
		exit(2);
	}
	map = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror(path);
		exit(2);
	}
	close(fd);
	ops_total = map;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env;

	(void)argc;
	(void)argv;
	host_mmu_init();
	host_fatal_hook = on_kernel_fatal;
	host_point_hook = on_point;
#ifdef HAVE_ASAN_CALLBACK
	__asan_set_error_report_callback(on_sanitizer_report);
#endif
	if ((env = getenv("FUZZ_MM_OPS_FILE")) != NULL && env[0] != '\0') {
		ops_file(env);
	}
	trace_on = (env = getenv("FUZZ_MM_TRACE")) != NULL && strcmp(env, "1") == 0;
	if ((env = getenv("FUZZ_MM_INJECT")) != NULL) {
		inject = strcmp(env, "invariant") == 0 ? INJECT_INVARIANT
			 : strcmp(env, "model") == 0   ? INJECT_MODEL
						       : INJECT_NONE;
	}
	atexit(print_ops);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct k_mem_paging_stats_t stats;
	unsigned int key;

	host_mmu_reset();
	host_console_clear();
	key = irq_lock(); /* as at boot */
	z_mem_manage_init();
	irq_unlock(key);
	model_reset();
	find_zero_frames();
	num_steps = 0;
	cur_step = -1;
	cur_in = &in;
	irq_skip = -1;
	tag_generation = 0;
	faults_direct = 0;
	k_mem_paging_stats_get(&stats);
	faults_base = stats.pagefaults.cnt;
	if (trace_on) {
		fprintf(stderr, "fuzz-mm: input of %zu bytes\n", size);
	}
	check_state();
	while (in.n > 0U && num_steps < MAX_STEPS) {
		run_step(&in);
	}
	cur_step = -1; /* the end of the input */
	/* Every byte the model knows must still be there, wherever it went. */
	for (int h = 0; h < NHANDLES; h++) {
		if (handles[h].live) {
			check_mapping(&handles[h]);
		}
	}
	check_state();
	return 0;
}
