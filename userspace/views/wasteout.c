// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt waste in text, JSON, CSV and Prometheus.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "views/csv.h"
#include "views/json.h"
#include "views/prom.h"
#include "views/wasteout.h"

static const char *const remedy_title[MLPT_NR_REMEDIES] = {
	"dontneed", "+pt_reclaim", "munmap", "thp", "hugetlb",
};

/* "+2 MiB", "-4 KiB", "0" */
static const char *fmt_delta(char *dst, s64 v, bool exact)
{
	char n[NUM_LEN];

	if (!v)
		return "0";
	fmt_size(n, v < 0 ? (u64)-v : (u64)v, exact);
	snprintf(dst, NUM_LEN, "%c%.30s", v < 0 ? '-' : '+', n);
	return dst;
}

/* the ratio as a percentage, "-" when the mapping maps nothing */
static const char *fmt_share(char *dst, const struct mlpt_waste_row *x)
{
	double r = mlpt_waste_ratio(x);

	if (isinf(r))
		return "-";
	snprintf(dst, NUM_LEN, "%.1f%%", 100 * r);
	return dst;
}

static void text_head(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_waste *w)
{
	const struct mlpt_report *r = &w->v->sum;
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN];

	buf_printf(b, "pid %d (%s): page tables %s for %s mapped\n",
		   r->pid, r->comm, fmt_size(n1, w->table_bytes, o->bytes),
		   fmt_size(n2, r->resident_bytes, o->bytes));
	buf_printf(b, "pte tables: %llu, %llu of them empty (%s), %llu with 1 to 7 entries (%s)\n",
		   (unsigned long long)w->pte_tables,
		   (unsigned long long)w->empty,
		   fmt_size(n1, w->empty * r->level[MLPT_PTE].table_bytes,
			    o->bytes),
		   (unsigned long long)w->sparse,
		   fmt_size(n3, w->sparse * r->level[MLPT_PTE].table_bytes,
			    o->bytes));
	buf_printf(b, "this kernel: %s\n",
		   w->v->pt_reclaim == 1 ?
		   "CONFIG_PT_RECLAIM=y: MADV_DONTNEED of 2 MiB or more\n"
		   "  frees the pte tables it empties" :
		   "no CONFIG_PT_RECLAIM: MADV_DONTNEED frees no pte table,\n"
		   "  munmap() does");
}

static void text(struct buf *b, const struct mlpt_out *o,
		 const struct mlpt_waste *w, size_t top)
{
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN], cell[2 * NUM_LEN + 4];
	size_t i;
	int k;

	text_head(b, o, w);
	buf_printf(b, "\nmappings, most page-table bytes per mapped byte first (%zu of %zu):\n",
		   top, w->n);
	buf_printf(b, "%3s  %-37s %-5s %-7s %9s %9s %7s %5s %5s %5s  %s\n",
		   "#", "start-end", "perms", "kind", "tables", "mapped",
		   "ratio", "pte", "empty", "1-7", "name");
	for (i = 0; i < top; i++) {
		const struct mlpt_waste_row *x = &w->row[i];
		const struct mlpt_vrow *r = x->row;

		buf_printf(b, "%3zu  0x%016llx-0x%016llx %-5s %-7s ", i + 1,
			   (unsigned long long)r->start,
			   (unsigned long long)r->end, r->perms, r->occ.kind);
		buf_printf(b, "%9s %9s %7s %5llu %5llu %5llu  %s\n",
			   fmt_size(n1, x->table_bytes, o->bytes),
			   fmt_size(n2, r->leaf_bytes, o->bytes),
			   fmt_share(n3, x),
			   (unsigned long long)r->occ.pte_tables,
			   (unsigned long long)x->empty,
			   (unsigned long long)x->sparse, r->name);
	}
	buf_printf(b, "%s", "\nwhat each remedy would do to each: page-table bytes freed /\n"
		   "bytes mapped after, less before\n");
	buf_printf(b, "%3s ", "#");
	for (k = 0; k < MLPT_NR_REMEDIES; k++)
		buf_printf(b, k < MLPT_NR_REMEDIES - 1 ? " %-21s" : " %s\n",
			   remedy_title[k]);
	for (i = 0; i < top; i++) {
		const struct mlpt_waste_row *x = &w->row[i];

		buf_printf(b, "%3zu ", i + 1);
		for (k = 0; k < MLPT_NR_REMEDIES; k++) {
			const struct mlpt_remedy *m = &x->remedy[k];

			if (m->applies)
				snprintf(cell, sizeof(cell), "%s / %s",
					 fmt_size(n1, m->tables_freed, o->bytes),
					 fmt_delta(n2, m->mapped_delta,
						   o->bytes));
			else
				snprintf(cell, sizeof(cell), "n/a");
			buf_printf(b, k < MLPT_NR_REMEDIES - 1 ? " %-21s" : " %s\n",
				   cell);
		}
	}
	buf_printf(b, "%s",
		   "\ndontneed: MADV_DONTNEED of the whole mapping (anonymous and file, not mlock()ed); +pt_reclaim:\n"
		   "the same on a kernel with CONFIG_PT_RECLAIM; munmap: of a mapping that maps nothing now;\n"
		   "thp: MADV_HUGEPAGE, private anonymous, once collapsed (each pte table stays, deposited);\n"
		   "hugetlb: 2 MiB hugetlb pages instead (anonymous or shared), which reserve one per 2 MiB\n"
		   "mapped; shared hugetlb mappings may also share pmd tables: see mlpt shared.\n");
}

