/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CSV (RFC 4180) of the reports and the survey.
 */
#ifndef MLPT_CSV_H
#define MLPT_CSV_H

#include "models/survey.h"
#include "views/view.h"

void mlpt_csv_reports(struct buf *b, const struct mlpt_view *v, size_t n);
void mlpt_csv_survey(struct buf *b, const struct mlpt_survey *s);
/* a CSV field, quoted if needed */
void mlpt_csv_field(struct buf *b, const char *s);
/* --watch: @table with a time column, its header only if @header */
void mlpt_csv_stamp(struct buf *out, const struct buf *table,
		    const char *time, bool header);

#endif
