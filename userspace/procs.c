// SPDX-License-Identifier: GPL-2.0
/*
 * Enumerate processes with libproc2 and read each one's report.  A process
 * that cannot be read is counted as skipped with its reason, never dropped.
 *
 * libproc2 4.0.2 has no item for VmPTE: the figure comes from the report
 * (kernel-pgtables-bytes, or /proc/<pid>/status for the pagemap estimate).
 */
#include <stdlib.h>

#include <libproc2/pids.h>

#include "source.h"
#include "survey.h"

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h */

enum { ITEM_PID, ITEM_USER, ITEM_FLAGS, ITEM_STATE };

static int add_row(struct mlpt_survey *s, size_t *cap,
		   const struct mlpt_report *r, const char *user)
{
	struct mlpt_row *row;

	if (s->n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		row = realloc(s->row, *cap * sizeof(*row));
		if (!row)
			return -1;
		s->row = row;
	}
	mlpt_row_from(&s->row[s->n++], r, user);
	return 0;
}

/* 0: counted (a row or a skip); otherwise a reason to stop the survey */
static int survey_one(struct mlpt_survey *s, size_t *cap, int pid,
		      const char *user, struct mlpt_err *e)
{
	struct mlpt_report r;
	int ret;

	ret = mlpt_load(pid, s->source, false, &r, e);
	if (ret == MLPT_EXIT_PERM) {
		s->skipped[MLPT_SKIP_PERM]++;
		return 0;
	}
	if (ret == MLPT_EXIT_NOPROC) {
		s->skipped[MLPT_SKIP_GONE]++;
		return 0;
	}
	if (ret)
		return ret;
	ret = add_row(s, cap, &r, user);
	mlpt_report_free(&r);
	return ret ? mlpt_fail(e, MLPT_EXIT_FAIL, "survey", "out of memory")
		   : 0;
}

int mlpt_survey_collect(struct mlpt_survey *s, enum mlpt_source src,
			struct mlpt_err *e)
{
	enum pids_item items[] = {
		[ITEM_PID] = PIDS_ID_PID,
		[ITEM_USER] = PIDS_ID_EUSER,
		[ITEM_FLAGS] = PIDS_FLAGS,
		[ITEM_STATE] = PIDS_STATE,
	};
	struct pids_info *info = NULL;
	struct pids_stack *st;
	size_t cap = 0;
	int ret = 0;

	s->source = src;
	if (procps_pids_new(&info, items, ARRAY_SIZE(items)) < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "survey",
				 "libproc2 cannot list processes (is /proc mounted?)");
	while (!ret && (st = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY))) {
		if (PIDS_VAL(ITEM_FLAGS, ul_int, st, info) & PF_KTHREAD) {
			s->skipped[MLPT_SKIP_KTHREAD]++;
			continue;
		}
		/* it has exited: the module would say ENOENT, as if gone */
		if (PIDS_VAL(ITEM_STATE, s_ch, st, info) == 'Z') {
			s->skipped[MLPT_SKIP_ZOMBIE]++;
			continue;
		}
		ret = survey_one(s, &cap, PIDS_VAL(ITEM_PID, s_int, st, info),
				 PIDS_VAL(ITEM_USER, str, st, info), e);
	}
	procps_pids_unref(&info);
	if (ret)
		mlpt_survey_free(s);
	return ret;
}

char mlpt_proc_state(int pid)
{
	enum pids_item item = PIDS_STATE;
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	unsigned int which = pid;
	char state = 0;

	if (procps_pids_new(&info, &item, 1) < 0)
		return 0;
	f = procps_pids_select(info, &which, 1, PIDS_SELECT_PID);
	if (f && f->counts->total == 1)
		state = PIDS_VAL(0, s_ch, f->stacks[0], info);
	procps_pids_unref(&info);
	return state;
}
