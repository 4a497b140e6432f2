/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt waste's output: the ranked mappings and what each remedy would do
 * to them, as text, JSON, CSV or Prometheus.
 */
#ifndef MLPT_WASTEOUT_H
#define MLPT_WASTEOUT_H

#include "models/waste.h"
#include "views/view.h"

/* the first @top rows of @w */
void mlpt_waste_out(struct buf *b, const struct mlpt_out *o,
		    const struct mlpt_waste *w, size_t top);

#endif
