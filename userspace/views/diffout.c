// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt diff and --growth: per process its totals, its levels (tables,
 * present entries, bytes) and its mappings (pud, pmd and pte tables and
 * their bytes), each before, after and the change.  A figure one side does
 * not know is "-" in text, null in JSON, and has no row in CSV or
 * Prometheus.
 */
#include <stdio.h>

#include "base/table.h"
#include "views/csv.h"
#include "views/diffout.h"
#include "views/json.h"
#include "views/prom.h"

/* "+72 KiB", "-4 KiB", "0", or a count "+16" */
static const char *signed_fig(char *dst, const struct mlpt_change *c,
			      bool size, bool exact)
{
	long long d = mlpt_change_delta(c);
	u64 mag = d < 0 ? -(u64)d : (u64)d;
	char n[NUM_LEN];

	if (!d)
		return "0";
	if (size)
		fmt_size(n, mag, exact);
	else
		snprintf(n, sizeof(n), "%llu", (unsigned long long)mag);
	snprintf(dst, NUM_LEN + 2, "%c%s", d < 0 ? '-' : '+', n);
	return dst;
}

static void text_totals(struct buf *b, const struct mlpt_out *o,
			const struct mlpt_dproc *p)
{
	static const char *const name[MLPT_NR_ST] = {
		"tree", "VmPTE", "resident"
	};
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN + 2];
	const char *sep = "  ";
	int t;

	for (t = 0; t < MLPT_NR_ST; t++) {
		const struct mlpt_change *c = &p->total[t];

		if (!c->known)
			continue;
		buf_printf(b, "%s%s %s -> %s (%s)", sep, name[t],
			   fmt_size(n1, c->before, o->bytes),
			   fmt_size(n2, c->after, o->bytes),
			   signed_fig(n3, c, true, o->bytes));
		sep = ", ";
	}
	if (*sep == ',')
		buf_printf(b, "\n");
}

static void text_levels(struct buf *b, const struct mlpt_out *o,
			const struct mlpt_dproc *p)
{
	static const struct table_col col[] = {
		TABLE_NAME(5), TABLE_FIGURE(14), TABLE_FIGURE(7),
		TABLE_FIGURE(14), TABLE_FIGURE(7), TABLE_FIGURE(20),
		TABLE_FIGURE(9),
	};
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN + 2];
	struct table t;
	int k, q;

	table_init(&t, col, ARRAY_SIZE(col));
	table_cell(&t, "level");
	for (q = 0; q < MLPT_NR_SQ; q++) {
		table_cell(&t, "%s", mlpt_sq_name[q]);
		table_cell(&t, "change");
	}
	table_row(&t);
	for (k = 0; k < MLPT_LEVELS; k++) {
		if (!p->level_shown[k])
			continue;
		table_cell(&t, "%s", mlpt_level_name[k]);
		for (q = 0; q < MLPT_NR_SQ; q++) {
			const struct mlpt_change *c = &p->level[k][q];
			bool size = q == MLPT_SQ_BYTES;

			if (!c->known) {
				table_cell(&t, "-");
				table_cell(&t, "-");
				continue;
			}
			if (size)
				table_cell(&t, "%s -> %s",
					   fmt_size(n1, c->before, o->bytes),
					   fmt_size(n2, c->after, o->bytes));
			else
				table_cell(&t, "%llu -> %llu",
					   (unsigned long long)c->before,
					   (unsigned long long)c->after);
			table_cell(&t, "%s", signed_fig(n3, c, size, o->bytes));
		}
		table_row(&t);
	}
	table_print(b, &t);
}

static void text_maps(struct buf *b, const struct mlpt_out *o,
		      const struct mlpt_dproc *p)
{
	static const struct table_col col[] = {
		TABLE_NAME(18), TABLE_NAME(18), TABLE_NAME(5), TABLE_NAME(6),
		TABLE_FIGURE(4), TABLE_FIGURE(4), TABLE_FIGURE(5),
		TABLE_FIGURE(11), TABLE_NAME(0),
	};
	char n[NUM_LEN + 2];
	struct table t;
	size_t i;
	int k;

	table_init(&t, col, ARRAY_SIZE(col));
	table_cell(&t, "start");
	table_cell(&t, "end");
	table_cell(&t, "perms");
	table_cell(&t, "status");
	for (k = 0; k < MLPT_NR_VCOL; k++)
		table_cell(&t, "%s", mlpt_level_name[mlpt_vcol_level[k]]);
	table_cell(&t, "table bytes");
	table_cell(&t, "name");
	table_row(&t);
	for (i = 0; i < p->nr_map; i++) {
		const struct mlpt_dmap *m = &p->map[i];

		table_cell(&t, "0x%016llx", (unsigned long long)m->m->start);
		table_cell(&t, "0x%016llx", (unsigned long long)m->m->end);
		table_cell(&t, "%s", m->m->perms);
		table_cell(&t, "%s", m->status == MLPT_D_BOTH ? "" :
			   mlpt_dstatus_name[m->status]);
		for (k = 0; k < MLPT_NR_VCOL; k++)
			table_cell(&t, "%s",
				   signed_fig(n, &m->tables[k], false, false));
		table_cell(&t, "%s", signed_fig(n, &m->bytes, true, o->bytes));
		table_cell(&t, "%s", m->m->name);
		table_row(&t);
	}
	table_print(b, &t);
}

