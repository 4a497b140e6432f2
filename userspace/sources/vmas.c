// SPDX-License-Identifier: GPL-2.0
/*
 * The module's "vmas" report (docs/format.md): a row per VMA, a blank
 * line, then the summary report without its format line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/parse.h"
#include "sources/source.h"
#include "sources/vmas.h"

/* the fields before the name (the rest of the line), at most */
#define MAX_FIELDS 64

/*
 * The columns read, found by header word: a later module may add others.
 * Those from V_DEV on are optional: only `vmas-objects` has the three of
 * the object, only `vmas-occupancy` those from V_KIND on.
 */
enum vcol { V_START, V_END, V_PERMS, V_PUD, V_PMD, V_PTE, V_LEAF,
	    V_DEV, V_INODE, V_OFFSET,
	    V_KIND, V_LOCKED, V_HUGE, V_DEPOSITS, V_PTE_TABLES, V_PTE_USED,
	    V_PTE_INNER, V_PTE_INNER_PRESENT, V_PTE_RECLAIM,
	    V_OWN_P4D, V_OWN_PUD, V_OWN_PMD, V_OWN_PTE, V_OCC,
	    NR_V = V_OCC + MLPT_BUCKETS };
#define NR_V_NEEDED V_DEV

static const char *const vcol_name[NR_V] = {
	"start", "end", "perms", "pud", "pmd", "pte", "leaf-bytes",
	"dev", "inode", "offset",
	"kind", "locked", "huge-pmd", "deposits", "pte-tables", "pte-used",
	"pte-inner", "pte-inner-present", "pte-reclaim",
	"own-p4d", "own-pud", "own-pmd", "own-pte",
	"occ-0", "occ-1", "occ-2-7", "occ-8-63", "occ-64-255", "occ-256-511",
	"occ-512",
};

/* where each column is in a row, and how many come before the name */
struct vlayout {
	int col[NR_V];
	int fields;
};

const enum mlpt_level mlpt_vcol_level[MLPT_NR_VCOL] = {
	MLPT_PUD, MLPT_PMD, MLPT_PTE
};

static int bad(struct mlpt_err *e, const char *what, unsigned int lineno,
	       const char *why)
{
	return mlpt_fail(e, MLPT_EXIT_FORMAT, what,
			 "vmas report, line %u: %s", lineno, why);
}

/*
 * The header: every column of vcol_name somewhere, "name" last (names may
 * hold spaces, so it must be the rest of the line).
 */
static int read_header(char *line, struct vlayout *l)
{
	char *save, *t;
	int i, n = 0;
	bool named = false;

	for (i = 0; i < NR_V; i++)
		l->col[i] = -1;
	for (t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (named || n == MAX_FIELDS)
			return -1;	/* a column after the name */
		if (!strcmp(t, "name")) {
			named = true;
			continue;
		}
		for (i = 0; i < NR_V; i++)
			if (!strcmp(t, vcol_name[i]) && l->col[i] < 0)
				l->col[i] = n;
		n++;
	}
	for (i = 0; i < NR_V_NEEDED; i++)
		if (l->col[i] < 0)
			return -1;
	/* the object's columns are read only when all three are there */
	if (l->col[V_DEV] < 0 || l->col[V_INODE] < 0 || l->col[V_OFFSET] < 0)
		l->col[V_DEV] = -1;
	/* and the occupancy's only when all of them are */
	for (i = V_KIND; i < NR_V; i++)
		if (l->col[i] < 0)
			l->col[V_KIND] = -1;
	l->fields = n;
	return named ? 0 : -1;
}

/* "major:minor" in decimal */
static bool is_dev(const char *s)
{
	size_t major = strspn(s, "0123456789");

	return major && s[major] == ':' && s[major + 1] &&
	       strspn(s + major + 1, "0123456789") == strlen(s + major + 1);
}

/* dev, inode, offset: all three "-" (no object) or all three valid */
static int vma_object(char **tok, const struct vlayout *l,
		      struct mlpt_vrow *row)
{
	const char *dev = tok[l->col[V_DEV]];
	unsigned long long ino, off;

	if (!strcmp(dev, "-"))
		return strcmp(tok[l->col[V_INODE]], "-") ||
		       strcmp(tok[l->col[V_OFFSET]], "-") ? -1 : 0;
	if (!is_dev(dev) || strlen(dev) >= sizeof(row->dev) ||
	    mlpt_parse_u64(tok[l->col[V_INODE]], &ino) ||
	    mlpt_parse_u64(tok[l->col[V_OFFSET]], &off))
		return -1;
	row->object = true;
	snprintf(row->dev, sizeof(row->dev), "%s", dev);
	row->inode = ino;
	row->offset = off;
	return 0;
}

