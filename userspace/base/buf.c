// SPDX-License-Identifier: GPL-2.0
/*
 * Growable text buffer and the number formats shared by every output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"

static void buf_grow(struct buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *s;

	while (cap < need)
		cap *= 2;
	if (cap == b->cap)
		return;
	s = realloc(b->s, cap);
	if (!s) {
		/* nothing sensible can be printed without memory */
		fputs("mlpt: out of memory\n", stderr);
		exit(1);
	}
	b->s = s;
	b->cap = cap;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, b->len + n + 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

void buf_free(struct buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void buf_append(struct buf *b, const struct buf *more)
{
	buf_grow(b, b->len + more->len + 1);
	memcpy(b->s + b->len, more->s, more->len);
	b->len += more->len;
	b->s[b->len] = '\0';
}

int buf_write(const struct buf *b, int fd)
{
	size_t off = 0;

	while (off < b->len) {
		ssize_t n = write(fd, b->s + off, b->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += n;
	}
	return 0;
}

const char *fmt_human(char *dst, u64 bytes)
{
	static const char *const unit[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	unsigned int u = 0;
	u64 div = 1;

	while (u + 1 < ARRAY_SIZE(unit) &&
	       bytes / 1024 >= div) {
		div *= 1024;
		u++;
	}
	if (bytes % div == 0)
		snprintf(dst, NUM_LEN, "%llu %s",
			 (unsigned long long)(bytes / div), unit[u]);
	else
		snprintf(dst, NUM_LEN, "%.1f %s", (double)bytes / div, unit[u]);
	return dst;
}

const char *fmt_ratio(char *dst, double ratio)
{
	if (ratio >= 100)
		snprintf(dst, NUM_LEN, "x %.0f", ratio);
	else if (ratio >= 10)
		snprintf(dst, NUM_LEN, "x %.1f", ratio);
	else
		snprintf(dst, NUM_LEN, "x %.2f", ratio);
	return dst;
}

const char *fmt_size(char *dst, u64 bytes, int exact)
{
	if (!exact)
		return fmt_human(dst, bytes);
	snprintf(dst, NUM_LEN, "%llu", (unsigned long long)bytes);
	return dst;
}
