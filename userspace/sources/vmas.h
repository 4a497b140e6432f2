/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt vmas: which mappings cost how many page tables, from the module's
 * "vmas" command (docs/format.md, Commands): parsed in vmas.c, sorted and
 * printed in views/vmasout.c.
 */
#ifndef MLPT_VMAS_H
#define MLPT_VMAS_H

#include "base/err.h"
#include "base/report.h"

/* the levels the vmas report attributes to VMAs */
enum { MLPT_VCOL_PUD, MLPT_VCOL_PMD, MLPT_VCOL_PTE, MLPT_NR_VCOL };

extern const enum mlpt_level mlpt_vcol_level[MLPT_NR_VCOL];

/*
 * From `vmas-occupancy` only: the pte tables a VMA reaches, shared ones
 * included, how full they are, and what munmap() would free.
 */
struct mlpt_vocc {
	char kind[8];		/* anon, file, hugetlb or special */
	bool locked;
	u64 huge_pmds;
	u64 deposits;		/* pte tables kept behind the huge pmds */
	u64 pte_tables;
	u64 pte_used;		/* with a present entry in the VMA */
	u64 pte_inner;		/* whose 2 MiB lies inside the VMA */
	u64 pte_inner_present;	/* present entries in those */
	u64 pte_reclaim;	/* no entry outside the VMA */
	u64 own[MLPT_LEVELS];	/* tables munmap() frees, by level */
	u64 occupancy[MLPT_BUCKETS];	/* the pte tables by entries */
};

struct mlpt_vrow {
	u64 start;
	u64 end;
	char perms[8];
	u64 tables[MLPT_NR_VCOL];
	u64 leaf_bytes;
	/* from `vmas-objects` only: the object mapped, if any */
	bool object;
	char dev[24];		/* "major:minor" of its filesystem */
	u64 inode;
	u64 offset;		/* file offset of start, bytes */
	bool has_occ;
	struct mlpt_vocc occ;
	char *name;
};

struct mlpt_vmas {
	struct mlpt_vrow *row;
	size_t n;
	struct mlpt_report sum;		/* the summary of the same walk */
	/* `vmas-occupancy`: whether the kernel reclaims pte tables; or -1 */
	int pt_reclaim;
};

int mlpt_vmas_parse(const char *text, size_t len, const char *what,
		    struct mlpt_vmas *v, struct mlpt_err *e);
int mlpt_vmas_load(int pid, struct mlpt_vmas *v, struct mlpt_err *e);
/* the same with each row's object (`vmas-objects`, docs/format.md) */
int mlpt_vmas_load_objects(int pid, struct mlpt_vmas *v, struct mlpt_err *e);
/* the same with each row's occupancy (`vmas-occupancy`) */
int mlpt_vmas_load_occupancy(int pid, struct mlpt_vmas *v,
			     struct mlpt_err *e);
/* bytes of the tables @row reached first */
u64 mlpt_vrow_bytes(const struct mlpt_vmas *v, const struct mlpt_vrow *row);
/* column sums; *match: each equals the summary's tables of its level */
void mlpt_vmas_total(const struct mlpt_vmas *v, struct mlpt_vrow *t,
		     bool *match);
void mlpt_vmas_free(struct mlpt_vmas *v);

#endif
