/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlpt translate: the module's walk of one address (docs/format.md, Commands),
 * parsed (translate.c) and drawn as a textbook figure (views/figure.c).
 */
#ifndef MLPT_TRANSLATE_H
#define MLPT_TRANSLATE_H

#include "base/err.h"
#include "base/report.h"

#define MLPT_FLAGS_LEN 48

enum mlpt_result { MLPT_RES_NEXT, MLPT_RES_LEAF, MLPT_RES_NONE,
		   MLPT_RES_NONPRESENT };

struct mlpt_step {
	enum mlpt_level level;
	u64 index;
	bool folded;		/* the hardware skips this level */
	bool hidden;		/* entry not shown: no CAP_SYS_ADMIN */
	u64 entry;
	char flags[MLPT_FLAGS_LEN];	/* "P RW US A", "-" when empty */
	enum mlpt_result result;
};

struct mlpt_xlate {
	u64 addr;
	bool in_vma;
	struct mlpt_step step[MLPT_LEVELS];
	unsigned int steps;
	bool leaf;		/* the walk reached a leaf: the lines below */
	u64 offset;
	bool phys_hidden;
	u64 pfn;
	u64 physical;
};

/* parse the "translate" report of @len bytes; 0 or an mlpt_exit code */
int mlpt_xlate_parse(const char *text, size_t len, const char *what,
		     struct mlpt_xlate *x, struct mlpt_err *e);
/* ask the module for the walk of @addr in @pid */
int mlpt_xlate_load(int pid, u64 addr, struct mlpt_xlate *x,
		    struct mlpt_err *e);

#endif
