/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MLPT_PARSE_H
#define MLPT_PARSE_H

#include <stddef.h>

#include "base/err.h"
#include "base/report.h"

/*
 * Parse one format-1 report (docs/format.md, "The summary report") of @len bytes.  Unknown keys,
 * columns and rows are ignored, as the format may grow; anything missing,
 * malformed or inconsistent is an error.  @what names the input in errors.
 * Returns 0 or an mlpt_exit code with @e filled.
 */
int mlpt_parse(const char *text, size_t len, const char *what,
	       struct mlpt_report *r, struct mlpt_err *e);

/* "123" or "0x7b", nothing else: 0 on success */
int mlpt_parse_u64(const char *s, unsigned long long *v);

/* a positive decimal number that fits an int, without sign or leading 0; or -1 */
int mlpt_parse_positive(const char *s);

#endif
