/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Errors: one line "mlpt: <what>: <why>" and a distinct exit code each
 * (documented in mlpt.1, EXIT STATUS).
 */
#ifndef MLPT_ERR_H
#define MLPT_ERR_H

#include "base/kstyle.h"

enum mlpt_exit {
	MLPT_EXIT_FAIL = 1,	/* I/O error, out of memory, anything else */
	MLPT_EXIT_USAGE = 2,	/* bad option or argument */
	MLPT_EXIT_NOPROC = 3,	/* no such process */
	MLPT_EXIT_PERM = 4,	/* permission denied (docs/format.md, Access) */
	MLPT_EXIT_NOMOD = 5,	/* module not loaded or not mounted */
	MLPT_EXIT_FORMAT = 6,	/* unknown format version, malformed report */
};

#define MLPT_WHAT_LEN 64
#define MLPT_WHY_LEN 512

struct mlpt_err {
	enum mlpt_exit code;
	char what[MLPT_WHAT_LEN];
	char why[MLPT_WHY_LEN];
};

/* fill @e and return @code, so callers can "return mlpt_fail(...)" */
int mlpt_fail(struct mlpt_err *e, enum mlpt_exit code, const char *what,
	      const char *fmt, ...) __printf(4, 5);
void mlpt_err_print(const struct mlpt_err *e);

#endif
