/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt vmas's output: a row per mapping, as text, JSON or CSV.
 */
#ifndef MLPT_VMASOUT_H
#define MLPT_VMASOUT_H

#include "sources/vmas.h"
#include "views/view.h"

/* most tables first, then most leaf bytes, then lowest address */
void mlpt_vmas_sort(struct mlpt_vmas *v);
void mlpt_vmas_out(struct buf *b, const struct mlpt_out *o,
		   const struct mlpt_vmas *v);

#endif
