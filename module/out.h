/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small text writer for reports: a fixed buffer, and a length that
 * goes past its size when the text did not fit, so that the caller can
 * try again with a bigger one.  Numbers and strings are copied without
 * vsnprintf(), which costs more than the whole walk of a small process
 * (see out.c).
 */
#ifndef MLPT_OUT_H
#define MLPT_OUT_H

#include <linux/compiler.h>
#include <linux/types.h>

struct mlpt_out {
	char *buf;
	size_t size;
	size_t len;		/* > size: overflowed */
};

static inline void mlpt_out_init(struct mlpt_out *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
}

static inline bool mlpt_out_overflowed(const struct mlpt_out *o)
{
	return o->len > o->size;
}

void mlpt_out_mem(struct mlpt_out *o, const char *s, size_t n);
void mlpt_out_str(struct mlpt_out *o, const char *s);
void mlpt_out_col(struct mlpt_out *o, const char *s, unsigned int width);
void mlpt_out_u64(struct mlpt_out *o, u64 v, unsigned int width);
void mlpt_out_hex(struct mlpt_out *o, u64 v);
void mlpt_out_escaped(struct mlpt_out *o, const char *s);
void mlpt_out_key(struct mlpt_out *o, const char *key, u64 v);
__printf(2, 3) void mlpt_out_printf(struct mlpt_out *o, const char *fmt, ...);

#endif /* MLPT_OUT_H */
