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
};

struct mlpt_total {
	u64 tree;
	u64 linear_user;
};

/* survey.c: pure */
void mlpt_row_from(struct mlpt_row *row, const struct mlpt_report *r,
		   const char *user);
double mlpt_row_ratio(const struct mlpt_row *row);
/* -1 when @key is not one of mlpt_sort_keys */
int mlpt_survey_sort(struct mlpt_survey *s, const char *key);
void mlpt_survey_top(struct mlpt_survey *s, size_t top);
void mlpt_survey_total(const struct mlpt_survey *s, struct mlpt_total *t);
void mlpt_survey_free(struct mlpt_survey *s);

#endif
