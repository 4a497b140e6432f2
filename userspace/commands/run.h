/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLPT_RUN_H
#define MLPT_RUN_H

#include "views/output.h"

/*
 * mlpt run -- CMD ARGS: run @argv under ptrace, sample its tree while it
 * runs and read it once more at its exit stop (PTRACE_O_TRACEEXIT).  The
 * report goes to @b; *status gets the command's exit status (128 + signal
 * when killed).
 */
int mlpt_run(char **argv, enum mlpt_source src, const struct mlpt_out *o,
	     struct buf *b, int *status, struct mlpt_err *e);

#endif
