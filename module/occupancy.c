// SPDX-License-Identifier: GPL-2.0
/*
 * Per-VMA occupancy, for the `vmas-occupancy` report: how full each pte
 * table a VMA reaches is, and which of its tables a remedy would free.
 * The walk (walk.c) calls in here once per table per VMA; nothing here
 * reads a page table.
 *
 * Two rules of the kernel decide what is freed, and the counts follow
 * them:
 *  - munmap() frees, through free_pgtables(), the tables under a VMA
 *    whose whole window (the 2 MiB a pte table maps, the 1 GiB of a pmd
 *    table, ...) lies between the end of the VMA before it and the start
 *    of the VMA after it: a table that also maps part of a neighbour
 *    stays.  The pgd is never freed.
 *  - MADV_DONTNEED of a range of at least 2 MiB, on a kernel with
 *    CONFIG_PT_RECLAIM (mm/pt_reclaim.c), frees each pte table it
 *    touches whose entries are all none once the range is zapped: one
 *    with no non-empty entry outside the VMA, when the VMA is the range.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb_inline.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "mlpt.h"

/**
 * mlpt_occupancy_begin() - start the counts of one VMA
 * @oc: the counts
 * @floor: the end of the VMA before it, or FIRST_USER_ADDRESS
 * @ceiling: the start of the VMA after it, or USER_PGTABLES_CEILING
 *
 * @floor and @ceiling are what free_pgtables() is given when the VMA
 * alone is unmapped.
 */
void mlpt_occupancy_begin(struct mlpt_vma_occupancy *oc, unsigned long floor,
			  unsigned long ceiling)
{
	memset(oc, 0, sizeof(*oc));
	oc->floor = floor;
	oc->ceiling = ceiling;
}

/* Bytes of address space one table of @level maps. */
static unsigned long mlpt_table_span(enum mlpt_level level)
{
	switch (level) {
	case MLPT_P4D:
		return PGDIR_SIZE;
	case MLPT_PUD:
		return P4D_SIZE;
	case MLPT_PMD:
		return PUD_SIZE;
	default:
		return PMD_SIZE;
	}
}

/**
 * mlpt_occupancy_table() - a table of @level the VMA reaches
 * @oc: the VMA's counts
 * @level: a level not folded, below the pgd
 * @base: the first address the table maps
 *
 * Counts it as freed by munmap() of the VMA if its window lies inside
 * [floor, ceiling), as free_pgd_range() decides; a ceiling of 0 is the
 * top of the address space, so both ends are compared less one.
 */
void mlpt_occupancy_table(struct mlpt_vma_occupancy *oc,
			  enum mlpt_level level, unsigned long base)
{
	unsigned long last;

	if (level == MLPT_PGD)
		return;
	last = base + mlpt_table_span(level) - 1;
	if (base >= oc->floor && last <= oc->ceiling - 1)
		oc->own[level]++;
}

/**
 * mlpt_occupancy_pte_table() - a pte table the VMA reaches
 * @oc: the VMA's counts
 * @addr: the first address of the VMA the table maps
 * @end: one past the last
 * @present: present entries in [@addr, @end)
 * @nonempty: non-empty entries in [@addr, @end)
 * @outside: non-empty entries of the table outside [@addr, @end)
 */
void mlpt_occupancy_pte_table(struct mlpt_vma_occupancy *oc,
			      unsigned long addr, unsigned long end,
			      unsigned long present, unsigned long nonempty,
			      unsigned long outside)
{
	oc->pte_tables++;
	oc->occupancy[mlpt_occupancy_bucket(nonempty + outside)]++;
	if (present)
		oc->pte_used++;
	if (!outside)
		oc->pte_reclaim++;
	if (end - addr == PMD_SIZE) {
		oc->pte_inner++;
		oc->pte_inner_present += present;
	}
}