static void json_u64(struct buf *b, const char *key, u64 v)
{
	buf_printf(b, ", \"%s\": %llu", key, (unsigned long long)v);
}

static void json_row(struct buf *b, size_t rank, const struct mlpt_waste_row *x)
{
	const struct mlpt_vrow *r = x->row;
	double ratio = mlpt_waste_ratio(x);
	int k;

	buf_printf(b, "{\"rank\": %zu, \"start\": \"0x%016llx\", ", rank,
		   (unsigned long long)r->start);
	buf_printf(b, "\"end\": \"0x%016llx\", \"perms\": ",
		   (unsigned long long)r->end);
	mlpt_json_str(b, r->perms);
	buf_printf(b, ", \"kind\": ");
	mlpt_json_str(b, r->occ.kind);
	buf_printf(b, ", \"locked\": %s, \"name\": ",
		   r->occ.locked ? "true" : "false");
	mlpt_json_str(b, r->name);
	json_u64(b, "table_bytes", x->table_bytes);
	json_u64(b, "leaf_bytes", r->leaf_bytes);
	if (isinf(ratio))
		buf_printf(b, ", \"ratio\": null");
	else
		buf_printf(b, ", \"ratio\": %.6g", ratio);
	json_u64(b, "pte_tables", r->occ.pte_tables);
	json_u64(b, "empty_pte_tables", x->empty);
	json_u64(b, "sparse_pte_tables", x->sparse);
	json_u64(b, "huge_pmds", r->occ.huge_pmds);
	json_u64(b, "deposited_tables", r->occ.deposits);
	buf_printf(b, ",\n     \"remedies\": {");
	for (k = 0; k < MLPT_NR_REMEDIES; k++) {
		const struct mlpt_remedy *m = &x->remedy[k];

		buf_printf(b, "%s\"%s\": {\"applies\": %s", k ? ", " : "",
			   mlpt_remedy_name[k], m->applies ? "true" : "false");
		if (m->applies)
			buf_printf(b, ", \"tables_freed\": %llu, \"mapped_delta\": %lld",
				   (unsigned long long)m->tables_freed,
				   (long long)m->mapped_delta);
		if (k == MLPT_REMEDY_HUGETLB && m->applies)
			json_u64(b, "huge_pages", x->hugetlb_pages);
		buf_printf(b, "}");
	}
	buf_printf(b, "}}");
}

static void json(struct buf *b, const struct mlpt_waste *w, size_t top)
{
	const struct mlpt_report *r = &w->v->sum;
	size_t i;

	buf_printf(b, "{\"mlpt_version\": \"%s\", \"format\": %d, \"pid\": %d, \"comm\": ",
		   MLPT_VERSION, MLPT_FORMAT, r->pid);
	mlpt_json_str(b, r->comm);
	buf_printf(b, ", \"pt_reclaim\": %s",
		   w->v->pt_reclaim == 1 ? "true" : "false");
	json_u64(b, "table_bytes", w->table_bytes);
	json_u64(b, "kernel_pgtables_bytes", r->kernel_pgtables_bytes);
	json_u64(b, "resident_bytes", r->resident_bytes);
	json_u64(b, "pte_tables", w->pte_tables);
	json_u64(b, "empty_pte_tables", w->empty);
	json_u64(b, "sparse_pte_tables", w->sparse);
	json_u64(b, "mappings_total", w->n);
	buf_printf(b, ",\n  \"mappings\": [");
	for (i = 0; i < top; i++) {
		buf_printf(b, "%s\n    ", i ? "," : "");
		json_row(b, i + 1, &w->row[i]);
	}
	buf_printf(b, "]}\n");
}

