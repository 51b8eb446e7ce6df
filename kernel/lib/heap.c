/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: the sys_heap allocator (see <sys/sys_heap.h> for the contract).
 *
 * Invariants every operation keeps:
 * - chunks tile [start, end) exactly; each size is a multiple of Z_HEAP_ALIGN
 *   and at least MIN_CHUNK; the end tag at `end` is a used chunk of size 0;
 * - each chunk's prev_size is the size of the chunk before it (0 for the
 *   first), so either neighbour is one step away;
 * - no two free chunks are adjacent (a free merges at once);
 * - a free chunk is on the list of its size class, and bucket bit b of
 *   avail is set exactly when list b is non-empty.
 */
#include <string.h>
#include <sys/__assert.h>
#include <sys/sys_heap.h>
#include <sys/util.h>

#define GRAN        Z_HEAP_ALIGN
#define USED        ((size_t)1)
#define MIN_CHUNK   (2U * GRAN) /* the tag and the two free-list links */
/* Chunks of its own class an allocation looks at before going up a class. */
#define CLASS_LOOKS 4

struct chunk {
	size_t prev_size;
	size_t size_used; /* size in bytes | USED */
	/* Free chunks only: links in their class's list. */
	struct chunk *next;
	struct chunk *prev;
};

BUILD_ASSERT(sizeof(struct chunk) == MIN_CHUNK, "the free links fill one granule");

struct z_heap {
	uintptr_t start; /* the first chunk */
	uintptr_t end;   /* the end tag */
	size_t free_bytes;
	uint32_t avail; /* bit b: list b is non-empty */
	unsigned int nb_buckets;
	struct chunk *buckets[];
};

static inline size_t csize(const struct chunk *c)
{
	return c->size_used & ~USED;
}

static inline bool is_used(const struct chunk *c)
{
	return (c->size_used & USED) != 0U;
}

static inline struct chunk *at(uintptr_t addr)
{
	return (struct chunk *)addr;
}

static inline struct chunk *next_of(struct chunk *c)
{
	return at((uintptr_t)c + csize(c));
}

static inline void *payload(struct chunk *c)
{
	return (void *)((uintptr_t)c + 2U * sizeof(size_t));
}

static inline unsigned int log2_floor(size_t v)
{
	return (unsigned int)(sizeof(unsigned long) * 8U - 1U) -
	       (unsigned int)__builtin_clzl((unsigned long)v);
}

/* Class b holds chunks of [2^(b+1), 2^(b+2)) granules (MIN_CHUNK is 2). */
static unsigned int bucket_of(const struct z_heap *h, size_t size)
{
	unsigned int b = log2_floor(size / GRAN) - 1U;

	return MIN(b, h->nb_buckets - 1U);
}

static void set_size(struct chunk *c, size_t size, bool used)
{
	c->size_used = size | (used ? USED : 0U);
	next_of(c)->prev_size = size;
}

static void list_add(struct z_heap *h, struct chunk *c)
{
	unsigned int b = bucket_of(h, csize(c));
	struct chunk *head = h->buckets[b];

	if (head == NULL) {
		c->next = c;
		c->prev = c;
		h->avail |= (uint32_t)BIT(b);
	} else {
		/* At the tail: the head, looked at first, is the oldest. */
		c->next = head;
		c->prev = head->prev;
		head->prev->next = c;
		head->prev = c;
	}
	h->buckets[b] = (head == NULL) ? c : head;
	h->free_bytes += csize(c);
}

static void list_remove(struct z_heap *h, struct chunk *c)
{
	unsigned int b = bucket_of(h, csize(c));

	if (c->next == c) {
		h->buckets[b] = NULL;
		h->avail &= ~(uint32_t)BIT(b);
	} else {
		c->prev->next = c->next;
		c->next->prev = c->prev;
		if (h->buckets[b] == c) {
			h->buckets[b] = c->next;
		}
	}
	h->free_bytes -= csize(c);
}

/*
 * A free chunk of at least size bytes, off its list (still marked free), or
 * NULL. A few chunks of size's own class, then the first of a larger class
 * (any fits); only when there is none, the rest of its own class.
 */
static struct chunk *take_fit(struct z_heap *h, size_t size)
{
	unsigned int b = bucket_of(h, size);
	struct chunk *head = h->buckets[b];
	struct chunk *c = head;
	int looks = 0;

	while (c != NULL && looks < CLASS_LOOKS) {
		if (csize(c) >= size) {
			list_remove(h, c);
			return c;
		}
		looks++;
		c = (c->next == head) ? NULL : c->next;
	}
	/* A chunk of a larger class has at least 2^(b+2) granules: more than size. */
	uint32_t larger = (b + 1U >= 32U) ? 0U : h->avail & ~(uint32_t)(BIT(b + 1U) - 1U);

	if (larger != 0U) {
		c = h->buckets[__builtin_ctz(larger)];
		list_remove(h, c);
		return c;
	}
	while (c != NULL) {
		if (csize(c) >= size) {
			list_remove(h, c);
			return c;
		}
		c = (c->next == head) ? NULL : c->next;
	}
	return NULL;
}

