// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt diff and --growth: snapshots in, what changed out.
 */
#include <stdlib.h>
#include <time.h>

#include "commands/diff.h"
#include "models/diff.h"
#include "sources/proc.h"
#include "views/diffout.h"

static int show(const struct mlpt_snap *a, const struct mlpt_snap *b,
		bool growth, const struct mlpt_out *o, struct buf *out,
		struct mlpt_err *e)
{
	struct mlpt_diff d;

	if (mlpt_diff_make(a, b, growth, &d))
		return mlpt_fail(e, MLPT_EXIT_FAIL, "mlpt", "out of memory");
	mlpt_diff_out(out, o, &d);
	mlpt_diff_free(&d);
	return 0;
}

/*
 * With one file (JSON Lines of --watch), its first document against its
 * last; with two, the first document of BEFORE against the last of AFTER,
 * which for single documents is the one each holds.
 */
int mlpt_cmd_diff(int argc, char **argv, const struct mlpt_cmd_opts *o,
		  struct buf *b, struct mlpt_err *e)
{
	struct mlpt_snap before = { 0 }, after = { 0 };
	int ret;

	if (argc != 2 && argc != 3)
		return mlpt_fail(e, MLPT_EXIT_USAGE, argv[0],
				 "usage: mlpt diff BEFORE.json AFTER.json, or mlpt diff WATCH.jsonl");
	ret = mlpt_snap_file(argv[1], false, &before, e);
	if (!ret)
		ret = mlpt_snap_file(argv[argc - 1], true, &after, e);
	if (!ret)
		ret = show(&before, &after, false, &o->out, b, e);
	mlpt_snap_free(&after);
	mlpt_snap_free(&before);
	return ret;
}

int mlpt_growth_sample(struct mlpt_growth *g, const int *pid, int n,
		       const struct mlpt_out *o, struct buf *b,
		       struct mlpt_err *e)
{
	struct mlpt_snap now = { 0 };
	time_t t = time(NULL);
	int i, ret;

	ret = mlpt_need_module("--growth", false, e);
	if (ret)
		return ret;
	now.proc = calloc(n, sizeof(*now.proc));
	if (!now.proc)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "mlpt", "out of memory");
	strftime(now.time, sizeof(now.time), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	for (i = 0; !ret && i < n; i++, now.n += !ret)
		ret = mlpt_snap_live(pid[i], &now.proc[i], e);
	if (!ret && !g->started) {
		g->first = now;
		g->started = true;
		return show(&g->first, &g->first, true, o, b, e);
	}
	if (!ret)
		ret = show(&g->first, &now, true, o, b, e);
	mlpt_snap_free(&now);
	return ret;
}

void mlpt_growth_free(struct mlpt_growth *g)
{
	if (g->started)
		mlpt_snap_free(&g->first);
}
