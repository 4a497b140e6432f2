/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /proc files every source reads, and the errors a failed read means.
 */
#ifndef MLPT_PROC_H
#define MLPT_PROC_H

#include <stdbool.h>

#include "base/err.h"
#include "base/report.h"

#define MLPT_PROC "/proc/mlpt"

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
/* /proc/<pid>/comm into r->comm, left as it is when unreadable */
void mlpt_read_comm(int pid, struct mlpt_report *r);
/* @pid's state letter (R, S, Z...) from libproc2, 0 when it is gone */
char mlpt_proc_state(int pid);

#endif