/*
 * Cut c (used, off any list) down to size bytes; the rest, when large enough
 * to be a chunk, becomes a free chunk, merged with a free chunk after it.
 */
static void trim(struct z_heap *h, struct chunk *c, size_t size)
{
	size_t rest = csize(c) - size;

	if (rest < MIN_CHUNK) {
		return;
	}
	set_size(c, size, true);

	struct chunk *r = next_of(c);
	struct chunk *n = at((uintptr_t)r + rest);

	r->prev_size = size;
	if (!is_used(n)) {
		list_remove(h, n);
		rest += csize(n);
	}
	set_size(r, rest, false);
	list_add(h, r);
}

/* The chunk size for a request of bytes, or 0 when none can hold it. */
static size_t chunk_size(const struct z_heap *h, size_t bytes)
{
	size_t hdr = 2U * sizeof(size_t);

	if (bytes == 0U || bytes > (h->end - h->start) - hdr) {
		return 0U;
	}
	return MAX(ROUND_UP(bytes + hdr, GRAN), MIN_CHUNK);
}

/* The used chunk whose payload is mem, or NULL when mem is not one. */
static struct chunk *chunk_of(const struct z_heap *h, void *mem)
{
	uintptr_t p = (uintptr_t)mem - 2U * sizeof(size_t);

	if ((uintptr_t)mem < h->start + 2U * sizeof(size_t) || p >= h->end ||
	    !IS_ALIGNED(p - h->start, GRAN)) {
		return NULL;
	}
	struct chunk *c = at(p);
	size_t size = csize(c);

	if (!is_used(c) || size < MIN_CHUNK || size % GRAN != 0U || size > h->end - p ||
	    next_of(c)->prev_size != size) {
		return NULL;
	}
	if (c->prev_size == 0U) {
		return p == h->start ? c : NULL;
	}
	if (c->prev_size > p - h->start || c->prev_size % GRAN != 0U ||
	    csize(at(p - c->prev_size)) != c->prev_size) {
		return NULL;
	}
	return c;
}

static void free_chunk(struct z_heap *h, struct chunk *c)
{
	struct chunk *n = next_of(c);
	size_t size = csize(c);

	if (!is_used(n)) {
		list_remove(h, n);
		size += csize(n);
	}
	if (c->prev_size != 0U) {
		struct chunk *p = at((uintptr_t)c - c->prev_size);

		if (!is_used(p)) {
			list_remove(h, p);
			size += csize(p);
			c = p;
		}
	}
	set_size(c, size, false);
	list_add(h, c);
}

void sys_heap_init(struct sys_heap *heap, void *mem, size_t bytes)
{
	uintptr_t lo = ROUND_UP((uintptr_t)mem, sizeof(size_t));
	uintptr_t hi = ROUND_DOWN((uintptr_t)mem + bytes, GRAN);

	heap->heap = NULL;
	heap->init_mem = mem;
	heap->init_bytes = bytes;
	if (bytes < Z_HEAP_MIN_SIZE || hi <= lo) {
		return;
	}
	/* Buckets for the largest chunk the region could hold, then the chunks. */
	size_t span = hi - lo;
	unsigned int nb = MIN(log2_floor(span / GRAN), 32U);
	uintptr_t start = ROUND_UP(lo + sizeof(struct z_heap) + nb * sizeof(struct chunk *), GRAN);
	uintptr_t end = hi - GRAN;

	if (start >= end || end - start < MIN_CHUNK) {
		return;
	}
	struct z_heap *h = (struct z_heap *)lo;

	h->start = start;
	h->end = end;
	h->free_bytes = 0U;
	h->avail = 0U;
	h->nb_buckets = nb;
	for (unsigned int b = 0; b < nb; b++) {
		h->buckets[b] = NULL;
	}
	at(start)->prev_size = 0U;
	at(end)->size_used = USED; /* the end tag: never merged into */
	set_size(at(start), end - start, false);
	list_add(h, at(start));
	heap->heap = h;
}

void *sys_heap_alloc(struct sys_heap *heap, size_t bytes)
{
	struct z_heap *h = heap->heap;
	size_t size = (h == NULL) ? 0U : chunk_size(h, bytes);
	struct chunk *c = (size == 0U) ? NULL : take_fit(h, size);

	if (c == NULL) {
		return NULL;
	}
	c->size_used |= USED;
	trim(h, c, size);
	return payload(c);
}

