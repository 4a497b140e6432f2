// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt --all --svg: the survey as a plot.  One column per process, sorted
 * by its tree; on a log scale its actual tree (blue) and the linear table
 * of its user half (red).  More than MLPT_SVG_MAX_POINTS processes are
 * sampled evenly.
 */
#include <stdio.h>
#include <stdlib.h>

#include "views/svg.h"

#define WIDTH 1000
#define HEIGHT 520
#define LEFT 80
#define RIGHT 20
#define TOP 50
#define BOTTOM 40
#define LOG_MIN 10	/* 1 KiB */

static int cmp_tree(const void *pa, const void *pb)
{
	const struct mlpt_row *a = pa, *b = pb;

	return a->tree < b->tree ? -1 : a->tree > b->tree;
}

/* log2 of @v, between powers of two by linear interpolation (no libm) */
static double flog2(u64 v)
{
	unsigned int l = mlpt_log2(v);

	return l + ((double)v / (double)BIT_ULL(l) - 1);
}

static double yof(double log_max, u64 bytes)
{
	double l = bytes ? flog2(bytes) : LOG_MIN;

	if (l < LOG_MIN)
		l = LOG_MIN;
	return HEIGHT - BOTTOM -
	       (HEIGHT - TOP - BOTTOM) * (l - LOG_MIN) / (log_max - LOG_MIN);
}

static void axis(struct buf *b, double log_max)
{
	char n1[NUM_LEN];
	unsigned int l;

	for (l = LOG_MIN; l <= log_max; l += 10) {
		double y = yof(log_max, BIT_ULL(l));

		buf_printf(b,
			   "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			   LEFT, y, WIDTH - RIGHT, y);
		svg_text(b, LEFT - 6, y + 4, "text-anchor=\"end\"",
			 fmt_human(n1, BIT_ULL(l)));
	}
}

void mlpt_svg_survey(struct buf *b, const struct mlpt_survey *s)
{
	struct mlpt_row *row = malloc((s->n ? s->n : 1) * sizeof(*row));
	size_t i, n = s->n < MLPT_SVG_MAX_POINTS ? s->n : MLPT_SVG_MAX_POINTS;
	double log_max = 40, step, x;
	struct mlpt_total t;
	char line[200], n1[NUM_LEN], n2[NUM_LEN];

	for (i = 0; row && i < s->n; i++) {
		row[i] = s->row[i];
		if (row[i].linear_user &&
		    mlpt_log2(row[i].linear_user) + 2 > log_max)
			log_max = mlpt_log2(row[i].linear_user) + 2;
	}
	if (row)
		qsort(row, s->n, sizeof(*row), cmp_tree);
	mlpt_survey_total(s, &t);
	svg_begin(b, WIDTH, HEIGHT);
	snprintf(line, sizeof(line),
		 "%zu processes: page tables %s in all; linear tables would need %s",
		 s->n, fmt_human(n1, t.tree), fmt_human(n2, t.linear_user));
	svg_text(b, LEFT, 20, "font-size=\"14\" font-weight=\"bold\"", line);
	svg_text(b, LEFT, 38, "fill=\"#1f5fbf\"",
		 "blue: actual multi-level tree (log scale), one column per process, smallest tree first");
	svg_text(b, LEFT + 520, 38, "fill=\"#c00000\"",
		 "red: linear table of the user half");
	axis(b, log_max);
	step = n > 1 ? (double)(WIDTH - LEFT - RIGHT - 10) / (n - 1) : 0;
	for (i = 0; row && i < n; i++) {
		const struct mlpt_row *r = &row[n > 1 ? i * (s->n - 1) / (n - 1)
						  : 0];

		x = LEFT + 5 + step * i;
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#1f5fbf\"/>\n",
			   x, yof(log_max, r->tree));
		svg_rect(b, x - 2, yof(log_max, r->linear_user) - 2, 4, 4,
			 "#c00000", 1, NULL);
	}
	svg_text(b, LEFT, HEIGHT - 12, "",
		 "processes, sorted by the size of their tree");
	svg_end(b);
	free(row);
}
