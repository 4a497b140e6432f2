/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The processes of this machine, from libproc2.
 */
#ifndef MLPT_PROCS_H
#define MLPT_PROCS_H

#include <stdbool.h>

#include "base/err.h"

struct mlpt_proc {
	int pid;
	const char *user;	/* effective user's name */
	bool kthread;		/* a kernel thread: no address space */
	char state;		/* R, S, Z, ... as in /proc/<pid>/stat */
	const char *cgroup;	/* cgroup v2 path; NULL if not asked or none */
};

/*
 * Call @fn for every process (tasks, not threads), with its cgroup v2 path
 * if @cgroups (one more file read a process), stopping at the first
 * non-zero return, which is returned; MLPT_EXIT_FAIL with @e filled if the
 * processes cannot be listed.
 */
int mlpt_procs_each(int (*fn)(void *arg, const struct mlpt_proc *p),
		    void *arg, bool cgroups, struct mlpt_err *e);

/* MemTotal in bytes, from libproc2; 0 if it cannot be read */
unsigned long long mlpt_ram_bytes(void);

#endif
