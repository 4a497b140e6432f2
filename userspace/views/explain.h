/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLPT_EXPLAIN_H
#define MLPT_EXPLAIN_H

#include "views/output.h"

/* --explain: the numbers of @v with the arithmetic written out */
void mlpt_explain(struct buf *b, const struct mlpt_view *v);

#endif
