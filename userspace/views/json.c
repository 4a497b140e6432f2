// SPDX-License-Identifier: GPL-2.0
/*
 * JSON (RFC 8259).  Addresses are hex strings: 57-bit values do not survive
 * a double.  Bytes that are not printable ASCII are escaped as \u00XX, so
 * the output is valid UTF-8 whatever a process calls itself.
 */
#include "views/json.h"

void mlpt_json_str(struct buf *b, const char *s)
{
	buf_printf(b, "\"");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(b, "\\u%04x", c);
		else
			buf_printf(b, "%c", c);
	}
	buf_printf(b, "\"");
}

/* @sep, then "key": value */
static void num(struct buf *b, const char *sep, const char *key, u64 v)
{
	buf_printf(b, "%s\"%s\": %llu", sep, key, (unsigned long long)v);
}

static void ratio(struct buf *b, u64 bytes, u64 tree)
{
	if (tree)
		buf_printf(b, "%.3f", mlpt_ratio(bytes, tree));
	else
		buf_printf(b, "null");
}

static void json_level(struct buf *b, const struct mlpt_level_stats *l,
		       const char *name)
{
	int k;

	buf_printf(b, "{\"level\": \"%s\", \"folded\": %s, ", name,
		   l->folded ? "true" : "false");
	num(b, "", "entries", l->entries);
	num(b, ", ", "tables", l->tables);
	num(b, ", ", "table_bytes", l->table_bytes);
	num(b, ", ", "present", l->present);
	num(b, ", ", "next", l->next);
	num(b, ", ", "leaf", l->leaf);
	num(b, ", ", "nonpresent", l->nonpresent);
	num(b, ", ", "empty_tables", l->empty_tables);
	num(b, ", ", "bytes", l->folded ? 0 : l->tables * l->table_bytes);
	buf_printf(b, ", \"occupancy\": {");
	for (k = 0; k < MLPT_BUCKETS; k++)
		buf_printf(b, "%s\"%s\": %llu", k ? ", " : "",
			   mlpt_bucket_name[k],
			   (unsigned long long)l->occupancy[k]);
	buf_printf(b, "}}");
}

/* {"node": 0, "tables": {"pgd": 1, ...}}: every level, folded ones 0 */
static void json_nodes(struct buf *b, const struct mlpt_report *r)
{
	size_t i;
	int k;

	for (i = 0; i < r->nr_node; i++) {
		buf_printf(b, "%s\n      {\"node\": %u, \"tables\": {",
			   i ? "," : "", r->node[i].id);
		for (k = 0; k < MLPT_LEVELS; k++)
			num(b, k ? ", " : "", mlpt_level_name[k],
			    r->node[i].tables[k]);
		buf_printf(b, "}}");
	}
}

static void comparison(struct buf *b, const struct mlpt_view *v)
{
	u64 tree = v->cmp[MLPT_CMP_TREE].bytes;
	int i;

	for (i = 0; i < MLPT_NR_CMP; i++) {
		const struct mlpt_cmp *c = &v->cmp[i];

		buf_printf(b, "%s\n      {\"model\": \"%s\", \"label\": ",
			   i ? "," : "", mlpt_cmp_key[i]);
		mlpt_json_str(b, mlpt_cmp_label[i]);
		if (!c->valid) {
			buf_printf(b, ", \"bytes\": null, \"ratio\": null, \"why\": ");
			mlpt_json_str(b, mlpt_cmp_why(v->r, i));
			buf_printf(b, "}");
			continue;
		}
			num(b, ", ", "bytes", c->bytes);
		buf_printf(b, ", \"ratio\": ");
		ratio(b, c->bytes, tree);
		buf_printf(b, "}");
	}
}

static void process(struct buf *b, const struct mlpt_view *v)
{
	const struct mlpt_report *r = v->r;
	const struct {
		const char *key;
		u64 v;
	} nums[] = {
		{ "paging_levels", r->paging_levels },
		{ "va_bits", r->va_bits },
		{ "page_size", r->page_size },
		{ "entry_bytes", r->entry_bytes },
		{ "vmas", r->vmas },
		{ "mapped_bytes", r->mapped_bytes },
		{ "resident_bytes", r->resident_bytes },
		{ "walk_pgtables_bytes", r->walk_pgtables_bytes },
		{ "kernel_pgtables_bytes", r->kernel_pgtables_bytes },
		{ "deposited_tables", r->deposited_tables },
		{ "walk_ns", r->walk_ns },
	};
	size_t i;

	buf_printf(b, "    {\"pid\": %d, \"comm\": ", r->pid);
	mlpt_json_str(b, r->comm);
	if (v->phase)
		buf_printf(b, ", \"phase\": \"%s\"", v->phase);
	buf_printf(b, ", \"source\": \"%s\", \"estimate\": %s",
		   mlpt_source_name(r->source),
		   r->source == MLPT_SRC_PAGEMAP ? "true" : "false");
	for (i = 0; i < ARRAY_SIZE(nums); i++)
		num(b, ",\n     ", nums[i].key, nums[i].v);
	/* null: no contiguous bit on this architecture, or not known */
	if (r->contiguous_known)
		num(b, ",\n     ", "contiguous_ptes", r->contiguous_ptes);
	else
		buf_printf(b, ",\n     \"contiguous_ptes\": null");
	buf_printf(b,
		   ",\n     \"va_lowest\": \"0x%016llx\", \"va_highest\": \"0x%016llx\",\n     \"levels\": [",
		   (unsigned long long)r->va_lowest,
		   (unsigned long long)r->va_highest);
	for (i = 0; i < MLPT_LEVELS; i++) {
		buf_printf(b, "%s\n      ", i ? "," : "");
		json_level(b, &r->level[i], mlpt_level_name[i]);
	}
	buf_printf(b, "],\n     \"nodes\": [");
	json_nodes(b, r);
	buf_printf(b, "],\n     \"comparison\": [");
	comparison(b, v);
	buf_printf(b, "]}");
}

