// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition format, for node_exporter's textfile
 * collector: every family once, HELP and TYPE first, then all its samples.
 */
#include <stdio.h>

#include "views/prom.h"

struct family {
	const char *name;
	const char *help;
};

/* label value: \ " and newline escaped; non-ASCII bytes become '?' */
static void label(struct buf *b, const char *name, const char *val)
{
	buf_printf(b, "%s=\"", name);
	for (; *val; val++) {
		unsigned char c = *val;

		if (c == '\\' || c == '"')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_printf(b, "\\n");
		else
			buf_printf(b, "%c", c < 0x20 || c >= 0x7f ? '?' : c);
	}
	buf_printf(b, "\"");
}

void mlpt_prom_label(struct buf *b, const char *name, const char *val)
{
	label(b, name, val);
}

void mlpt_prom_family(struct buf *b, const char *name, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void family(struct buf *b, const struct family *f)
{
	mlpt_prom_family(b, f->name, f->help);
}

/*
 * name{pid="..",comm="..",source=".."[,phase=".."]: source is "pagemap"
 * where the figures are an estimate, so no dashboard shows one as measured
 */
static void sample(struct buf *b, const char *name, int pid, const char *comm,
		   enum mlpt_source src, const char *phase)
{
	char p[16];

	snprintf(p, sizeof(p), "%d", pid);
	buf_printf(b, "%s{", name);
	label(b, "pid", p);
	buf_printf(b, ",");
	label(b, "comm", comm);
	buf_printf(b, ",");
	label(b, "source", mlpt_source_name(src));
	if (phase) {
		buf_printf(b, ",");
		label(b, "phase", phase);
	}
}

enum {
	F_TABLES, F_BYTES, F_PRESENT, F_LEAF, F_NONPRESENT, F_EMPTY,
	NR_LEVEL_F
};

static const struct family level_f[NR_LEVEL_F] = {
	{ "mlpt_level_tables", "Page-table pages of this level." },
	{ "mlpt_level_bytes", "Bytes of page tables of this level." },
	{ "mlpt_level_present_entries", "Present entries at this level." },
	{ "mlpt_level_leaf_entries",
	  "Entries at this level that map memory directly." },
	{ "mlpt_level_nonpresent_entries",
	  "Entries that are neither empty nor present (swap, migration)." },
	{ "mlpt_level_empty_tables",
	  "Tables of this level in which every entry is empty." },
};

static u64 level_value(const struct mlpt_level_stats *l, int f)
{
	switch (f) {
	case F_TABLES:
		return l->tables;
	case F_BYTES:
		return l->tables * l->table_bytes;
	case F_PRESENT:
		return l->present;
	case F_LEAF:
		return l->leaf;
	case F_NONPRESENT:
		return l->nonpresent;
	default:
		return l->empty_tables;
	}
}

static const struct family model_f = {
	"mlpt_model_bytes",
	"Bytes of page tables in this design (model=tree: the process's tree, measured; estimated where source=pagemap)."
};

static const struct family contiguous_f = {
	"mlpt_contiguous_pte_entries",
	"Present pte leaves with the contiguous bit (arm64), in ranges the TLB may cache as one entry."
};

/* no family without samples: only some architectures have the bit */
static void prom_contiguous(struct buf *b, const struct mlpt_view *v,
			    size_t n)
{
	size_t i;

	for (i = 0; i < n && !v[i].r->contiguous_known; i++)
		;
	if (i < n)
		family(b, &contiguous_f);
	for (; i < n; i++) {
		if (!v[i].r->contiguous_known)
			continue;
		sample(b, contiguous_f.name, v[i].r->pid, v[i].r->comm,
		       v[i].r->source, v[i].phase);
		buf_printf(b, "} %llu\n",
			   (unsigned long long)v[i].r->contiguous_ptes);
	}
}

static const struct family node_f = {
	"mlpt_node_tables",
	"Page-table pages of this level on this NUMA node."
};

static void prom_nodes(struct buf *b, const struct mlpt_view *v)
{
	const struct mlpt_report *r = v->r;
	char id[16];
	size_t i;
	int k;

	for (i = 0; i < r->nr_node; i++) {
		snprintf(id, sizeof(id), "%u", r->node[i].id);
		for (k = 0; k < MLPT_LEVELS; k++) {
			if (r->level[k].folded)
				continue;
			sample(b, node_f.name, r->pid, r->comm, r->source,
			       v->phase);
			buf_printf(b, ",");
			label(b, "node", id);
			buf_printf(b, ",");
			label(b, "level", mlpt_level_name[k]);
			buf_printf(b, "} %llu\n",
				   (unsigned long long)r->node[i].tables[k]);
		}
	}
}

void mlpt_prom_reports(struct buf *b, const struct mlpt_view *v, size_t n)
{
	size_t i;
	int f, k;

	for (f = 0; f < NR_LEVEL_F; f++) {
		family(b, &level_f[f]);
		for (i = 0; i < n; i++) {
			for (k = 0; k < MLPT_LEVELS; k++) {
				if (v[i].r->level[k].folded)
					continue;
				sample(b, level_f[f].name, v[i].r->pid,
				       v[i].r->comm, v[i].r->source,
				       v[i].phase);
				buf_printf(b, ",");
				label(b, "level", mlpt_level_name[k]);
				buf_printf(b, "} %llu\n", (unsigned long long)
					   level_value(&v[i].r->level[k], f));
			}
		}
	}
	prom_contiguous(b, v, n);
	/* no family without samples: a pagemap estimate knows no nodes */
	for (i = 0; i < n && !v[i].r->nr_node; i++)
		;
	if (i < n)
		family(b, &node_f);
	for (; i < n; i++)
		prom_nodes(b, &v[i]);
	family(b, &model_f);
	for (i = 0; i < n; i++) {
		for (k = 0; k < MLPT_NR_CMP; k++) {
			if (!v[i].cmp[k].valid)
				continue;
			sample(b, model_f.name, v[i].r->pid, v[i].r->comm,
			       v[i].r->source, v[i].phase);
			buf_printf(b, ",");
			label(b, "model", mlpt_cmp_key[k]);
			buf_printf(b, "} %llu\n",
				   (unsigned long long)v[i].cmp[k].bytes);
		}
	}
}

enum {
	S_VMAS, S_RESIDENT, S_TREE, S_VMPTE, S_LINEAR, S_CEILING, S_OVER,
	NR_SURVEY_F
};

static const struct family survey_f[NR_SURVEY_F] = {
	{ "mlpt_vmas", "Virtual memory areas of the process." },
	{ "mlpt_resident_bytes", "Bytes mapped by present leaf entries." },
	{ "mlpt_tree_bytes", "Bytes of the actual page-table tree." },
	{ "mlpt_vmpte_bytes", "The kernel's VmPTE figure, in bytes." },
	{ "mlpt_linear_user_bytes",
	  "Bytes a linear table for the user half would need." },
	{ "mlpt_ceiling_bytes",
	  "Bytes of the tree if every page of every mapping were touched." },
	{ "mlpt_ceiling_over_ram_share",
	  "1 if the ceiling exceeds the survey's share of RAM (--ram-share)." },
};

static u64 row_value(const struct mlpt_row *r, int f)
{
	const u64 v[NR_SURVEY_F] = {
		r->vmas, r->resident, r->tree, r->vmpte, r->linear_user,
		r->ceiling, r->over_share
	};

	return v[f];
}

enum { G_PROCS, G_TREE, G_VMPTE, G_CEILING, G_CHARGED, NR_GROUP_F };

static const struct family group_f[NR_GROUP_F] = {
	{ "mlpt_cgroup_processes", "Processes of the cgroup the survey read." },
	{ "mlpt_cgroup_tree_bytes",
	  "Bytes of the page-table trees of the cgroup's processes." },
	{ "mlpt_cgroup_vmpte_bytes",
	  "The kernel's VmPTE of the cgroup's processes, in bytes." },
	{ "mlpt_cgroup_ceiling_bytes",
	  "Bytes of their trees with every mapped page touched." },
	{ "mlpt_cgroup_charged_pagetables_bytes",
	  "The cgroup's memory.stat pagetables, its children included." },
};

/* --by cgroup: a sample per cgroup, labelled with its path */
static void prom_cgroups(struct buf *b, const struct mlpt_survey *s)
{
	size_t i;
	int f;

	for (f = 0; f < NR_GROUP_F; f++) {
		family(b, &group_f[f]);
		for (i = 0; i < s->ngroups; i++) {
			const struct mlpt_group *g = &s->group[i];
			const u64 v[NR_GROUP_F] = {
				g->procs, g->tree, g->vmpte, g->ceiling,
				g->charged
			};

			if (f == G_CHARGED && !g->charged_known)
				continue;
			buf_printf(b, "%s{", group_f[f].name);
			label(b, "cgroup", g->cgroup);
			buf_printf(b, ",");
			label(b, "source", mlpt_source_name(s->source));
			buf_printf(b, "} %llu\n", (unsigned long long)v[f]);
		}
	}
}

static const struct family skip_f = {
	"mlpt_skipped_processes",
	"Processes the survey could not read, by reason."
};

static void skipped(struct buf *b, const u64 *count)
{
	int f;

	family(b, &skip_f);
	for (f = 0; f < MLPT_NR_SKIP; f++) {
		buf_printf(b, "%s{", skip_f.name);
		label(b, "reason", mlpt_skip_key[f]);
		buf_printf(b, "} %llu\n", (unsigned long long)count[f]);
	}
}

void mlpt_prom_survey(struct buf *b, const struct mlpt_survey *s)
{
	size_t i;
	int f;

	for (f = 0; f < NR_SURVEY_F; f++) {
		family(b, &survey_f[f]);
		for (i = 0; i < s->n; i++) {
			sample(b, survey_f[f].name, s->row[i].pid,
			       s->row[i].comm, s->source, NULL);
			buf_printf(b, ",");
			label(b, "user", s->row[i].user);
			if (s->group) {
				buf_printf(b, ",");
				label(b, "cgroup", s->row[i].cgroup ?
				      s->row[i].cgroup : "");
			}
			buf_printf(b, "} %llu\n", (unsigned long long)
				   row_value(&s->row[i], f));
		}
	}
	if (s->group)
		prom_cgroups(b, s);
	skipped(b, s->skipped);
}

enum { SH_PROCS, SH_TABLES, SH_LEAF, SH_HUGETLB, NR_SHARED_F };

static const struct family shared_f[NR_SHARED_F] = {
	{ "mlpt_shared_object_processes", "Processes mapping the object shared." },
	{ "mlpt_shared_object_table_bytes",
	  "Bytes of the page tables of all its shared mappings together." },
	{ "mlpt_shared_object_leaf_bytes",
	  "Bytes its mappings map through present leaf entries, all together." },
	{ "mlpt_shared_object_hugetlb_table_bytes",
	  "Bytes of page tables the same mappings would need as shared hugetlb 2 MiB pages with pmd sharing."
	},
};

static u64 obj_value(const struct mlpt_sobj *o, int f)
{
	const u64 v[NR_SHARED_F] = {
		o->procs, o->table_bytes, o->leaf_bytes, o->huge.table_bytes
	};

	return v[f];
}

/* an object: its device, inode, first offset and name */
void mlpt_prom_shared(struct buf *b, const struct mlpt_shared *s)
{
	char ino[24], off[24];
	size_t i;
	int f;

	for (f = 0; f < NR_SHARED_F; f++) {
		family(b, &shared_f[f]);
		for (i = 0; i < s->nobj; i++) {
			const struct mlpt_sobj *o = &s->obj[i];

			snprintf(ino, sizeof(ino), "%llu",
				 (unsigned long long)o->map->row.inode);
			snprintf(off, sizeof(off), "%llu",
				 (unsigned long long)o->first);
			buf_printf(b, "%s{", shared_f[f].name);
			label(b, "dev", o->map->row.dev);
			buf_printf(b, ",");
			label(b, "inode", ino);
			buf_printf(b, ",");
			label(b, "offset", off);
			buf_printf(b, ",");
			label(b, "name", o->map->row.name);
			buf_printf(b, "} %llu\n",
				   (unsigned long long)obj_value(o, f));
		}
	}
	skipped(b, s->skipped);
}
