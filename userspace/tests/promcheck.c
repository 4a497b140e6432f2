// SPDX-License-Identifier: GPL-2.0
/*
 * A strict checker of the Prometheus text exposition format as mlpt writes
 * it (promtool is used as well where it is installed): HELP and TYPE once
 * per family and before its samples, a family's samples together, names and
 * labels well formed, label values escaped, values numeric, no series twice,
 * every metric named mlpt_..., a newline at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define MAX_FAMILIES 64
#define MAX_NAME 128

struct pc {
	char done[MAX_FAMILIES][MAX_NAME];	/* families seen */
	int nr_done;
	char cur[MAX_NAME];			/* the family being read */
	bool help;
	bool type;
	char **series;
	size_t nr_series;
};

static bool name_char(char c, bool first, bool colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (colon && c == ':') || (!first && c >= '0' && c <= '9');
}

/* length of the name at @s, 0 if none */
static size_t name_len(const char *s, bool colon)
{
	size_t n = 0;

	while (name_char(s[n], n == 0, colon))
		n++;
	return n;
}

static const char *start_family(struct pc *p, const char *name, size_t n)
{
	int i;

	if (n >= MAX_NAME)
		return "name too long";
	if (strncmp(name, "mlpt_", 5))
		return "metric not named mlpt_...";
	if (strlen(p->cur) == n && !strncmp(p->cur, name, n))
		return NULL;
	for (i = 0; i < p->nr_done; i++)
		if (strlen(p->done[i]) == n && !strncmp(p->done[i], name, n))
			return "family split or repeated";
	if (p->nr_done == MAX_FAMILIES)
		return "too many families";
	snprintf(p->done[p->nr_done++], MAX_NAME, "%.*s", (int)n, name);
	snprintf(p->cur, MAX_NAME, "%.*s", (int)n, name);
	p->help = false;
	p->type = false;
	return NULL;
}

static const char *comment(struct pc *p, const char *line)
{
	bool help = !strncmp(line, "# HELP ", 7);
	const char *name = line + 7, *err;
	size_t n;

	if (!help && strncmp(line, "# TYPE ", 7))
		return NULL;	/* a plain comment */
	n = name_len(name, true);
	if (!n || name[n] != ' ' || !name[n + 1])
		return "HELP or TYPE without name and text";
	err = start_family(p, name, n);
	if (err)
		return err;
	if (help ? p->help : p->type)
		return "HELP or TYPE twice";
	if (!help && strcmp(name + n + 1, "gauge") &&
	    strcmp(name + n + 1, "counter") && strcmp(name + n + 1, "untyped"))
		return "unknown TYPE";
	if (help)
		p->help = true;
	else
		p->type = true;
	return NULL;
}

static const char *labels(const char **s)
{
	size_t n;

	for (;;) {
		n = name_len(*s, false);
		if (!n || (*s)[n] != '=' || (*s)[n + 1] != '"')
			return "bad label";
		*s += n + 2;
		while (**s && **s != '"') {
			if (**s == '\\') {
				(*s)++;
				if (!strchr("\\\"n", **s) || !**s)
					return "bad escape in label value";
			} else if (**s == '\n') {
				return "newline in label value";
			}
			(*s)++;
		}
		if (**s != '"')
			return "unterminated label value";
		(*s)++;
		if (**s == '}')
			return NULL;
		if (*(*s)++ != ',')
			return "',' or '}' expected";
	}
}

static const char *sample_line(struct pc *p, const char *line)
{
	const char *s = line, *err;
	size_t n = name_len(s, true), i;
	char *end;

	if (!n)
		return "metric name expected";
	if (strlen(p->cur) != n || strncmp(p->cur, s, n))
		return "sample outside its family (no HELP/TYPE first)";
	if (!p->help || !p->type)
		return "sample before HELP and TYPE";
	s += n;
	if (*s == '{') {
		s++;
		err = labels(&s);
		if (err)
			return err;
		s++;
	}
	for (i = 0; i < p->nr_series; i++)
		if (strlen(p->series[i]) == (size_t)(s - line) &&
		    !strncmp(p->series[i], line, s - line))
			return "series twice";
	p->series = realloc(p->series, (p->nr_series + 1) * sizeof(char *));
	p->series[p->nr_series++] = strndup(line, s - line);
	if (*s++ != ' ')
		return "space before value expected";
	strtod(s, &end);
	if (end == s || *end)
		return "value is not a number";
	return NULL;
}

const char *prom_check(const char *text, size_t len)
{
	struct pc p = { .nr_done = 0 };
	const char *err = NULL;
	char *copy, *line, *nl;
	size_t i;

	if (!len || text[len - 1] != '\n')
		return "no newline at the end";
	copy = strndup(text, len);
	for (line = copy; !err && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		if (!*line)
			err = "empty line";
		else if (*line == '#')
			err = comment(&p, line);
		else
			err = sample_line(&p, line);
	}
	for (i = 0; i < p.nr_series; i++)
		free(p.series[i]);
	free(p.series);
	free(copy);
	return err;
}