/* the columns of `vmas-occupancy`: a kind, then numbers */
static int vma_occupancy(char **tok, const struct vlayout *l,
			 struct mlpt_vrow *row)
{
	static const char *const kinds[] = { "anon", "file", "hugetlb",
					     "special" };
	unsigned long long num[NR_V];
	struct mlpt_vocc *o = &row->occ;
	const char *kind = tok[l->col[V_KIND]];
	size_t k;
	int i;

	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		if (!strcmp(kind, kinds[k]))
			break;
	if (k == ARRAY_SIZE(kinds))
		return -1;
	for (i = V_LOCKED; i < NR_V; i++)
		if (mlpt_parse_u64(tok[l->col[i]], &num[i]))
			return -1;
	if (num[V_LOCKED] > 1)
		return -1;
	snprintf(o->kind, sizeof(o->kind), "%s", kind);
	o->locked = num[V_LOCKED];
	o->huge_pmds = num[V_HUGE];
	o->deposits = num[V_DEPOSITS];
	o->pte_tables = num[V_PTE_TABLES];
	o->pte_used = num[V_PTE_USED];
	o->pte_inner = num[V_PTE_INNER];
	o->pte_inner_present = num[V_PTE_INNER_PRESENT];
	o->pte_reclaim = num[V_PTE_RECLAIM];
	for (i = MLPT_P4D; i < MLPT_LEVELS; i++)
		o->own[i] = num[V_OWN_P4D + i - MLPT_P4D];
	for (i = 0; i < MLPT_BUCKETS; i++)
		o->occupancy[i] = num[V_OCC + i];
	row->has_occ = true;
	return 0;
}

/* fields split on blanks, the name the rest of the line */
static int vma_row(char *line, const struct vlayout *l, struct mlpt_vrow *row)
{
	unsigned long long num[NR_V];
	char *tok[MAX_FIELDS], *p = line;
	int i;

	for (i = 0; i < l->fields; i++) {
		p += strspn(p, " ");
		tok[i] = p;
		p += strcspn(p, " ");
		if (!*p)
			return -1;
		*p++ = '\0';
	}
	for (i = 0; i < NR_V_NEEDED; i++)
		if (i != V_PERMS && mlpt_parse_u64(tok[l->col[i]], &num[i]))
			return -1;
	memset(row, 0, sizeof(*row));
	if (l->col[V_DEV] >= 0 && vma_object(tok, l, row))
		return -1;
	if (l->col[V_KIND] >= 0 && vma_occupancy(tok, l, row))
		return -1;
	p += strspn(p, " ");
	if (!*p || strlen(tok[l->col[V_PERMS]]) >= sizeof(row->perms) ||
	    num[V_END] <= num[V_START])
		return -1;
	row->start = num[V_START];
	row->end = num[V_END];
	snprintf(row->perms, sizeof(row->perms), "%s", tok[l->col[V_PERMS]]);
	for (i = 0; i < MLPT_NR_VCOL; i++)
		row->tables[i] = num[V_PUD + i];
	row->leaf_bytes = num[V_LEAF];
	row->name = strdup(p);
	return row->name ? 0 : -1;
}

static int vma_rows(char *text, const char *what, struct mlpt_vmas *v,
		    char **summary, struct mlpt_err *e)
{
	struct vlayout layout = { 0 };
	unsigned int lineno = 0;
	size_t cap = 0;
	char *line = text, *nl;
	void *t;

	for (; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		lineno++;
		if (lineno == 1 && strcmp(line, "mlpt-format: 1"))
			return bad(e, what, lineno, "not a format-1 report");
		if (lineno == 2 && read_header(line, &layout))
			return bad(e, what, lineno, "a column missing, or after name");
		if (lineno <= 2)
			continue;
		if (!*line)
			break;
		if (v->n == cap) {
			cap = cap ? 2 * cap : 64;
			t = realloc(v->row, cap * sizeof(*v->row));
			if (!t)
				return mlpt_fail(e, MLPT_EXIT_FAIL, what,
						 "out of memory");
			v->row = t;
		}
		if (vma_row(line, &layout, &v->row[v->n]))
			return bad(e, what, lineno, "bad VMA row");
		v->n++;
	}
	if (!nl)
		return bad(e, what, lineno, "no summary after the VMA rows");
	*summary = nl;
	return 0;
}

