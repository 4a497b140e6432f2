// SPDX-License-Identifier: GPL-2.0
/*
 * The aligned human tables (the default format).
 */
#include "output.h"

static const char *const estimate_note =
	"estimate from pagemap: only the tables that present and swapped pages need\n"
	"(a lower bound: empty, kept and deposited tables are invisible to it; a\n"
	"transparent huge page counts as 512 small pages)\n";

static void header(struct buf *b, const struct mlpt_view *v)
{
	const struct mlpt_report *r = v->r;
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN];

	buf_printf(b,
		   "pid %d (%s)%s%s: %u-level paging, %u-bit addresses, %s pages, %llu-byte entries\n",
		   r->pid, r->comm, v->phase ? ", " : "",
		   v->phase ? v->phase : "", r->paging_levels, r->va_bits,
		   fmt_human(n1, r->page_size),
		   (unsigned long long)r->entry_bytes);
	buf_printf(b, "%llu VMAs, %s mapped from 0x%012llx to 0x%012llx, %s resident\n",
		   (unsigned long long)r->vmas, fmt_human(n2, r->mapped_bytes),
		   (unsigned long long)r->va_lowest,
		   (unsigned long long)r->va_highest,
		   fmt_human(n3, r->resident_bytes));
	if (r->source == MLPT_SRC_PAGEMAP)
		buf_printf(b, "%s", estimate_note);
}

static void levels(struct buf *b, const struct mlpt_out *o,
		   const struct mlpt_report *r)
{
	char n1[NUM_LEN];
	int i, k;

	buf_printf(b,
		   "\nlevel   tables  present     next     leaf nonpresent  empty      bytes   fill\n");
	for (i = 0; i < MLPT_LEVELS; i++) {
		const struct mlpt_level_stats *l = &r->level[i];
		u64 slots = l->tables * l->entries;

		if (l->folded) {
			buf_printf(b, "%-5s   folded (the hardware skips this level)\n",
				   mlpt_level_name[i]);
			continue;
		}
		buf_printf(b, "%-5s %8llu %8llu %8llu %8llu %10llu %6llu %10s %5.1f%%\n",
			   mlpt_level_name[i],
			   (unsigned long long)l->tables,
			   (unsigned long long)l->present,
			   (unsigned long long)l->next,
			   (unsigned long long)l->leaf,
			   (unsigned long long)l->nonpresent,
			   (unsigned long long)l->empty_tables,
			   fmt_size(n1, l->tables * l->table_bytes, o->bytes),
			   slots ? 100.0 * (l->present + l->nonpresent) / slots
				 : 0);
	}
	buf_printf(b, "\noccupancy: tables by non-empty entries\nlevel");
	for (k = 0; k < MLPT_BUCKETS; k++)
		buf_printf(b, " %8s", mlpt_bucket_name[k]);
	buf_printf(b, "\n");
	for (i = 0; i < MLPT_LEVELS; i++) {
		if (r->level[i].folded)
			continue;
		buf_printf(b, "%-5s", mlpt_level_name[i]);
		for (k = 0; k < MLPT_BUCKETS; k++)
			buf_printf(b, " %8llu", (unsigned long long)
				   r->level[i].occupancy[k]);
		buf_printf(b, "\n");
	}
}

static void comparison(struct buf *b, const struct mlpt_view *v)
{
	u64 tree = v->cmp[MLPT_CMP_TREE].bytes;
	char n1[NUM_LEN], n2[NUM_LEN];
	int i;

	buf_printf(b, "\n%-40s %16s %9s %11s\n", "page tables as", "bytes",
		   "size", "vs tree");
	for (i = 0; i < MLPT_NR_CMP; i++) {
		const struct mlpt_cmp *c = &v->cmp[i];

		if (!c->valid) {
			buf_printf(b, "%-40s n/a: %s\n", mlpt_cmp_label[i],
				   mlpt_cmp_why(v->r, i));
			continue;
		}
		buf_printf(b, "%-40s %16llu %9s %11s\n", mlpt_cmp_label[i],
			   (unsigned long long)c->bytes,
			   fmt_human(n1, c->bytes),
			   tree ? fmt_ratio(n2, mlpt_ratio(c->bytes, tree))
				: "-");
	}
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
		comparison(b, &v[i]);
	}
}

static void text_skipped(struct buf *b, const struct mlpt_survey *s)
{
	const char *sep = "";
	int i;

	buf_printf(b, "skipped:");
	for (i = 0; i < MLPT_NR_SKIP; i++) {
		if (!s->skipped[i])
			continue;
		buf_printf(b, "%s %llu %s", sep,
			   (unsigned long long)s->skipped[i],
			   mlpt_skip_label[i]);
		sep = ",";
	}
	buf_printf(b, "%s\n", *sep ? "" : " none");
}

void mlpt_text_survey(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_survey *s)
{
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN], n4[NUM_LEN];
	struct mlpt_total t;
	size_t i;

	if (s->source == MLPT_SRC_PAGEMAP)
		buf_printf(b, "%s", estimate_note);
	buf_printf(b, "%7s %-8s %-15s %5s %10s %10s %10s %10s %9s\n", "PID",
		   "USER", "COMMAND", "VMAS", "RESIDENT", "TREE", "VmPTE",
		   "LIN-USER", "RATIO");
	for (i = 0; i < s->n; i++) {
		const struct mlpt_row *r = &s->row[i];

		buf_printf(b, "%7d %-8.8s %-15.15s %5llu %10s %10s %10s %10s %9.0f\n",
			   r->pid, r->user, r->comm,
			   (unsigned long long)r->vmas,
			   fmt_size(n1, r->resident, o->bytes),
			   fmt_size(n2, r->tree, o->bytes),
			   fmt_size(n3, r->vmpte, o->bytes),
			   fmt_size(n4, r->linear_user, o->bytes),
			   mlpt_row_ratio(r));
	}
	mlpt_survey_total(s, &t);
	buf_printf(b,
		   "%zu processes: page tables %s; linear tables would need %s (%.0f times more)\n",
		   s->n, fmt_size(n1, t.tree, o->bytes),
		   fmt_size(n2, t.linear_user, o->bytes),
		   mlpt_ratio(t.linear_user, t.tree));
	text_skipped(b, s);
}
