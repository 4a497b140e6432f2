// SPDX-License-Identifier: GPL-2.0
/*
 * Matching two snapshots and keeping what changed (diff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "models/diff.h"

const char *const mlpt_dstatus_name[3] = { "both", "new", "gone" };

long long mlpt_change_delta(const struct mlpt_change *c)
{
	return (long long)(c->after - c->before);
}

/* the figure on each side; a side without the process or mapping is 0 */
static void change(struct mlpt_change *c, const struct mlpt_figure *x,
		   const struct mlpt_figure *y, enum mlpt_dstatus st)
{
	c->known = (x->known || st == MLPT_D_NEW) &&
		   (y->known || st == MLPT_D_GONE);
	c->before = st == MLPT_D_NEW ? 0 : x->v;
	c->after = st == MLPT_D_GONE ? 0 : y->v;
}

static bool counts(const struct mlpt_change *c, bool growth)
{
	return c->known && (growth ? c->after > c->before :
			    c->after != c->before);
}

static bool same_proc(const struct mlpt_snap_proc *x,
		      const struct mlpt_snap_proc *y)
{
	return x->pid == y->pid && !strcmp(x->comm, y->comm) &&
	       !strcmp(x->phase, y->phase);
}

static bool same_map(const struct mlpt_snap_map *x,
		     const struct mlpt_snap_map *y)
{
	return x->start == y->start && x->end == y->end &&
	       !strcmp(x->name, y->name);
}

/* a mapping's figure: known on both sides, 0 on a side without it */
static void map_figure(struct mlpt_change *c, u64 before, u64 after)
{
	c->known = true;
	c->before = before;
	c->after = after;
}

/* one mapping: @x before, @y after, either NULL; kept if it counts */
static bool map_change(struct mlpt_dmap *dm, const struct mlpt_snap_map *x,
		       const struct mlpt_snap_map *y, bool growth)
{
	enum mlpt_dstatus st = !x ? MLPT_D_NEW : !y ? MLPT_D_GONE : MLPT_D_BOTH;
	static const struct mlpt_snap_map zero;
	bool keep = !growth && st != MLPT_D_BOTH;
	int k;

	dm->status = st;
	dm->m = y ? y : x;
	x = x ? x : &zero;
	y = y ? y : &zero;
	for (k = 0; k < MLPT_NR_VCOL; k++) {
		map_figure(&dm->tables[k], x->tables[k], y->tables[k]);
		keep |= counts(&dm->tables[k], growth);
	}
	map_figure(&dm->bytes, x->table_bytes, y->table_bytes);
	return keep | counts(&dm->bytes, growth);
}

/* both lists are by address: merge them, a mapping in both matched */
static int maps(struct mlpt_dproc *dp, const struct mlpt_snap_proc *x,
		const struct mlpt_snap_proc *y, bool growth)
{
	size_t i = 0, j = 0;
	const struct mlpt_snap_map *mx, *my;

	dp->map = calloc(x->nr_map + y->nr_map + 1, sizeof(*dp->map));
	if (!dp->map)
		return -1;
	while (i < x->nr_map || j < y->nr_map) {
		mx = i < x->nr_map ? &x->map[i] : NULL;
		my = j < y->nr_map ? &y->map[j] : NULL;
		if (mx && my && !same_map(mx, my)) {
			/* the lower one is on its side only */
			if (mx->start < my->start ||
			    (mx->start == my->start && mx->end <= my->end))
				my = NULL;
			else
				mx = NULL;
		}
		i += !!mx;
		j += !!my;
		if (map_change(&dp->map[dp->nr_map], mx, my, growth))
			dp->nr_map++;
	}
	return 0;
}

/* one process, @x before and @y after, either NULL; 1 if it is shown */
static int proc_change(struct mlpt_dproc *dp, const struct mlpt_snap_proc *x,
		       const struct mlpt_snap_proc *y, bool growth)
{
	enum mlpt_dstatus st = !x ? MLPT_D_NEW : !y ? MLPT_D_GONE : MLPT_D_BOTH;
	static const struct mlpt_snap_proc zero;
	bool keep = !growth && st != MLPT_D_BOTH;
	int k, q;

	memset(dp, 0, sizeof(*dp));
	dp->status = st;
	dp->p = y ? y : x;
	dp->has_maps = (!x || x->has_maps) && (!y || y->has_maps);
	x = x ? x : &zero;
	y = y ? y : &zero;
	for (k = 0; k < MLPT_NR_ST; k++) {
		change(&dp->total[k], &x->total[k], &y->total[k], st);
		keep |= counts(&dp->total[k], growth);
	}
	for (k = 0; k < MLPT_LEVELS; k++) {
		bool shown = false, changed = false;

		for (q = 0; q < MLPT_NR_SQ; q++) {
			change(&dp->level[k][q], &x->level[k][q],
			       &y->level[k][q], st);
			shown |= dp->level[k][q].known;
			changed |= counts(&dp->level[k][q], growth);
		}
		dp->level_shown[k] = growth ? changed : shown;
		keep |= changed;
	}
	if (dp->has_maps && maps(dp, x, y, growth))
		return -1;
	return keep || dp->nr_map;
}

static const struct mlpt_snap_proc *find(const struct mlpt_snap *s,
					 const struct mlpt_snap_proc *p)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (same_proc(&s->proc[i], p))
			return &s->proc[i];
	return NULL;
}

static int cmp_proc(const void *pa, const void *pb)
{
	const struct mlpt_dproc *x = pa, *y = pb;
	int c = strcmp(x->p->phase, y->p->phase);

	if (x->p->pid != y->p->pid)
		return x->p->pid < y->p->pid ? -1 : 1;
	/* pid reuse: the one gone first */
	if (x->status != y->status)
		return x->status == MLPT_D_GONE ? -1 : 1;
	return c;
}

static int add(struct mlpt_diff *d, const struct mlpt_snap_proc *x,
	       const struct mlpt_snap_proc *y)
{
	int ret = proc_change(&d->proc[d->n], x, y, d->growth);

	if (ret < 0)
		return -1;
	if (ret)
		d->n++;
	else
		free(d->proc[d->n].map);
	if (!ret && x && y)
		d->unchanged++;
	return 0;
}

int mlpt_diff_make(const struct mlpt_snap *a, const struct mlpt_snap *b,
		   bool growth, struct mlpt_diff *d)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->growth = growth;
	d->before_time = a->time;
	d->after_time = b->time;
	d->proc = calloc(a->n + b->n + 1, sizeof(*d->proc));
	if (!d->proc)
		return -1;
	for (i = 0; i < b->n; i++)
		if (add(d, find(a, &b->proc[i]), &b->proc[i]))
			goto fail;
	for (i = 0; i < a->n; i++)
		if (!find(b, &a->proc[i]) && add(d, &a->proc[i], NULL))
			goto fail;
	qsort(d->proc, d->n, sizeof(*d->proc), cmp_proc);
	return 0;
fail:
	mlpt_diff_free(d);
	return -1;
}

void mlpt_diff_free(struct mlpt_diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->proc[i].map);
	free(d->proc);
	memset(d, 0, sizeof(*d));
}
