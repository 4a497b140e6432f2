/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-table walk: counters only, no formatting (see report.c).
 */
#ifndef MLPT_WALK_H
#define MLPT_WALK_H

#include <linux/types.h>

struct mm_struct;

enum mlpt_level {
	MLPT_PGD,
	MLPT_P4D,
	MLPT_PUD,
	MLPT_PMD,
	MLPT_PTE,
	MLPT_NR_LEVELS
};

/*
 * The shape of the tree in force for one address space.  A folded level
 * is one the hardware skips: its entries are its parent's, read with its
 * own accessors, and counted in the row of the nearest level above that
 * is not folded (docs/format.md).
 */
struct mlpt_geometry {
	unsigned int paging_levels;
	unsigned int va_bits;
	bool folded[MLPT_NR_LEVELS];
	/* The lowest address bit of the index of an entry counted in a row. */
	unsigned int shift[MLPT_NR_LEVELS];
	unsigned long fanout[MLPT_NR_LEVELS];		/* 0 if folded */
	unsigned long table_bytes[MLPT_NR_LEVELS];	/* 0 if folded */
};

void mlpt_geometry(struct mm_struct *mm, struct mlpt_geometry *g);

/* Occupancy buckets: 0, 1, 2-7, 8-63, 64-255, 256-511, 512 entries. */
#define MLPT_NR_BUCKETS 7

struct mlpt_level_stats {
	bool folded;
	unsigned long fanout;		/* entries in one table */
	unsigned long table_bytes;	/* one table as allocated; 0 if folded */
	unsigned long tables;
	unsigned long present;		/* == next + leaf */
	unsigned long next;
	unsigned long leaf;
	unsigned long nonpresent;
	unsigned long empty_tables;
	unsigned long occupancy[MLPT_NR_BUCKETS];
};

struct mlpt_stats {
	struct mlpt_level_stats level[MLPT_NR_LEVELS];
	unsigned int paging_levels;
	unsigned int va_bits;
	unsigned long vmas;
	unsigned long mapped_bytes;
	unsigned long va_lowest;
	unsigned long va_highest;
	unsigned long resident_bytes;
	unsigned long deposited_tables;
	unsigned long walk_pgtables_bytes;
	unsigned long kernel_pgtables_bytes;
	u64 walk_ns;
	/*
	 * Tables per node and level (numa.h), or NULL not to count them:
	 * set by the caller, kept and cleared by mlpt_walk().
	 */
	unsigned long *node_tables;
	/* Present pte leaves in contiguous ranges (compat.h). */
	unsigned long contiguous_ptes;
};

/* What one VMA added to the totals: the tables it reached first. */
struct mlpt_vma_counts {
	unsigned long tables[MLPT_NR_LEVELS];
	unsigned long leaf_bytes;
	unsigned long huge_pmds;	/* its pmd leaves */
	unsigned long deposited_tables;	/* behind them */
};

/*
 * What the `vmas-occupancy` report says of one VMA besides its counts
 * (occupancy.c): every pte table it reaches, those shared with its
 * neighbours included, and what munmap() or a kernel that reclaims
 * empty pte tables would free.
 */
struct mlpt_vma_occupancy {
	/* The gap around the VMA: munmap() frees the tables inside it. */
	unsigned long floor, ceiling;	/* ceiling 0: the top */
	unsigned long pte_tables;
	unsigned long pte_used;		/* with a present entry in the VMA */
	unsigned long pte_inner;	/* mapping 2 MiB inside the VMA */
	unsigned long pte_inner_present;	/* present entries in those */
	unsigned long pte_reclaim;	/* no entry outside the VMA */
	unsigned long own[MLPT_NR_LEVELS];	/* tables munmap() frees */
	unsigned long occupancy[MLPT_NR_BUCKETS];	/* whole tables */
};

struct vm_area_struct;

/* Called under mmap_read_lock as each VMA is finished. */
struct mlpt_vma_visitor {
	void (*visit)(struct mlpt_vma_visitor *v, struct vm_area_struct *vma,
		      const struct mlpt_vma_counts *counts);
	/* If not NULL, filled in for each VMA before visit() is called. */
	struct mlpt_vma_occupancy *occupancy;
};

unsigned int mlpt_occupancy_bucket(unsigned long nonempty);

/* occupancy.c, called by the walk for each VMA of a `vmas-occupancy` */
void mlpt_occupancy_begin(struct mlpt_vma_occupancy *oc, unsigned long floor,
			  unsigned long ceiling);
void mlpt_occupancy_table(struct mlpt_vma_occupancy *oc,
			  enum mlpt_level level, unsigned long base);
void mlpt_occupancy_pte_table(struct mlpt_vma_occupancy *oc,
			      unsigned long addr, unsigned long end,
			      unsigned long present, unsigned long nonempty,
			      unsigned long outside);

extern const char *const mlpt_level_names[MLPT_NR_LEVELS];

int mlpt_walk(struct mm_struct *mm, struct mlpt_stats *st,
	      struct mlpt_vma_visitor *visitor);

#endif /* MLPT_WALK_H */
