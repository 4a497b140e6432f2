/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt diff and --growth in text, JSON, CSV and Prometheus.
 */
#ifndef MLPT_DIFFOUT_H
#define MLPT_DIFFOUT_H

#include "models/diff.h"
#include "views/view.h"

void mlpt_diff_out(struct buf *b, const struct mlpt_out *o,
		   const struct mlpt_diff *d);

#endif