/* The key `vmas-occupancy` adds to the summary: 1, 0, or -1 if absent. */
static int pt_reclaim(const char *p)
{
	static const char key[] = "pt-reclaim: ";

	while (p && *p && *p != '\n') {	/* the key lines */
		if (!strncmp(p, key, sizeof(key) - 1)) {
			p += sizeof(key) - 1;
			return !strncmp(p, "yes\n", 4) ? 1 :
			       !strncmp(p, "no\n", 3) ? 0 : -1;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return -1;
}

int mlpt_vmas_parse(const char *text, size_t len, const char *what,
		    struct mlpt_vmas *v, struct mlpt_err *e)
{
	static const char format[] = "mlpt-format: 1\n";
	char *copy = strndup(text, len), *summary = NULL, *full = NULL;
	int ret;

	memset(v, 0, sizeof(*v));
	v->pt_reclaim = -1;
	if (!copy)
		return mlpt_fail(e, MLPT_EXIT_FAIL, what, "out of memory");
	ret = vma_rows(copy, what, v, &summary, e);
	if (!ret)
		v->pt_reclaim = pt_reclaim(summary);
	if (!ret && asprintf(&full, "%s%s", format, summary) < 0)
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, what, "out of memory");
	if (!ret)
		ret = mlpt_parse(full, strlen(full), what, &v->sum, e);
	free(full);
	free(copy);
	if (ret)
		mlpt_vmas_free(v);
	return ret;
}

static int load(int pid, const char *cmd, struct mlpt_vmas *v,
		struct mlpt_err *e)
{
	char what[32], *text;
	size_t len;
	int ret;

	snprintf(what, sizeof(what), "%d", pid);
	ret = mlpt_command(pid, cmd, &text, &len, e);
	if (ret)
		return ret;
	ret = mlpt_vmas_parse(text, len, what, v, e);
	free(text);
	if (!ret)
		v->sum.source = MLPT_SRC_MODULE;
	return ret;
}

int mlpt_vmas_load(int pid, struct mlpt_vmas *v, struct mlpt_err *e)
{
	return load(pid, "vmas\n", v, e);
}

int mlpt_vmas_load_objects(int pid, struct mlpt_vmas *v, struct mlpt_err *e)
{
	int ret = load(pid, "vmas-objects\n", v, e);

	/* a module before `vmas-objects` refuses the command (EINVAL) */
	if (ret == MLPT_EXIT_USAGE)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "vmas-objects",
				 "the loaded module is too old to name mapped objects: load this version's");
	return ret;
}

int mlpt_vmas_load_occupancy(int pid, struct mlpt_vmas *v,
			     struct mlpt_err *e)
{
	int ret = load(pid, "vmas-occupancy\n", v, e);

	if (ret == MLPT_EXIT_USAGE)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "vmas-occupancy",
				 "the loaded module is too old to report occupancy per mapping: load this version's");
	if (!ret && v->pt_reclaim < 0) {
		mlpt_vmas_free(v);
		return mlpt_fail(e, MLPT_EXIT_FORMAT, "vmas-occupancy",
				 "no pt-reclaim key after the rows");
	}
	return ret;
}

u64 mlpt_vrow_bytes(const struct mlpt_vmas *v, const struct mlpt_vrow *row)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < MLPT_NR_VCOL; i++)
		sum += row->tables[i] *
		       v->sum.level[mlpt_vcol_level[i]].table_bytes;
	return sum;
}

static u64 row_tables(const struct mlpt_vrow *r)
{
	return r->tables[MLPT_VCOL_PUD] + r->tables[MLPT_VCOL_PMD] +
	       r->tables[MLPT_VCOL_PTE];
}

static int cmp_cost(const void *pa, const void *pb)
{
	const struct mlpt_vrow *a = pa, *b = pb;

	if (row_tables(a) != row_tables(b))
		return row_tables(a) > row_tables(b) ? -1 : 1;
	if (a->leaf_bytes != b->leaf_bytes)
		return a->leaf_bytes > b->leaf_bytes ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

void mlpt_vmas_sort(struct mlpt_vmas *v)
{
	qsort(v->row, v->n, sizeof(*v->row), cmp_cost);
}

void mlpt_vmas_total(const struct mlpt_vmas *v, struct mlpt_vrow *t,
		     bool *match)
{
	size_t i;
	int k;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < v->n; i++) {
		for (k = 0; k < MLPT_NR_VCOL; k++)
			t->tables[k] += v->row[i].tables[k];
		t->leaf_bytes += v->row[i].leaf_bytes;
	}
	*match = true;
	for (k = 0; k < MLPT_NR_VCOL; k++)
		*match &= t->tables[k] ==
			  v->sum.level[mlpt_vcol_level[k]].tables;
}

void mlpt_vmas_free(struct mlpt_vmas *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->row[i].name);
	free(v->row);
	mlpt_report_free(&v->sum);
	memset(v, 0, sizeof(*v));
}
