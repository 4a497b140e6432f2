// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt shared in text, JSON and CSV (Prometheus: views/prom.c).
 */
#include <stdio.h>

#include "views/csv.h"
#include "views/json.h"
#include "views/prom.h"
#include "views/sharedout.h"
#include "views/text.h"

static void text(struct buf *b, const struct mlpt_out *o,
		 const struct mlpt_shared *s)
{
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN], range[48];
	size_t i, j;

	buf_printf(b,
		   "%zu objects mapped shared by the %zu processes read, most page-table bytes first\n",
		   s->nobj, s->read);
	mlpt_text_skipped(b, s->skipped);
	buf_printf(b, "\n%-8s %10s %-23s %5s %5s %5s %6s %9s %9s %9s  %s\n",
		   "dev", "inode", "offsets", "procs", "pud", "pmd", "pte",
		   "tables", "leaf", "hugetlb", "name");
	for (i = 0; i < s->nobj; i++) {
		const struct mlpt_sobj *x = &s->obj[i];

		snprintf(range, sizeof(range), "0x%llx-0x%llx",
			 (unsigned long long)x->first,
			 (unsigned long long)x->last);
		buf_printf(b, "%-8s %10llu %-23s %5zu %5llu %5llu %6llu %9s %9s %9s  %s\n",
			   x->map->row.dev,
			   (unsigned long long)x->map->row.inode, range, x->procs,
			   (unsigned long long)x->tables[MLPT_VCOL_PUD],
			   (unsigned long long)x->tables[MLPT_VCOL_PMD],
			   (unsigned long long)x->tables[MLPT_VCOL_PTE],
			   fmt_size(n1, x->table_bytes, o->bytes),
			   fmt_size(n2, x->leaf_bytes, o->bytes),
			   fmt_size(n3, x->huge.table_bytes, o->bytes),
			   x->map->row.name);
		buf_printf(b, "%-8s pids", "");
		for (j = 0; j < x->n; j++)
			if (!j || x->map[j].pid != x->map[j - 1].pid)
				buf_printf(b, " %d", x->map[j].pid);
		buf_printf(b, "\n");
	}
	buf_printf(b, "%s",
		   "\ntables: the pud, pmd and pte tables the walk reached first in these mappings\n"
		   "(a table shared with the mapping before it counts there); hugetlb: the\n"
		   "same mappings as shared 2 MiB hugetlb pages, no pte tables, one pmd table\n"
		   "per whole aligned 1 GiB of the file for all processes (pmd sharing)\n");
}

static void json_u64(struct buf *b, const char *sep, const char *key, u64 v)
{
	buf_printf(b, "%s\"%s\": %llu", sep, key, (unsigned long long)v);
}

/* the tables of a mapping or an object, their bytes and the leaves' */
static void json_tables(struct buf *b, const u64 *tables, u64 table_bytes,
			u64 leaf_bytes)
{
	json_u64(b, ", ", "pud", tables[MLPT_VCOL_PUD]);
	json_u64(b, ", ", "pmd", tables[MLPT_VCOL_PMD]);
	json_u64(b, ", ", "pte", tables[MLPT_VCOL_PTE]);
	json_u64(b, ", ", "table_bytes", table_bytes);
	json_u64(b, ", ", "leaf_bytes", leaf_bytes);
}

static void json_map(struct buf *b, const struct mlpt_smap *m)
{
	const struct mlpt_vrow *w = &m->row;

	buf_printf(b, "{\"pid\": %d, \"comm\": ", m->pid);
	mlpt_json_str(b, m->comm);
	buf_printf(b, ", \"start\": \"0x%016llx\", \"end\": \"0x%016llx\", \"perms\": ",
		   (unsigned long long)w->start, (unsigned long long)w->end);
	mlpt_json_str(b, w->perms);
	json_u64(b, ", ", "offset", w->offset);
	json_tables(b, w->tables, m->table_bytes, w->leaf_bytes);
	buf_printf(b, "}");
}

