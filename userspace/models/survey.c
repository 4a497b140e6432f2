// SPDX-License-Identifier: GPL-2.0
/*
 * Survey rows: built from reports, sorted, cut to --top, totalled.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "models/survey.h"

const char *const mlpt_skip_key[MLPT_NR_SKIP] = {
	[MLPT_SKIP_KTHREAD] = "kernel_thread",
	[MLPT_SKIP_PERM] = "permission_denied",
	[MLPT_SKIP_GONE] = "exited",
	[MLPT_SKIP_ZOMBIE] = "zombie",
};

/* what a count of each reason is said as: for 1, and for more */
const char *const mlpt_skip_label[MLPT_NR_SKIP][2] = {
	[MLPT_SKIP_KTHREAD] = { "kernel thread", "kernel threads" },
	[MLPT_SKIP_PERM] = { "permission denied", "permission denied" },
	[MLPT_SKIP_GONE] = { "exited while surveyed", "exited while surveyed" },
	[MLPT_SKIP_ZOMBIE] = { "zombie", "zombies" },
};

/* why each reason has no row, said once after the counts */
const char *const mlpt_skip_why[MLPT_NR_SKIP] = {
	[MLPT_SKIP_KTHREAD] = "no address space",
	[MLPT_SKIP_PERM] = "another user's or not dumpable",
	[MLPT_SKIP_GONE] = NULL,
	[MLPT_SKIP_ZOMBIE] = "exited, not yet reaped: no address space",
};

void mlpt_row_from(struct mlpt_row *row, const struct mlpt_report *r,
		   const char *user)
{
	memset(row, 0, sizeof(*row));
	row->pid = r->pid;
	snprintf(row->user, sizeof(row->user), "%s", user);
	snprintf(row->comm, sizeof(row->comm), "%s", r->comm);
	row->vmas = r->vmas;
	row->resident = r->resident_bytes;
	row->tree = mlpt_tree_bytes(r);
	row->vmpte = r->kernel_pgtables_bytes;
	row->linear_user = mlpt_linear_bytes(r->va_bits - 1, r->page_size,
					     r->entry_bytes);
	row->ceiling = mlpt_ceiling_bytes(r, r->vma, r->nr_vma, 0);
}

/*
 * The mmap'd-index case: a process whose tables would outgrow a share of
 * the machine's memory if it touched all it has mapped.  The share is of
 * MemTotal, compared in whole bytes (share x ram / 100, rounded down).
 */
void mlpt_survey_flag(struct mlpt_survey *s, u64 ram, unsigned int share)
{
	u64 limit = ram / 100 * share + ram % 100 * share / 100;
	size_t i;

	s->ram = ram;
	s->ram_share = share;
	s->over_share = 0;
	for (i = 0; i < s->n; i++) {
		s->row[i].over_share = ram && s->row[i].ceiling > limit;
		s->over_share += s->row[i].over_share;
	}
}

double mlpt_row_ratio(const struct mlpt_row *row)
{
	return mlpt_ratio(row->linear_user, row->tree);
}

enum by { BY_PID, BY_TEXT, BY_NUMBER, BY_RATIO };

struct sort_key {
	const char *key;
	enum by by;
	size_t off;		/* of the text or number in struct mlpt_row */
};

#define KEY(name, by, field) { name, by, offsetof(struct mlpt_row, field) }

static const struct sort_key sort_keys[] = {
	KEY("pid", BY_PID, pid),
	KEY("user", BY_TEXT, user),
	KEY("comm", BY_TEXT, comm),
	KEY("vmas", BY_NUMBER, vmas),
	KEY("resident", BY_NUMBER, resident),
	KEY("tree", BY_NUMBER, tree),
	KEY("vmpte", BY_NUMBER, vmpte),
	KEY("linear", BY_NUMBER, linear_user),
	KEY("ceiling", BY_NUMBER, ceiling),
	KEY("ratio", BY_RATIO, pid),
};

static u64 field(const struct mlpt_row *r, size_t off)
{
	return *(const u64 *)((const char *)r + off);
}

/* names ascending; numbers largest first; ties by pid */
static int compare(const void *pa, const void *pb, void *arg)
{
	const struct mlpt_row *a = pa, *b = pb;
	const struct sort_key *k = arg;
	double ra, rb;
	int c = 0;

	switch (k->by) {
	case BY_TEXT:
		c = strcmp((const char *)a + k->off, (const char *)b + k->off);
		break;
	case BY_NUMBER:
		c = field(b, k->off) > field(a, k->off) ? 1 :
		    -(field(b, k->off) < field(a, k->off));
		break;
	case BY_RATIO:
		ra = mlpt_row_ratio(a);
		rb = mlpt_row_ratio(b);
		c = rb > ra ? 1 : -(rb < ra);
		break;
	default:
		break;
	}
	return c ? c : a->pid - b->pid;
}

int mlpt_survey_sort(struct mlpt_survey *s, const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sort_keys); i++) {
		if (strcmp(key, sort_keys[i].key))
			continue;
		if (s->n)
			qsort_r(s->row, s->n, sizeof(*s->row), compare,
				(void *)&sort_keys[i]);
		return 0;
	}
	return -1;
}

static const char *cgroup_of(const struct mlpt_row *r)
{
	return r->cgroup ? r->cgroup : "";
}

static int by_cgroup(const void *pa, const void *pb)
{
	const struct mlpt_row *a = pa, *b = pb;
	int c = strcmp(cgroup_of(a), cgroup_of(b));

	return c ? c : a->pid - b->pid;
}

int mlpt_survey_group(struct mlpt_survey *s)
{
	struct mlpt_group *g = NULL;
	size_t i;

	if (s->n)
		qsort(s->row, s->n, sizeof(*s->row), by_cgroup);
	for (i = 0; i < s->n; i++) {
		const struct mlpt_row *r = &s->row[i];

		if (!g || strcmp(g->cgroup, cgroup_of(r))) {
			g = realloc(s->group, (s->ngroups + 1) * sizeof(*g));
			if (!g)
				return -1;
			s->group = g;
			g = &s->group[s->ngroups];
			memset(g, 0, sizeof(*g));
			g->cgroup = strdup(cgroup_of(r));
			if (!g->cgroup)
				return -1;
			s->ngroups++;
		}
		g->procs++;
		g->tree += r->tree;
		g->vmpte += r->vmpte;
		g->ceiling += r->ceiling;
	}
	return 0;
}

void mlpt_survey_top(struct mlpt_survey *s, size_t top)
{
	size_t i;

	if (!top || top >= s->n)
		return;
	for (i = top; i < s->n; i++)
		free(s->row[i].cgroup);
	s->n = top;
}

void mlpt_survey_total(const struct mlpt_survey *s, struct mlpt_total *t)
{
	size_t i;

	t->tree = 0;
	t->linear_user = 0;
	t->ceiling = 0;
	for (i = 0; i < s->n; i++) {
		t->tree += s->row[i].tree;
		t->linear_user += s->row[i].linear_user;
		t->ceiling += s->row[i].ceiling;
	}
}

void mlpt_survey_free(struct mlpt_survey *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->row[i].cgroup);
	for (i = 0; i < s->ngroups; i++)
		free(s->group[i].cgroup);
	free(s->group);
	s->group = NULL;
	s->ngroups = 0;
	free(s->row);
	s->row = NULL;
	s->n = 0;
}
