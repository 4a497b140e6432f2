/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct mlpt_report: one process's page-table report, as read from
 * /proc/mlpt/<pid> (docs/format.md, format 1) or estimated from pagemap.  It is the
 * one struct that crosses from the sources to the models and the outputs.
 */
#ifndef MLPT_REPORT_H
#define MLPT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "base/kstyle.h"

#define MLPT_FORMAT 1
#define MLPT_LEVELS 5
#define MLPT_BUCKETS 7
#define MLPT_COMM_LEN 64

enum mlpt_level { MLPT_PGD, MLPT_P4D, MLPT_PUD, MLPT_PMD, MLPT_PTE };

extern const char *const mlpt_level_name[MLPT_LEVELS];
/* occupancy buckets (docs/format.md): non-empty entries per table */
extern const char *const mlpt_bucket_name[MLPT_BUCKETS];

struct mlpt_level_stats {
	bool folded;
	u64 entries;		/* entries one table of this level has */
	u64 tables;
	u64 table_bytes;
	u64 present;
	u64 next;
	u64 leaf;
	u64 nonpresent;
	u64 empty_tables;
	u64 occupancy[MLPT_BUCKETS];
};

/* One row of the nodes table: the tables of each level on node @id. */
struct mlpt_node {
	unsigned int id;
	u64 tables[MLPT_LEVELS];
};

struct mlpt_vma {
	u64 start;
	u64 end;
	bool heap;		/* [heap]: the classic heap segment */
};

enum mlpt_source { MLPT_SRC_MODULE, MLPT_SRC_PAGEMAP, MLPT_SRC_FILE };

struct mlpt_report {
	enum mlpt_source source;
	int pid;
	char comm[MLPT_COMM_LEN];
	unsigned int paging_levels;
	unsigned int va_bits;
	u64 page_size;
	u64 entry_bytes;
	u64 vmas;
	u64 mapped_bytes;
	u64 va_lowest;
	u64 va_highest;
	u64 resident_bytes;
	u64 walk_pgtables_bytes;
	u64 kernel_pgtables_bytes;
	u64 deposited_tables;
	u64 walk_ns;
	/*
	 * Present pte leaves with the contiguous bit (arm64): known only
	 * where the module prints "contiguous-ptes", on architectures that
	 * have the bit.
	 */
	bool contiguous_known;
	u64 contiguous_ptes;
	struct mlpt_level_stats level[MLPT_LEVELS];
	/* VMAs from /proc/<pid>/maps, sorted; NULL when not known */
	struct mlpt_vma *vma;
	size_t nr_vma;
	/* the nodes table, by increasing id; NULL when the report has none */
	struct mlpt_node *node;
	size_t nr_node;
};

void mlpt_report_free(struct mlpt_report *r);

/* VA bits that index each level: bits [lo, lo + bits) */
struct mlpt_geom {
	unsigned int page_shift;
	unsigned int lo[MLPT_LEVELS];
	unsigned int bits[MLPT_LEVELS];
};

unsigned int mlpt_log2(u64 v);
void mlpt_geometry(const struct mlpt_report *r, struct mlpt_geom *g);

#endif
