// SPDX-License-Identifier: GPL-2.0
/*
 * CSV (RFC 4180): one header line, then rows; a field with a comma, quote
 * or line break is quoted.  Per process: one row per level, one per NUMA
 * node and level (the node in the last column, empty on other rows), on
 * an architecture with contiguous ptes one of kind "contiguous" (the pte
 * leaves with the bit, in the leaf column) and one per comparison, so the
 * file stays one rectangular table.
 */
#include <string.h>

#include "views/csv.h"

void mlpt_csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_printf(b, "%s", s);
		return;
	}
	buf_printf(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			buf_printf(b, "\"");
		buf_printf(b, "%c", *s);
	}
	buf_printf(b, "\"");
}

static void ident(struct buf *b, const struct mlpt_view *v)
{
	buf_printf(b, "%d,", v->r->pid);
	mlpt_csv_field(b, v->r->comm);
	buf_printf(b, ",%s,%s,", v->phase ? v->phase : "",
		   mlpt_source_name(v->r->source));
}

/* kind "node": the tables of one level on one node */
static void csv_nodes(struct buf *b, const struct mlpt_view *v)
{
	const struct mlpt_report *r = v->r;
	size_t i;
	int k;

	for (i = 0; i < r->nr_node; i++) {
		for (k = 0; k < MLPT_LEVELS; k++) {
			if (r->level[k].folded)
				continue;
			ident(b, v);
			buf_printf(b, "node,%s,%llu,,,,,,,,,%u\n",
				   mlpt_level_name[k], (unsigned long long)
				   r->node[i].tables[k], r->node[i].id);
		}
	}
}

void mlpt_csv_reports(struct buf *b, const struct mlpt_view *v, size_t n)
{
	size_t i;
	int k;

	buf_printf(b,
		   "pid,comm,phase,source,kind,name,tables,table_bytes,present,next,leaf,nonpresent,empty_tables,bytes,ratio,node\n");
	for (i = 0; i < n; i++) {
		u64 tree = v[i].cmp[MLPT_CMP_TREE].bytes;

		for (k = 0; k < MLPT_LEVELS; k++) {
			const struct mlpt_level_stats *l = &v[i].r->level[k];

			if (l->folded)
				continue;
			ident(b, &v[i]);
			buf_printf(b, "level,%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,,\n",
				   mlpt_level_name[k],
				   (unsigned long long)l->tables,
				   (unsigned long long)l->table_bytes,
				   (unsigned long long)l->present,
				   (unsigned long long)l->next,
				   (unsigned long long)l->leaf,
				   (unsigned long long)l->nonpresent,
				   (unsigned long long)l->empty_tables,
				   (unsigned long long)(l->tables *
							l->table_bytes));
		}
		if (v[i].r->contiguous_known) {
			ident(b, &v[i]);
			buf_printf(b, "contiguous,pte,,,,,%llu,,,,,\n",
				   (unsigned long long)v[i].r->contiguous_ptes);
		}
		csv_nodes(b, &v[i]);
		for (k = 0; k < MLPT_NR_CMP; k++) {
			const struct mlpt_cmp *c = &v[i].cmp[k];

			ident(b, &v[i]);
			buf_printf(b, "model,%s,,,,,,,,", mlpt_cmp_key[k]);
			if (c->valid && tree)
				buf_printf(b, "%llu,%.3f,\n",
					   (unsigned long long)c->bytes,
					   mlpt_ratio(c->bytes, tree));
			else if (c->valid)
				buf_printf(b, "%llu,,\n",
					   (unsigned long long)c->bytes);
			else
				buf_printf(b, ",,\n");
		}
	}
}

/* --by cgroup: a row per cgroup; charged empty where memory.stat is not */
static void csv_cgroups(struct buf *b, const struct mlpt_survey *s)
{
	size_t i;

	buf_printf(b,
		   "cgroup,processes,tree_bytes,vmpte_bytes,charged_pagetables_bytes,ceiling_bytes,source\n");
	for (i = 0; i < s->ngroups; i++) {
		const struct mlpt_group *g = &s->group[i];

		mlpt_csv_field(b, g->cgroup);
		buf_printf(b, ",%zu,%llu,%llu,", g->procs,
			   (unsigned long long)g->tree,
			   (unsigned long long)g->vmpte);
		if (g->charged_known)
			buf_printf(b, "%llu", (unsigned long long)g->charged);
		buf_printf(b, ",%llu,%s\n", (unsigned long long)g->ceiling,
			   mlpt_source_name(s->source));
	}
}

void mlpt_csv_survey(struct buf *b, const struct mlpt_survey *s)
{
	size_t i;

	if (s->group) {
		csv_cgroups(b, s);
		return;
	}
	buf_printf(b,
		   "pid,user,comm,vmas,resident_bytes,tree_bytes,vmpte_bytes,linear_user_bytes,ratio,source,ceiling_bytes,ceiling_over_ram_share\n");
	for (i = 0; i < s->n; i++) {
		const struct mlpt_row *r = &s->row[i];

		buf_printf(b, "%d,", r->pid);
		mlpt_csv_field(b, r->user);
		buf_printf(b, ",");
		mlpt_csv_field(b, r->comm);
		buf_printf(b, ",%llu,%llu,%llu,%llu,%llu,%.3f,%s,%llu,%d\n",
			   (unsigned long long)r->vmas,
			   (unsigned long long)r->resident,
			   (unsigned long long)r->tree,
			   (unsigned long long)r->vmpte,
			   (unsigned long long)r->linear_user,
			   mlpt_row_ratio(r), mlpt_source_name(s->source),
			   (unsigned long long)r->ceiling, r->over_share);
	}
}

/*
 * Each record of @table (quoted fields may hold line breaks) again with a
 * first field: "time" in the header, which is kept only when @header is
 * set, @time in every row.
 */
void mlpt_csv_stamp(struct buf *out, const struct buf *table,
		    const char *time, bool header)
{
	bool quoted = false, in_header = true, line_start = true;
	size_t i;

	for (i = 0; i < table->len; i++) {
		char c = table->s[i];
		bool keep = header || !in_header;

		if (line_start && keep)
			buf_printf(out, "%s,", in_header ? "time" : time);
		line_start = false;
		if (keep)
			buf_printf(out, "%c", c);
		if (c == '"') {
			quoted = !quoted;
		} else if (c == '\n' && !quoted) {
			in_header = false;
			line_start = true;
		}
	}
}
