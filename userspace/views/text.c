// SPDX-License-Identifier: GPL-2.0
/*
 * The aligned human tables (the default format).
 */
#include "base/table.h"
#include "views/text.h"

/* what CHARGED is, and why it need not equal VmPTE */
static const char *const cgroup_note =
	"CHARGED: the cgroup's memory.stat pagetables, its children's included.  It\n"
	"equals the VmPTE of its processes when they all started in it and its\n"
	"children are empty; tables stay charged where they were allocated when a\n"
	"process moves, and go when they are freed.\n";

static const char *const estimate_note =
	"estimate from pagemap: only the tables that present and swapped pages need\n"
	"(a lower bound: empty, kept and deposited tables are invisible to it; a\n"
	"transparent huge page counts as 512 small pages)\n";

/* under the level table, where the report has "contiguous-ptes" */
static const char *const contiguous_note =
	"contiguous: %llu of the %llu pte leaves are in contiguous ranges (the\n"
	"TLB may cache each range of entries as one)\n";

static void header(struct buf *b, const struct mlpt_view *v)
{
	const struct mlpt_report *r = v->r;
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN];

	buf_printf(b,
		   "pid %d (%s)%s%s:\n%u-level paging, %u-bit addresses, %s pages, %llu-byte entries\n",
		   r->pid, r->comm, v->phase ? ", " : "",
		   v->phase ? v->phase : "", r->paging_levels, r->va_bits,
		   fmt_human(n1, r->page_size),
		   (unsigned long long)r->entry_bytes);
	/* two lines: with 57-bit addresses one would pass 79 columns */
	buf_printf(b, "%llu VMAs from 0x%012llx to 0x%012llx\n%s mapped, %s resident\n",
		   (unsigned long long)r->vmas,
		   (unsigned long long)r->va_lowest,
		   (unsigned long long)r->va_highest,
		   fmt_human(n2, r->mapped_bytes),
		   fmt_human(n3, r->resident_bytes));
	if (r->source == MLPT_SRC_PAGEMAP)
		buf_printf(b, "%s", estimate_note);
}

static const struct table_col level_cols[] = {
	TABLE_NAME(5), TABLE_FIGURE(8), TABLE_FIGURE(8), TABLE_FIGURE(8),
	TABLE_FIGURE(8), TABLE_FIGURE(10), TABLE_FIGURE(6), TABLE_FIGURE(10),
	TABLE_FIGURE(6),
};

static const struct table_col occupancy_cols[1 + MLPT_BUCKETS] = {
	TABLE_NAME(5), TABLE_FIGURE(8), TABLE_FIGURE(8), TABLE_FIGURE(8),
	TABLE_FIGURE(8), TABLE_FIGURE(8), TABLE_FIGURE(8), TABLE_FIGURE(8),
};

static void levels(struct buf *b, const struct mlpt_out *o,
		   const struct mlpt_report *r)
{
	struct table t;
	char n1[NUM_LEN];
	int i, k;

	table_init(&t, level_cols, ARRAY_SIZE(level_cols));
	table_cell(&t, "level");
	table_cell(&t, "tables");
	table_cell(&t, "present");
	table_cell(&t, "next");
	table_cell(&t, "leaf");
	table_cell(&t, "nonpresent");
	table_cell(&t, "empty");
	table_cell(&t, "bytes");
	table_cell(&t, "fill");
	table_row(&t);
	for (i = 0; i < MLPT_LEVELS; i++) {
		const struct mlpt_level_stats *l = &r->level[i];
		u64 slots = l->tables * l->entries;

		table_cell(&t, "%s", mlpt_level_name[i]);
		if (l->folded) {
			table_cell(&t, "  folded (the hardware skips this level)");
			table_row(&t);
			continue;
		}
		table_cell(&t, "%llu", (unsigned long long)l->tables);
		table_cell(&t, "%llu", (unsigned long long)l->present);
		table_cell(&t, "%llu", (unsigned long long)l->next);
		table_cell(&t, "%llu", (unsigned long long)l->leaf);
		table_cell(&t, "%llu", (unsigned long long)l->nonpresent);
		table_cell(&t, "%llu", (unsigned long long)l->empty_tables);
		table_cell(&t, "%s",
			   fmt_size(n1, l->tables * l->table_bytes, o->bytes));
		table_cell(&t, "%.1f%%", slots ? 100.0 * (l->present +
				l->nonpresent) / slots : 0);
		table_row(&t);
	}
	buf_printf(b, "\n");
	table_print(b, &t);
	if (r->contiguous_known)
		buf_printf(b, contiguous_note,
			   (unsigned long long)r->contiguous_ptes,
			   (unsigned long long)r->level[MLPT_PTE].leaf);

	table_init(&t, occupancy_cols, ARRAY_SIZE(occupancy_cols));
	table_cell(&t, "level");
	for (k = 0; k < MLPT_BUCKETS; k++)
		table_cell(&t, "%s", mlpt_bucket_name[k]);
	table_row(&t);
	for (i = 0; i < MLPT_LEVELS; i++) {
		if (r->level[i].folded)
			continue;
		table_cell(&t, "%s", mlpt_level_name[i]);
		for (k = 0; k < MLPT_BUCKETS; k++)
			table_cell(&t, "%llu", (unsigned long long)
				   r->level[i].occupancy[k]);
		table_row(&t);
	}
	buf_printf(b, "\noccupancy: tables by non-empty entries\n");
	table_print(b, &t);
}

