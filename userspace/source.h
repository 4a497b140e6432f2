/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where reports come from: the module's /proc/mlpt/<pid>, a saved copy of
 * one, or the pagemap estimate.
 */
#ifndef MLPT_SOURCE_H
#define MLPT_SOURCE_H

#include <stdbool.h>

#include "err.h"
#include "report.h"

#define MLPT_PROC "/proc/mlpt"

/*
 * Read @pid's report from @src (MLPT_SRC_MODULE or MLPT_SRC_PAGEMAP); with
 * @want_vmas also its VMA list, for the models that need one.
 */
int mlpt_load(int pid, enum mlpt_source src, bool want_vmas,
	      struct mlpt_report *r, struct mlpt_err *e);
/*
 * Write @cmd (docs/format.md, Commands) to /proc/mlpt/<pid> and read what it
 * returns, on one fd; *text is malloc'd, not NUL-terminated.
 */
int mlpt_command(int pid, const char *cmd, char **text, size_t *len,
		 struct mlpt_err *e);
/* a report saved with "cat /proc/mlpt/<pid> > FILE" ("-" is stdin) */
int mlpt_load_file(const char *path, struct mlpt_report *r,
		   struct mlpt_err *e);

/*
 * 0 if /proc/mlpt is there; else MLPT_EXIT_NOMOD, naming @cmd and saying
 * how to load it (and that --source pagemap is an alternative, where
 * @pagemap_will_do)
 */
int mlpt_need_module(const char *cmd, bool pagemap_will_do,
		     struct mlpt_err *e);

/* turn a failed open of a /proc file of @pid into the error to show */
int mlpt_proc_error(int pid, int err, const char *path, struct mlpt_err *e);
/* a "Key:  N kB" line of /proc/<pid>/status, in bytes */
int mlpt_status_bytes(int pid, const char *key, u64 *bytes,
		      struct mlpt_err *e);

/* /proc/<pid>/maps, user half only, into r->vma (maps.c) */
int mlpt_read_maps(int pid, struct mlpt_report *r, struct mlpt_err *e);
/* the estimate from /proc/<pid>/pagemap (pagemap.c) */
int mlpt_pagemap_estimate(int pid, struct mlpt_report *r, struct mlpt_err *e);

/*
 * Call @fn for every present or swapped page of the VMAs in r->vma, in
 * address order, from /proc/<pid>/pagemap (pagemap.c)
 */
typedef void (*mlpt_page_fn)(void *arg, u64 addr, bool present);
int mlpt_pagemap_scan(int pid, const struct mlpt_report *r, mlpt_page_fn fn,
		      void *arg, struct mlpt_err *e);
/* /proc/<pid>/comm into r->comm, left as it is when unreadable */
void mlpt_read_comm(int pid, struct mlpt_report *r);

#endif
