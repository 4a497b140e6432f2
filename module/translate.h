/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The walk of one virtual address, level by level (the `translate`
 * command of docs/format.md).
 */
#ifndef MLPT_TRANSLATE_H
#define MLPT_TRANSLATE_H

#include "walk.h"

enum mlpt_step_result {
	MLPT_STEP_NEXT,
	MLPT_STEP_LEAF,
	MLPT_STEP_NONE,
	MLPT_STEP_NONPRESENT,
	MLPT_STEP_FOLDED,	/* a level the hardware skips */
};

struct mlpt_step {
	unsigned int index;
	u64 entry;		/* the raw entry, as read once */
	enum mlpt_step_result result;
};

struct mlpt_translation {
	unsigned long addr;
	struct mlpt_geometry geom;	/* of the tree walked */
	bool in_vma;		/* false: nothing was walked */
	unsigned int steps;	/* levels walked, from MLPT_PGD */
	struct mlpt_step step[MLPT_NR_LEVELS];
	unsigned long leaf_bytes;	/* bytes the leaf maps, if any */
	unsigned long pfn;		/* first frame of the leaf */
};

int mlpt_translate(struct mm_struct *mm, unsigned long addr,
		   struct mlpt_translation *t);

/*
 * Write the names of the bits set in entry @e of @level (@leaf: it maps
 * the address) to @buf, separated by spaces; returns their length, 0 for
 * none (flags.c).
 */
size_t mlpt_entry_flags(char *buf, size_t size, u64 e, enum mlpt_level level,
			bool leaf);

#endif /* MLPT_TRANSLATE_H */
