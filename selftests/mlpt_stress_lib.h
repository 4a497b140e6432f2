/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the mlpt stress selftests share on top of mlpt_lib: how long each
 * group runs, readers that check every report they get, a change counter
 * that tells a reader when its target's tables were left alone, and
 * per-group figures printed in one format.
 */
#ifndef MLPT_STRESS_LIB_H
#define MLPT_STRESS_LIB_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mlpt_lib.h"

/* Biggest `vmas` report a reader takes: a few thousand VMAs. */
#define MLPT_STRESS_BUF	(1024 * 1024)

/* Seconds each group runs: MLPT_STRESS_SECONDS, 5 when unset. */
unsigned int mlpt_stress_seconds(void);
unsigned int mlpt_slowdown(void);
/* CLOCK_MONOTONIC in nanoseconds. */
unsigned long long mlpt_now_ns(void);
/* Zeroed memory shared with the children forked after this. */
void *mlpt_shared(size_t size);

/*
 * Changes a target makes to its own page tables, for its readers: each
 * operation that may add or free a table is bracketed by mlpt_op_begin()
 * and mlpt_op_end().  When quiet is set, targets finish their operation
 * and wait, so that readers get walks of an unchanging address space.
 */
struct mlpt_ops {
	unsigned long begun;
	unsigned long ended;
	int quiet;
	int stop;
};

void mlpt_op_begin(struct mlpt_ops *ops);
void mlpt_op_end(struct mlpt_ops *ops);
/* Sleep while quiet is set; false once stop is set. */
bool mlpt_op_wait(struct mlpt_ops *ops);
/*
 * pthread_create() as one operation of @ops, on a stack faulted in
 * before the thread starts, so that the thread faults no table in
 * between its own operations; 0 or an error number.
 */
int mlpt_thread_start(struct mlpt_ops *ops, pthread_t *tid,
		      void *(*fn)(void *), void *arg);

/* What one or more readers did; lives in mlpt_shared() memory. */
struct mlpt_read_stats {
	unsigned long reads;		/* whole reports read and checked */
	unsigned long vmas_reads;
	unsigned long translate_reads;
	unsigned long gone;		/* ENOENT/ESRCH at open, or empty */
	unsigned long equal_checks;	/* walk == kernel bytes checked */
	unsigned long errors;
	unsigned long thp_seen;		/* summaries with a pmd leaf */
	unsigned long nonpresent_seen;	/* summaries with a swap/migration entry */
	unsigned long long worst_read_ns;
};

/* What a reader reads and checks. */
struct mlpt_reader {
	pid_t target;			/* 0: a random pid of the listing */
	unsigned long tr_start;		/* translate in [tr_start, tr_end) */
	unsigned long tr_end;
	struct mlpt_ops *ops;		/* NULL: no walk == kernel check */
	unsigned long long deadline_ns;
	unsigned int seed;
	bool summary_only;		/* no `vmas`, no `translate` */
};

/*
 * Read until the deadline: a summary, then `vmas`, then a `translate`,
 * each from a fresh open, each checked in full (mlpt_check_*); every
 * failure is counted in st->errors and the first few are printed.
 */
void mlpt_reader_run(const struct mlpt_reader *rd, struct mlpt_read_stats *st);
/* Fork @n readers running mlpt_reader_run(); returns how many started. */
int mlpt_readers_start(const struct mlpt_reader *rd, int n,
		       struct mlpt_read_stats *st, pid_t *pids);
/* Wait for the readers; the number that did not exit 0. */
int mlpt_readers_wait(pid_t *pids, int n);

/*
 * Until @end_ns, let the target change its tables for 120 ms, then hold
 * it quiet until a reader of @st has made one more walk == kernel check,
 * for a second at most.  A quiet spell of fixed length is too short when
 * the operations under way take long to finish (100 ms and more under
 * TCG) or the guest is loaded, and every group must make such checks.
 */
void mlpt_ops_alternate(struct mlpt_ops *ops,
			const struct mlpt_read_stats *st,
			unsigned long long end_ns);

/*
 * Checks of one report's text; 0, or -1 with a reason in @err.  @pid is
 * the pid the report must name (0: any).
 */
int mlpt_check_summary(const char *text, pid_t pid, struct mlpt_report *r,
		       char *err, size_t errlen);
int mlpt_check_vmas(const char *text, pid_t pid, char *err, size_t errlen);
int mlpt_check_translate(const char *text, unsigned long addr, bool phys,
			 char *err, size_t errlen);

/* One line of figures for a group, in the format docs/reliability.md shows. */
void mlpt_stress_print(const char *group, const struct mlpt_read_stats *st,
		       const char *extra);

#endif /* MLPT_STRESS_LIB_H */
