/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic: what other page-table designs would need for the same
 * process.  Pure functions of a struct mlpt_report, nothing read or printed.
 */
#ifndef MLPT_MODEL_H
#define MLPT_MODEL_H

#include "base/report.h"

/* the textbook 32-bit two-level table: 10 + 10 + 12 bits */
#define MLPT32_ENTRIES 1024
#define MLPT32_ENTRY_BYTES 4
#define MLPT32_TABLE_BYTES (MLPT32_ENTRIES * MLPT32_ENTRY_BYTES)
#define MLPT32_WINDOW_SHIFT 22	/* one leaf table maps 4 MiB */

#define MLPT_SHIFT_2M 21
#define MLPT_SHIFT_1G 30

enum mlpt_cmp_id {
	MLPT_CMP_TREE,		/* actual tree, every level */
	MLPT_CMP_VMPTE,		/* kernel's own accounting */
	MLPT_CMP_LINEAR,	/* linear, whole virtual address space */
	MLPT_CMP_LINEAR_USER,	/* linear, user half */
	MLPT_CMP_BOUNDS,	/* linear up to va-highest */
	MLPT_CMP_PER_VMA,	/* one linear table per VMA */
	MLPT_CMP_SEGMENTS,	/* one linear table per code/heap/stack */
	MLPT_CMP_LINEAR_2M,	/* linear, whole space, 2 MiB pages */
	MLPT_CMP_LINEAR_1G,	/* linear, whole space, 1 GiB pages */
	MLPT_CMP_RESIDENT,	/* one entry per resident page */
	MLPT_CMP_32BIT,		/* 32-bit two-level, if it fits */
	MLPT_CMP_CEILING,	/* this tree with every page of every VMA touched */
	MLPT_CMP_CEILING_2M,	/* the same, 2 MiB pages wherever one fits */
	MLPT_CMP_CEILING_1G,	/* the same, 1 GiB and 2 MiB pages */
	MLPT_NR_CMP
};

struct mlpt_cmp {
	bool valid;		/* false: not applicable, see mlpt_cmp_why */
	u64 bytes;
};

/* "linear_user": machine names for JSON, CSV and Prometheus */
extern const char *const mlpt_cmp_key[MLPT_NR_CMP];
/* "linear table, user half": for people */
extern const char *const mlpt_cmp_label[MLPT_NR_CMP];

enum mlpt_seg { MLPT_SEG_CODE, MLPT_SEG_HEAP, MLPT_SEG_STACK, MLPT_NR_SEG };

struct mlpt_range {
	u64 start;
	u64 end;		/* == start: the segment is empty */
};

u64 mlpt_tree_bytes(const struct mlpt_report *r);
/* a linear table: one @entry_bytes entry per @page_size page of 2^va_bits */
u64 mlpt_linear_bytes(unsigned int va_bits, u64 page_size, u64 entry_bytes);
/* a linear table for @span bytes: one entry per page, rounded up */
u64 mlpt_span_bytes(u64 span, u64 page_size, u64 entry_bytes);
u64 mlpt_per_vma_bytes(const struct mlpt_vma *v, size_t n, u64 page_size,
		       u64 entry_bytes);
void mlpt_segments(const struct mlpt_vma *v, size_t n,
		   struct mlpt_range seg[MLPT_NR_SEG]);
/*
 * The ceiling: bytes of @r's tree (its geometry, every level) if every
 * page of the @n sorted VMAs in @v were touched, mapped with pages of
 * 2^@leaf_shift bytes wherever a whole aligned one fits in one VMA
 * (@leaf_shift of the pte level: base pages only).  A table shared by two
 * VMAs is counted once.
 */
u64 mlpt_ceiling_bytes(const struct mlpt_report *r, const struct mlpt_vma *v,
		       size_t n, unsigned int leaf_shift);
/* aligned 2^shift-byte windows that at least one VMA overlaps */
u64 mlpt_windows(const struct mlpt_vma *v, size_t n, unsigned int shift);
/* leaf tables for @windows 4 MiB windows plus one directory */
u64 mlpt_twolevel32_bytes(u64 windows);

void mlpt_compare(const struct mlpt_report *r, struct mlpt_cmp c[MLPT_NR_CMP]);
/* @bytes / the actual tree; 0 when there is no tree to compare with */
double mlpt_ratio(u64 bytes, u64 tree);
/* why a comparison is not applicable, or NULL */
const char *mlpt_cmp_why(const struct mlpt_report *r, enum mlpt_cmp_id id);

#endif
