/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing an output to a named file, whole or not at all.
 */
#ifndef MLPT_OUTFILE_H
#define MLPT_OUTFILE_H

#include "base/buf.h"
#include "base/err.h"

/*
 * Replace @path by the contents of @b atomically: a temporary file in the
 * same directory, renamed over @path once it is complete.  A reader (the
 * node_exporter textfile collector, a dashboard) sees the old file or the
 * new one, never half of one.
 */
int mlpt_write_file(const char *path, const struct buf *b,
		    struct mlpt_err *e);

/* write @b to standard output; a failure names stdout and says why */
int mlpt_write_stdout(const struct buf *b, struct mlpt_err *e);

#endif
