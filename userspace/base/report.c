// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the levels and occupancy buckets, as docs/format.md spells them,
 * and the address bits each level of a report indexes.
 */
#include <stdlib.h>

#include "base/report.h"

const char *const mlpt_level_name[MLPT_LEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte"
};

const char *const mlpt_bucket_name[MLPT_BUCKETS] = {
	"0", "1", "2-7", "8-63", "64-255", "256-511", "512"
};

void mlpt_report_free(struct mlpt_report *r)
{
	free(r->vma);
	r->vma = NULL;
	r->nr_vma = 0;
	free(r->node);
	r->node = NULL;
	r->nr_node = 0;
}

unsigned int mlpt_log2(u64 v)
{
	unsigned int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

void mlpt_geometry(const struct mlpt_report *r, struct mlpt_geom *g)
{
	unsigned int lo = mlpt_log2(r->page_size);
	int i;

	g->page_shift = lo;
	for (i = MLPT_PTE; i >= MLPT_PGD; i--) {
		const struct mlpt_level_stats *l = &r->level[i];

		g->lo[i] = lo;
		g->bits[i] = l->folded ? 0 : mlpt_log2(l->entries);
		/* the top level takes whatever the address width leaves */
		if (i == MLPT_PGD)
			g->bits[i] = r->va_bits > lo ? r->va_bits - lo : 0;
		lo += g->bits[i];
	}
}