void *sys_heap_aligned_alloc(struct sys_heap *heap, size_t align, size_t bytes)
{
	struct z_heap *h = heap->heap;

	if (align != 0U && !IS_POWER_OF_TWO(align)) {
		return NULL;
	}
	if (align <= GRAN) {
		return sys_heap_alloc(heap, bytes);
	}
	size_t size = (h == NULL) ? 0U : chunk_size(h, bytes);

	/* Room for the size, an aligned payload and a free chunk before it. */
	if (size == 0U || size > SIZE_MAX - align - MIN_CHUNK) {
		return NULL;
	}
	struct chunk *c = take_fit(h, size + align + MIN_CHUNK);

	if (c == NULL) {
		return NULL;
	}
	uintptr_t hdr = 2U * sizeof(size_t);
	uintptr_t want = ROUND_UP((uintptr_t)c + hdr, align) - hdr;

	if (want != (uintptr_t)c && want - (uintptr_t)c < MIN_CHUNK) {
		want += align;
	}
	if (want != (uintptr_t)c) {
		/* The gap before it stays free: c's own neighbour before is used. */
		size_t gap = want - (uintptr_t)c;
		size_t rest = csize(c) - gap;

		set_size(c, gap, false);
		list_add(h, c);
		c = at(want);
		c->prev_size = gap;
		set_size(c, rest, true);
	} else {
		c->size_used |= USED;
	}
	trim(h, c, size);
	return payload(c);
}

void sys_heap_free(struct sys_heap *heap, void *mem)
{
	struct z_heap *h = heap->heap;
	struct chunk *c = (h == NULL || mem == NULL) ? NULL : chunk_of(h, mem);

	if (c != NULL) {
		free_chunk(h, c);
	}
}

void *sys_heap_aligned_realloc(struct sys_heap *heap, void *ptr, size_t align, size_t bytes)
{
	struct z_heap *h = heap->heap;

	if (ptr == NULL) {
		return sys_heap_aligned_alloc(heap, align, bytes);
	}
	if (align != 0U && !IS_POWER_OF_TWO(align)) {
		return NULL;
	}
	struct chunk *c = (h == NULL) ? NULL : chunk_of(h, ptr);

	if (c == NULL) {
		return NULL;
	}
	if (bytes == 0U) {
		free_chunk(h, c);
		return NULL;
	}
	size_t size = chunk_size(h, bytes);

	if (size == 0U) {
		return NULL;
	}
	if (align <= GRAN || IS_ALIGNED(ptr, align)) {
		struct chunk *n = next_of(c);

		if (size > csize(c) && !is_used(n) && csize(c) + csize(n) >= size) {
			list_remove(h, n);
			set_size(c, csize(c) + csize(n), true);
		}
		if (size <= csize(c)) {
			trim(h, c, size);
			return ptr;
		}
	}
	void *moved = sys_heap_aligned_alloc(heap, align, bytes);

	if (moved != NULL) {
		memcpy(moved, ptr, MIN(bytes, csize(c) - 2U * sizeof(size_t)));
		free_chunk(h, c);
	}
	return moved;
}

size_t sys_heap_usable_size(struct sys_heap *heap, void *mem)
{
	struct z_heap *h = heap->heap;
	struct chunk *c = (h == NULL || mem == NULL) ? NULL : chunk_of(h, mem);

	return (c == NULL) ? 0U : csize(c) - 2U * sizeof(size_t);
}

size_t z_heap_free_bytes(struct sys_heap *heap)
{
	return (heap->heap == NULL) ? 0U : heap->heap->free_bytes;
}

/* Every free chunk on its class's list, the lists well linked, the bitmap right. */
static bool lists_valid(const struct z_heap *h, size_t free_total)
{
	size_t listed = 0U;

	for (unsigned int b = 0; b < h->nb_buckets; b++) {
		struct chunk *head = h->buckets[b];

		if ((head != NULL) != ((h->avail & BIT(b)) != 0U)) {
			return false;
		}
		struct chunk *c = head;

		while (c != NULL) {
			if ((uintptr_t)c < h->start || (uintptr_t)c >= h->end || is_used(c) ||
			    bucket_of(h, csize(c)) != b || c->next->prev != c) {
				return false;
			}
			listed += csize(c);
			if (listed > free_total) {
				return false; /* a cycle, or a chunk listed twice */
			}
			c = (c->next == head) ? NULL : c->next;
		}
	}
	return listed == free_total;
}

bool sys_heap_validate(struct sys_heap *heap)
{
	const struct z_heap *h = heap->heap;

	if (h == NULL) {
		return true;
	}
	if (h->nb_buckets < 32U && (h->avail >> h->nb_buckets) != 0U) {
		return false; /* a bit for a class the heap does not have */
	}
	size_t prev = 0U;
	size_t free_total = 0U;
	bool prev_free = false;
	uintptr_t p = h->start;

	while (p < h->end) {
		struct chunk *c = at(p);
		size_t size = csize(c);

		if (size < MIN_CHUNK || size % GRAN != 0U || size > h->end - p ||
		    c->prev_size != prev || (prev_free && !is_used(c))) {
			return false;
		}
		if (!is_used(c)) {
			free_total += size;
		}
		prev_free = !is_used(c);
		prev = size;
		p += size;
	}
	if (p != h->end || at(p)->prev_size != prev || at(p)->size_used != USED ||
	    free_total != h->free_bytes) {
		return false;
	}
	return lists_valid(h, free_total);
}
