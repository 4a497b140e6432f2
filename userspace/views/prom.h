/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format, for node_exporter's textfile
 * collector.
 */
#ifndef MLPT_PROM_H
#define MLPT_PROM_H

#include "models/shared.h"
#include "models/survey.h"
#include "views/view.h"

void mlpt_prom_reports(struct buf *b, const struct mlpt_view *v, size_t n);
void mlpt_prom_survey(struct buf *b, const struct mlpt_survey *s);
void mlpt_prom_shared(struct buf *b, const struct mlpt_shared *s);
/* # HELP and # TYPE of a gauge */
void mlpt_prom_family(struct buf *b, const char *name, const char *help);
/* name="value", the value escaped for the exposition format */
void mlpt_prom_label(struct buf *b, const char *name, const char *val);

#endif
