// SPDX-License-Identifier: GPL-2.0
/*
 * A strict RFC 8259 syntax checker, so the JSON output is validated even
 * where python3 is missing: one value, nothing after it, no trailing commas,
 * no control characters in strings, only the escapes JSON allows, numbers
 * in JSON's grammar, UTF-8 in strings.
 */
#include <ctype.h>
#include <string.h>

#include "tap.h"

#define MAX_DEPTH 64

struct js {
	const char *s;
	const char *end;
	const char *err;
	int depth;
};

static bool fail(struct js *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return false;
}

static void ws(struct js *j)
{
	while (j->s < j->end && strchr(" \t\r\n", *j->s) && *j->s)
		j->s++;
}

static bool lit(struct js *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->s) < n || strncmp(j->s, word, n))
		return fail(j, "bad literal");
	j->s += n;
	return true;
}

static bool digits(struct js *j)
{
	const char *start = j->s;

	while (j->s < j->end && *j->s >= '0' && *j->s <= '9')
		j->s++;
	return j->s > start || fail(j, "digit expected");
}

static bool number(struct js *j)
{
	if (*j->s == '-')
		j->s++;
	if (j->s < j->end && *j->s == '0')
		j->s++;
	else if (!digits(j))
		return false;
	if (j->s < j->end && *j->s == '.') {
		j->s++;
		if (!digits(j))
			return false;
	}
	if (j->s < j->end && (*j->s == 'e' || *j->s == 'E')) {
		j->s++;
		if (j->s < j->end && (*j->s == '+' || *j->s == '-'))
			j->s++;
		if (!digits(j))
			return false;
	}
	return true;
}

/* one UTF-8 sequence starting at a byte >= 0x80 */
static bool utf8(struct js *j)
{
	unsigned char c = *j->s++;
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;

	if (more < 0 || c > 0xf4)
		return fail(j, "invalid UTF-8");
	while (more--) {
		if (j->s >= j->end || (*(unsigned char *)j->s & 0xc0) != 0x80)
			return fail(j, "invalid UTF-8");
		j->s++;
	}
	return true;
}

static bool jstring(struct js *j)
{
	int i;

	j->s++;
	while (j->s < j->end && *j->s != '"') {
		unsigned char c = *j->s;

		if (c < 0x20)
			return fail(j, "control character in string");
		if (c >= 0x80) {
			if (!utf8(j))
				return false;
			continue;
		}
		j->s++;
		if (c != '\\')
			continue;
		if (j->s >= j->end)
			break;
		c = *j->s++;
		if (c == 'u') {
			for (i = 0; i < 4; i++, j->s++)
				if (j->s >= j->end || !isxdigit(*j->s))
					return fail(j, "bad \\u escape");
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return fail(j, "bad escape");
		}
	}
	if (j->s >= j->end)
		return fail(j, "unterminated string");
	j->s++;
	return true;
}

static bool jvalue(struct js *j);

/* members of an object (@obj) or elements of an array, up to @close */
static bool items(struct js *j, bool obj, char close)
{
	j->s++;
	if (++j->depth > MAX_DEPTH)
		return fail(j, "nested too deep");
	ws(j);
	if (j->s < j->end && *j->s == close) {
		j->s++;
		j->depth--;
		return true;
	}
	for (;;) {
		ws(j);
		if (obj) {
			if (j->s >= j->end || *j->s != '"' || !jstring(j))
				return fail(j, "object key expected");
			ws(j);
			if (j->s >= j->end || *j->s++ != ':')
				return fail(j, "':' expected");
		}
		if (!jvalue(j))
			return false;
		ws(j);
		if (j->s < j->end && *j->s == ',') {
			j->s++;
			continue;
		}
		if (j->s < j->end && *j->s == close) {
			j->s++;
			j->depth--;
			return true;
		}
		return fail(j, "',' or end expected");
	}
}

static bool jvalue(struct js *j)
{
	ws(j);
	if (j->s >= j->end)
		return fail(j, "value expected");
	switch (*j->s) {
	case '{':
		return items(j, true, '}');
	case '[':
		return items(j, false, ']');
	case '"':
		return jstring(j);
	case 't':
		return lit(j, "true");
	case 'f':
		return lit(j, "false");
	case 'n':
		return lit(j, "null");
	default:
		if (*j->s == '-' || (*j->s >= '0' && *j->s <= '9'))
			return number(j);
		return fail(j, "value expected");
	}
}

const char *json_check(const char *s, size_t len)
{
	struct js j = { .s = s, .end = s + len };

	if (jvalue(&j)) {
		ws(&j);
		if (j.s != j.end)
			fail(&j, "text after the value");
	}
	return j.err;
}
