// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the levels and occupancy buckets, as docs/format.md spells them.
 */
#include <stdlib.h>

#include "report.h"

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
}
