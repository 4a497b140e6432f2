// SPDX-License-Identifier: GPL-2.0
/*
 * Aligned text tables for the human outputs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/table.h"

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	if (*cap < need)
		*cap = need;
	p = realloc(p, *cap * size);
	if (!p)
		abort();	/* as buf_printf(): the output is already lost */
	return p;
}

void table_init(struct table *t, const struct table_col *col, size_t ncol)
{
	memset(t, 0, sizeof(*t));
	t->col = col;
	t->ncol = ncol;
}

void table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	t->cell = grow(t->cell, &t->cell_cap, t->ncell + 1, sizeof(*t->cell));
	t->cell[t->ncell++] = s;
}

void table_row(struct table *t)
{
	t->row_end = grow(t->row_end, &t->row_cap, t->nrow + 1,
			  sizeof(*t->row_end));
	t->row_end[t->nrow++] = t->ncell;
}

/* the width cell @c of a row of @n cells takes; -1: it spans */
static int cell_width(const struct table *t, size_t c, size_t n,
		      const char *s)
{
	int len = strlen(s);

	if (n < t->ncol && c == n - 1)
		return -1;
	return t->col[c].max && len > t->col[c].max ? t->col[c].max : len;
}

void table_print(struct buf *b, struct table *t)
{
	int width[16] = { 0 };
	size_t r, c, first, n;

	for (c = 0; c < t->ncol && c < ARRAY_SIZE(width); c++)
		width[c] = t->col[c].min ? t->col[c].min : t->col[c].max;
	for (r = 0, first = 0; r < t->nrow; first = t->row_end[r++]) {
		n = t->row_end[r] - first;
		for (c = 0; c < n && c < ARRAY_SIZE(width); c++) {
			int w = cell_width(t, c, n, t->cell[first + c]);

			if (w > width[c])
				width[c] = w;
		}
	}
	for (r = 0, first = 0; r < t->nrow; first = t->row_end[r++]) {
		n = t->row_end[r] - first;
		for (c = 0; c < n; c++) {
			const char *s = t->cell[first + c];
			bool last = c == n - 1;
			int w = c < ARRAY_SIZE(width) ? width[c] : 0;

			if (cell_width(t, c, n, s) < 0)
				buf_printf(b, "%s", s);	/* spans */
			else if (!t->col[c].left)
				buf_printf(b, "%*.*s", w, w, s);
			else if (last)	/* no trailing blanks */
				buf_printf(b, "%.*s", w, s);
			else
				buf_printf(b, "%-*.*s", w, w, s);
			buf_printf(b, "%s", last ? "\n" : " ");
		}
	}
	for (c = 0; c < t->ncell; c++)
		free(t->cell[c]);
	free(t->cell);
	free(t->row_end);
	memset(t, 0, sizeof(*t));
}
