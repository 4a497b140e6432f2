/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The survey of every process: one row each, sorted, cut, totalled.
 */
#ifndef MLPT_SURVEY_H
#define MLPT_SURVEY_H

#include "base/err.h"
#include "base/report.h"

#define MLPT_USER_LEN 33

struct mlpt_row {
	int pid;
	char user[MLPT_USER_LEN];
	char comm[MLPT_COMM_LEN];
	u64 vmas;
	u64 resident;
	u64 tree;
	u64 vmpte;
	u64 linear_user;
	u64 ceiling;		/* every page of every VMA touched */
	bool over_share;	/* ceiling above ram_share of RAM */
	char *cgroup;		/* cgroup v2 path, or NULL (--by cgroup) */
};

/* the rows of one cgroup, and what the kernel charges it (--by cgroup) */
struct mlpt_group {
	char *cgroup;		/* its path; "" for rows without one */
	size_t procs;
	u64 tree;
	u64 vmpte;
	u64 ceiling;
	bool charged_known;	/* memory.stat was read */
	u64 charged;		/* its memory.stat "pagetables" */
};

/* why a process is not in the survey */
enum mlpt_skip { MLPT_SKIP_KTHREAD, MLPT_SKIP_PERM, MLPT_SKIP_GONE,
		 MLPT_SKIP_ZOMBIE, MLPT_NR_SKIP };

extern const char *const mlpt_skip_key[MLPT_NR_SKIP];
extern const char *const mlpt_skip_label[MLPT_NR_SKIP][2];
extern const char *const mlpt_skip_why[MLPT_NR_SKIP];

struct mlpt_survey {
	enum mlpt_source source;
	struct mlpt_row *row;
	size_t n;
	u64 skipped[MLPT_NR_SKIP];
	u64 ram;			/* MemTotal, bytes; 0 unknown */
	unsigned int ram_share;		/* percent of ram that flags a row */
	size_t over_share;		/* rows flagged */
	struct mlpt_group *group;	/* --by cgroup: by path; else NULL */
	size_t ngroups;
};

struct mlpt_total {
	u64 tree;
	u64 linear_user;
	u64 ceiling;
};

/* survey.c: pure */
void mlpt_row_from(struct mlpt_row *row, const struct mlpt_report *r,
		   const char *user);
double mlpt_row_ratio(const struct mlpt_row *row);
/*
 * Group the rows by cgroup path, in path order; 0, or -1 out of memory.
 * Each group's charged figure is left for the caller to fill.
 */
int mlpt_survey_group(struct mlpt_survey *s);
/* flag the rows whose ceiling exceeds @share percent of @ram bytes */
void mlpt_survey_flag(struct mlpt_survey *s, u64 ram, unsigned int share);
/* -1 when @key is not one of mlpt_sort_keys */
int mlpt_survey_sort(struct mlpt_survey *s, const char *key);
void mlpt_survey_top(struct mlpt_survey *s, size_t top);
void mlpt_survey_total(const struct mlpt_survey *s, struct mlpt_total *t);
void mlpt_survey_free(struct mlpt_survey *s);

#endif
