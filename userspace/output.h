/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formats: the aligned human table (text.c), JSON (json.c), CSV (csv.c) and
 * Prometheus text exposition (prom.c).  Each writes into a struct buf.
 */
#ifndef MLPT_OUTPUT_H
#define MLPT_OUTPUT_H

#include "buf.h"
#include "model.h"
#include "survey.h"

enum mlpt_fmt { MLPT_FMT_TEXT, MLPT_FMT_JSON, MLPT_FMT_CSV, MLPT_FMT_PROM };

struct mlpt_out {
	enum mlpt_fmt fmt;
	bool bytes;		/* exact byte counts instead of KiB, MiB... */
};

/* one process's report and its comparisons, ready to print */
struct mlpt_view {
	const char *phase;	/* NULL, or "peak" / "exit" for mlpt run */
	const struct mlpt_report *r;
	struct mlpt_cmp cmp[MLPT_NR_CMP];
};

void mlpt_view_init(struct mlpt_view *v, const struct mlpt_report *r,
		    const char *phase);
const char *mlpt_source_name(enum mlpt_source src);

void mlpt_out_reports(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_view *v, size_t n);
void mlpt_out_survey(struct buf *b, const struct mlpt_out *o,
		     const struct mlpt_survey *s);

/* a JSON string, escaped (json.c); a CSV field, quoted if needed (csv.c) */
void mlpt_json_str(struct buf *b, const char *s);
void mlpt_csv_field(struct buf *b, const char *s);

/* --watch: @doc as one line of JSON Lines, with a "time" key */
void mlpt_json_line(struct buf *out, const struct buf *doc, const char *time);
/* --watch: @table with a time column, its header only if @header */
void mlpt_csv_stamp(struct buf *out, const struct buf *table,
		    const char *time, bool header);

void mlpt_text_reports(struct buf *b, const struct mlpt_out *o,
		       const struct mlpt_view *v, size_t n);
void mlpt_text_survey(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_survey *s);
void mlpt_json_reports(struct buf *b, const struct mlpt_view *v, size_t n);
void mlpt_json_survey(struct buf *b, const struct mlpt_survey *s);
void mlpt_csv_reports(struct buf *b, const struct mlpt_view *v, size_t n);
void mlpt_csv_survey(struct buf *b, const struct mlpt_survey *s);
void mlpt_prom_reports(struct buf *b, const struct mlpt_view *v, size_t n);
void mlpt_prom_survey(struct buf *b, const struct mlpt_survey *s);

#endif
