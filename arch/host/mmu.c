/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory-management arch interface (<arch/mm.h>) as a software MMU for
 * a Linux host program: a page table of one 64-bit entry per window page,
 * mirrored onto the host pages of the window (see host_mmu.h), plus the
 * accessors a test uses in place of the CPU's loads, stores and fetches.
 *
 * Contract checks the x86 walker does not make (they are free here): every
 * call that changes an entry must come with interrupts locked, as the
 * generic code promises.
 */
#define _GNU_SOURCE
#include <arch/mm.h>
#include <errno.h>
#include <host_mmu.h>
#include <host_port.h>
#include <kernel.h>
#include <kernel/mm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Entry bits. Not mapped: 0. Paged out: E_OUT, the permissions and cache
 * mode kept, the location in the address bits (so never 0, even for
 * location 0).
 */
#define E_P           (1ULL << 0)
#define E_RW          (1ULL << 1)
#define E_X           (1ULL << 2)
#define E_CACHE_SHIFT 3
#define E_CACHE       (3ULL << E_CACHE_SHIFT)
#define E_A           (1ULL << 5)
#define E_D           (1ULL << 6)
#define E_OUT         (1ULL << 7)
#define E_ADDR        (~(uint64_t)(HOST_PAGE - 1))
#define E_KEEP        (E_RW | E_X | E_CACHE)

BUILD_ASSERT(CONFIG_MMU_PAGE_SIZE == 4096, "host pages are 4 KiB");
BUILD_ASSERT(HOST_DEV_BASE >= HOST_RAM_BASE + HOST_RAM_SIZE, "device memory overlaps RAM");

static uint64_t table[HOST_VM_PAGES];
/* What each host page of the window currently maps: memfd offset, or -1
 * for an inaccessible anonymous page, and the protection.
 */
static int64_t host_off[HOST_VM_PAGES];
static int host_prot[HOST_VM_PAGES];
static int memfd = -1;
static uint8_t *physmap; /* the whole memfd, for the accessors */
static uint64_t faults_resolved;
static uint64_t livelocks;
/* Resolutions of one access's fault beyond which it is a livelock whatever the page's state. */
#define RESOLVED_MAX 16U

/*
 * The accessors' TLB: translations cached as the CPU caches them, so that
 * a missing invalidation shows (an access through a stale entry reaches
 * the frame the page had). Direct-mapped; filled by a walk, used while its
 * permissions allow the access (a write through an entry not yet dirty
 * walks again to set the dirty bit, as the CPU does). Every arch call that
 * changes an entry invalidates that page's, as the x86 walker's invlpg.
 */
#define TLB_SIZE 64U
struct tlb_entry {
	size_t page; /* window page index + 1; 0: empty */
	uintptr_t phys;
	bool rw, x, dirty;
};
static struct tlb_entry tlb[TLB_SIZE];

static void tlb_flush(size_t first, size_t count)
{
	if (count >= TLB_SIZE) {
		memset(tlb, 0, sizeof(tlb));
		return;
	}
	for (size_t i = first; i < first + count; i++) {
		if (tlb[i % TLB_SIZE].page == i + 1U) {
			tlb[i % TLB_SIZE].page = 0;
		}
	}
}

static void die(const char *what)
{
	fprintf(stderr, "host mmu: %s: %s\n", what, strerror(errno));
	abort();
}

static bool in_window(uintptr_t va)
{
	return va - HOST_VM_BASE < HOST_VM_SIZE;
}

static size_t index_of(uintptr_t va)
{
	return (va - HOST_VM_BASE) / HOST_PAGE;
}

static void scratch_write_back(void);

/* Offset in the memfd of a physical address, or -1 (open bus). */
static int64_t phys_offset(uintptr_t phys)
{
	if (phys - HOST_RAM_BASE < HOST_RAM_SIZE) {
		return (int64_t)(phys - HOST_RAM_BASE);
	}
	if (phys - HOST_DEV_BASE < HOST_DEV_SIZE) {
		return (int64_t)(HOST_RAM_SIZE + (phys - HOST_DEV_BASE));
	}
	return -1;
}

uint8_t *host_phys_ptr(uintptr_t phys)
{
	int64_t off = phys_offset(phys);

	scratch_write_back();
	return off < 0 ? NULL : physmap + off;
}