static void text(struct buf *b, const struct mlpt_out *o,
		 const struct mlpt_diff *d)
{
	const char *verb = d->growth ? "grew" : "changed";
	size_t i;

	if (d->growth && *d->before_time)
		buf_printf(b, "what grew since %s (the first sample)%s%s\n\n",
			   d->before_time, *d->after_time ? " to " : "",
			   d->after_time);
	else if (*d->before_time && *d->after_time)
		buf_printf(b, "what changed from %s to %s\n\n",
			   d->before_time, d->after_time);
	for (i = 0; i < d->n; i++) {
		const struct mlpt_dproc *p = &d->proc[i];

		buf_printf(b, "pid %d (%s)%s%s%s%s\n", p->p->pid, p->p->comm,
			   *p->p->phase ? " at " : "", p->p->phase,
			   p->status == MLPT_D_BOTH ? "" : ": ",
			   p->status == MLPT_D_NEW ? "new, counted from nothing" :
			   p->status == MLPT_D_GONE ? "gone, counted to nothing" :
			   "");
		text_totals(b, o, p);
		buf_printf(b, "\n");
		text_levels(b, o, p);
		if (p->nr_map) {
			buf_printf(b, "\nmappings that %s:\n", verb);
			text_maps(b, o, p);
		} else if (p->has_maps) {
			buf_printf(b, "\nno mapping %s\n", verb);
		}
		buf_printf(b, "\n");
	}
	if (!d->n)
		buf_printf(b, "nothing %s\n", verb);
	if (d->unchanged)
		buf_printf(b, "%zu process%s %s\n", d->unchanged,
			   d->unchanged == 1 ? "" : "es",
			   d->growth ? "did not grow" : "unchanged");
}

/* "key": {"before": B, "after": A, "change": C}, or "key": null */
static void json_change(struct buf *b, const char *sep, const char *key,
			const struct mlpt_change *c)
{
	buf_printf(b, "%s\"%s\": ", sep, key);
	if (!c->known) {
		buf_printf(b, "null");
		return;
	}
	buf_printf(b, "{\"before\": %llu, \"after\": %llu, \"change\": %lld}",
		   (unsigned long long)c->before, (unsigned long long)c->after,
		   mlpt_change_delta(c));
}

static void json_time(struct buf *b, const char *key, const char *t)
{
	buf_printf(b, "\"%s\": ", key);
	if (*t)
		mlpt_json_str(b, t);
	else
		buf_printf(b, "null");
}

static void json_maps(struct buf *b, const struct mlpt_dproc *p)
{
	size_t i;
	int k;

	if (!p->has_maps) {
		buf_printf(b, "null");
		return;
	}
	buf_printf(b, "[");
	for (i = 0; i < p->nr_map; i++) {
		const struct mlpt_dmap *m = &p->map[i];

		buf_printf(b, "%s\n       {\"start\": \"0x%016llx\", ",
			   i ? "," : "", (unsigned long long)m->m->start);
		buf_printf(b, "\"end\": \"0x%016llx\", \"perms\": ",
			   (unsigned long long)m->m->end);
		mlpt_json_str(b, m->m->perms);
		buf_printf(b, ", \"name\": ");
		mlpt_json_str(b, m->m->name);
		buf_printf(b, ", \"status\": \"%s\"",
			   mlpt_dstatus_name[m->status]);
		for (k = 0; k < MLPT_NR_VCOL; k++)
			json_change(b, ", ", mlpt_level_name[mlpt_vcol_level[k]],
				    &m->tables[k]);
		json_change(b, ", ", "table_bytes", &m->bytes);
		buf_printf(b, "}");
	}
	buf_printf(b, "]");
}

