/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt translate's output: the walk of one address as a textbook figure.
 */
#ifndef MLPT_FIGURE_H
#define MLPT_FIGURE_H

#include "base/buf.h"
#include "sources/translate.h"

/* the figure: fields of the address, each step in words, the result */
void mlpt_xlate_text(struct buf *b, const struct mlpt_report *r,
		     const struct mlpt_xlate *x);

#endif
