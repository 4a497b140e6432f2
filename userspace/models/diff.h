/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What changed between two snapshots (mlpt diff) or grew since the first
 * sample (--growth): processes matched by pid, comm and mlpt run's phase,
 * levels by name, mappings by start, end and name.  A process or mapping
 * on one side only counts as zero on the other, so a new mapping grows
 * from nothing and one gone shrinks to nothing; a mapping that moved or
 * was split shows so: the old range gone, the new ones new.
 */
#ifndef MLPT_DIFF_H
#define MLPT_DIFF_H

#include "sources/snapshot.h"

enum mlpt_dstatus { MLPT_D_BOTH, MLPT_D_NEW, MLPT_D_GONE };

extern const char *const mlpt_dstatus_name[3];

/* one figure before and after; known only when both sides know it */
struct mlpt_change {
	bool known;
	u64 before;
	u64 after;
};

struct mlpt_dmap {
	enum mlpt_dstatus status;
	const struct mlpt_snap_map *m;	/* the after side's, else before's */
	struct mlpt_change tables[MLPT_NR_VCOL];
	struct mlpt_change bytes;
};

struct mlpt_dproc {
	enum mlpt_dstatus status;
	const struct mlpt_snap_proc *p;	/* the after side's, else before's */
	struct mlpt_change total[MLPT_NR_ST];
	struct mlpt_change level[MLPT_LEVELS][MLPT_NR_SQ];
	bool level_shown[MLPT_LEVELS];
	bool has_maps;			/* both sides know the mappings */
	struct mlpt_dmap *map;		/* the ones shown, by address */
	size_t nr_map;
};

struct mlpt_diff {
	bool growth;		/* only what grew; else whatever changed */
	const char *before_time, *after_time;	/* "" when not known */
	struct mlpt_dproc *proc;	/* the ones shown, by pid */
	size_t n;
	size_t unchanged;	/* processes on both sides not shown (with
				 * growth: that did not grow)
				 */
};

/* after - before, signed */
long long mlpt_change_delta(const struct mlpt_change *c);

/*
 * @d from @a to @b: with @growth only the levels, mappings and processes
 * in which a known figure grew; else every known level of a process that
 * changed, and the mappings that changed.  @d points into @a and @b.
 * 0, or -1 when out of memory.
 */
int mlpt_diff_make(const struct mlpt_snap *a, const struct mlpt_snap *b,
		   bool growth, struct mlpt_diff *d);
void mlpt_diff_free(struct mlpt_diff *d);

#endif
