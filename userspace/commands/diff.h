/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt diff (two saved snapshots) and --growth (what grew since the first
 * sample of --watch).
 */
#ifndef MLPT_CMD_DIFF_H
#define MLPT_CMD_DIFF_H

#include "commands/commands.h"
#include "sources/snapshot.h"

/* the first sample of --watch --growth, that later ones are diffed from */
struct mlpt_growth {
	struct mlpt_snap first;
	bool started;
};

/* mlpt diff BEFORE.json [AFTER.json] */
int mlpt_cmd_diff(int argc, char **argv, const struct mlpt_cmd_opts *o,
		  struct buf *b, struct mlpt_err *e);
/* one refresh of --growth: sample each of @pid, print what grew since @g's first */
int mlpt_growth_sample(struct mlpt_growth *g, const int *pid, int n,
		       const struct mlpt_out *o, struct buf *b,
		       struct mlpt_err *e);
void mlpt_growth_free(struct mlpt_growth *g);

#endif
