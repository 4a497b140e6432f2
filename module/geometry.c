// SPDX-License-Identifier: GPL-2.0
/*
 * The geometry of the page-table tree in force for an address space:
 * which levels are folded, how many entries a table of each level holds,
 * how big it is as allocated, and how many bits of address the tree
 * translates.  Every architectural fact comes from compat.h.
 */
#include <linux/log2.h>
#include <linux/mm.h>

#include "compat.h"
#include "walk.h"

/**
 * mlpt_geometry() - the shape of @mm's tree
 * @mm: the address space
 * @g: filled in
 *
 * The entries of a folded level are the table of the row above it; that
 * row's entries are then the folded level's, so the row takes the folded
 * level's shift, and its fan-out is what the translated bits leave for it
 * (the real size of the top table: 512 on x86-64 and on arm64 with 48
 * bits, 16 on arm64 with 52 bits and 4 KiB pages).
 */
void mlpt_geometry(struct mm_struct *mm, struct mlpt_geometry *g)
{
	/* Not static: x86-64 sets PGDIR_SHIFT and PTRS_PER_P4D at boot. */
	const unsigned int shift[MLPT_NR_LEVELS] = {
		[MLPT_PGD] = PGDIR_SHIFT, [MLPT_P4D] = P4D_SHIFT,
		[MLPT_PUD] = PUD_SHIFT, [MLPT_PMD] = PMD_SHIFT,
		[MLPT_PTE] = PAGE_SHIFT,
	};
	const unsigned long entries[MLPT_NR_LEVELS] = {
		[MLPT_PGD] = PTRS_PER_PGD, [MLPT_P4D] = PTRS_PER_P4D,
		[MLPT_PUD] = PTRS_PER_PUD, [MLPT_PMD] = PTRS_PER_PMD,
		[MLPT_PTE] = PTRS_PER_PTE,
	};
	static const unsigned int entry_bytes[MLPT_NR_LEVELS] = {
		[MLPT_PGD] = sizeof(pgd_t), [MLPT_P4D] = sizeof(p4d_t),
		[MLPT_PUD] = sizeof(pud_t), [MLPT_PMD] = sizeof(pmd_t),
		[MLPT_PTE] = sizeof(pte_t),
	};
	int level, row = MLPT_PGD;

	memset(g, 0, sizeof(*g));
	g->folded[MLPT_P4D] = mlpt_p4d_folded(mm);
	g->folded[MLPT_PUD] = mlpt_pud_folded(mm);
	g->folded[MLPT_PMD] = mlpt_pmd_folded(mm);
	g->va_bits = mlpt_va_bits();
	for (level = 0; level < MLPT_NR_LEVELS; level++) {
		if (g->folded[level]) {
			g->shift[row] = shift[level];
			continue;
		}
		row = level;
		g->paging_levels++;
		g->shift[level] = shift[level];
		g->fanout[level] = entries[level];
		g->table_bytes[level] = entries[level] * entry_bytes[level];
	}
	g->fanout[MLPT_PGD] = 1UL << (g->va_bits - g->shift[MLPT_PGD]);
	g->table_bytes[MLPT_PGD] = mlpt_pgd_table_bytes(mm);
}
