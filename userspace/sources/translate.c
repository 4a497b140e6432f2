// SPDX-License-Identifier: GPL-2.0
/*
 * The module's "translate" report (docs/format.md, Commands):
 * the address, then "vma: none" or one row per level walked, then the
 * offset, pfn and physical lines when the walk reached a leaf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/parse.h"
#include "sources/proc.h"
#include "sources/source.h"
#include "sources/translate.h"

#define MAX_TOK 16

static const char *const result_name[] = {
	[MLPT_RES_NEXT] = "next",
	[MLPT_RES_LEAF] = "leaf",
	[MLPT_RES_NONE] = "none",
	[MLPT_RES_NONPRESENT] = "nonpresent",
};

struct xparser {
	struct mlpt_xlate *x;
	struct mlpt_err *e;
	const char *what;
	unsigned int lineno;
};

static int bad(struct xparser *p, const char *why, const char *arg)
{
	return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
			 "translate report, line %u: %s%s%s", p->lineno, why,
			 arg ? ": " : "", arg ? arg : "");
}

static int to_u64(struct xparser *p, const char *s, u64 *v)
{
	unsigned long long n;

	if (mlpt_parse_u64(s, &n))
		return bad(p, "not a number", s);
	*v = n;
	return 0;
}

/* "pgd 254 0x0000000112345067 P RW US A next" */
static int step_row(struct xparser *p, char **tok, int n)
{
	struct mlpt_step *st = &p->x->step[p->x->steps];
	unsigned int i;
	int k;

	for (i = 0; i < MLPT_LEVELS; i++)
		if (!strcmp(tok[0], mlpt_level_name[i]))
			break;
	if (i == MLPT_LEVELS)
		return 0;	/* a row a later module adds: not a step */
	if (p->x->steps == MLPT_LEVELS || n < 4)
		return bad(p, "bad step", tok[0]);
	if (i != p->x->steps)
		return bad(p, "level out of order", tok[0]);
	st->level = i;
	for (i = 0; i < ARRAY_SIZE(result_name); i++)
		if (!strcmp(tok[n - 1], result_name[i]))
			break;
	if (i == ARRAY_SIZE(result_name))
		return bad(p, "unknown result", tok[n - 1]);
	st->result = i;
	st->folded = !strcmp(tok[3], "folded");
	st->hidden = !strcmp(tok[2], "hidden");
	if (to_u64(p, tok[1], &st->index) ||
	    (!st->folded && !st->hidden && to_u64(p, tok[2], &st->entry)))
		return p->e->code;
	st->flags[0] = '\0';
	for (k = 3; !st->folded && k < n - 1; k++) {
		size_t len = strlen(st->flags);

		snprintf(st->flags + len, sizeof(st->flags) - len, "%s%s",
			 len ? " " : "", tok[k]);
	}
	p->x->steps++;
	if (st->result == MLPT_RES_LEAF)
		p->x->leaf = true;
	return 0;
}

static int key_line(struct xparser *p, const char *key, const char *val)
{
	struct mlpt_xlate *x = p->x;

	if (!strcmp(key, "translate:"))
		return to_u64(p, val, &x->addr);
	if (!strcmp(key, "vma:")) {
		x->in_vma = false;
		return 0;
	}
	if (!strcmp(key, "offset:"))
		return to_u64(p, val, &x->offset);
	if (!strcmp(key, "pfn:") || !strcmp(key, "physical:")) {
		if (!strcmp(val, "hidden")) {
			x->phys_hidden = true;
			return 0;
		}
		return to_u64(p, val, key[1] == 'f' ? &x->pfn : &x->physical);
	}
	return 0;	/* a key added by a later module: ignored */
}

/* a key this parser reads (the others a later module may add) */
static bool known_key(const char *key)
{
	static const char *const keys[] = {
		"translate:", "vma:", "offset:", "pfn:", "physical:",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

static int line(struct xparser *p, char *s)
{
	char *tok[MAX_TOK], *save, *t;
	int n = 0;

	for (t = strtok_r(s, " \t", &save); t && n < MAX_TOK;
	     t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (!n)
		return 0;
	if (p->lineno == 1)
		return strcmp(tok[0], "mlpt-format:") || n != 2 ||
		       strcmp(tok[1], "1") ?
		       bad(p, "not a format-1 translate report", tok[0]) : 0;
	if (!strcmp(tok[0], "level"))
		return 0;	/* the header of the step rows */
	if (tok[0][strlen(tok[0]) - 1] == ':')
		return n == 2 ? key_line(p, tok[0], tok[1]) :
		       known_key(tok[0]) ?
		       bad(p, "expected \"key: value\"", tok[0]) : 0;
	return step_row(p, tok, n);
}

int mlpt_xlate_parse(const char *text, size_t len, const char *what,
		     struct mlpt_xlate *x, struct mlpt_err *e)
{
	struct xparser p = { .x = x, .e = e, .what = what };
	char *copy = strndup(text, len), *s, *nl;
	int ret = 0;

	memset(x, 0, sizeof(*x));
	x->in_vma = true;
	if (!copy)
		return mlpt_fail(e, MLPT_EXIT_FAIL, what, "out of memory");
	for (s = copy; s && *s && !ret; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		p.lineno++;
		ret = line(&p, s);
	}
	free(copy);
	if (!ret && x->in_vma && !x->steps)
		ret = mlpt_fail(e, MLPT_EXIT_FORMAT, what,
				"translate report without steps");
	return ret;
}

int mlpt_xlate_load(int pid, u64 addr, struct mlpt_xlate *x,
		    struct mlpt_err *e)
{
	char cmd[40], what[32], *text;
	size_t len;
	int ret;

	snprintf(cmd, sizeof(cmd), "translate 0x%llx\n",
		 (unsigned long long)addr);
	snprintf(what, sizeof(what), "%d", pid);
	ret = mlpt_command(pid, cmd, &text, &len, e);
	if (ret)
		return ret;
	ret = mlpt_xlate_parse(text, len, what, x, e);
	free(text);
	return ret;
}