/* one row per NUMA node, one column per level that is not folded */
static void nodes(struct buf *b, const struct mlpt_report *r)
{
	struct table t;
	size_t i;
	int k;

	if (!r->nr_node)
		return;
	table_init(&t, occupancy_cols, 1 + MLPT_LEVELS);
	table_cell(&t, "node");
	for (k = 0; k < MLPT_LEVELS; k++)
		if (!r->level[k].folded)
			table_cell(&t, "%s", mlpt_level_name[k]);
	table_row(&t);
	for (i = 0; i < r->nr_node; i++) {
		table_cell(&t, "%u", r->node[i].id);
		for (k = 0; k < MLPT_LEVELS; k++)
			if (!r->level[k].folded)
				table_cell(&t, "%llu", (unsigned long long)
					   r->node[i].tables[k]);
		table_row(&t);
	}
	buf_printf(b, "\nnodes: tables by the NUMA node they are on\n");
	table_print(b, &t);
}

/*
 * The widest label is 40 characters; with 15 digits of bytes (the 2^48
 * of a linear 57-bit table) and "x 3616814565" a row still fits in 79
 * columns.
 */
static const struct table_col comparison_cols[] = {
	TABLE_NAME(40), TABLE_FIGURE(15), TABLE_FIGURE(9), TABLE_FIGURE(11),
};

static void comparison(struct buf *b, const struct mlpt_view *v)
{
	u64 tree = v->cmp[MLPT_CMP_TREE].bytes;
	char n1[NUM_LEN], n2[NUM_LEN];
	struct table t;
	int i;

	table_init(&t, comparison_cols, ARRAY_SIZE(comparison_cols));
	table_cell(&t, "page tables as");
	table_cell(&t, "bytes");
	table_cell(&t, "size");
	table_cell(&t, "vs tree");
	table_row(&t);
	for (i = 0; i < MLPT_NR_CMP; i++) {
		const struct mlpt_cmp *c = &v->cmp[i];

		table_cell(&t, "%s", mlpt_cmp_label[i]);
		if (!c->valid) {
			table_cell(&t, "n/a: %s", mlpt_cmp_why(v->r, i));
			table_row(&t);
			continue;
		}
		table_cell(&t, "%llu", (unsigned long long)c->bytes);
		table_cell(&t, "%s", fmt_human(n1, c->bytes));
		if (tree)
			table_cell(&t, "%s",
				   fmt_ratio(n2, mlpt_ratio(c->bytes, tree)));
		else
			table_cell(&t, "-");
		table_row(&t);
	}
	buf_printf(b, "\n");
	table_print(b, &t);
}

void mlpt_text_reports(struct buf *b, const struct mlpt_out *o,
		       const struct mlpt_view *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_printf(b, "\n");
		header(b, &v[i]);
		levels(b, o, v[i].r);
		nodes(b, v[i].r);
		comparison(b, &v[i]);
	}
}

void mlpt_text_skipped(struct buf *b, const u64 *skipped)
{
	const char *sep = "";
	int i;

	buf_printf(b, "skipped:");
	for (i = 0; i < MLPT_NR_SKIP; i++) {
		if (!skipped[i])
			continue;
		buf_printf(b, "%s %llu %s", sep,
			   (unsigned long long)skipped[i],
			   mlpt_skip_label[i][skipped[i] != 1]);
		if (mlpt_skip_why[i])
			buf_printf(b, " (%s)", mlpt_skip_why[i]);
		sep = ",";
	}
	buf_printf(b, "%s\n", *sep ? "" : " none");
}

/* user and command cut as ps cuts them; figures never */
static const struct table_col survey_cols[] = {
	TABLE_FIGURE(7), TABLE_CUT(8), TABLE_CUT(15), TABLE_FIGURE(5),
	TABLE_FIGURE(10), TABLE_FIGURE(10), TABLE_FIGURE(10), TABLE_FIGURE(11),
	TABLE_FIGURE(10), TABLE_FIGURE(9),
};

