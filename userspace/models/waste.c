// SPDX-License-Identifier: GPL-2.0
/*
 * What each remedy does to the page tables of one mapping, from what the
 * module counted in it (docs/tool.md, "mlpt waste", says why each rule
 * is the kernel's):
 *
 * - MADV_DONTNEED of the whole mapping unmaps every page.  The huge pmds
 *   go with the pte tables deposited behind them; the pte tables stay,
 *   empty, unless the kernel has CONFIG_PT_RECLAIM, which frees those the
 *   zap empties whole, if the range is at least 2 MiB: pte-reclaim.  Not
 *   for mlock()ed, hugetlb or special (PFN) mappings.
 * - munmap() of a mapping that maps nothing frees the tables whose window
 *   lies between its neighbours: own-pte, own-pmd, own-pud, own-p4d.
 * - MADV_HUGEPAGE on private anonymous memory: every pte table whose
 *   2 MiB lies inside the mapping becomes a huge pmd once khugepaged (or
 *   MADV_COLLAPSE) collapses it, and the kernel keeps that very table
 *   deposited behind the pmd: no table bytes freed, and the whole 2 MiB
 *   becomes mapped memory.
 * - hugetlb 2 MiB pages, for anonymous memory but the stack and for
 *   shared mappings (a hugetlbfs file or SysV segment instead): no pte
 *   table and no deposit, so the pte tables that are the mapping's own
 *   and its deposits go; each 2 MiB window it maps anything in becomes a
 *   whole huge page, and mmap() reserves a huge page for every 2 MiB of
 *   the mapping.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/waste.h"

const char *const mlpt_remedy_name[MLPT_NR_REMEDIES] = {
	[MLPT_REMEDY_DONTNEED] = "dontneed",
	[MLPT_REMEDY_DONTNEED_RECLAIM] = "dontneed_pt_reclaim",
	[MLPT_REMEDY_MUNMAP] = "munmap",
	[MLPT_REMEDY_THP] = "thp",
	[MLPT_REMEDY_HUGETLB] = "hugetlb",
};

double mlpt_waste_ratio(const struct mlpt_waste_row *r)
{
	if (!r->row->leaf_bytes)
		return r->table_bytes ? INFINITY : 0;
	return (double)r->table_bytes / (double)r->row->leaf_bytes;
}

/* bytes one pte table maps: 2 MiB with 4 KiB pages */
static u64 pte_window(const struct mlpt_report *sum)
{
	return sum->page_size * sum->level[MLPT_PTE].entries;
}

static void dontneed(struct mlpt_remedy *m, const struct mlpt_vrow *r,
		     const struct mlpt_report *sum, bool reclaim)
{
	const struct mlpt_vocc *o = &r->occ;
	u64 pte = sum->level[MLPT_PTE].table_bytes;
	u64 window = pte_window(sum);

	m->applies = !o->locked && (!strcmp(o->kind, "anon") ||
				    !strcmp(o->kind, "file"));
	if (!m->applies)
		return;
	m->tables_freed = o->deposits * pte;
	if (reclaim && r->end - r->start >= window)
		m->tables_freed += o->pte_reclaim * pte;
	m->mapped_delta = -(s64)r->leaf_bytes;
}

static void munmap_untouched(struct mlpt_remedy *m, const struct mlpt_vrow *r,
			     const struct mlpt_report *sum)
{
	int l;

	m->applies = !r->leaf_bytes && strcmp(r->occ.kind, "special");
	if (!m->applies)
		return;
	for (l = MLPT_P4D; l < MLPT_LEVELS; l++)
		m->tables_freed += r->occ.own[l] * sum->level[l].table_bytes;
}

static void thp(struct mlpt_remedy *m, const struct mlpt_vrow *r,
		const struct mlpt_report *sum)
{
	const struct mlpt_vocc *o = &r->occ;
	u64 window = pte_window(sum);

	m->applies = !strcmp(o->kind, "anon") && r->perms[3] == 'p';
	if (!m->applies)
		return;
	/* each table becomes the deposit behind its huge pmd */
	m->tables_freed = 0;
	m->mapped_delta = (s64)(o->pte_inner * window -
				o->pte_inner_present * sum->page_size);
}

static void hugetlb(struct mlpt_waste_row *w, const struct mlpt_report *sum)
{
	struct mlpt_remedy *m = &w->remedy[MLPT_REMEDY_HUGETLB];
	const struct mlpt_vrow *r = w->row;
	const struct mlpt_vocc *o = &r->occ;
	u64 pte = sum->level[MLPT_PTE].table_bytes;
	u64 window = pte_window(sum);

	/* a stack grows down, page by page: no hugetlb mapping can */
	m->applies = (!strcmp(o->kind, "anon") && strcmp(r->name, "[stack]")) ||
		     (!strcmp(o->kind, "file") && r->perms[3] == 's');
	if (!m->applies)
		return;
	m->tables_freed = (o->own[MLPT_PTE] + o->deposits) * pte;
	m->mapped_delta = (s64)((o->pte_used + o->huge_pmds) * window) -
			  (s64)r->leaf_bytes;
	w->hugetlb_pages = (r->end - r->start + window - 1) / window;
}

static int cmp_waste(const void *pa, const void *pb)
{
	const struct mlpt_waste_row *a = pa, *b = pb;
	double ra = mlpt_waste_ratio(a), rb = mlpt_waste_ratio(b);

	if (ra != rb)
		return ra < rb ? 1 : -1;
	if (a->table_bytes != b->table_bytes)
		return a->table_bytes < b->table_bytes ? 1 : -1;
	return a->row->start < b->row->start ? -1 : 1;
}

int mlpt_waste_build(struct mlpt_waste *w, const struct mlpt_vmas *v)
{
	const struct mlpt_report *sum = &v->sum;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->v = v;
	w->row = calloc(v->n ? v->n : 1, sizeof(*w->row));
	if (!w->row)
		return -1;
	w->n = v->n;
	for (i = 0; i < v->n; i++) {
		struct mlpt_waste_row *x = &w->row[i];
		const struct mlpt_vrow *r = &v->row[i];

		x->row = r;
		x->table_bytes = mlpt_vrow_bytes(v, r) +
				 r->occ.deposits * sum->level[MLPT_PTE].table_bytes;
		x->empty = r->occ.occupancy[0];
		x->sparse = r->occ.occupancy[1] + r->occ.occupancy[2];
		dontneed(&x->remedy[MLPT_REMEDY_DONTNEED], r, sum,
			 v->pt_reclaim == 1);
		dontneed(&x->remedy[MLPT_REMEDY_DONTNEED_RECLAIM], r, sum, true);
		munmap_untouched(&x->remedy[MLPT_REMEDY_MUNMAP], r, sum);
		thp(&x->remedy[MLPT_REMEDY_THP], r, sum);
		hugetlb(x, sum);
		w->table_bytes += x->table_bytes;
	}
	w->pte_tables = sum->level[MLPT_PTE].tables;
	w->empty = sum->level[MLPT_PTE].occupancy[0];
	w->sparse = sum->level[MLPT_PTE].occupancy[1] +
		    sum->level[MLPT_PTE].occupancy[2];
	qsort(w->row, w->n, sizeof(*w->row), cmp_waste);
	return 0;
}

void mlpt_waste_free(struct mlpt_waste *w)
{
	free(w->row);
	w->row = NULL;
	w->n = 0;
}
