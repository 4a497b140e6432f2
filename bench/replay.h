/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt-bench replays of real processes: the layouts that
 * bench/capture-layout.sh captured (bench/layouts/NAME.layout), mapped
 * again in a stopped child with the same sizes, gaps, protections and
 * present pages, moved to addresses where they share no table with the
 * child's own mappings.
 */
#ifndef MLPT_BENCH_REPLAY_H
#define MLPT_BENCH_REPLAY_H

#include <stdbool.h>
#include <sys/types.h>

#include "mlpt_lib.h"

struct replay_vma {
	unsigned long start;		/* as captured */
	unsigned long size;
	unsigned long at;		/* where the replay maps it */
	int prot;
	bool shared;
	/*
	 * Differs from the VMA before when both are anonymous and alike
	 * (captured as two files, or a file and its bss): it keeps them from
	 * merging into one VMA.
	 */
	bool dontdump;
	int first_run;
	int nruns;
};

struct replay_run {
	unsigned long page;		/* first present page, from the VMA start */
	unsigned long count;
};

struct replay {
	char name[32];
	char what[256];
	int nvmas, vma_cap;		/* used, allocated */
	int nruns, run_cap;
	struct replay_vma *vma;
	struct replay_run *run;
	unsigned long long pages;	/* present */
	/* Tables below the pgd that the present pages need, level by level. */
	unsigned long long tables[MLPT_NR_LEVELS];
};

/* Read the layout at @path; 0, or -1 after a message on stderr. */
int replay_load(const char *path, const char *name, struct replay *r);
/*
 * Work out r->tables and where to map each VMA: the VMAs under one pgd
 * entry moved together by a multiple of its span to a pgd entry that no
 * mapping of this process and no other group uses.  0, or -ENOSPC when
 * no such entry is left in user space.
 */
int replay_place(struct replay *r, int paging_levels);
/* Map and touch the layout, in the child; 0 or -errno. */
int replay_map(const struct replay *r);

#endif /* MLPT_BENCH_REPLAY_H */
