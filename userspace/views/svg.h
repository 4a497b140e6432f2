/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pictures: the tree of one process (svgmap.c) and the survey plot
 * (svgplot.c), drawn with the primitives of svg.c.
 */
#ifndef MLPT_SVG_H
#define MLPT_SVG_H

#include "base/buf.h"
#include "models/survey.h"
#include "sources/pages.h"
#include "sources/vmas.h"

/* the most boxes one picture draws, whatever the process */
#define MLPT_SVG_MAX_SEGMENTS 24
#define MLPT_SVG_MAX_CELLS 32		/* per segment and level */
#define MLPT_SVG_MAX_VMAS 400
#define MLPT_SVG_MAX_POINTS 1000

void svg_begin(struct buf *b, unsigned int w, unsigned int h);
void svg_end(struct buf *b);
/* text with <, >, & and quotes escaped */
void svg_text(struct buf *b, double x, double y, const char *attrs,
	      const char *s);
void svg_rect(struct buf *b, double x, double y, double w, double h,
	      const char *fill, double opacity, const char *stroke);

void mlpt_svg_map(struct buf *b, const struct mlpt_vmas *v,
		  const struct mlpt_pages *p);
void mlpt_svg_survey(struct buf *b, const struct mlpt_survey *s);

#endif
