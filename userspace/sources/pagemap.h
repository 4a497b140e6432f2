/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/<pid>/pagemap: the pages present, and the tree they would need.
 */
#ifndef MLPT_PAGEMAP_H
#define MLPT_PAGEMAP_H

#include <stdbool.h>

#include "base/err.h"
#include "base/report.h"

/* the estimate of @pid's report from its pagemap (and maps, status) */
int mlpt_pagemap_estimate(int pid, struct mlpt_report *r, struct mlpt_err *e);

/*
 * Call @fn for every present or swapped page of the VMAs in r->vma, in
 * address order, from /proc/<pid>/pagemap
 */
typedef void (*mlpt_page_fn)(void *arg, u64 addr, bool present);
int mlpt_pagemap_scan(int pid, const struct mlpt_report *r, mlpt_page_fn fn,
		      void *arg, struct mlpt_err *e);

#endif