static void json_obj(struct buf *b, const struct mlpt_sobj *x)
{
	const struct mlpt_hugetlb *h = &x->huge;
	size_t j;

	buf_printf(b, "{\"dev\": ");
	mlpt_json_str(b, x->map->row.dev);
	json_u64(b, ", ", "inode", x->map->row.inode);
	json_u64(b, ", ", "offset_first", x->first);
	json_u64(b, ", ", "offset_last", x->last);
	buf_printf(b, ", \"name\": ");
	mlpt_json_str(b, x->map->row.name);
	json_u64(b, ", ", "processes", x->procs);
	json_tables(b, x->tables, x->table_bytes, x->leaf_bytes);
	json_u64(b, ",\n     \"hugetlb\": {", "pud", h->pud);
	json_u64(b, ", ", "pmd_shared", h->pmd_shared);
	json_u64(b, ", ", "pmd_own", h->pmd_own);
	json_u64(b, ", ", "pte", 0);
	json_u64(b, ", ", "table_bytes", h->table_bytes);
	buf_printf(b, "},\n     \"mappings\": [");
	for (j = 0; j < x->n; j++) {
		buf_printf(b, "%s\n       ", j ? "," : "");
		json_map(b, &x->map[j]);
	}
	buf_printf(b, "]}");
}

static void json(struct buf *b, const struct mlpt_shared *s)
{
	size_t i;

	buf_printf(b,
		   "{\"mlpt_version\": \"%s\", \"format\": %d, \"processes_read\": %zu,\n  \"objects\": [",
		   MLPT_VERSION, MLPT_FORMAT, s->read);
	for (i = 0; i < s->nobj; i++) {
		buf_printf(b, "%s\n    ", i ? "," : "");
		json_obj(b, &s->obj[i]);
	}
	buf_printf(b, "],\n  \"skipped\": {");
	for (i = 0; i < MLPT_NR_SKIP; i++)
		json_u64(b, i ? ", " : "", mlpt_skip_key[i], s->skipped[i]);
	buf_printf(b, "}}\n");
}

/* a row per mapping, the object's figures repeated on each */
static void csv(struct buf *b, const struct mlpt_shared *s)
{
	size_t i, j;

	buf_printf(b, "%s%s",
		   "dev,inode,offset_first,offset_last,processes,object_table_bytes,object_leaf_bytes,hugetlb_table_bytes,",
		   "pid,comm,start,end,perms,offset,pud,pmd,pte,table_bytes,leaf_bytes,name\n");
	for (i = 0; i < s->nobj; i++) {
		const struct mlpt_sobj *x = &s->obj[i];

		for (j = 0; j < x->n; j++) {
			const struct mlpt_smap *m = &x->map[j];
			const struct mlpt_vrow *w = &m->row;

			buf_printf(b, "%s,%llu,%llu,%llu,%zu,%llu,%llu,%llu,%d,",
				   w->dev, (unsigned long long)w->inode,
				   (unsigned long long)x->first,
				   (unsigned long long)x->last, x->procs,
				   (unsigned long long)x->table_bytes,
				   (unsigned long long)x->leaf_bytes,
				   (unsigned long long)x->huge.table_bytes,
				   m->pid);
			mlpt_csv_field(b, m->comm);
			buf_printf(b, ",0x%016llx,0x%016llx,%s,%llu,%llu,%llu,%llu,%llu,%llu,",
				   (unsigned long long)w->start,
				   (unsigned long long)w->end, w->perms,
				   (unsigned long long)w->offset,
				   (unsigned long long)w->tables[MLPT_VCOL_PUD],
				   (unsigned long long)w->tables[MLPT_VCOL_PMD],
				   (unsigned long long)w->tables[MLPT_VCOL_PTE],
				   (unsigned long long)m->table_bytes,
				   (unsigned long long)w->leaf_bytes);
			mlpt_csv_field(b, w->name);
			buf_printf(b, "\n");
		}
	}
}

void mlpt_shared_out(struct buf *b, const struct mlpt_out *o,
		     const struct mlpt_shared *s)
{
	if (o->fmt == MLPT_FMT_JSON)
		json(b, s);
	else if (o->fmt == MLPT_FMT_CSV)
		csv(b, s);
	else if (o->fmt == MLPT_FMT_PROM)
		mlpt_prom_shared(b, s);
	else
		text(b, o, s);
}
