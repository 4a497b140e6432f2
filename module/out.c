// SPDX-License-Identifier: GPL-2.0
/*
 * The report writer.  A summary holds about 120 numbers; formatting them
 * with vsnprintf() cost more than walking a small process's tables, so
 * the common pieces (strings, padded decimals, "key: value" lines) are
 * copied by hand, as seq_put_decimal_ull() does for /proc/<pid>/smaps.
 * Rare or escaped output still goes through mlpt_out_printf().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>

#include "out.h"

void mlpt_out_mem(struct mlpt_out *o, const char *s, size_t n)
{
	if (o->len + n <= o->size)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void mlpt_out_str(struct mlpt_out *o, const char *s)
{
	mlpt_out_mem(o, s, strlen(s));
}

/* @s, padded with spaces to @width, then one space: a table column. */
void mlpt_out_col(struct mlpt_out *o, const char *s, unsigned int width)
{
	static const char spaces[] = "                    ";
	size_t n = strlen(s);

	mlpt_out_mem(o, s, n);
	if (n < width)
		mlpt_out_mem(o, spaces, min_t(size_t, width - n,
					      sizeof(spaces) - 1));
	mlpt_out_mem(o, " ", 1);
}

/* @v in decimal; with @width, as a column (see mlpt_out_col()). */
void mlpt_out_u64(struct mlpt_out *o, u64 v, unsigned int width)
{
	char digits[21];
	char *p = digits + sizeof(digits) - 1;

	*p = '\0';
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	if (width)
		mlpt_out_col(o, p, width);
	else
		mlpt_out_mem(o, p, digits + sizeof(digits) - 1 - p);
}

/*
 * @v as "0x" and 16 hex digits, as /proc/<pid>/maps pads addresses.  The
 * digits are spelled here: the kernel's hex_asc[] moved from kernel.h to
 * hex.h in 6.x, and 7.2's kernel.h no longer includes hex.h.
 */
void mlpt_out_hex(struct mlpt_out *o, u64 v)
{
	static const char hex[] = "0123456789abcdef";
	char digits[18];
	int i;

	digits[0] = '0';
	digits[1] = 'x';
	for (i = 17; i >= 2; i--, v >>= 4)
		digits[i] = hex[v & 0xf];
	mlpt_out_mem(o, digits, sizeof(digits));
}

/*
 * @s with the characters that would end or split a line escaped as
 * printf's "%pEs" does (\n, \t...): a file name may hold any byte but
 * NUL.  Names without them, nearly all, are copied as they are.
 */
void mlpt_out_escaped(struct mlpt_out *o, const char *s)
{
	if (!strpbrk(s, "\f\n\r\t\v"))
		mlpt_out_str(o, s);
	else
		mlpt_out_printf(o, "%*pEs", (int)strlen(s), s);
}

/* A "key: value" line with a decimal value. */
void mlpt_out_key(struct mlpt_out *o, const char *key, u64 v)
{
	mlpt_out_str(o, key);
	mlpt_out_mem(o, ": ", 2);
	mlpt_out_u64(o, v, 0);
	mlpt_out_mem(o, "\n", 1);
}

void mlpt_out_printf(struct mlpt_out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list args;
	size_t n;

	va_start(args, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, args);
	va_end(args);
	/* Cut short (and ended with a NUL) if it did not fit: overflow. */
	if (n >= room)
		o->len = max(o->len, o->size) + n + 1;
	else
		o->len += n;
}
