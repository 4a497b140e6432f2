/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every output starts from: the format asked for, and each report
 * with its comparisons.
 */
#ifndef MLPT_VIEW_H
#define MLPT_VIEW_H

#include "base/buf.h"
#include "models/model.h"

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

#endif
