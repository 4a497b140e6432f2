// SPDX-License-Identifier: GPL-2.0
/*
 * Lab procs: N copies of the workload (default 20; "mlpt lab procs 200").
 * Copies of one program have trees of one shape, so the total is N times
 * one tree; a linear table for each would be N x 2^(va-bits - 1 - 12) x 8
 * bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lab.h"

#define MAX_PROCS 1000

static unsigned long long tree(const struct mlpt_report *r)
{
	unsigned long long sum = 0;
	int l;

	for (l = 0; l < MLPT_NR_LEVELS; l++)
		sum += r->lvl[l][MLPT_TABLES] * r->lvl[l][MLPT_TABLE_BYTES];
	return sum;
}

static pid_t start(unsigned long base, int ready)
{
	struct mlpt_workload w;
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mlpt_workload_map(base, &w) || write(ready, "x", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	static pid_t pid[MAX_PROCS];
	unsigned long long total = 0, first = 0, linear;
	unsigned long base = mlpt_free_slots(2);
	int n = argc > 1 ? atoi(argv[1]) : 20, i, same = 0, ready[2];
	struct mlpt_report r;
	char c;

	lab_begin("procs", "N copies of one workload: tree total vs linear tables");
	if (n < 1 || n > MAX_PROCS)
		lab_fail("N", EINVAL);
	if (!base || pipe(ready))
		lab_fail("setup", ENOMEM);
	for (i = 0; i < n; i++) {
		pid[i] = start(base, ready[1]);
		if (pid[i] < 0 || read(ready[0], &c, 1) != 1)
			lab_fail("workload", errno);
	}
	for (i = 0; i < n; i++) {
		lab_report(pid[i], &r);
		if (!i)
			first = tree(&r);
		same += tree(&r) == first;
		total += tree(&r);
	}
	for (i = 0; i < n; i++)
		kill(pid[i], SIGKILL);
	/* user half: 2^(va-bits - 1) bytes / 4 KiB pages x 8 bytes */
	linear = (1ULL << (r.va_bits - 1 - 12)) * 8;
	lab_printf("%d processes\n", n);
	lab_check("processes with the first one's tree", same, n);
	lab_check("total of the trees, bytes", total, n * first);
	lab_note("linear tables for the same processes", n * linear, "bytes");
	lab_note("linear / tree", n * linear / (total ? total : 1), "times");
	return lab_end();
}
