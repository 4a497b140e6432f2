// SPDX-License-Identifier: GPL-2.0
/*
 * Group the shared mappings of every process by the object they map, and
 * add up what their page tables cost.
 *
 * An object is a (device, inode) and a range of file offsets: mappings of
 * one file whose offset ranges overlap, directly or through others, are
 * one object; two processes mapping disjoint parts of a file map two.
 *
 * Today's figure adds the pud, pmd and pte columns of the mappings' rows.
 * The walk counts a table in the first VMA that reaches it (docs/format.md,
 * `vmas`), so a table the object's first or last VMA shares with the
 * mapping before it in that process is counted in that neighbour, not
 * here, and one it shares with the mapping after it is counted here.
 * A mapping that starts on a 2 MiB boundary (pte table) and a 1 GiB
 * boundary (pmd table) shares nothing at its start.  (With 16 KiB pages
 * each "2 MiB" here is 32 MiB and each "1 GiB" 64 GiB: a pmd leaf and a
 * pmd table span a page of entries more, 2048 where 4 KiB pages have
 * 512; the process's report gives them.)
 *
 * The hugetlb figure is what the same mappings at the same addresses
 * would need as MAP_SHARED hugetlb with 2 MiB pages.  Those are pmd
 * leaves, so no pte table.  Their pmd tables can be shared: on x86-64,
 * arm64 and riscv64 (ARCH_WANT_HUGE_PMD_SHARE) huge_pmd_share() lets a mapping
 * use another process's pmd table when both are VM_MAYSHARE and each
 * covers the whole 1 GiB (PUD_SIZE) aligned range that table maps, at the
 * same file offset, with the same flags (want_pmd_share(),
 * page_table_shareable(); the figure takes the flags to be the same, as a
 * database's backends map their segment alike).  So each
 * aligned 1 GiB window of the file mapped whole costs one pmd table for
 * all its mappings, and each slot a mapping covers in part costs one
 * table of its own (counted even if a neighbouring VMA would share it).
 * The pud tables stay as the walk counted them.  The kernel still adds a
 * shared pmd table to every sharer's VmPTE (mm_inc_nr_pmds()); memory
 * holds it once, and memory is what this figure counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/shared.h"

int mlpt_shared_add(struct mlpt_shared *s, const struct mlpt_vmas *v)
{
	const struct mlpt_report *r = &v->sum;
	struct mlpt_smap *m;
	size_t i;

	for (i = 0; i < v->n; i++) {
		const struct mlpt_vrow *w = &v->row[i];

		if (!w->object || w->perms[3] != 's')
			continue;
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 64;
			m = realloc(s->map, s->cap * sizeof(*m));
			if (!m)
				return -1;
			s->map = m;
		}
		m = &s->map[s->n];
		memset(m, 0, sizeof(*m));
		m->row = *w;
		m->row.name = strdup(w->name);
		if (!m->row.name)
			return -1;
		s->n++;
		m->pid = r->pid;
		snprintf(m->comm, sizeof(m->comm), "%s", r->comm);
		m->table_bytes = mlpt_vrow_bytes(v, w);
		m->pud_table_bytes = r->level[MLPT_PUD].table_bytes;
		m->pmd_table_bytes = r->level[MLPT_PMD].table_bytes;
		m->huge = r->page_size * r->level[MLPT_PTE].entries;
		m->window = m->huge * r->level[MLPT_PMD].entries;
	}
	return 0;
}

static int cmp_u64(u64 a, u64 b)
{
	return a < b ? -1 : a > b;
}

/* by object, then file offset: the order grouping needs */
static int cmp_object(const void *pa, const void *pb)
{
	const struct mlpt_vrow *a = &((const struct mlpt_smap *)pa)->row;
	const struct mlpt_vrow *b = &((const struct mlpt_smap *)pb)->row;
	int c = strcmp(a->dev, b->dev);

	if (!c)
		c = cmp_u64(a->inode, b->inode);
	return c ? c : cmp_u64(a->offset, b->offset);
}

/* within an object: by process, then address */
static int cmp_pid(const void *pa, const void *pb)
{
	const struct mlpt_smap *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return cmp_u64(a->row.start, b->row.start);
}