static void json_proc(struct buf *b, const struct mlpt_dproc *p)
{
	const char *sep = "";
	int k, q;

	buf_printf(b, "    {\"pid\": %d, \"comm\": ", p->p->pid);
	mlpt_json_str(b, p->p->comm);
	if (*p->p->phase)
		buf_printf(b, ", \"phase\": \"%s\"", p->p->phase);
	buf_printf(b, ", \"status\": \"%s\",\n     \"totals\": {",
		   mlpt_dstatus_name[p->status]);
	for (k = 0; k < MLPT_NR_ST; k++)
		json_change(b, k ? ", " : "", mlpt_st_name[k], &p->total[k]);
	buf_printf(b, "},\n     \"levels\": [");
	for (k = 0; k < MLPT_LEVELS; k++) {
		if (!p->level_shown[k])
			continue;
		buf_printf(b, "%s\n       {\"level\": \"%s\"", sep,
			   mlpt_level_name[k]);
		for (q = 0; q < MLPT_NR_SQ; q++)
			json_change(b, ", ", mlpt_sq_name[q], &p->level[k][q]);
		buf_printf(b, "}");
		sep = ",";
	}
	buf_printf(b, "],\n     \"mappings\": ");
	json_maps(b, p);
	buf_printf(b, "}");
}

static void json(struct buf *b, const struct mlpt_diff *d)
{
	size_t i;

	buf_printf(b, "{\"mlpt_version\": \"%s\", \"diff\": \"%s\", ",
		   MLPT_VERSION, d->growth ? "growth" : "changes");
	json_time(b, "before_time", d->before_time);
	buf_printf(b, ", ");
	json_time(b, "after_time", d->after_time);
	buf_printf(b, ", \"unchanged\": %zu,\n  \"processes\": [\n",
		   d->unchanged);
	for (i = 0; i < d->n; i++) {
		json_proc(b, &d->proc[i]);
		buf_printf(b, "%s\n", i + 1 < d->n ? "," : "");
	}
	buf_printf(b, "  ]}\n");
}

/* the first columns of a CSV row, up to and with the status */
static void csv_ident(struct buf *b, const struct mlpt_dproc *p,
		      enum mlpt_dstatus st)
{
	buf_printf(b, "%d,", p->p->pid);
	mlpt_csv_field(b, p->p->comm);
	buf_printf(b, ",%s,%s,", p->p->phase, mlpt_dstatus_name[st]);
}

static void csv_fig(struct buf *b, const char *quantity,
		    const struct mlpt_change *c)
{
	buf_printf(b, ",%s,%llu,%llu,%lld\n", quantity,
		   (unsigned long long)c->before, (unsigned long long)c->after,
		   mlpt_change_delta(c));
}

static void csv_maps(struct buf *b, const struct mlpt_dproc *p)
{
	size_t i;
	int k;

	for (i = 0; i < p->nr_map; i++) {
		const struct mlpt_dmap *m = &p->map[i];

		for (k = 0; k <= MLPT_NR_VCOL; k++) {
			csv_ident(b, p, m->status);
			buf_printf(b, "mapping,");
			mlpt_csv_field(b, m->m->name);
			buf_printf(b, ",0x%016llx,0x%016llx",
				   (unsigned long long)m->m->start,
				   (unsigned long long)m->m->end);
			if (k < MLPT_NR_VCOL)
				csv_fig(b, mlpt_level_name[mlpt_vcol_level[k]],
					&m->tables[k]);
			else
				csv_fig(b, "table_bytes", &m->bytes);
		}
	}
}

static void csv(struct buf *b, const struct mlpt_diff *d)
{
	size_t i;
	int k, q;

	buf_printf(b, "pid,comm,phase,status,kind,name,start,end,quantity,before,after,change\n");
	for (i = 0; i < d->n; i++) {
		const struct mlpt_dproc *p = &d->proc[i];

		for (k = 0; k < MLPT_NR_ST; k++) {
			if (!p->total[k].known)
				continue;
			csv_ident(b, p, p->status);
			buf_printf(b, "total,%s,,", mlpt_st_name[k]);
			csv_fig(b, "bytes", &p->total[k]);
		}
		for (k = 0; k < MLPT_LEVELS; k++) {
			for (q = 0; p->level_shown[k] && q < MLPT_NR_SQ; q++) {
				if (!p->level[k][q].known)
					continue;
				csv_ident(b, p, p->status);
				buf_printf(b, "level,%s,,", mlpt_level_name[k]);
				csv_fig(b, mlpt_sq_name[q], &p->level[k][q]);
			}
		}
		csv_maps(b, p);
	}
}

