/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt shared's output: an object per row, as text, JSON, CSV or
 * Prometheus.
 */
#ifndef MLPT_SHAREDOUT_H
#define MLPT_SHAREDOUT_H

#include "models/shared.h"
#include "views/view.h"

void mlpt_shared_out(struct buf *b, const struct mlpt_out *o,
		     const struct mlpt_shared *s);

#endif
