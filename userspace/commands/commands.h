/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab-mode commands (translate, vmas, waste, shared, simulate, map,
 * lab, diff): each takes
 * its own arguments, writes its output into a struct buf and returns 0 or
 * an mlpt_exit code with the error filled.
 */
#ifndef MLPT_COMMANDS_H
#define MLPT_COMMANDS_H

#include "base/err.h"
#include "views/view.h"

struct mlpt_cmd_opts {
	struct mlpt_out out;
	const char *svg;	/* --svg FILE */
	const char *png;	/* --png FILE */
	const char *pages;	/* --pages FILE */
	u64 mem;		/* --mem BYTES, 0: MemTotal */
	size_t top;		/* --top N, 0: the command's default */
};

typedef int (*mlpt_cmd_fn)(int argc, char **argv,
			   const struct mlpt_cmd_opts *o, struct buf *b,
			   struct mlpt_err *e);

/* the command named @name, or NULL */
mlpt_cmd_fn mlpt_cmd_find(const char *name);

/* a pid or "self"; -1 if neither */
int mlpt_parse_pid(const char *s);

/* lab.c: mlpt lab [NAME] */
int mlpt_cmd_lab(int argc, char **argv, const struct mlpt_cmd_opts *o,
		 struct buf *b, struct mlpt_err *e);

#endif
