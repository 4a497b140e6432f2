/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt simulate's output: every design side by side.
 */
#ifndef MLPT_SIMOUT_H
#define MLPT_SIMOUT_H

#include "sources/pages.h"
#include "views/view.h"

void mlpt_simulate_out(struct buf *b, const struct mlpt_out *o,
		       const struct mlpt_pages *p);

#endif
