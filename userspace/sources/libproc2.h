/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libproc2's pids API as every procps Debian ships spells it.  Its
 * PIDS_VAL() took the info handle as a fourth argument, unused, up to
 * bookworm's 4.0.2 and takes three in sid's 4.0.7 (riscv64's, whose port
 * starts after bookworm): the value it expands to, an item of the stack's
 * results, is the same in both, and so it is spelt once here.
 */
#ifndef MLPT_LIBPROC2_H
#define MLPT_LIBPROC2_H

#include <libproc2/pids.h>

/* item @rel (its index in the items asked for) of @stack, as @type */
#define MLPT_PIDS_VAL(rel, type, stack) ((stack)->head[rel].result.type)

#endif
