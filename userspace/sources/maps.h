/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMA list of /proc/<pid>/maps.
 */
#ifndef MLPT_MAPS_H
#define MLPT_MAPS_H

#include "base/err.h"
#include "base/report.h"

/* /proc/<pid>/maps, user half only, into r->vma */
int mlpt_read_maps(int pid, struct mlpt_report *r, struct mlpt_err *e);

#endif
