/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The aligned human tables (the default format).
 */
#ifndef MLPT_TEXT_H
#define MLPT_TEXT_H

#include "models/survey.h"
#include "views/view.h"

void mlpt_text_reports(struct buf *b, const struct mlpt_out *o,
		       const struct mlpt_view *v, size_t n);
void mlpt_text_survey(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_survey *s);

/* "skipped: ..." with each reason counted in @skipped (MLPT_NR_SKIP) */
void mlpt_text_skipped(struct buf *b, const u64 *skipped);

#endif
