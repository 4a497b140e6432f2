/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Aligned text tables: cells are collected first and every column is as
 * wide as its widest cell, so no figure, however long, pushes the columns
 * after it out of line.
 */
#ifndef MLPT_TABLE_H
#define MLPT_TABLE_H

#include <stdbool.h>
#include "base/buf.h"

struct table_col {
	int min;		/* width at least (0: max), to keep tables steady */
	bool left;		/* left-aligned (names); else right (figures) */
	int max;		/* cut longer cells to this, as ps does; 0: never */
};

/* the three kinds of column: at least @w wide, or (cut) exactly @w */
#define TABLE_NAME(w) { .min = (w), .left = true }
#define TABLE_FIGURE(w) { .min = (w) }
#define TABLE_CUT(w) { .left = true, .max = (w) }

struct table {
	const struct table_col *col;
	size_t ncol;
	char **cell;		/* row by row */
	size_t ncell, cell_cap;
	size_t *row_end;	/* the index in cell after each row */
	size_t nrow, row_cap;
};

void table_init(struct table *t, const struct table_col *col, size_t ncol);
/* the next cell of the current row */
void table_cell(struct table *t, const char *fmt, ...) __printf(2, 3);
/*
 * End the current row.  A row with fewer cells than columns spans: its
 * last cell runs on unaligned (a note such as "folded" or "n/a: why").
 */
void table_row(struct table *t);
/* print the rows into @b, columns one space apart, and free @t */
void table_print(struct buf *b, struct table *t);

#endif
