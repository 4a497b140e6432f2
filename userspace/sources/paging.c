// SPDX-License-Identifier: GPL-2.0
/*
 * A radix tree's shape from its address width: each level below the top
 * indexes a page of 8-byte entries (9 bits with 4 KiB pages, 11 with 16
 * KiB), the top whatever is left, and the levels the width does
 * not need are folded away just below the pgd, as the kernel folds them
 * (p4d, then pud: docs/architectures.md).
 */
#include <stdio.h>

#include "sources/paging.h"

unsigned int mlpt_cpuinfo_va_bits(const char *line)
{
	unsigned int bits;
	int end = 0;

	/* the spaces match cpuinfo's tabs; nothing may follow the digits */
	if (sscanf(line, "mmu : sv%u%n", &bits, &end) != 1 ||
	    (line[end] && line[end] != '\n'))
		return 0;
	return bits == 39 || bits == 48 || bits == 57 ? bits : 0;
}

void mlpt_paging_geometry(struct mlpt_report *r, unsigned int page_shift,
			  unsigned int va_bits)
{
	unsigned int level_bits = page_shift - mlpt_log2(MLPT_ENTRY_BYTES);
	unsigned int levels;
	int lvl;

	r->page_size = BIT_ULL(page_shift);
	r->entry_bytes = MLPT_ENTRY_BYTES;
	r->va_bits = va_bits;
	/*
	 * 4 KiB pages, 39, 48, 52, 57 bits: 27, 36, 40, 45 above the page,
	 * 3, 4, 5, 5 levels; 16 KiB pages, 47 and 52 bits: 33 and 38 above
	 * the page, 3 and 4 levels of 11 bits
	 */
	levels = (va_bits - page_shift + level_bits - 1) / level_bits;
	r->paging_levels = levels;
	for (lvl = 0; lvl < MLPT_LEVELS; lvl++) {
		struct mlpt_level_stats *l = &r->level[lvl];

		l->folded = lvl != MLPT_PGD && lvl <= MLPT_LEVELS - (int)levels;
		l->entries = r->page_size / r->entry_bytes;
		/*
		 * The pgd indexes what the levels below leave of the address:
		 * 52 - 12 - 4 * 9 = 4 bits, 16 entries, on arm64 with LPA2
		 * (52 - 14 - 3 * 11 = 5, 32 entries, with 16 KiB pages).  A
		 * pgd with page-table isolation is 8 KiB: unknown here.
		 */
		if (lvl == MLPT_PGD)
			l->entries = BIT_ULL(va_bits - page_shift -
					     level_bits * (levels - 1));
		l->table_bytes = l->folded ? 0 : l->entries * r->entry_bytes;
	}
}