/* the processes whose ceiling is above the share of RAM, by pid */
static void text_over_share(struct buf *b, const struct mlpt_out *o,
			    const struct mlpt_survey *s)
{
	char n1[NUM_LEN];
	size_t i, said = 0;

	if (!s->over_share)
		return;
	buf_printf(b,
		   "! %zu %s could need page tables above %u%% of RAM (%s) with every mapped page touched:",
		   s->over_share, s->over_share == 1 ? "process" : "processes",
		   s->ram_share, fmt_size(n1, s->ram, o->bytes));
	for (i = 0; i < s->n; i++) {
		if (!s->row[i].over_share)
			continue;
		buf_printf(b, "%s %d (%s)", said++ ? "," : "", s->row[i].pid,
			   s->row[i].comm);
	}
	buf_printf(b, "\n");
}

static const struct table_col cgroup_cols[] = {
	TABLE_NAME(6), TABLE_FIGURE(5), TABLE_FIGURE(10), TABLE_FIGURE(10),
	TABLE_FIGURE(10), TABLE_FIGURE(11),
};

/* --by cgroup: a row per cgroup, what memory.stat charges it beside */
static void text_cgroups(struct buf *b, const struct mlpt_out *o,
			 const struct mlpt_survey *s)
{
	static const char *const head[] = {
		"CGROUP", "PROCS", "TREE", "VmPTE", "CHARGED", "CEILING",
	};
	char n1[NUM_LEN];
	struct table tab;
	size_t i;

	table_init(&tab, cgroup_cols, ARRAY_SIZE(cgroup_cols));
	for (i = 0; i < ARRAY_SIZE(head); i++)
		table_cell(&tab, "%s", head[i]);
	table_row(&tab);
	for (i = 0; i < s->ngroups; i++) {
		const struct mlpt_group *g = &s->group[i];

		table_cell(&tab, "%s", *g->cgroup ? g->cgroup : "(none)");
		table_cell(&tab, "%zu", g->procs);
		table_cell(&tab, "%s", fmt_size(n1, g->tree, o->bytes));
		table_cell(&tab, "%s", fmt_size(n1, g->vmpte, o->bytes));
		table_cell(&tab, "%s", g->charged_known ?
			   fmt_size(n1, g->charged, o->bytes) : "n/a");
		table_cell(&tab, "%s", fmt_size(n1, g->ceiling, o->bytes));
		table_row(&tab);
	}
	table_print(b, &tab);
	buf_printf(b, "%s", cgroup_note);
}

/* a row per process */
static void text_processes(struct buf *b, const struct mlpt_out *o,
			   const struct mlpt_survey *s)
{
	static const char *const head[] = {
		"PID", "USER", "COMMAND", "VMAS", "RESIDENT", "TREE", "VmPTE",
		"CEILING", "LIN-USER", "RATIO",
	};
	char n1[NUM_LEN];
	struct table tab;
	size_t i;

	table_init(&tab, survey_cols, ARRAY_SIZE(survey_cols));
	for (i = 0; i < ARRAY_SIZE(head); i++)
		table_cell(&tab, "%s", head[i]);
	table_row(&tab);
	for (i = 0; i < s->n; i++) {
		const struct mlpt_row *r = &s->row[i];

		table_cell(&tab, "%d", r->pid);
		table_cell(&tab, "%s", r->user);
		table_cell(&tab, "%s", r->comm);
		table_cell(&tab, "%llu", (unsigned long long)r->vmas);
		table_cell(&tab, "%s", fmt_size(n1, r->resident, o->bytes));
		table_cell(&tab, "%s", fmt_size(n1, r->tree, o->bytes));
		table_cell(&tab, "%s", fmt_size(n1, r->vmpte, o->bytes));
		table_cell(&tab, "%s%s", fmt_size(n1, r->ceiling, o->bytes),
			   r->over_share ? "!" : "");
		table_cell(&tab, "%s", fmt_size(n1, r->linear_user, o->bytes));
		table_cell(&tab, "%.0f", mlpt_row_ratio(r));
		table_row(&tab);
	}
	table_print(b, &tab);
}

void mlpt_text_survey(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_survey *s)
{
	char n1[NUM_LEN], n2[NUM_LEN];
	struct mlpt_total t;

	if (s->source == MLPT_SRC_PAGEMAP)
		buf_printf(b, "%s", estimate_note);
	if (s->group)
		text_cgroups(b, o, s);
	else
		text_processes(b, o, s);
	mlpt_survey_total(s, &t);
	buf_printf(b,
		   "%zu processes: page tables %s; linear tables would need %s (%.0f times more)\n",
		   s->n, fmt_size(n1, t.tree, o->bytes),
		   fmt_size(n2, t.linear_user, o->bytes),
		   mlpt_ratio(t.linear_user, t.tree));
	text_over_share(b, o, s);
	mlpt_text_skipped(b, s->skipped);
}
