/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt-bench: how fast /proc/mlpt/<pid> reads, against the other ways to
 * learn about a process's page tables and against the memory limit.
 */
#ifndef MLPT_BENCH_H
#define MLPT_BENCH_H

#include <stdbool.h>

enum bench_method {
	METHOD_MLPT,		/* open + read + close /proc/mlpt/<pid> */
	METHOD_SMAPS,		/* the same of /proc/<pid>/smaps_rollup */
	METHOD_PAGEMAP,		/* /proc/<pid>/pagemap over the workload */
	METHOD_SCAN,		/* user space reads as many bytes */
	METHOD_VMAS,		/* the module's per-VMA report (`vmas`) */
	METHOD_SMAPS_FULL,	/* /proc/<pid>/smaps, a record per VMA */
	/*
	 * open + read + close of /proc/<pid>/statm, a few numbers the
	 * kernel has at hand: the least any read of a /proc file of the
	 * process costs, which a ratio to smaps_rollup cannot beat.
	 */
	METHOD_STATM,
	NR_METHODS
};

struct bench_timing {
	bool measured;
	unsigned long long min_ns;
	unsigned long long median_ns;
};

/*
 * What a replayed layout must add to the walk's counts of its child, as
 * worked out from the capture (replay.c), and what it added: a replay
 * that differs measured another layout.
 */
enum bench_check {
	CHECK_VMAS,
	CHECK_PRESENT,			/* pte entries */
	CHECK_P4D,			/* tables, 0 when folded */
	CHECK_PUD,
	CHECK_PMD,
	CHECK_PTE,
	NR_CHECKS
};

struct bench_workload {
	const char *name;
	const char *what;
	bool replayed;
	unsigned long long want[NR_CHECKS], got[NR_CHECKS];
	unsigned long long tables;	/* of every level */
	unsigned long long table_bytes;	/* what they occupy */
	unsigned long long present;	/* present entries, every level */
	unsigned long long mapped_bytes;
	unsigned long long walk_ns;	/* the module's own walk-ns */
	struct bench_timing t[NR_METHODS];
	const char *skip_reason[NR_METHODS];
};

struct bench_point {
	unsigned long long x;		/* tables, or bytes reserved */
	unsigned long long ns;		/* fastest walk */
};

#define BENCH_POINTS 6

struct bench_curve {
	const char *name;
	const char *x_label;
	int n;
	struct bench_point p[BENCH_POINTS];
	double slope;			/* least squares, ns per x */
};

struct bench_latency {
	unsigned long long p50_ns, p99_ns, max_ns, samples;
};

enum bench_survey_method {
	SURVEY_GREP,		/* grep VmPTE /proc/[0-9]*\/status */
	SURVEY_SMAPS,		/* cat /proc/[0-9]*\/smaps_rollup */
	SURVEY_MLPT,		/* mlpt --all */
	NR_SURVEY_METHODS
};

#define BENCH_SURVEY_PROCS 500

struct bench_survey {
	int processes;			/* /proc/<pid>/status files read */
	const char *command[NR_SURVEY_METHODS];
	unsigned long long min_ns[NR_SURVEY_METHODS];
	unsigned long long status_min_ns;	/* read in this process */
};

struct bench_target {
	const char *what;
	double got;
	double want;
	bool at_least;			/* got >= want, else got <= want */
};

#define BENCH_SYNTHETIC 6
#define BENCH_REPLAYS 10
#define BENCH_WORKLOADS (BENCH_SYNTHETIC + BENCH_REPLAYS)
#define BENCH_TARGETS (16 + BENCH_REPLAYS)

struct bench_results {
	const char *machine;
	int paging_levels;
	int reps;
	int nworkloads;
	struct bench_workload w[BENCH_WORKLOADS];
	struct bench_curve by_tables;
	struct bench_curve by_vsize;
	struct bench_latency idle, reading;
	struct bench_survey survey;
	int ntargets;
	struct bench_target targets[BENCH_TARGETS];
};

/* survey.c */
int bench_survey(struct bench_survey *s, int reps);

/* report.c */
void bench_print_table(const struct bench_results *r);
void bench_print_json(const struct bench_results *r);
void bench_print_svg(const struct bench_results *r);
bool bench_target_met(const struct bench_target *t);
bool bench_replay_ok(const struct bench_workload *w);

#endif /* MLPT_BENCH_H */