/*
 * The scratch page is switched from frame to frame all the time, and
 * replacing a host mapping the program has touched costs a TLB shootdown
 * (tens of microseconds in a VM). So while the kernel uses it as the scratch
 * page, its host page is a private copy of the frame: loaded by
 * arch_mem_scratch(), written back (if it changed) before anything else can
 * look at the frame: any arch call, any accessor. The kernel always calls
 * arch_mem_scratch() right before it uses the page, so this is exact.
 */
#define SCRATCH_INDEX (HOST_VM_PAGES - 1U)
#define HOST_COPY     (-2) /* host_off[] of the scratch page while it is a copy */
static bool scratch_copy;
static int64_t scratch_off;               /* the frame the copy holds */
static uint8_t scratch_shadow[HOST_PAGE]; /* the frame's bytes as loaded or written back */

static void scratch_write_back(void)
{
	uint8_t *copy = (uint8_t *)ARCH_SCRATCH_PAGE;

	if (scratch_copy && memcmp(copy, scratch_shadow, HOST_PAGE) != 0) {
		memcpy(physmap + scratch_off, copy, HOST_PAGE);
		memcpy(scratch_shadow, copy, HOST_PAGE);
	}
}

/* An arch call is about to change [first, first + count): no more copy there. */
static void scratch_leave(size_t first, size_t count)
{
	scratch_write_back();
	if (scratch_copy && SCRATCH_INDEX - first < count) {
		scratch_copy = false; /* unmirror() takes its private copy away */
	}
}

static void assert_window(uintptr_t virt, size_t size)
{
	__ASSERT(((virt | size) & (HOST_PAGE - 1)) == 0, "unaligned range %p, size 0x%zx",
		 (void *)virt, size);
	__ASSERT(size <= HOST_VM_SIZE && virt - HOST_VM_BASE <= HOST_VM_SIZE - size,
		 "[%p, +0x%zx) is outside the kernel window", (void *)virt, size);
}

static void assert_locked(const char *fn)
{
	__ASSERT(!arch_irq_enabled(), "%s called with interrupts enabled", fn);
	(void)fn;
}

/*
 * The host pages of the window follow the table lazily: a page gets its
 * host mapping when the generic code first touches it (on_segv()), and
 * loses it when its entry changes. So the pages the generic code never
 * touches (most: the fuzzer reaches memory through the accessors) cost no
 * mmap() at all, and the first touch sets the accessed bit (and the dirty
 * bit for a write: a read maps the page read-only first), as the CPU would.
 */
static void unmirror(size_t first, size_t count)
{
	for (size_t i = first; i < first + count;) {
		if (host_prot[i] == PROT_NONE || (i == SCRATCH_INDEX && scratch_copy)) {
			i++;
			continue;
		}

		size_t n = 1;

		while (i + n < first + count && host_prot[i + n] != PROT_NONE &&
		       !(i + n == SCRATCH_INDEX && scratch_copy)) {
			n++;
		}

		void *va = (void *)(HOST_VM_BASE + i * HOST_PAGE);

		if (mmap(va, n * HOST_PAGE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) != va) {
			die("mmap of a window page");
		}
		for (size_t k = i; k < i + n; k++) {
			host_off[k] = -1;
			host_prot[k] = PROT_NONE;
		}
		i += n;
	}
}

static struct sigaction next_segv; /* the sanitizer's (or libFuzzer's) handler */

static void on_segv(int sig, siginfo_t *info, void *context)
{
	uintptr_t va = (uintptr_t)info->si_addr;
	bool write = (((ucontext_t *)context)->uc_mcontext.gregs[REG_ERR] & 2) != 0;

	if (in_window(va) && memfd >= 0) {
		size_t i = index_of(va);
		uint64_t *e = &table[i];
		int64_t off = (*e & E_P) != 0 ? phys_offset((uintptr_t)(*e & E_ADDR)) : -1;
		void *page = (void *)(va & ~(HOST_PAGE - 1));

		/* Allowed by the entry: map it (or make it writable) and retry. */
		if (off >= 0 && (!write || (*e & E_RW) != 0)) {
			int prot = write ? PROT_READ | PROT_WRITE : PROT_READ;
			bool ok = host_off[i] == off
					  ? mprotect(page, HOST_PAGE, prot) == 0
					  : mmap(page, HOST_PAGE, prot, MAP_SHARED | MAP_FIXED,
						 memfd, off) == page;

			if (ok) {
				host_off[i] = off;
				host_prot[i] = prot;
				*e |= E_A | (write ? E_D : 0);
				return;
			}
		}
	}
	/* A real fault: the sanitizer reports it. */
	if ((next_segv.sa_flags & SA_SIGINFO) != 0 && next_segv.sa_sigaction != NULL) {
		next_segv.sa_sigaction(sig, info, context);
	} else if (next_segv.sa_handler != SIG_DFL && next_segv.sa_handler != SIG_IGN) {
		next_segv.sa_handler(sig);
	} else {
		signal(sig, SIG_DFL); /* returning re-faults into the default action */
	}
}