/* What DONTNEED, munmap() and THP need to know of a VMA. */
static const char *mlpt_vma_kind(struct vm_area_struct *vma)
{
	if (is_vm_hugetlb_page(vma))
		return "hugetlb";
	if (vma->vm_flags & (VM_PFNMAP | VM_IO | VM_MIXEDMAP))
		return "special";
	if (vma_is_anonymous(vma))
		return "anon";
	return vma->vm_file ? "file" : "special";
}

/* The columns, in order; each is as wide as its header word. */
enum {
	MLPT_OC_KIND, MLPT_OC_LOCKED, MLPT_OC_HUGE_PMD, MLPT_OC_DEPOSITS,
	MLPT_OC_PTE_TABLES, MLPT_OC_PTE_USED, MLPT_OC_PTE_INNER,
	MLPT_OC_PTE_INNER_PRESENT, MLPT_OC_PTE_RECLAIM,
	MLPT_OC_OWN,				/* one per level, p4d to pte */
	MLPT_OC_OCC = MLPT_OC_OWN + MLPT_NR_LEVELS - MLPT_P4D, /* buckets */
	MLPT_NR_OC = MLPT_OC_OCC + MLPT_NR_BUCKETS
};

static const char *const mlpt_oc_header[MLPT_NR_OC] = {
	"kind", "locked", "huge-pmd", "deposits", "pte-tables",
	"pte-used", "pte-inner", "pte-inner-present", "pte-reclaim",
	"own-p4d", "own-pud", "own-pmd", "own-pte",
	"occ-0", "occ-1", "occ-2-7", "occ-8-63", "occ-64-255",
	"occ-256-511", "occ-512",
};

/* ... but the kind's, as wide as "hugetlb" */
static unsigned int mlpt_oc_width(int col)
{
	return col == MLPT_OC_KIND ? 7 : strlen(mlpt_oc_header[col]);
}

/* The header words `vmas-occupancy` adds, each followed by a space. */
void mlpt_report_occupancy_header(struct mlpt_out *o)
{
	int i;

	for (i = 0; i < MLPT_NR_OC; i++)
		mlpt_out_col(o, mlpt_oc_header[i], mlpt_oc_width(i));
}

static void mlpt_oc_u64(struct mlpt_out *o, int col, u64 v)
{
	mlpt_out_u64(o, v, mlpt_oc_width(col));
}

/**
 * mlpt_report_vma_occupancy() - the columns `vmas-occupancy` adds to a row
 * @o: output
 * @vma: the VMA, under mmap_read_lock
 * @c: what it added to the totals
 * @oc: its occupancy
 */
void mlpt_report_vma_occupancy(struct mlpt_out *o, struct vm_area_struct *vma,
			       const struct mlpt_vma_counts *c,
			       const struct mlpt_vma_occupancy *oc)
{
	int i;

	mlpt_out_col(o, mlpt_vma_kind(vma), mlpt_oc_width(MLPT_OC_KIND));
	mlpt_oc_u64(o, MLPT_OC_LOCKED, !!(vma->vm_flags & VM_LOCKED));
	mlpt_oc_u64(o, MLPT_OC_HUGE_PMD, c->huge_pmds);
	mlpt_oc_u64(o, MLPT_OC_DEPOSITS, c->deposited_tables);
	mlpt_oc_u64(o, MLPT_OC_PTE_TABLES, oc->pte_tables);
	mlpt_oc_u64(o, MLPT_OC_PTE_USED, oc->pte_used);
	mlpt_oc_u64(o, MLPT_OC_PTE_INNER, oc->pte_inner);
	mlpt_oc_u64(o, MLPT_OC_PTE_INNER_PRESENT, oc->pte_inner_present);
	mlpt_oc_u64(o, MLPT_OC_PTE_RECLAIM, oc->pte_reclaim);
	for (i = MLPT_P4D; i < MLPT_NR_LEVELS; i++)
		mlpt_oc_u64(o, MLPT_OC_OWN + i - MLPT_P4D, oc->own[i]);
	for (i = 0; i < MLPT_NR_BUCKETS; i++)
		mlpt_oc_u64(o, MLPT_OC_OCC + i, oc->occupancy[i]);
}
