// SPDX-License-Identifier: GPL-2.0
/*
 * The strict JSON parser of jsonparse.h: recursive descent, one function
 * per rule of RFC 8259's grammar.
 */
#include <stdlib.h>
#include <string.h>

#include "sources/jsonparse.h"

struct jp {
	const char *s;
	size_t len;
	size_t pos;
	const char *why;
	int depth;
};

static int fail(struct jp *p, const char *why)
{
	if (!p->why)
		p->why = why;
	return -1;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void ws(struct jp *p)
{
	while (p->pos < p->len && is_ws(p->s[p->pos]))
		p->pos++;
}

static int peek(const struct jp *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return fail(p, "not a JSON value");
	p->pos += n;
	return 0;
}

static int digits(struct jp *p)
{
	size_t start = p->pos;

	while (is_digit(peek(p)))
		p->pos++;
	return p->pos > start ? 0 : fail(p, "digit expected");
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, kept as text */
static int number(struct jp *p, struct mlpt_jv *v)
{
	size_t start = p->pos;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0')
		p->pos++;
	else if (digits(p))
		return -1;
	if (peek(p) == '.') {
		p->pos++;
		if (digits(p))
			return -1;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (digits(p))
			return -1;
	}
	v->type = MLPT_JV_NUM;
	v->s = strndup(p->s + start, p->pos - start);
	return v->s ? 0 : fail(p, "out of memory");
}

static int hex4(struct jp *p, unsigned int *u)
{
	int i, c;

	*u = 0;
	for (i = 0; i < 4; i++) {
		c = peek(p);
		if (is_digit(c))
			*u = *u * 16 + c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*u = *u * 16 + (c | 0x20) - 'a' + 10;
		else
			return fail(p, "\\u needs four hex digits");
		p->pos++;
	}
	return 0;
}

/* \uXXXX, or a surrogate pair of two, as UTF-8 into @out; its length */
static int unicode(struct jp *p, char *out)
{
	unsigned int u, lo;

	if (hex4(p, &u))
		return -1;
	if (u >= 0xdc00 && u <= 0xdfff)
		return fail(p, "lone low surrogate");
	if (u >= 0xd800 && u <= 0xdbff) {
		if (peek(p) != '\\' || p->pos + 1 >= p->len ||
		    p->s[p->pos + 1] != 'u')
			return fail(p, "high surrogate without its low half");
		p->pos += 2;
		if (hex4(p, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(p, "high surrogate without its low half");
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!u)
		return fail(p, "\\u0000: strings here are C strings");
	if (u < 0x80) {
		out[0] = u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = 0xc0 | u >> 6;
		out[1] = 0x80 | (u & 0x3f);
		return 2;
	}
	if (u < 0x10000) {
		out[0] = 0xe0 | u >> 12;
		out[1] = 0x80 | (u >> 6 & 0x3f);
		out[2] = 0x80 | (u & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | u >> 18;
	out[1] = 0x80 | (u >> 12 & 0x3f);
	out[2] = 0x80 | (u >> 6 & 0x3f);
	out[3] = 0x80 | (u & 0x3f);
	return 4;
}

/*
 * The length of the UTF-8 sequence at the current byte (>= 0x80), or -1:
 * no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629).
 */
static int utf8_len(const struct jp *p)
{
	const unsigned char *c = (const unsigned char *)p->s + p->pos;
	size_t left = p->len - p->pos;
	int n = c[0] >= 0xf0 ? 4 : c[0] >= 0xe0 ? 3 : c[0] >= 0xc2 ? 2 : -1;
	int i;

	if (n < 0 || c[0] > 0xf4 || left < (size_t)n)
		return -1;
	for (i = 1; i < n; i++)
		if ((c[i] & 0xc0) != 0x80)
			return -1;
	if ((c[0] == 0xe0 && c[1] < 0xa0) || (c[0] == 0xed && c[1] >= 0xa0) ||
	    (c[0] == 0xf0 && c[1] < 0x90) || (c[0] == 0xf4 && c[1] >= 0x90))
		return -1;
	return n;
}

static int jescape(struct jp *p, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at;
	int c = peek(p);

	p->pos++;
	if (c == 'u')
		return unicode(p, out);
	at = c > 0 ? strchr(from, c) : NULL;
	if (!at)
		return fail(p, "not a JSON escape");
	*out = to[at - from];
	return 1;
}

/*
 * The bytes from the current one to the closing quote (an escaped quote
 * skipped), or to the end: what the decoded string fits in, since no
 * escape decodes to more bytes than it has.
 */
static size_t string_span(const struct jp *p)
{
	size_t i = p->pos;

	while (i < p->len && p->s[i] != '"')
		i += p->s[i] == '\\' ? 2 : 1;
	return (i < p->len ? i : p->len) - p->pos;
}

/* a string, decoded */
static int jstring(struct jp *p, char **out)
{
	size_t n = 0;
	char *d;
	int c, k;

	p->pos++;
	d = malloc(string_span(p) + 1);
	if (!d)
		return fail(p, "out of memory");
	while ((c = peek(p)) != '"') {
		if (c < 0) {
			k = fail(p, "unterminated string");
		} else if (c < 0x20) {
			k = fail(p, "control character in a string");
		} else if (c == '\\') {
			p->pos++;
			k = jescape(p, d + n);
		} else if (c >= 0x80) {
			k = utf8_len(p);
			if (k < 0)
				fail(p, "invalid UTF-8");
			else
				memcpy(d + n, p->s + p->pos, k);
			p->pos += k > 0 ? k : 0;
		} else {
			d[n] = c;
			p->pos++;
			k = 1;
		}
		if (k < 0) {
			free(d);
			return -1;
		}
		n += k;
	}
	p->pos++;
	d[n] = '\0';
	*out = d;
	return 0;
}

static int jvalue(struct jp *p, struct mlpt_jv *v);

/*
 * Room for one more item of @v, zeroed.  The arrays double when their
 * count reaches a power of two, so a long array costs linear time.
 */
static struct mlpt_jv *grow(struct jp *p, struct mlpt_jv *v, bool obj)
{
	size_t cap = v->n ? 2 * v->n : 1;
	struct mlpt_jv *item = v->item;
	char **key;

	if (!(v->n & (v->n - 1))) {
		item = realloc(v->item, cap * sizeof(*item));
		if (!item)
			return fail(p, "out of memory"), NULL;
		v->item = item;
	}
	if (obj && !(v->n & (v->n - 1))) {
		key = realloc(v->key, cap * sizeof(*key));
		if (!key)
			return fail(p, "out of memory"), NULL;
		v->key = key;
	}
	if (obj)
		v->key[v->n] = NULL;
	memset(&item[v->n], 0, sizeof(*item));
	return &item[v->n++];
}

static int member_key(struct jp *p, struct mlpt_jv *v)
{
	size_t i;

	if (peek(p) != '"')
		return fail(p, "object key (a string) expected");
	if (jstring(p, &v->key[v->n - 1]))
		return -1;
	for (i = 0; i + 1 < v->n; i++)
		if (!strcmp(v->key[i], v->key[v->n - 1]))
			return fail(p, "duplicate key");
	ws(p);
	if (peek(p) != ':')
		return fail(p, "':' expected");
	p->pos++;
	return 0;
}

/* the items of an array or object, the opening bracket already read */
static int items(struct jp *p, struct mlpt_jv *v, bool obj)
{
	char close = obj ? '}' : ']';
	struct mlpt_jv *item;

	v->type = obj ? MLPT_JV_OBJ : MLPT_JV_ARR;
	if (++p->depth > MLPT_JV_DEPTH)
		return fail(p, "nested too deep");
	p->pos++;
	ws(p);
	if (peek(p) == close)
		goto done;
	for (;;) {
		ws(p);
		item = grow(p, v, obj);
		if (!item || (obj && member_key(p, v)) || jvalue(p, item))
			return -1;
		ws(p);
		if (peek(p) == close)
			break;
		if (peek(p) != ',')
			return fail(p, obj ? "',' or '}' expected" :
					     "',' or ']' expected");
		p->pos++;
	}
done:
	p->pos++;
	p->depth--;
	return 0;
}

static int jvalue(struct jp *p, struct mlpt_jv *v)
{
	int c;

	ws(p);
	c = peek(p);
	switch (c) {
	case '{':
	case '[':
		return items(p, v, c == '{');
	case '"':
		v->type = MLPT_JV_STR;
		return jstring(p, &v->s);
	case 't':
	case 'f':
		v->type = MLPT_JV_BOOL;
		v->b = c == 't';
		return literal(p, c == 't' ? "true" : "false");
	case 'n':
		v->type = MLPT_JV_NULL;
		return literal(p, "null");
	default:
		if (c == '-' || is_digit(c))
			return number(p, v);
		return fail(p, c < 0 ? "a value expected, the text ended" :
				       "not a JSON value");
	}
}

int mlpt_jv_parse(const char *s, size_t len, size_t *pos, struct mlpt_jv *v,
		  const char **why)
{
	struct jp p = { .s = s, .len = len, .pos = *pos };

	memset(v, 0, sizeof(*v));
	if (jvalue(&p, v)) {
		mlpt_jv_free(v);
		*why = p.why;
		*pos = p.pos < len ? p.pos : len;
		return -1;
	}
	*pos = p.pos;
	return 0;
}

bool mlpt_jv_end(const char *s, size_t len, size_t pos)
{
	while (pos < len && is_ws(s[pos]))
		pos++;
	return pos == len;
}

void mlpt_jv_free(struct mlpt_jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		mlpt_jv_free(&v->item[i]);
		if (v->key)
			free(v->key[i]);
	}
	free(v->item);
	free(v->key);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

const struct mlpt_jv *mlpt_jv_get(const struct mlpt_jv *v, const char *key)
{
	size_t i;

	if (v->type != MLPT_JV_OBJ)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->key[i], key))
			return &v->item[i];
	return NULL;
}

int mlpt_jv_u64(const struct mlpt_jv *v, u64 *out)
{
	const char *c;
	u64 n = 0;

	if (v->type != MLPT_JV_NUM)
		return -1;
	for (c = v->s; *c; c++) {
		if (!is_digit(*c) || n > (U64_MAX - (*c - '0')) / 10)
			return -1;
		n = n * 10 + (*c - '0');
	}
	*out = n;
	return 0;
}