static uint64_t entry_attrs(uint32_t flags)
{
	uint64_t attrs = E_P | ((uint64_t)(flags & K_MEM_CACHE_MASK) << E_CACHE_SHIFT);

	__ASSERT((flags & K_MEM_CACHE_MASK) <= K_MEM_CACHE_NONE, "unknown cache mode in 0x%x",
		 flags);
	__ASSERT((flags & K_MEM_PERM_USER) == 0, "K_MEM_PERM_USER: there is no user mode");
	if ((flags & K_MEM_PERM_RW) != 0) {
		attrs |= E_RW;
	}
	if ((flags & K_MEM_PERM_EXEC) != 0) {
		attrs |= E_X;
	}
	return attrs;
}

void arch_mem_map(void *virt, uintptr_t phys, size_t size, uint32_t flags)
{
	uint64_t attrs = entry_attrs(flags);
	size_t first = index_of((uintptr_t)virt);

	assert_locked(__func__);
	assert_window((uintptr_t)virt, size);
	__ASSERT((phys & (HOST_PAGE - 1)) == 0 && size - 1U <= HOST_PHYS_MAX - phys,
		 "bad physical range 0x%lx+0x%zx", (unsigned long)phys, size);
	scratch_leave(first, size / HOST_PAGE);
	for (size_t i = 0; i < size / HOST_PAGE; i++) {
		table[first + i] = (uint64_t)(phys + i * HOST_PAGE) | attrs;
	}
	unmirror(first, size / HOST_PAGE);
	tlb_flush(first, size / HOST_PAGE);
}

void arch_mem_unmap(void *addr, size_t size)
{
	size_t first = index_of((uintptr_t)addr);

	assert_locked(__func__);
	assert_window((uintptr_t)addr, size);
	scratch_leave(first, size / HOST_PAGE);
	memset(&table[first], 0, size / HOST_PAGE * sizeof(table[0]));
	unmirror(first, size / HOST_PAGE);
	tlb_flush(first, size / HOST_PAGE);
}

int arch_page_phys_get(void *virt, uintptr_t *phys)
{
	uintptr_t va = (uintptr_t)virt;

	if (!in_window(va) || (table[index_of(va)] & E_P) == 0) {
		return -EFAULT;
	}
	if (phys != NULL) {
		*phys = (uintptr_t)(table[index_of(va)] & E_ADDR) | (va & (HOST_PAGE - 1));
	}
	return 0;
}

uintptr_t arch_phys_addr_max(void)
{
	return HOST_PHYS_MAX;
}

void arch_reserved_pages_update(void)
{
	/* A firmware area at the top of RAM, and a device range the frame
	 * database does not cover (ignored), as a loader's map would list them.
	 */
	z_page_frames_reserve(HOST_RAM_BASE + HOST_RAM_SIZE - HOST_RESERVED_FRAMES * HOST_PAGE,
			      HOST_RESERVED_FRAMES * HOST_PAGE);
	z_page_frames_reserve(HOST_DEV_BASE, HOST_DEV_SIZE);
}

size_t arch_virt_region_align(uintptr_t phys, size_t size)
{
	ARG_UNUSED(phys);
	ARG_UNUSED(size);
	return HOST_PAGE;
}

void arch_mem_page_out(void *addr, uintptr_t location)
{
	size_t i = index_of((uintptr_t)addr);

	assert_locked(__func__);
	assert_window((uintptr_t)addr, HOST_PAGE);
	__ASSERT((table[i] & E_P) != 0, "page out of %p: not present (0x%llx)", addr,
		 (unsigned long long)table[i]);
	__ASSERT((location & (HOST_PAGE - 1)) == 0 && location <= ARCH_PAGE_LOCATION_MAX,
		 "page out of %p: bad location 0x%lx", addr, (unsigned long)location);
	scratch_leave(i, 1);
	table[i] = E_OUT | (table[i] & E_KEEP) | (uint64_t)location;
	unmirror(i, 1);
#ifndef PAGODA_BUG_NO_PAGE_OUT_TLB_FLUSH /* a proof switch of the fuzzer's tests */
	tlb_flush(i, 1);
#endif
}

