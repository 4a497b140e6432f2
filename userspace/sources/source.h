/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where reports come from: the module's /proc/mlpt/<pid>, a saved copy of
 * one, or the pagemap estimate.
 */
#ifndef MLPT_SOURCE_H
#define MLPT_SOURCE_H

#include <stdbool.h>

#include "base/err.h"
#include "base/report.h"

/*
 * Read @pid's report from @src (MLPT_SRC_MODULE or MLPT_SRC_PAGEMAP); with
 * @want_vmas also its VMA list, for the models that need one.
 */
int mlpt_load(int pid, enum mlpt_source src, bool want_vmas,
	      struct mlpt_report *r, struct mlpt_err *e);
/*
 * Write @cmd (docs/format.md, Commands) to /proc/mlpt/<pid> and read what it
 * returns, on one fd; *text is malloc'd, not NUL-terminated.
 */
int mlpt_command(int pid, const char *cmd, char **text, size_t *len,
		 struct mlpt_err *e);
/* a report saved with "cat /proc/mlpt/<pid> > FILE" ("-" is stdin) */
int mlpt_load_file(const char *path, struct mlpt_report *r,
		   struct mlpt_err *e);

#endif
