/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict JSON (RFC 8259) parser into a tree, for reading back what the
 * tool wrote (mlpt diff).  Strict: one value per call, no trailing commas,
 * no duplicate keys, only JSON's escapes and number grammar, valid UTF-8,
 * nesting at most MLPT_JV_DEPTH deep.  Strings are C strings, so "\u0000"
 * is refused: the tool never writes one.
 */
#ifndef MLPT_JSONPARSE_H
#define MLPT_JSONPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "base/kstyle.h"

#define MLPT_JV_DEPTH 64

enum mlpt_jv_type {
	MLPT_JV_NULL, MLPT_JV_BOOL, MLPT_JV_NUM, MLPT_JV_STR, MLPT_JV_ARR,
	MLPT_JV_OBJ
};

struct mlpt_jv {
	enum mlpt_jv_type type;
	bool b;			/* BOOL */
	char *s;		/* STR: decoded to UTF-8; NUM: its text */
	size_t n;		/* ARR, OBJ: how many items */
	char **key;		/* OBJ: the key of each item */
	struct mlpt_jv *item;	/* ARR, OBJ */
};

/*
 * The value at @s[*pos] (white space before it skipped) into @v, and *pos
 * past it; 0, or -1 with *why and *pos at the offending byte.  Call again
 * for the next value of a stream (JSON Lines).
 */
int mlpt_jv_parse(const char *s, size_t len, size_t *pos, struct mlpt_jv *v,
		  const char **why);
/* true if only white space is left from @pos */
bool mlpt_jv_end(const char *s, size_t len, size_t pos);
void mlpt_jv_free(struct mlpt_jv *v);
/* the member @key of the object @v; NULL if none or @v is no object */
const struct mlpt_jv *mlpt_jv_get(const struct mlpt_jv *v, const char *key);
/* @v as a non-negative integer that fits u64; 0, or -1 */
int mlpt_jv_u64(const struct mlpt_jv *v, u64 *out);

#endif
