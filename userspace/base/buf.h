/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growable text buffer: every output is built here first and written in one
 * go at the end, so an error never leaves half a report on stdout.
 */
#ifndef MLPT_BUF_H
#define MLPT_BUF_H

#include <stddef.h>
#include "base/kstyle.h"

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

void buf_printf(struct buf *b, const char *fmt, ...)
	__printf(2, 3);
void buf_free(struct buf *b);
/* @more's text at the end of @b */
void buf_append(struct buf *b, const struct buf *more);
int buf_write(const struct buf *b, int fd);

/* room for any formatted number below */
#define NUM_LEN 32

/* "512 GiB", "3.2 MiB", "816 B": binary units, one decimal unless exact */
const char *fmt_human(char *dst, u64 bytes);
/* "x 0.73", "x 12.5", "x 8192" */
const char *fmt_ratio(char *dst, double ratio);
/* size in bytes or in human units, as --bytes asks */
const char *fmt_size(char *dst, u64 bytes, int exact);

#endif
