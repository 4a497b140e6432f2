/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshots for mlpt diff and --growth: per process, the figures one output
 * of the tool holds, each marked known or not, since the outputs differ
 * (a report has every level, the survey only totals, vmas the mappings and
 * the pud, pmd and pte tables).  Read back from any JSON the tool wrote,
 * or taken live from the module's `vmas` command.
 */
#ifndef MLPT_SNAPSHOT_H
#define MLPT_SNAPSHOT_H

#include "base/err.h"
#include "base/report.h"
#include "sources/vmas.h"

/* what a level of a snapshot counts */
enum { MLPT_SQ_TABLES, MLPT_SQ_ENTRIES, MLPT_SQ_BYTES, MLPT_NR_SQ };
/* a process's totals */
enum { MLPT_ST_TREE, MLPT_ST_VMPTE, MLPT_ST_RESIDENT, MLPT_NR_ST };

extern const char *const mlpt_sq_name[MLPT_NR_SQ];
extern const char *const mlpt_st_name[MLPT_NR_ST];

struct mlpt_figure {
	bool known;
	u64 v;
};

struct mlpt_snap_map {
	u64 start;
	u64 end;
	char perms[8];
	char *name;
	u64 tables[MLPT_NR_VCOL];
	u64 table_bytes;
};

struct mlpt_snap_proc {
	int pid;
	char comm[MLPT_COMM_LEN];
	char phase[8];		/* mlpt run's "peak" or "exit", else "" */
	struct mlpt_figure total[MLPT_NR_ST];
	struct mlpt_figure level[MLPT_LEVELS][MLPT_NR_SQ];
	bool has_maps;		/* a vmas snapshot: the mappings are known */
	struct mlpt_snap_map *map;	/* by address */
	size_t nr_map;
};

struct mlpt_snap {
	char time[32];		/* the "time" of a --watch line, else "" */
	struct mlpt_snap_proc *proc;
	size_t n;
};

/*
 * The first (@last false) or last document of the JSON file @path: one
 * document, or JSON Lines of --watch.  Exit codes: MLPT_EXIT_FAIL when it
 * cannot be read, MLPT_EXIT_FORMAT when it is not JSON the tool writes.
 */
int mlpt_snap_file(const char *path, bool last, struct mlpt_snap *s,
		   struct mlpt_err *e);
/* the same from a document already in memory, @what naming it */
int mlpt_snap_text(const char *text, size_t len, const char *what, bool last,
		   struct mlpt_snap *s, struct mlpt_err *e);
/* @pid now, from the module's vmas command: every level and mapping */
int mlpt_snap_live(int pid, struct mlpt_snap_proc *p, struct mlpt_err *e);
void mlpt_snap_proc_free(struct mlpt_snap_proc *p);
void mlpt_snap_free(struct mlpt_snap *s);

#endif
