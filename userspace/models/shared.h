/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects mapped shared by several processes (a shared file, a shmem
 * segment, a memfd) and what the page tables of all their mappings cost
 * together, today and with 2 MiB hugetlb pages and pmd sharing.  Built
 * from each process's `vmas-objects` report (sources/vmas.c).
 */
#ifndef MLPT_SHARED_H
#define MLPT_SHARED_H

#include "models/survey.h"
#include "sources/vmas.h"

/* one process's mapping of an object */
struct mlpt_smap {
	int pid;
	char comm[MLPT_COMM_LEN];
	struct mlpt_vrow row;		/* its `vmas-objects` row */
	u64 table_bytes;		/* the tables the row counts, in bytes */
	u64 pud_table_bytes;		/* that process's table sizes */
	u64 pmd_table_bytes;
	u64 huge;			/* a pmd leaf's span: 2 MiB, 32 MiB */
	u64 window;			/* a pmd table's: 1 GiB, 64 GiB */
};

/* what the object's mappings would need as hugetlb pmd pages (2 MiB) */
struct mlpt_hugetlb {
	/* the pud tables the mappings count today */
	u64 pud;
	/* one per 1 GiB window of the file mapped whole and aligned */
	u64 pmd_shared;
	/* one per mapping per 1 GiB slot it covers only in part */
	u64 pmd_own;
	u64 table_bytes;
};

struct mlpt_sobj {
	struct mlpt_smap *map;	/* its mappings, by pid then address */
	size_t n;
	size_t procs;		/* distinct processes among them */
	u64 first, last;	/* file offsets mapped: [first, last) */
	u64 tables[MLPT_NR_VCOL];
	u64 table_bytes;
	u64 leaf_bytes;
	struct mlpt_hugetlb huge;
};

struct mlpt_shared {
	struct mlpt_smap *map;
	size_t n, cap;
	struct mlpt_sobj *obj;	/* most table bytes first */
	size_t nobj;
	size_t read;		/* processes whose report was read */
	u64 skipped[MLPT_NR_SKIP];
};

/* the shared mappings (perms ending in 's') of @v's process; -1: memory */
int mlpt_shared_add(struct mlpt_shared *s, const struct mlpt_vmas *v);
/* group the mappings added into objects and cost them; -1: memory */
int mlpt_shared_group(struct mlpt_shared *s);
void mlpt_shared_free(struct mlpt_shared *s);

#endif
