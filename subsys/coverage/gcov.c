/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda's gcov runtime: the counters of every instrumented object, as text
 * on the coverage channel (arch_coverage_putc(), COM2 on x86), for
 * scripts/pagoda_lib/gcov_dump.py to turn into .gcda files on the host.
 *
 * Objects are compiled with -fprofile-info-section=gcov_info: gcc then puts a
 * pointer to each object's gcov_info in that section instead of emitting a
 * constructor that calls __gcov_init() (the kernel runs no constructors),
 * and nothing calls __gcov_exit(); the kernel calls z_coverage_dump() on
 * its way out (k_poweroff()). The structures are gcc 12's (libgcc/libgcov.h,
 * GCOV_COUNTERS 8); gcov_info.version lets the host check the compiler.
 *
 * The dump, one record a line, numbers in hex:
 *   PAGODA-GCOV 1
 *   O <version> <stamp> <checksum> <functions> <merge mask> <.gcda path>
 *   F <ident> <lineno checksum> <cfg checksum>    a function of the object
 *   F -                                           a slot of another object's
 *   C <counter type> <count> <value>...           one per bit of the mask
 *   PAGODA-GCOV END <objects>
 * Text, not the .gcda bytes: a dump cut short or garbled shows as such, and
 * the host writes the file format in one place.
 */
#include <stddef.h>
#include <stdint.h>

#include <arch/cpu.h>
#include <coverage.h>

#define GCOV_COUNTERS 8 /* gcc 12: arcs, interval, pow2, topn, indirect, average, ior, time */

typedef uint32_t gcov_unsigned_t;
typedef int64_t gcov_type;
typedef void (*gcov_merge_fn)(gcov_type *, gcov_unsigned_t);

struct gcov_ctr_info {
	gcov_unsigned_t num;
	gcov_type *values;
};

struct gcov_info;

struct gcov_fn_info {
	const struct gcov_info *key; /* the object owning the function (COMDAT) */
	gcov_unsigned_t ident;
	gcov_unsigned_t lineno_checksum;
	gcov_unsigned_t cfg_checksum;
	struct gcov_ctr_info ctrs[1]; /* one per merge function set, in order */
};

struct gcov_info {
	gcov_unsigned_t version;
	struct gcov_info *next;
	gcov_unsigned_t stamp;
	gcov_unsigned_t checksum;
	const char *filename;
	gcov_merge_fn merge[GCOV_COUNTERS];
	gcov_unsigned_t n_functions;
	const struct gcov_fn_info *const *functions;
};

/* The section -fprofile-info-section=gcov_info fills (the linker script
 * names its ends the way GNU ld does for a C-identifier section).
 */
extern const struct gcov_info *const __start_gcov_info[];
extern const struct gcov_info *const __stop_gcov_info[];

/* Merging with an existing .gcda is the host's job (gcov_dump.py adds the
 * dumps up); the merge[] slots of the arc counters still name this.
 */
void __gcov_merge_add(gcov_type *counters, gcov_unsigned_t n);
void __gcov_merge_add(gcov_type *counters, gcov_unsigned_t n)
{
	(void)counters;
	(void)n;
}

static void put_str(const char *s)
{
	while (*s != '\0') {
		arch_coverage_putc(*s++);
	}
}

static void put_hex(uint64_t value)
{
	char digits[16];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[value & 0xfU];
		value >>= 4;
	} while (value != 0U);
	arch_coverage_putc(' ');
	while (n > 0) {
		arch_coverage_putc(digits[--n]);
	}
}

static void dump_function(const struct gcov_info *info, const struct gcov_fn_info *fn)
{
	const struct gcov_ctr_info *ctr;

	put_str("F");
	if (fn == NULL || fn->key != info) {
		put_str(" -\n");
		return;
	}
	put_hex(fn->ident);
	put_hex(fn->lineno_checksum);
	put_hex(fn->cfg_checksum);
	put_str("\n");
	ctr = fn->ctrs;
	for (unsigned int type = 0; type < GCOV_COUNTERS; type++) {
		if (info->merge[type] == NULL) {
			continue;
		}
		put_str("C");
		put_hex(type);
		put_hex(ctr->num);
		for (gcov_unsigned_t i = 0; i < ctr->num; i++) {
			put_hex((uint64_t)ctr->values[i]);
		}
		put_str("\n");
		ctr++;
	}
}

static void dump_object(const struct gcov_info *info)
{
	unsigned int mask = 0;

	for (unsigned int type = 0; type < GCOV_COUNTERS; type++) {
		if (info->merge[type] != NULL) {
			mask |= 1U << type;
		}
	}
	put_str("O");
	put_hex(info->version);
	put_hex(info->stamp);
	put_hex(info->checksum);
	put_hex(info->n_functions);
	put_hex(mask);
	put_str(" ");
	put_str(info->filename);
	put_str("\n");
	for (gcov_unsigned_t i = 0; i < info->n_functions; i++) {
		dump_function(info, info->functions[i]);
	}
}

void z_coverage_dump(void)
{
	static int dumping;
	size_t objects = 0;

	if (dumping != 0) {
		return;
	}
	dumping = 1;
	put_str("PAGODA-GCOV 1\n");
	for (const struct gcov_info *const *p = __start_gcov_info; p < __stop_gcov_info; p++) {
		if (*p != NULL) {
			dump_object(*p);
			objects++;
		}
	}
	put_str("PAGODA-GCOV END");
	put_hex(objects);
	put_str("\n");
}
