// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the format.
 */
#include "views/csv.h"
#include "views/json.h"
#include "views/output.h"
#include "views/prom.h"
#include "views/text.h"

void mlpt_out_reports(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_view *v, size_t n)
{
	switch (o->fmt) {
	case MLPT_FMT_JSON:
		mlpt_json_reports(b, v, n);
		break;
	case MLPT_FMT_CSV:
		mlpt_csv_reports(b, v, n);
		break;
	case MLPT_FMT_PROM:
		mlpt_prom_reports(b, v, n);
		break;
	default:
		mlpt_text_reports(b, o, v, n);
	}
}

void mlpt_out_survey(struct buf *b, const struct mlpt_out *o,
		     const struct mlpt_survey *s)
{
	switch (o->fmt) {
	case MLPT_FMT_JSON:
		mlpt_json_survey(b, s);
		break;
	case MLPT_FMT_CSV:
		mlpt_csv_survey(b, s);
		break;
	case MLPT_FMT_PROM:
		mlpt_prom_survey(b, s);
		break;
	default:
		mlpt_text_survey(b, o, s);
	}
}
