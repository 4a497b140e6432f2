/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt simulate: the page-table memory one set of present pages would need
 * under other designs.  geom.c is the arithmetic (pure); the pages come
 * from sources/pages.c, views/simout.c prints.
 */
#ifndef MLPT_GEOM_H
#define MLPT_GEOM_H

#include "sources/pages.h"

#define MLPT_DESIGN_LEVELS 5
#define MLPT_INVERTED_ENTRY 16	/* PowerPC HPT: two 8-byte doublewords */

enum mlpt_design_kind { MLPT_RADIX, MLPT_LINEAR, MLPT_SEGMENTED,
			MLPT_INVERTED };

struct mlpt_design {
	const char *key;		/* "x86_32", for CSV and JSON */
	const char *name;		/* "x86 32-bit 2-level", for people */
	enum mlpt_design_kind kind;
	unsigned int va_bits;		/* 0: any address (per VMA, inverted) */
	unsigned int page_shift;
	unsigned int entry_bytes;
	unsigned int levels;
	unsigned int bits[MLPT_DESIGN_LEVELS];	/* index bits, top first */
};

#define MLPT_NR_DESIGNS 17
extern const struct mlpt_design mlpt_designs[MLPT_NR_DESIGNS];

struct mlpt_sim {
	const char *why;		/* not applicable: why, else NULL */
	unsigned int need_bits;		/* address bits the pages need */
	u64 tables[MLPT_DESIGN_LEVELS];	/* per level, top first */
	u64 entries;			/* linear and inverted: entries */
	u64 bytes;
};

/* distinct values of addr >> shift in the sorted @addr */
u64 mlpt_distinct(const u64 *addr, size_t n, unsigned int shift);
/* bytes of one table of level @lvl (top first) of radix design @d */
u64 mlpt_design_table_bytes(const struct mlpt_design *d, unsigned int lvl);
/* smallest va width that holds every page of @p */
unsigned int mlpt_pages_bits(const struct mlpt_pages *p);
void mlpt_simulate(const struct mlpt_design *d, const struct mlpt_pages *p,
		   struct mlpt_sim *s);

#endif
