/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt waste: which mappings of a process pay most page tables for what
 * they map, how empty their pte tables are, and what each remedy would
 * free or cost on the running kernel, from the module's `vmas-occupancy`
 * report (docs/format.md) and the kernel's rules (docs/tool.md).
 */
#ifndef MLPT_WASTE_H
#define MLPT_WASTE_H

#include "sources/vmas.h"

enum mlpt_remedy_kind {
	MLPT_REMEDY_DONTNEED,		/* MADV_DONTNEED, this kernel */
	MLPT_REMEDY_DONTNEED_RECLAIM,	/* the same with CONFIG_PT_RECLAIM */
	MLPT_REMEDY_MUNMAP,		/* of a mapping nothing is mapped in */
	MLPT_REMEDY_THP,		/* MADV_HUGEPAGE, once collapsed */
	MLPT_REMEDY_HUGETLB,		/* 2 MiB hugetlb pages instead */
	MLPT_NR_REMEDIES
};

extern const char *const mlpt_remedy_name[MLPT_NR_REMEDIES];

struct mlpt_remedy {
	bool applies;
	u64 tables_freed;	/* bytes of page tables freed */
	s64 mapped_delta;	/* bytes mapped after, less before */
};

struct mlpt_waste_row {
	const struct mlpt_vrow *row;
	u64 table_bytes;	/* the tables it reached first, deposits too */
	u64 empty;		/* pte tables it reaches with no entry */
	u64 sparse;		/* ... with 1 to 7 */
	u64 hugetlb_pages;	/* 2 MiB pages hugetlb would reserve */
	struct mlpt_remedy remedy[MLPT_NR_REMEDIES];
};

struct mlpt_waste {
	const struct mlpt_vmas *v;
	struct mlpt_waste_row *row;	/* most table bytes per byte first */
	size_t n;
	u64 table_bytes;	/* the tables of every row */
	u64 pte_tables;		/* the summary's, each table once */
	u64 empty;
	u64 sparse;
};

/* rank @v's rows (from `vmas-occupancy`) and cost the remedies; -1: memory */
int mlpt_waste_build(struct mlpt_waste *w, const struct mlpt_vmas *v);
/* table bytes per mapped byte of @r; +inf if it maps nothing */
double mlpt_waste_ratio(const struct mlpt_waste_row *r);
void mlpt_waste_free(struct mlpt_waste *w);

#endif