static void csv(struct buf *b, const struct mlpt_waste *w, size_t top)
{
	const struct mlpt_report *r = &w->v->sum;
	size_t i;
	int k;

	buf_printf(b, "%s%s", "rank,pid,comm,start,end,perms,kind,locked,",
		   "table_bytes,leaf_bytes,ratio,pte_tables,empty_pte_tables,sparse_pte_tables");
	for (k = 0; k < MLPT_NR_REMEDIES; k++)
		buf_printf(b, ",%s_applies,%s_tables_freed,%s_mapped_delta",
			   mlpt_remedy_name[k], mlpt_remedy_name[k],
			   mlpt_remedy_name[k]);
	buf_printf(b, ",hugetlb_pages,name\n");
	for (i = 0; i < top; i++) {
		const struct mlpt_waste_row *x = &w->row[i];
		const struct mlpt_vrow *v = x->row;
		double ratio = mlpt_waste_ratio(x);

		buf_printf(b, "%zu,%d,", i + 1, r->pid);
		mlpt_csv_field(b, r->comm);
		buf_printf(b, ",0x%016llx,0x%016llx,%s,%s,%d,%llu,%llu,",
			   (unsigned long long)v->start,
			   (unsigned long long)v->end, v->perms, v->occ.kind,
			   v->occ.locked, (unsigned long long)x->table_bytes,
			   (unsigned long long)v->leaf_bytes);
		if (!isinf(ratio))
			buf_printf(b, "%.6g", ratio);
		buf_printf(b, ",%llu,%llu,%llu",
			   (unsigned long long)v->occ.pte_tables,
			   (unsigned long long)x->empty,
			   (unsigned long long)x->sparse);
		for (k = 0; k < MLPT_NR_REMEDIES; k++) {
			const struct mlpt_remedy *m = &x->remedy[k];

			if (m->applies)
				buf_printf(b, ",1,%llu,%lld",
					   (unsigned long long)m->tables_freed,
					   (long long)m->mapped_delta);
			else
				buf_printf(b, ",0,,");
		}
		buf_printf(b, ",%llu,", (unsigned long long)x->hugetlb_pages);
		mlpt_csv_field(b, v->name);
		buf_printf(b, "\n");
	}
}

/* pid, comm, start and name of row @x, and @remedy if not NULL */
static void prom_labels(struct buf *b, const struct mlpt_waste *w,
			const struct mlpt_waste_row *x, const char *remedy)
{
	char pid[16], start[24];

	snprintf(pid, sizeof(pid), "%d", w->v->sum.pid);
	snprintf(start, sizeof(start), "0x%016llx",
		 (unsigned long long)x->row->start);
	buf_printf(b, "{");
	mlpt_prom_label(b, "pid", pid);
	buf_printf(b, ",");
	mlpt_prom_label(b, "comm", w->v->sum.comm);
	buf_printf(b, ",");
	mlpt_prom_label(b, "start", start);
	buf_printf(b, ",");
	mlpt_prom_label(b, "name", x->row->name);
	if (remedy) {
		buf_printf(b, ",");
		mlpt_prom_label(b, "remedy", remedy);
	}
	buf_printf(b, "}");
}

enum { P_TABLES, P_LEAF, P_EMPTY, P_SPARSE, P_FREED, P_DELTA, NR_P };

static const char *const prom_family[NR_P][2] = {
	{ "mlpt_waste_table_bytes",
	  "Bytes of the page tables this mapping reached first, and its deposited tables." },
	{ "mlpt_waste_mapped_bytes", "Bytes this mapping's present leaves map." },
	{ "mlpt_waste_empty_pte_tables",
	  "Pte tables this mapping reaches in which every entry is empty." },
	{ "mlpt_waste_sparse_pte_tables",
	  "Pte tables this mapping reaches with 1 to 7 entries." },
	{ "mlpt_waste_remedy_tables_freed_bytes",
	  "Bytes of page tables the remedy would free in this mapping." },
	{ "mlpt_waste_remedy_mapped_delta_bytes",
	  "Bytes the mapping would map after the remedy, less before." },
};

static void prom(struct buf *b, const struct mlpt_waste *w, size_t top)
{
	size_t i;
	int f, k;

	for (f = 0; f < NR_P; f++) {
		mlpt_prom_family(b, prom_family[f][0], prom_family[f][1]);
		for (i = 0; i < top; i++) {
			const struct mlpt_waste_row *x = &w->row[i];
			u64 v[] = { x->table_bytes, x->row->leaf_bytes,
				    x->empty, x->sparse };

			if (f < P_FREED) {
				buf_printf(b, "%s", prom_family[f][0]);
				prom_labels(b, w, x, NULL);
				buf_printf(b, " %llu\n", (unsigned long long)v[f]);
				continue;
			}
			for (k = 0; k < MLPT_NR_REMEDIES; k++) {
				const struct mlpt_remedy *m = &x->remedy[k];

				if (!m->applies)
					continue;
				buf_printf(b, "%s", prom_family[f][0]);
				prom_labels(b, w, x, mlpt_remedy_name[k]);
				if (f == P_FREED)
					buf_printf(b, " %llu\n",
						   (unsigned long long)m->tables_freed);
				else
					buf_printf(b, " %lld\n",
						   (long long)m->mapped_delta);
			}
		}
	}
}

void mlpt_waste_out(struct buf *b, const struct mlpt_out *o,
		    const struct mlpt_waste *w, size_t top)
{
	if (top > w->n)
		top = w->n;
	if (o->fmt == MLPT_FMT_JSON)
		json(b, w, top);
	else if (o->fmt == MLPT_FMT_CSV)
		csv(b, w, top);
	else if (o->fmt == MLPT_FMT_PROM)
		prom(b, w, top);
	else
		text(b, o, w, top);
}
