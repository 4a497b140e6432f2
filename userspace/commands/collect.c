// SPDX-License-Identifier: GPL-2.0
/*
 * Read each process's report for the survey.  A process that cannot be
 * read is counted as skipped with its reason, never dropped.
 *
 * libproc2 4.0.2 has no item for VmPTE: the figure comes from the report
 * (kernel-pgtables-bytes, or /proc/<pid>/status for the pagemap estimate).
 * Each process's mappings are read too (/proc/<pid>/maps): its ceiling,
 * the tables it would need with every mapped page touched, is made from
 * them.
 */
#include <stdlib.h>
#include <string.h>

#include "commands/collect.h"
#include "sources/cgroup.h"
#include "sources/procs.h"
#include "sources/source.h"
#include "sources/vmas.h"

struct collect {
	struct mlpt_survey *s;
	size_t cap;
	struct mlpt_err *e;
};

static int add_row(struct collect *c, const struct mlpt_report *r,
		   const struct mlpt_proc *p)
{
	struct mlpt_survey *s = c->s;
	struct mlpt_row *row;

	if (s->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		row = realloc(s->row, c->cap * sizeof(*row));
		if (!row)
			return -1;
		s->row = row;
	}
	row = &s->row[s->n];
	mlpt_row_from(row, r, p->user);
	if (p->cgroup) {
		row->cgroup = strdup(p->cgroup);
		if (!row->cgroup)
			return -1;
	}
	s->n++;
	return 0;
}

/* a process with no address space to read: count it, true */
static bool no_mm(const struct mlpt_proc *p, u64 *skipped)
{
	if (p->kthread) {
		skipped[MLPT_SKIP_KTHREAD]++;
		return true;
	}
	/* it has exited: the module would say ENOENT, as if gone */
	if (p->state == 'Z') {
		skipped[MLPT_SKIP_ZOMBIE]++;
		return true;
	}
	return false;
}

/* a load that failed because of the process: count it, true */
static bool unreadable(int ret, u64 *skipped)
{
	if (ret == MLPT_EXIT_PERM) {
		skipped[MLPT_SKIP_PERM]++;
		return true;
	}
	if (ret == MLPT_EXIT_NOPROC) {
		skipped[MLPT_SKIP_GONE]++;
		return true;
	}
	return false;
}

/* 0: counted (a row or a skip); otherwise a reason to stop the survey */
static int survey_one(void *arg, const struct mlpt_proc *p)
{
	struct collect *c = arg;
	struct mlpt_survey *s = c->s;
	struct mlpt_report r;
	int ret;

	if (no_mm(p, s->skipped))
		return 0;
	ret = mlpt_load(p->pid, s->source, true, &r, c->e);
	if (unreadable(ret, s->skipped))
		return 0;
	if (ret)
		return ret;
	ret = add_row(c, &r, p);
	mlpt_report_free(&r);
	return ret ? mlpt_fail(c->e, MLPT_EXIT_FAIL, "survey", "out of memory")
		   : 0;
}

/* each group's memory.stat, where there is one to read */
static int group_by_cgroup(struct mlpt_survey *s, struct mlpt_err *e)
{
	size_t i;

	if (mlpt_survey_group(s))
		return mlpt_fail(e, MLPT_EXIT_FAIL, "survey", "out of memory");
	for (i = 0; i < s->ngroups; i++) {
		struct mlpt_group *g = &s->group[i];

		g->charged_known = *g->cgroup &&
			!mlpt_cgroup_pagetables(g->cgroup, &g->charged);
	}
	return 0;
}

int mlpt_survey_collect(struct mlpt_survey *s, enum mlpt_source src,
			unsigned int ram_share, bool by_cgroup,
			struct mlpt_err *e)
{
	struct collect c = { .s = s, .e = e };
	int ret;

	s->source = src;
	ret = mlpt_procs_each(survey_one, &c, by_cgroup, e);
	if (!ret)
		mlpt_survey_flag(s, mlpt_ram_bytes(), ram_share);
	if (!ret && by_cgroup)
		ret = group_by_cgroup(s, e);
	if (ret)
		mlpt_survey_free(s);
	return ret;
}

struct collect_shared {
	struct mlpt_shared *s;
	struct mlpt_err *e;
};

static int shared_one(void *arg, const struct mlpt_proc *p)
{
	struct collect_shared *c = arg;
	struct mlpt_vmas v;
	int ret;

	if (no_mm(p, c->s->skipped))
		return 0;
	ret = mlpt_vmas_load_objects(p->pid, &v, c->e);
	if (unreadable(ret, c->s->skipped))
		return 0;
	if (ret)
		return ret;
	c->s->read++;
	ret = mlpt_shared_add(c->s, &v);
	mlpt_vmas_free(&v);
	return ret ? mlpt_fail(c->e, MLPT_EXIT_FAIL, "shared", "out of memory")
		   : 0;
}

int mlpt_shared_collect(struct mlpt_shared *s, struct mlpt_err *e)
{
	struct collect_shared c = { .s = s, .e = e };
	int ret;

	memset(s, 0, sizeof(*s));
	ret = mlpt_procs_each(shared_one, &c, false, e);
	if (!ret && mlpt_shared_group(s))
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, "shared", "out of memory");
	if (ret)
		mlpt_shared_free(s);
	return ret;
}
