/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The survey's rows and mlpt shared's mappings: every process's report,
 * or why there is none.
 */
#ifndef MLPT_COLLECT_H
#define MLPT_COLLECT_H

#include "models/shared.h"
#include "models/survey.h"

/*
 * every process the caller may read, from @src, rows whose ceiling is
 * above @ram_share percent of RAM flagged, grouped by cgroup v2 with each
 * group's memory.stat if @by_cgroup; 0 or an mlpt_exit code
 */
int mlpt_survey_collect(struct mlpt_survey *s, enum mlpt_source src,
			unsigned int ram_share, bool by_cgroup,
			struct mlpt_err *e);
/* every readable process's shared mappings, grouped by object */
int mlpt_shared_collect(struct mlpt_shared *s, struct mlpt_err *e);

#endif