void arch_mem_page_in(void *addr, uintptr_t phys)
{
	size_t i = index_of((uintptr_t)addr);

	assert_locked(__func__);
	assert_window((uintptr_t)addr, HOST_PAGE);
	__ASSERT((table[i] & (E_P | E_OUT)) == E_OUT, "page in of %p: not paged out (0x%llx)", addr,
		 (unsigned long long)table[i]);
	__ASSERT((phys & (HOST_PAGE - 1)) == 0, "bad physical address 0x%lx", (unsigned long)phys);
	scratch_leave(i, 1);
	table[i] = (uint64_t)phys | E_P | (table[i] & E_KEEP);
	unmirror(i, 1);
	tlb_flush(i, 1);
}

void arch_mem_scratch(uintptr_t phys)
{
	int64_t off = phys_offset(phys);
	uint8_t *copy = (uint8_t *)ARCH_SCRATCH_PAGE;

	if (off < 0) { /* not memory: an ordinary mapping */
		arch_mem_map(ARCH_SCRATCH_PAGE, phys, HOST_PAGE, K_MEM_CACHE_WB | K_MEM_PERM_RW);
		return;
	}
	assert_locked(__func__);
	__ASSERT((phys & (HOST_PAGE - 1)) == 0, "bad physical address 0x%lx", (unsigned long)phys);
	scratch_write_back();
	table[SCRATCH_INDEX] = (uint64_t)phys | entry_attrs(K_MEM_CACHE_WB | K_MEM_PERM_RW);
	tlb_flush(SCRATCH_INDEX, 1);
	if (!scratch_copy) {
		if (mmap(copy, HOST_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != copy) {
			die("mmap of the scratch page");
		}
		host_off[SCRATCH_INDEX] = HOST_COPY;
		host_prot[SCRATCH_INDEX] = PROT_READ | PROT_WRITE;
		scratch_copy = true;
	}
	scratch_off = off;
	memcpy(copy, physmap + off, HOST_PAGE);
	memcpy(scratch_shadow, copy, HOST_PAGE);
}

enum arch_page_location arch_page_location_get(void *addr, uintptr_t *location)
{
	uintptr_t va = (uintptr_t)addr;
	uint64_t e;

	if (!in_window(va)) {
		return ARCH_PAGE_LOCATION_BAD;
	}
	e = table[index_of(va)];
	if ((e & (E_P | E_OUT)) == 0) {
		return ARCH_PAGE_LOCATION_BAD;
	}
	if (location != NULL) {
		*location = (uintptr_t)(e & E_ADDR);
	}
	return (e & E_P) != 0 ? ARCH_PAGE_LOCATION_PAGED_IN : ARCH_PAGE_LOCATION_PAGED_OUT;
}

void arch_mem_unmap_collect(void *addr, size_t count, uintptr_t *held)
{
	size_t first = index_of((uintptr_t)addr);

	assert_locked(__func__);
	assert_window((uintptr_t)addr, count * HOST_PAGE);
	scratch_leave(first, count);
	for (size_t i = 0; i < count; i++) {
		uint64_t e = table[first + i];

		if ((e & E_P) != 0) {
			held[i] = (uintptr_t)(e & E_ADDR) | ARCH_PAGE_LOCATION_PAGED_IN;
		} else if ((e & E_OUT) != 0) {
			held[i] = (uintptr_t)(e & E_ADDR) | ARCH_PAGE_LOCATION_PAGED_OUT;
		} else {
			held[i] = ARCH_PAGE_LOCATION_BAD;
		}
		table[first + i] = 0;
	}
	unmirror(first, count);
	tlb_flush(first, count);
}

uintptr_t arch_page_info_get(void *addr, uintptr_t *location, bool clear_accessed)
{
	uintptr_t va = (uintptr_t)addr;
	uintptr_t info;
	uint64_t *e;

	if (!in_window(va)) {
		return ARCH_DATA_PAGE_NOT_MAPPED;
	}
	e = &table[index_of(va)];
	if ((*e & E_P) != 0) {
		info = ARCH_DATA_PAGE_LOADED;
		info |= (*e & E_D) != 0 ? ARCH_DATA_PAGE_DIRTY : 0;
		info |= (*e & E_A) != 0 ? ARCH_DATA_PAGE_ACCESSED : 0;
		if (clear_accessed && (*e & E_A) != 0) {
			assert_locked(__func__);
			*e &= ~E_A;
			unmirror(index_of(va), 1); /* so that the next touch sets it again */
			tlb_flush(index_of(va), 1);
		}
	} else if ((*e & E_OUT) != 0) {
		info = 0;
	} else {
		return ARCH_DATA_PAGE_NOT_MAPPED;
	}
	if (location != NULL) {
		*location = (uintptr_t)(*e & E_ADDR);
	}
	return info;
}

bool arch_mem_range_is_private(uintptr_t phys, size_t size)
{
	/* The host's page table is host memory, outside the frame database. */
	(void)phys;
	(void)size;
	return false;
}

int arch_page_flags_get(void *virt, uint32_t *flags)
{
	uintptr_t va = (uintptr_t)virt;
	uint64_t e;

	/* A paged-out entry keeps the permissions for its page-in. */
	if (!in_window(va) || ((e = table[index_of(va)]) & (E_P | E_OUT)) == 0) {
		return -EFAULT;
	}
	*flags = (uint32_t)((e & E_CACHE) >> E_CACHE_SHIFT) |
		 ((e & E_RW) != 0 ? K_MEM_PERM_RW : 0) | ((e & E_X) != 0 ? K_MEM_PERM_EXEC : 0);
	return 0;
}

void arch_pagetables_usage(size_t *used, size_t *size)
{
	size_t entries = 0;

	for (size_t i = 0; i < HOST_VM_PAGES; i++) {
		entries += table[i] != 0 ? 1U : 0U;
	}
	*used = entries * sizeof(table[0]);
	*size = sizeof(table);
}

void arch_page_tables_dump(void)
{
	printk("Kernel window 0x%08lx-0x%08lx (host), one character per page:\n"
	       "  . unmapped  R read-only  W read-write  X read-only executable"
	       "  ! writable and executable  p paged out\n",
	       (unsigned long)HOST_VM_BASE, (unsigned long)(HOST_VM_BASE + HOST_VM_SIZE - 1));
	for (size_t i = 0; i < HOST_VM_PAGES; i++) {
		uint64_t e = table[i];
		char c = '.';

		if ((e & E_P) != 0) {
			c = (e & E_RW) != 0 ? ((e & E_X) != 0 ? '!' : 'W')
					    : ((e & E_X) != 0 ? 'X' : 'R');
		} else if ((e & E_OUT) != 0) {
			c = 'p';
		}
		if (i % 64U == 0U) {
			printk("%s0x%08lx ", i == 0 ? "" : "\n",
			       (unsigned long)(HOST_VM_BASE + i * HOST_PAGE));
		}
		printk("%c", c);
	}
	printk("\n");
}

/* ---- the test program's side ---------------------------------------------- */

void host_mmu_init(void)
{
	size_t size = HOST_RAM_SIZE + HOST_DEV_SIZE;
	void *window;

	memfd = memfd_create("pagoda-phys", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, (off_t)size) != 0) {
		die("memfd for physical memory");
	}
	physmap = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (physmap == MAP_FAILED) {
		die("mmap of physical memory");
	}
	window = mmap((void *)HOST_VM_BASE, HOST_VM_SIZE, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (window != (void *)HOST_VM_BASE) {
		die("reserving the kernel window at its fixed address");
	}
	for (size_t i = 0; i < HOST_VM_PAGES; i++) {
		host_off[i] = -1;
		host_prot[i] = PROT_NONE;
	}

	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER};

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &next_segv) != 0) {
		die("sigaction(SIGSEGV)");
	}
	host_mmu_reset();
}