void mlpt_json_reports(struct buf *b, const struct mlpt_view *v, size_t n)
{
	size_t i;

	buf_printf(b, "{\"mlpt_version\": \"%s\", \"format\": %d,\n  \"processes\": [\n",
		   MLPT_VERSION, MLPT_FORMAT);
	for (i = 0; i < n; i++) {
		process(b, &v[i]);
		buf_printf(b, "%s\n", i + 1 < n ? "," : "");
	}
	buf_printf(b, "  ]}\n");
}

/* --by cgroup: "charged_pagetables_bytes" null where memory.stat is not */
static void json_cgroups(struct buf *b, const struct mlpt_survey *s)
{
	size_t i;

	buf_printf(b, "  \"cgroups\": [\n");
	for (i = 0; i < s->ngroups; i++) {
		const struct mlpt_group *g = &s->group[i];

		buf_printf(b, "    {\"cgroup\": ");
		mlpt_json_str(b, g->cgroup);
		buf_printf(b, ", \"processes\": %zu", g->procs);
		num(b, ", ", "tree_bytes", g->tree);
		num(b, ", ", "vmpte_bytes", g->vmpte);
		num(b, ", ", "ceiling_bytes", g->ceiling);
		if (g->charged_known)
			num(b, ", ", "charged_pagetables_bytes", g->charged);
		else
			buf_printf(b, ", \"charged_pagetables_bytes\": null");
		buf_printf(b, "}%s\n", i + 1 < s->ngroups ? "," : "");
	}
	buf_printf(b, "  ],\n");
}

void mlpt_json_survey(struct buf *b, const struct mlpt_survey *s)
{
	struct mlpt_total t;
	size_t i;

	buf_printf(b,
		   "{\"mlpt_version\": \"%s\", \"source\": \"%s\", \"estimate\": %s,\n  \"processes\": [\n",
		   MLPT_VERSION, mlpt_source_name(s->source),
		   s->source == MLPT_SRC_PAGEMAP ? "true" : "false");
	for (i = 0; i < s->n; i++) {
		const struct mlpt_row *r = &s->row[i];

		buf_printf(b, "    {\"pid\": %d, \"user\": ", r->pid);
		mlpt_json_str(b, r->user);
		if (s->group) {
			buf_printf(b, ", \"cgroup\": ");
			mlpt_json_str(b, r->cgroup ? r->cgroup : "");
		}
		buf_printf(b, ", \"comm\": ");
		mlpt_json_str(b, r->comm);
			num(b, ", ", "vmas", r->vmas);
			num(b, ", ", "resident_bytes", r->resident);
			num(b, ", ", "tree_bytes", r->tree);
			num(b, ", ", "vmpte_bytes", r->vmpte);
			num(b, ", ", "linear_user_bytes", r->linear_user);
		num(b, ", ", "ceiling_bytes", r->ceiling);
		buf_printf(b, ", \"ceiling_over_ram_share\": %s",
			   r->over_share ? "true" : "false");
		buf_printf(b, ", \"ratio\": ");
		ratio(b, r->linear_user, r->tree);
		buf_printf(b, "}%s\n", i + 1 < s->n ? "," : "");
	}
	mlpt_survey_total(s, &t);
	buf_printf(b, "  ],\n  \"total\": {\"processes\": %zu, ", s->n);
	num(b, "", "tree_bytes", t.tree);
	num(b, ", ", "linear_user_bytes", t.linear_user);
	num(b, ", ", "ceiling_bytes", t.ceiling);
	buf_printf(b, ", \"ratio\": ");
	ratio(b, t.linear_user, t.tree);
	buf_printf(b, "},\n  \"ram_bytes\": %llu, \"ram_share_percent\": %u, ",
		   (unsigned long long)s->ram, s->ram_share);
	buf_printf(b, "\"over_ram_share\": %zu,\n", s->over_share);
	if (s->group)
		json_cgroups(b, s);
	buf_printf(b, "  \"skipped\": {");
	for (i = 0; i < MLPT_NR_SKIP; i++)
		num(b, i ? ", " : "", mlpt_skip_key[i], s->skipped[i]);
	buf_printf(b, "}}\n");
}

/*
 * The documents above are pretty-printed, but strings never hold a raw
 * line break (mlpt_json_str() escapes it), so dropping each line break
 * with the indentation after it leaves the same document on one line.
 */
void mlpt_json_line(struct buf *out, const struct buf *doc, const char *time)
{
	bool in_str = false, esc = false, skip = false;
	size_t i;

	for (i = 0; i < doc->len; i++) {
		char c = doc->s[i];

		if (skip && c == ' ')
			continue;
		skip = false;
		if (!in_str && c == '\n') {
			skip = true;
			continue;
		}
		buf_printf(out, "%c", c);
		if (!in_str && c == '{' && time) {
			buf_printf(out, "\"time\": ");
			mlpt_json_str(out, time);
			buf_printf(out, ", ");
			time = NULL;
		}
		if (in_str && !esc && c == '"')
			in_str = false;
		else if (!in_str && c == '"')
			in_str = true;
		esc = in_str && !esc && c == '\\';
	}
	buf_printf(out, "\n");
}