static int cmp_key(const void *a, const void *b)
{
	return cmp_u64(*(const u64 *)a, *(const u64 *)b);
}

/* most table bytes first, then most processes, then by object */
static int cmp_cost(const void *pa, const void *pb)
{
	const struct mlpt_sobj *a = pa, *b = pb;

	if (a->table_bytes != b->table_bytes)
		return a->table_bytes > b->table_bytes ? -1 : 1;
	if (a->procs != b->procs)
		return a->procs > b->procs ? -1 : 1;
	return cmp_object(a->map, b->map);
}

/*
 * One mapping's pmd tables as hugetlb: each 1 GiB slot its 2 MiB-rounded
 * range meets is either whole (its key, the file offset at the slot's
 * start, goes to @keys) or partial (one table of its own).
 */
static void hugetlb_pmds(const struct mlpt_smap *m, u64 *keys, size_t *nkeys,
			 u64 *own)
{
	u64 a = m->row.start & ~(m->huge - 1);
	u64 b = (m->row.end + m->huge - 1) & ~(m->huge - 1);
	u64 slot;

	for (slot = a & ~(m->window - 1); slot < b; slot += m->window) {
		if (slot >= a && slot + m->window <= b)
			keys[(*nkeys)++] = m->row.offset + (slot - m->row.start);
		else
			(*own)++;
	}
}

static u64 slots(const struct mlpt_smap *m)
{
	u64 a = m->row.start & ~(m->window - 1);

	return (m->row.end - a + m->window - 1) / m->window;
}

static int cost(struct mlpt_sobj *o)
{
	struct mlpt_hugetlb *h = &o->huge;
	size_t i, nkeys = 0, max = 0;
	u64 *keys;
	int k;

	qsort(o->map, o->n, sizeof(*o->map), cmp_pid);
	for (i = 0; i < o->n; i++)
		max += slots(&o->map[i]);
	keys = malloc((max ? max : 1) * sizeof(*keys));
	if (!keys)
		return -1;
	for (i = 0; i < o->n; i++) {
		const struct mlpt_smap *m = &o->map[i];

		o->procs += !i || m->pid != o->map[i - 1].pid;
		for (k = 0; k < MLPT_NR_VCOL; k++)
			o->tables[k] += m->row.tables[k];
		o->table_bytes += m->table_bytes;
		o->leaf_bytes += m->row.leaf_bytes;
		h->pud += m->row.tables[MLPT_VCOL_PUD];
		h->table_bytes += m->row.tables[MLPT_VCOL_PUD] *
				  m->pud_table_bytes;
		hugetlb_pmds(m, keys, &nkeys, &h->pmd_own);
	}
	qsort(keys, nkeys, sizeof(*keys), cmp_key);
	for (i = 0; i < nkeys; i++)
		h->pmd_shared += !i || keys[i] != keys[i - 1];
	free(keys);
	h->table_bytes += (h->pmd_shared + h->pmd_own) *
			  o->map[0].pmd_table_bytes;
	return 0;
}

int mlpt_shared_group(struct mlpt_shared *s)
{
	struct mlpt_sobj *o;
	size_t i;

	qsort(s->map, s->n, sizeof(*s->map), cmp_object);
	s->obj = calloc(s->n ? s->n : 1, sizeof(*s->obj));
	if (!s->obj)
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct mlpt_vrow *w = &s->map[i].row;
		u64 end = w->offset + (w->end - w->start);

		o = s->nobj ? &s->obj[s->nobj - 1] : NULL;
		if (o && !strcmp(o->map->row.dev, w->dev) &&
		    o->map->row.inode == w->inode && w->offset < o->last) {
			o->n++;
			if (end > o->last)
				o->last = end;
			continue;
		}
		o = &s->obj[s->nobj++];
		o->map = &s->map[i];
		o->n = 1;
		o->first = w->offset;
		o->last = end;
	}
	for (i = 0; i < s->nobj; i++)
		if (cost(&s->obj[i]))
			return -1;
	qsort(s->obj, s->nobj, sizeof(*s->obj), cmp_cost);
	return 0;
}

void mlpt_shared_free(struct mlpt_shared *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->map[i].row.name);
	free(s->map);
	free(s->obj);
	memset(s, 0, sizeof(*s));
}
