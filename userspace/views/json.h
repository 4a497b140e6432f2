/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON (RFC 8259) of the reports and the survey.
 */
#ifndef MLPT_JSON_H
#define MLPT_JSON_H

#include "models/survey.h"
#include "views/view.h"

void mlpt_json_reports(struct buf *b, const struct mlpt_view *v, size_t n);
void mlpt_json_survey(struct buf *b, const struct mlpt_survey *s);
/* a JSON string, escaped */
void mlpt_json_str(struct buf *b, const char *s);
/* --watch: @doc as one line of JSON Lines, with a "time" key */
void mlpt_json_line(struct buf *out, const struct buf *doc, const char *time);

#endif