/* name{pid="..",comm="..",status=".."[,phase=".."] */
static void prom_sample(struct buf *b, const char *name,
			const struct mlpt_dproc *p, enum mlpt_dstatus st)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", p->p->pid);
	buf_printf(b, "%s{", name);
	mlpt_prom_label(b, "pid", pid);
	buf_printf(b, ",");
	mlpt_prom_label(b, "comm", p->p->comm);
	buf_printf(b, ",");
	mlpt_prom_label(b, "status", mlpt_dstatus_name[st]);
	if (*p->p->phase) {
		buf_printf(b, ",");
		mlpt_prom_label(b, "phase", p->p->phase);
	}
}

static void prom_map(struct buf *b, const char *name,
		     const struct mlpt_dproc *p, const struct mlpt_dmap *m)
{
	char a[24];

	prom_sample(b, name, p, m->status);
	snprintf(a, sizeof(a), "0x%016llx", (unsigned long long)m->m->start);
	buf_printf(b, ",");
	mlpt_prom_label(b, "start", a);
	snprintf(a, sizeof(a), "0x%016llx", (unsigned long long)m->m->end);
	buf_printf(b, ",");
	mlpt_prom_label(b, "end", a);
	buf_printf(b, ",");
	mlpt_prom_label(b, "name", m->m->name);
}

static void prom_map_tables(struct buf *b, const struct mlpt_dproc *p,
			    const struct mlpt_dmap *m)
{
	int k;

	for (k = 0; k < MLPT_NR_VCOL; k++) {
		prom_map(b, "mlpt_diff_mapping_tables", p, m);
		buf_printf(b, ",");
		mlpt_prom_label(b, "level", mlpt_level_name[mlpt_vcol_level[k]]);
		buf_printf(b, "} %lld\n", mlpt_change_delta(&m->tables[k]));
	}
}

static void family(struct buf *b, const char *name, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void prom_levels(struct buf *b, const struct mlpt_diff *d, int q)
{
	static const char *const name[MLPT_NR_SQ] = {
		"mlpt_diff_level_tables", "mlpt_diff_level_entries",
		"mlpt_diff_level_bytes"
	};
	static const char *const help[MLPT_NR_SQ] = {
		"Change in the page-table pages of this level.",
		"Change in the present entries of this level.",
		"Change in the bytes of page tables of this level.",
	};
	size_t i;
	int k;

	family(b, name[q], help[q]);
	for (i = 0; i < d->n; i++) {
		for (k = 0; k < MLPT_LEVELS; k++) {
			const struct mlpt_change *c = &d->proc[i].level[k][q];

			if (!d->proc[i].level_shown[k] || !c->known)
				continue;
			prom_sample(b, name[q], &d->proc[i], d->proc[i].status);
			buf_printf(b, ",");
			mlpt_prom_label(b, "level", mlpt_level_name[k]);
			buf_printf(b, "} %lld\n", mlpt_change_delta(c));
		}
	}
}

static void prom(struct buf *b, const struct mlpt_diff *d)
{
	size_t i, j;
	int k, q;

	family(b, "mlpt_diff_total_bytes",
	       "Change in a process's tree, VmPTE or resident bytes.");
	for (i = 0; i < d->n; i++) {
		for (k = 0; k < MLPT_NR_ST; k++) {
			if (!d->proc[i].total[k].known)
				continue;
			prom_sample(b, "mlpt_diff_total_bytes", &d->proc[i],
				    d->proc[i].status);
			buf_printf(b, ",");
			mlpt_prom_label(b, "total", mlpt_st_name[k]);
			buf_printf(b, "} %lld\n",
				   mlpt_change_delta(&d->proc[i].total[k]));
		}
	}
	for (q = 0; q < MLPT_NR_SQ; q++)
		prom_levels(b, d, q);
	family(b, "mlpt_diff_mapping_tables",
	       "Change in the page tables of this level a mapping reached first.");
	for (i = 0; i < d->n; i++)
		for (j = 0; j < d->proc[i].nr_map; j++)
			prom_map_tables(b, &d->proc[i], &d->proc[i].map[j]);
	family(b, "mlpt_diff_mapping_bytes",
	       "Change in the bytes of the page tables a mapping reached first.");
	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->proc[i].nr_map; j++) {
			prom_map(b, "mlpt_diff_mapping_bytes", &d->proc[i],
				 &d->proc[i].map[j]);
			buf_printf(b, "} %lld\n",
				   mlpt_change_delta(&d->proc[i].map[j].bytes));
		}
	}
}

void mlpt_diff_out(struct buf *b, const struct mlpt_out *o,
		   const struct mlpt_diff *d)
{
	switch (o->fmt) {
	case MLPT_FMT_JSON:
		json(b, d);
		break;
	case MLPT_FMT_CSV:
		csv(b, d);
		break;
	case MLPT_FMT_PROM:
		prom(b, d);
		break;
	default:
		text(b, o, d);
	}
}
