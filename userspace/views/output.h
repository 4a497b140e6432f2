/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reports and the survey in the format asked for: the aligned human
 * table (text.c), JSON (json.c), CSV (csv.c) or Prometheus (prom.c).
 */
#ifndef MLPT_OUTPUT_H
#define MLPT_OUTPUT_H

#include "models/survey.h"
#include "views/view.h"

void mlpt_out_reports(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_view *v, size_t n);
void mlpt_out_survey(struct buf *b, const struct mlpt_out *o,
		     const struct mlpt_survey *s);

#endif
