// SPDX-License-Identifier: GPL-2.0
/*
 * A report ready to print: its comparisons, and its source's name.
 */
#include "views/view.h"

const char *mlpt_source_name(enum mlpt_source src)
{
	switch (src) {
	case MLPT_SRC_PAGEMAP:
		return "pagemap";
	case MLPT_SRC_FILE:
		return "file";
	default:
		return "module";
	}
}

void mlpt_view_init(struct mlpt_view *v, const struct mlpt_report *r,
		    const char *phase)
{
	v->phase = phase;
	v->r = r;
	mlpt_compare(r, v->cmp);
}