void host_mmu_reset(void)
{
	/* The build-time tables: text, rodata, data and bss of the image. */
	static const uint64_t image[HOST_IMAGE_PAGES] = {E_P | E_X, E_P, E_P | E_RW, E_P | E_RW};

	scratch_copy = false; /* its contents die with the input */
	memset(table, 0, sizeof(table));
	for (size_t i = 0; i < HOST_IMAGE_PAGES; i++) {
		table[i] = (uint64_t)(HOST_RAM_BASE + i * HOST_PAGE) | image[i];
	}
	unmirror(0, HOST_VM_PAGES);
	memset(tlb, 0, sizeof(tlb));
	memset(physmap, HOST_POISON, HOST_RAM_SIZE);
	memset(physmap + HOST_RAM_SIZE - HOST_RESERVED_FRAMES * HOST_PAGE, 0,
	       HOST_RESERVED_FRAMES * HOST_PAGE);
	memset(physmap + HOST_RAM_SIZE, 0, HOST_DEV_SIZE);
	faults_resolved = 0;
	livelocks = 0;
	host_clock_reset();
}

uint64_t host_mmu_fingerprint(void)
{
	uint64_t hash = 0;

	/* Accessed bits are the hardware's to set and the eviction's to clear. */
	for (size_t i = 0; i < HOST_VM_PAGES; i++) {
		hash = (hash ^ (table[i] & ~E_A)) * 0x100000001b3ULL + i;
	}
	return hash;
}

