// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt map: the tree of one process as a picture.  The address space runs
 * left to right on a segmented axis: each cluster of mappings gets a
 * segment (linear inside), the empty ranges between them a fixed-width
 * break labelled with their size, so a few KiB used in 128 TiB still show.
 * Below the mappings, one row per level: a box per table (shaded by how
 * many of its entries are used), or per group of tables when a segment
 * holds more than MLPT_SVG_MAX_CELLS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/geom.h"
#include "models/model.h"
#include "views/svg.h"

#define WIDTH 1200
#define LEFT 70
#define RIGHT 20
#define BREAK_W 34
#define TOP 50
#define ROW_H 34
#define ROW_GAP 8
#define SHIFT_2M 21
#define PTRS_SHIFT 9		/* 512 entries per x86-64 table */

struct seg {
	u64 start;
	u64 end;
	double x;
	double w;
};

struct map {
	struct buf *b;
	const struct mlpt_vmas *v;
	const struct mlpt_pages *p;
	struct seg seg[MLPT_SVG_MAX_SEGMENTS];
	int nseg;
	int levels;	/* rows below the mappings: pte up to pgd */
};

static u64 round_down(u64 a, unsigned int shift)
{
	return a >> shift << shift;
}

static u64 round_up(u64 a, unsigned int shift)
{
	return round_down(a + BIT_ULL(shift) - 1, shift);
}

static int cmp_gap_desc(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x > y ? -1 : x < y;
}

/*
 * Segments: VMAs (in address order) whose 2 MiB windows are less than
 * @min_gap apart share one; @min_gap is chosen so that at most
 * MLPT_SVG_MAX_SEGMENTS remain.
 */
static void segments(struct map *m, const struct mlpt_vrow *row, size_t n)
{
	u64 *gap = calloc(n ? n : 1, sizeof(*gap)), min_gap = 1;
	size_t i, ngaps = 0;
	struct seg *s;

	for (i = 1; gap && i < n; i++)
		gap[ngaps++] = round_down(row[i].start, SHIFT_2M) -
			       round_up(row[i - 1].end, SHIFT_2M);
	if (gap && ngaps >= MLPT_SVG_MAX_SEGMENTS) {
		qsort(gap, ngaps, sizeof(*gap), cmp_gap_desc);
		min_gap = gap[MLPT_SVG_MAX_SEGMENTS - 2] + 1;
	}
	free(gap);
	m->nseg = 0;
	for (i = 0; i < n; i++) {
		u64 start = round_down(row[i].start, SHIFT_2M);

		s = &m->seg[m->nseg - 1];
		if (m->nseg && (start < s->end || start - s->end < min_gap) &&
		    row[i].start >= s->start) {
			if (round_up(row[i].end, SHIFT_2M) > s->end)
				s->end = round_up(row[i].end, SHIFT_2M);
			continue;
		}
		if (m->nseg == MLPT_SVG_MAX_SEGMENTS)
			break;	/* not reached: min_gap leaves few enough */
		s = &m->seg[m->nseg++];
		s->start = start;
		s->end = round_up(row[i].end, SHIFT_2M);
	}
}

/* segment widths grow with the log of their size */
static void layout(struct map *m)
{
	double weight[MLPT_SVG_MAX_SEGMENTS], total = 0, avail, x = LEFT;
	int i;

	for (i = 0; i < m->nseg; i++) {
		weight[i] = 2 + mlpt_log2((m->seg[i].end - m->seg[i].start) >>
					  SHIFT_2M);
		total += weight[i];
	}
	avail = WIDTH - LEFT - RIGHT - BREAK_W * (m->nseg - 1);
	for (i = 0; i < m->nseg; i++) {
		m->seg[i].x = x;
		m->seg[i].w = avail * weight[i] / total;
		x += m->seg[i].w + BREAK_W;
	}
}

