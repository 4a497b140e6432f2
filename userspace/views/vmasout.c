// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt vmas in text, JSON and CSV.
 */
#include "views/csv.h"
#include "views/json.h"
#include "views/vmasout.h"

static void text(struct buf *b, const struct mlpt_out *o,
		 const struct mlpt_vmas *v)
{
	const struct mlpt_report *r = &v->sum;
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN];
	struct mlpt_vrow t;
	bool match;
	size_t i;

	buf_printf(b, "pid %d (%s): %zu VMAs by the page tables they reached first, most first\n\n",
		   r->pid, r->comm, v->n);
	buf_printf(b, "%-18s %-18s %-5s %9s %4s %4s %5s %9s %9s  %s\n",
		   "start", "end", "perms", "size", "pud", "pmd", "pte",
		   "tables", "leaf", "name");
	for (i = 0; i < v->n; i++) {
		const struct mlpt_vrow *w = &v->row[i];

		buf_printf(b, "0x%016llx 0x%016llx %-5s %9s %4llu %4llu %5llu %9s %9s  %s\n",
			   (unsigned long long)w->start,
			   (unsigned long long)w->end, w->perms,
			   fmt_size(n1, w->end - w->start, o->bytes),
			   (unsigned long long)w->tables[MLPT_VCOL_PUD],
			   (unsigned long long)w->tables[MLPT_VCOL_PMD],
			   (unsigned long long)w->tables[MLPT_VCOL_PTE],
			   fmt_size(n2, mlpt_vrow_bytes(v, w), o->bytes),
			   fmt_size(n3, w->leaf_bytes, o->bytes), w->name);
	}
	mlpt_vmas_total(v, &t, &match);
	buf_printf(b, "%-53s %4llu %4llu %5llu %9s %9s\n", "total",
		   (unsigned long long)t.tables[MLPT_VCOL_PUD],
		   (unsigned long long)t.tables[MLPT_VCOL_PMD],
		   (unsigned long long)t.tables[MLPT_VCOL_PTE],
		   fmt_size(n1, mlpt_vrow_bytes(v, &t), o->bytes),
		   fmt_size(n2, t.leaf_bytes, o->bytes));
	buf_printf(b, "summary (same walk): pud %llu, pmd %llu, pte %llu tables: %s\n",
		   (unsigned long long)r->level[MLPT_PUD].tables,
		   (unsigned long long)r->level[MLPT_PMD].tables,
		   (unsigned long long)r->level[MLPT_PTE].tables,
		   match ? "the columns sum to it" :
		   "MISMATCH, the columns should sum to it");
	buf_printf(b, "not in any row: the pgd%s, shared by every mapping (%s)\n",
		   r->level[MLPT_P4D].folded ? "" : " and p4d tables",
		   fmt_size(n3, r->level[MLPT_PGD].tables *
			    r->level[MLPT_PGD].table_bytes +
			    r->level[MLPT_P4D].tables *
			    r->level[MLPT_P4D].table_bytes, o->bytes));
}

static void json(struct buf *b, const struct mlpt_vmas *v)
{
	const struct mlpt_report *r = &v->sum;
	struct mlpt_vrow t;
	bool match;
	size_t i;

	buf_printf(b, "{\"mlpt_version\": \"%s\", \"format\": %d, \"pid\": %d, \"comm\": ",
		   MLPT_VERSION, MLPT_FORMAT, r->pid);
	mlpt_json_str(b, r->comm);
	buf_printf(b, ",\n  \"vmas\": [");
	for (i = 0; i < v->n; i++) {
		const struct mlpt_vrow *w = &v->row[i];

		buf_printf(b,
			   "%s\n    {\"start\": \"0x%016llx\", \"end\": \"0x%016llx\", \"perms\": ",
			   i ? "," : "", (unsigned long long)w->start,
			   (unsigned long long)w->end);
		mlpt_json_str(b, w->perms);
		buf_printf(b,
			   ", \"pud\": %llu, \"pmd\": %llu, \"pte\": %llu, \"table_bytes\": %llu, \"leaf_bytes\": %llu, \"name\": ",
			   (unsigned long long)w->tables[MLPT_VCOL_PUD],
			   (unsigned long long)w->tables[MLPT_VCOL_PMD],
			   (unsigned long long)w->tables[MLPT_VCOL_PTE],
			   (unsigned long long)mlpt_vrow_bytes(v, w),
			   (unsigned long long)w->leaf_bytes);
		mlpt_json_str(b, w->name);
		buf_printf(b, "}");
	}
	mlpt_vmas_total(v, &t, &match);
	buf_printf(b,
		   "],\n  \"total\": {\"pud\": %llu, \"pmd\": %llu, \"pte\": %llu, \"table_bytes\": %llu, \"leaf_bytes\": %llu, \"equals_summary\": %s}}\n",
		   (unsigned long long)t.tables[MLPT_VCOL_PUD],
		   (unsigned long long)t.tables[MLPT_VCOL_PMD],
		   (unsigned long long)t.tables[MLPT_VCOL_PTE],
		   (unsigned long long)mlpt_vrow_bytes(v, &t),
		   (unsigned long long)t.leaf_bytes, match ? "true" : "false");
}

static void csv(struct buf *b, const struct mlpt_vmas *v)
{
	size_t i;

	buf_printf(b, "pid,comm,start,end,perms,pud,pmd,pte,table_bytes,leaf_bytes,name\n");
	for (i = 0; i < v->n; i++) {
		const struct mlpt_vrow *w = &v->row[i];

		buf_printf(b, "%d,", v->sum.pid);
		mlpt_csv_field(b, v->sum.comm);
		buf_printf(b, ",0x%016llx,0x%016llx,%s,%llu,%llu,%llu,%llu,%llu,",
			   (unsigned long long)w->start,
			   (unsigned long long)w->end, w->perms,
			   (unsigned long long)w->tables[MLPT_VCOL_PUD],
			   (unsigned long long)w->tables[MLPT_VCOL_PMD],
			   (unsigned long long)w->tables[MLPT_VCOL_PTE],
			   (unsigned long long)mlpt_vrow_bytes(v, w),
			   (unsigned long long)w->leaf_bytes);
		mlpt_csv_field(b, w->name);
		buf_printf(b, "\n");
	}
}

void mlpt_vmas_out(struct buf *b, const struct mlpt_out *o,
		   const struct mlpt_vmas *v)
{
	if (o->fmt == MLPT_FMT_JSON)
		json(b, v);
	else if (o->fmt == MLPT_FMT_CSV)
		csv(b, v);
	else
		text(b, o, v);
}