uint64_t host_mmu_entry(uintptr_t va)
{
	return in_window(va) ? table[index_of(va)] : 0;
}

uint64_t host_mmu_faults_resolved(void)
{
	return faults_resolved;
}

uint64_t host_mmu_livelocks(void)
{
	return livelocks;
}

enum access { ACCESS_READ, ACCESS_WRITE, ACCESS_EXEC };

/* One page's translation as the CPU makes it: false is a fault. */
static bool translate(uintptr_t va, enum access kind, uintptr_t *phys)
{
	uint64_t *e;
	size_t i;

	if (!in_window(va)) {
		return false;
	}
	i = index_of(va);

	struct tlb_entry *t = &tlb[i % TLB_SIZE];

	if (t->page == i + 1U && (kind != ACCESS_WRITE || (t->rw && t->dirty)) &&
	    (kind != ACCESS_EXEC || t->x)) {
		*phys = t->phys | (va & (HOST_PAGE - 1));
		return true;
	}
	e = &table[i];
	if ((*e & E_P) == 0 || (kind == ACCESS_WRITE && (*e & E_RW) == 0) ||
	    (kind == ACCESS_EXEC && (*e & E_X) == 0)) {
		return false;
	}
	*e |= E_A | (kind == ACCESS_WRITE ? E_D : 0);
	*t = (struct tlb_entry){i + 1U, (uintptr_t)(*e & E_ADDR), (*e & E_RW) != 0, (*e & E_X) != 0,
				(*e & E_D) != 0};
	*phys = (uintptr_t)(*e & E_ADDR) | (va & (HOST_PAGE - 1));
	return true;
}

static size_t cpu_access(uintptr_t va, uint8_t *buf, size_t len, enum access kind)
{
	size_t done = 0;

	scratch_write_back();
	while (done < len) {
		uintptr_t pos = va + done;
		size_t chunk = MIN(len - done, (size_t)(HOST_PAGE - (pos & (HOST_PAGE - 1))));
		unsigned int stayed = 0, resolved = 0;
		uintptr_t phys;

		while (!translate(pos, kind, &phys)) {
			/* Twice "fixed" with the page present and the access still
			 * refused, or fixed without end: the handler says "fixed" and is not.
			 */
			if (stayed == 2U || resolved == RESOLVED_MAX) {
				livelocks++;
				return done;
			}
			/* The CPU's state at the access: a test may access from a handler. */
			if (!z_mem_page_fault((void *)pos, arch_irq_enabled(), arch_is_in_isr())) {
				return done;
			}
			resolved++;
			faults_resolved++;
			/* An interrupt at the handler's end may page it out again (its
			 * page-ins evicting): that fault is a new one, not the same.
			 */
			if ((table[index_of(pos)] & E_P) != 0U) {
				stayed++;
			}
		}

		uint8_t *mem = host_phys_ptr(phys);

		if (kind == ACCESS_WRITE) {
			if (mem != NULL) {
				memcpy(mem, buf + done, chunk);
			}
		} else if (mem != NULL) {
			memcpy(buf + done, mem, chunk);
		} else {
			memset(buf + done, 0xFF, chunk); /* open bus */
		}
		done += chunk;
	}
	return done;
}

size_t host_mmu_read(uintptr_t va, void *buf, size_t len)
{
	return cpu_access(va, buf, len, ACCESS_READ);
}

size_t host_mmu_write(uintptr_t va, const void *buf, size_t len)
{
	return cpu_access(va, (uint8_t *)buf, len, ACCESS_WRITE);
}

size_t host_mmu_exec(uintptr_t va, void *buf, size_t len)
{
	return cpu_access(va, buf, len, ACCESS_EXEC);
}
