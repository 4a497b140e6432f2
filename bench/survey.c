// SPDX-License-Identifier: GPL-2.0
/*
 * The survey: what `mlpt --all` costs on a machine with hundreds of
 * processes, against the cheapest ways to learn each process's page-table
 * size without mlpt.  BENCH_SURVEY_PROCS small processes are forked, then
 * each command runs through the shell (so each pays one fork + exec of
 * sh and of its program, as a user typing it would), the fastest of the
 * runs counting:
 *   grep VmPTE /proc/[0-9]*\/status     the kernel's one figure per process
 *   cat /proc/[0-9]*\/smaps_rollup      a memory walk per process
 *   mlpt --all                          a walk per process, and the report
 * and, in this process, a read of every /proc/<pid>/status: the least any
 * program that learns VmPTE of every process can spend.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "bench.h"

static const char *const survey_commands[NR_SURVEY_METHODS] = {
	[SURVEY_GREP] = "grep VmPTE /proc/[0-9]*/status >/dev/null",
	[SURVEY_SMAPS] = "cat /proc/[0-9]*/smaps_rollup >/dev/null 2>&1",
	[SURVEY_MLPT] = "mlpt --all >/dev/null",
};

static unsigned long long survey_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Read every /proc/<pid>/status; the number of VmPTE lines found. */
static int read_every_status(void)
{
	static char buf[8192];
	struct dirent *de;
	int found = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[sizeof(de->d_name) + 16];
		ssize_t n;
		int fd;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		found += !!strstr(buf, "\nVmPTE:");
	}
	closedir(d);
	return found;
}

/**
 * bench_survey() - time the survey methods over many small processes
 * @s: where the results go
 * @reps: runs of each method; the fastest counts
 *
 * Return: 0, or -1 with errno set when the processes could not be made or
 * a command failed.
 */
int bench_survey(struct bench_survey *s, int reps)
{
	static pid_t kids[BENCH_SURVEY_PROCS];
	int i, m, r, err = 0;

	memset(s, 0, sizeof(*s));
	fflush(NULL);
	for (i = 0; i < BENCH_SURVEY_PROCS; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			err = -1;
			break;
		}
		if (!kids[i]) {
			for (;;)
				pause();
		}
	}
	s->processes = read_every_status();
	for (m = 0; !err && m < NR_SURVEY_METHODS; m++)
		s->command[m] = survey_commands[m];
	for (r = 0; !err && r < reps; r++) {
		for (m = 0; !err && m < NR_SURVEY_METHODS; m++) {
			unsigned long long t0 = survey_now(), ns;
			int rc = system(survey_commands[m]);

			ns = survey_now() - t0;
			/* cat fails on kernel threads: only mlpt must succeed. */
			if (m == SURVEY_MLPT && rc) {
				errno = EIO;
				err = -1;
			}
			if (!r || ns < s->min_ns[m])
				s->min_ns[m] = ns;
		}
		if (!err) {
			unsigned long long t0 = survey_now(), ns;

			if (read_every_status() < 0)
				err = -1;
			ns = survey_now() - t0;
			if (!r || ns < s->status_min_ns)
				s->status_min_ns = ns;
		}
	}
	while (--i >= 0)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return err;
}