static double xof(const struct seg *s, u64 a)
{
	if (a <= s->start)
		return s->x;
	if (a >= s->end)
		return s->x + s->w;
	return s->x + s->w * (double)(a - s->start) / (double)(s->end - s->start);
}

/* first page index >= @a */
static size_t lower(const struct mlpt_pages *p, u64 a)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->addr[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double row_y(const struct map *m, int row)
{
	(void)m;
	return TOP + row * (ROW_H + ROW_GAP);
}

/*
 * One level's row in one segment: tables of @shift bytes each, grouped
 * into at most MLPT_SVG_MAX_CELLS cells.  A cell's shade: the share of the
 * entries its tables use (entries of 2^(shift - 9) bytes).
 */
static void level_cells(struct map *m, const struct seg *s, int row,
			unsigned int shift)
{
	u64 first = round_down(s->start, shift), span;
	u64 ntab = (round_up(s->end, shift) - first) >> shift, per, c, k;
	double y = row_y(m, row);

	per = ntab > MLPT_SVG_MAX_CELLS ?
	      (ntab + MLPT_SVG_MAX_CELLS - 1) / MLPT_SVG_MAX_CELLS : 1;
	span = per << shift;
	for (c = 0; c * per < ntab; c++) {
		u64 a = first + c * span, end = a + span;
		size_t i = lower(m->p, a), j = lower(m->p, end);
		u64 used = mlpt_distinct(m->p->addr + i, j - i,
					 shift - PTRS_SHIFT);
		u64 tabs = mlpt_distinct(m->p->addr + i, j - i, shift);
		double x0 = xof(s, a), x1 = xof(s, end);

		if (!tabs)
			continue;
		k = tabs << PTRS_SHIFT;
		svg_rect(m->b, x0 + 0.5, y, x1 - x0 > 2 ? x1 - x0 - 1 : 1,
			 ROW_H, "#1f5fbf", 0.15 + 0.85 * used / k, "#0b2f66");
	}
}

/* without pagemap: each VMA's own table counts, from the module */
static void vma_tables(struct map *m, const struct mlpt_vrow *r, double x0,
		       double x1)
{
	char n[NUM_LEN];
	int k;

	for (k = 0; k < MLPT_NR_VCOL; k++) {
		double y = row_y(m, MLPT_NR_VCOL - k);

		if (!r->tables[k])
			continue;
		svg_rect(m->b, x0, y, x1 - x0 > 1 ? x1 - x0 : 1, ROW_H,
			 "#1f5fbf", 0.5, "#0b2f66");
		snprintf(n, sizeof(n), "%llu", (unsigned long long)r->tables[k]);
		if (x1 - x0 > 7.0 * strlen(n))
			svg_text(m->b, x0 + 2, y + ROW_H / 2 + 4, "", n);
	}
}

/* the mappings: a box per VMA, red when it holds tables without pages */
static void vma_row(struct map *m, const struct seg *s, size_t *drawn)
{
	const struct mlpt_vmas *v = m->v;
	double y = row_y(m, 0);
	u64 last_win = U64_MAX;
	size_t i;

	for (i = 0; i < v->n && *drawn < MLPT_SVG_MAX_VMAS; i++) {
		const struct mlpt_vrow *r = &v->row[i];
		size_t a = lower(m->p, r->start), z = lower(m->p, r->end);
		u64 seen = mlpt_distinct(m->p->addr + a, z - a, SHIFT_2M);
		double x0, x1;
		const char *name = strrchr(r->name, '/');
		char label[64];

		if (r->start < s->start || r->start >= s->end)
			continue;
		/* the module counts a shared table once, in the first VMA */
		if (seen && m->p->addr[a] >> SHIFT_2M == last_win)
			seen--;
		if (z > a)
			last_win = m->p->addr[z - 1] >> SHIFT_2M;
		x0 = xof(s, r->start);
		x1 = xof(s, r->end);
		(*drawn)++;
		svg_rect(m->b, x0, y, x1 - x0 > 1 ? x1 - x0 : 1, ROW_H,
			 "#999999", 0.35,
			 m->p->n && r->tables[MLPT_VCOL_PTE] > seen ?
			 "#d00000" : "#555555");
		if (!m->p->n)
			vma_tables(m, r, x0, x1);
		name = name && name[1] ? name + 1 : r->name;
		snprintf(label, sizeof(label), "%s, %llu pte",
			 strcmp(name, "-") ? name : "anonymous",
			 (unsigned long long)r->tables[MLPT_VCOL_PTE]);
		if ((x1 - x0) > 6.5 * strlen(label))
			svg_text(m->b, x0 + 2, y + ROW_H / 2 + 4, "", label);
	}
}

static void breaks(struct map *m)
{
	double y0 = row_y(m, 0), y1 = row_y(m, m->levels + 1);
	char n1[NUM_LEN], addr[24];
	int i;

	for (i = 0; i < m->nseg; i++) {
		const struct seg *s = &m->seg[i];

		snprintf(addr, sizeof(addr), "0x%llx",
			 (unsigned long long)s->start);
		svg_text(m->b, s->x, y1 + 4 + 12 * (i % 2),
			 "font-size=\"9\"", addr);
		if (i + 1 == m->nseg)
			continue;
		buf_printf(m->b,
			   "<path d=\"M%.1f %.1f l6 -6 l6 12 l6 -12 l6 12 l6 -6\" fill=\"none\" stroke=\"#888\"/>\n",
			   s->x + s->w + 2, y1 - 16);
		svg_text(m->b, s->x + s->w + BREAK_W / 2, y0 - 6,
			 "font-size=\"9\" text-anchor=\"middle\"",
			 fmt_human(n1, m->seg[i + 1].start - s->end));
	}
}

static void legend(struct map *m, size_t drawn)
{
	const struct mlpt_report *r = &m->v->sum;
	static const char *const row_name[] = { "VMAs", "pte", "pmd", "pud",
						"p4d" };
	char line[200], n1[NUM_LEN];
	int i;

	snprintf(line, sizeof(line),
		 "pid %d (%s): %zu VMAs (%zu drawn), %u-level tree of %s; %zu present pages (pagemap)",
		 r->pid, r->comm, m->v->n, drawn, r->paging_levels,
		 fmt_human(n1, mlpt_tree_bytes(r)), m->p->n);
	svg_text(m->b, LEFT, 18, "font-size=\"13\" font-weight=\"bold\"",
		 line);
	svg_text(m->b, LEFT, 34, "font-size=\"10\"",
		 "axis: segments of used address space, breaks (zigzag) hide empty ranges; box shade = entries used; red outline = VMA with pte tables pagemap sees no page in (empty tables)");
	for (i = 0; i <= m->levels; i++)
		svg_text(m->b, 8, row_y(m, i) + ROW_H / 2 + 4,
			 "font-weight=\"bold\"",
			 i == m->levels ? "pgd" : row_name[i]);
}

void mlpt_svg_map(struct buf *b, const struct mlpt_vmas *v,
		  const struct mlpt_pages *p)
{
	struct map m = { .b = b, .v = v, .p = p };
	unsigned int shift;
	size_t drawn = 0;
	int i, row;

	m.levels = v->sum.paging_levels;
	segments(&m, v->row, v->n);
	layout(&m);
	svg_begin(b, WIDTH, row_y(&m, m.levels + 1) + 40);
	for (i = 0; i < m.nseg; i++) {
		vma_row(&m, &m.seg[i], &drawn);
		/* pte tables map 2 MiB, each level above 512 times more */
		for (row = 1, shift = SHIFT_2M; row <= m.levels;
		     row++, shift += PTRS_SHIFT) {
			if (row == m.levels)
				shift = v->sum.va_bits;
			level_cells(&m, &m.seg[i], row, shift);
		}
	}
	breaks(&m);
	legend(&m, drawn);
	svg_end(b);
}
