// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots from the JSON the tool writes (views/json.c, views/vmasout.c)
 * and from the module's vmas command.  Which output a document is, is told
 * by its keys: "vmas" (mlpt vmas), "processes" with "total" (the survey),
 * "processes" with "format" (reports, mlpt run's too).  A key a known
 * output always has and this document lacks is an error, never a zero.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/jsonparse.h"
#include "sources/snapshot.h"

const char *const mlpt_sq_name[MLPT_NR_SQ] = { "tables", "entries", "bytes" };
const char *const mlpt_st_name[MLPT_NR_ST] = {
	"tree_bytes", "vmpte_bytes", "resident_bytes"
};

/* where in a document a key is looked for, for the error message */
struct at {
	const char *what;	/* the file */
	unsigned long doc;	/* the document's number, from 1 */
	char path[96];		/* "processes[2].levels[1]" */
	struct mlpt_err *e;
};

static int bad(struct at *a, const char *key, const char *want)
{
	return mlpt_fail(a->e, MLPT_EXIT_FORMAT, a->what,
			 "document %lu: %s%s\"%s\" is not %s", a->doc,
			 a->path, *a->path ? ": " : "", key, want);
}

static int get_u64(struct at *a, const struct mlpt_jv *o, const char *key,
		   u64 *v)
{
	const struct mlpt_jv *x = mlpt_jv_get(o, key);

	if (!x || mlpt_jv_u64(x, v))
		return bad(a, key, "there as a non-negative integer");
	return 0;
}

static int get_str(struct at *a, const struct mlpt_jv *o, const char *key,
		   char *dst, size_t size)
{
	const struct mlpt_jv *x = mlpt_jv_get(o, key);

	if (!x || x->type != MLPT_JV_STR)
		return bad(a, key, "there as a string");
	snprintf(dst, size, "%s", x->s);
	return 0;
}

/* "0x" and hex digits, as the tool writes addresses */
static int get_addr(struct at *a, const struct mlpt_jv *o, const char *key,
		    u64 *v)
{
	const struct mlpt_jv *x = mlpt_jv_get(o, key);

	if (!x || x->type != MLPT_JV_STR || strncmp(x->s, "0x", 2) ||
	    !x->s[2] || strspn(x->s + 2, "0123456789abcdefABCDEF") !=
	    strlen(x->s + 2) || strlen(x->s + 2) > 16)
		return bad(a, key, "there as an address (\"0x\" and hex digits)");
	*v = strtoull(x->s + 2, NULL, 16);
	return 0;
}

static const struct mlpt_jv *get_arr(struct at *a, const struct mlpt_jv *o,
				     const char *key)
{
	const struct mlpt_jv *x = mlpt_jv_get(o, key);

	if (!x || x->type != MLPT_JV_ARR) {
		bad(a, key, "there as an array");
		return NULL;
	}
	return x;
}

static int pid_comm(struct at *a, const struct mlpt_jv *o,
		    struct mlpt_snap_proc *p)
{
	u64 pid;

	if (o->type != MLPT_JV_OBJ)
		return bad(a, "", "an object");
	if (get_u64(a, o, "pid", &pid) ||
	    get_str(a, o, "comm", p->comm, sizeof(p->comm)))
		return a->e->code;
	if (!pid || pid > 0x7fffffff)
		return bad(a, "pid", "a process id");
	p->pid = pid;
	return 0;
}

static void know(struct mlpt_figure *f, u64 v)
{
	f->known = true;
	f->v = v;
}

/* one element of a report's "levels"; folded levels stay unknown */
static int report_level(struct at *a, const struct mlpt_jv *l,
			struct mlpt_snap_proc *p, u64 *tree)
{
	static const char *const key[MLPT_NR_SQ] = {
		"tables", "present", "bytes"
	};
	const struct mlpt_jv *folded = mlpt_jv_get(l, "folded");
	char name[8];
	u64 v[MLPT_NR_SQ];
	int k, q;

	if (get_str(a, l, "level", name, sizeof(name)))
		return a->e->code;
	for (k = 0; k < MLPT_LEVELS; k++)
		if (!strcmp(name, mlpt_level_name[k]))
			break;
	if (k == MLPT_LEVELS)
		return bad(a, "level", "a level's name");
	if (!folded || folded->type != MLPT_JV_BOOL)
		return bad(a, "folded", "there as true or false");
	for (q = 0; q < MLPT_NR_SQ; q++)
		if (get_u64(a, l, key[q], &v[q]))
			return a->e->code;
	if (folded->b)
		return 0;
	for (q = 0; q < MLPT_NR_SQ; q++)
		know(&p->level[k][q], v[q]);
	*tree += v[MLPT_SQ_BYTES];
	return 0;
}

static int report(struct at *a, const struct mlpt_jv *o,
		  struct mlpt_snap_proc *p)
{
	const struct mlpt_jv *levels, *phase;
	size_t base = strlen(a->path), i;
	u64 tree = 0, vmpte, resident;

	if (pid_comm(a, o, p))
		return a->e->code;
	phase = mlpt_jv_get(o, "phase");
	if (phase && (phase->type != MLPT_JV_STR || strlen(phase->s) >= 8))
		return bad(a, "phase", "\"peak\" or \"exit\"");
	if (phase)
		snprintf(p->phase, sizeof(p->phase), "%s", phase->s);
	if (get_u64(a, o, "kernel_pgtables_bytes", &vmpte) ||
	    get_u64(a, o, "resident_bytes", &resident))
		return a->e->code;
	levels = get_arr(a, o, "levels");
	if (!levels)
		return a->e->code;
	for (i = 0; i < levels->n; i++) {
		snprintf(a->path + base, sizeof(a->path) - base, ".levels[%zu]",
			 i);
		if (report_level(a, &levels->item[i], p, &tree))
			return a->e->code;
	}
	a->path[base] = '\0';
	know(&p->total[MLPT_ST_TREE], tree);
	know(&p->total[MLPT_ST_VMPTE], vmpte);
	know(&p->total[MLPT_ST_RESIDENT], resident);
	return 0;
}

static int survey_row(struct at *a, const struct mlpt_jv *o,
		      struct mlpt_snap_proc *p)
{
	int t;

	if (pid_comm(a, o, p))
		return a->e->code;
	for (t = 0; t < MLPT_NR_ST; t++) {
		if (get_u64(a, o, mlpt_st_name[t], &p->total[t].v))
			return a->e->code;
		p->total[t].known = true;
	}
	return 0;
}

static int cmp_map(const void *pa, const void *pb)
{
	const struct mlpt_snap_map *x = pa, *y = pb;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int vmas_row(struct at *a, const struct mlpt_jv *o,
		    struct mlpt_snap_map *m)
{
	int k;

	if (o->type != MLPT_JV_OBJ)
		return bad(a, "", "an object");
	if (get_addr(a, o, "start", &m->start) ||
	    get_addr(a, o, "end", &m->end) ||
	    get_str(a, o, "perms", m->perms, sizeof(m->perms)) ||
	    get_u64(a, o, "table_bytes", &m->table_bytes))
		return a->e->code;
	for (k = 0; k < MLPT_NR_VCOL; k++)
		if (get_u64(a, o, mlpt_level_name[mlpt_vcol_level[k]],
			    &m->tables[k]))
			return a->e->code;
	if (!mlpt_jv_get(o, "name") || mlpt_jv_get(o, "name")->type != MLPT_JV_STR)
		return bad(a, "name", "there as a string");
	m->name = strdup(mlpt_jv_get(o, "name")->s);
	if (!m->name)
		return mlpt_fail(a->e, MLPT_EXIT_FAIL, a->what, "out of memory");
	return 0;
}

/* mlpt vmas: one process, its mappings and the sums of their columns */
static int from_vmas(struct at *a, const struct mlpt_jv *doc,
		     struct mlpt_snap *s)
{
	const struct mlpt_jv *rows = get_arr(a, doc, "vmas");
	const struct mlpt_jv *total = mlpt_jv_get(doc, "total");
	struct mlpt_snap_proc *p;
	u64 v;
	size_t i;
	int k;

	s->proc = calloc(1, sizeof(*s->proc));
	if (!s->proc)
		return mlpt_fail(a->e, MLPT_EXIT_FAIL, a->what, "out of memory");
	s->n = 1;
	p = s->proc;
	if (!rows || pid_comm(a, doc, p))
		return a->e->code;
	p->has_maps = true;
	p->map = calloc(rows->n + 1, sizeof(*p->map));
	if (!p->map)
		return mlpt_fail(a->e, MLPT_EXIT_FAIL, a->what, "out of memory");
	for (i = 0; i < rows->n; i++, p->nr_map++) {
		snprintf(a->path, sizeof(a->path), "vmas[%zu]", i);
		if (vmas_row(a, &rows->item[i], &p->map[i]))
			return a->e->code;
	}
	snprintf(a->path, sizeof(a->path), "total");
	if (!total || total->type != MLPT_JV_OBJ)
		return bad(a, "total", "there as an object");
	for (k = 0; k < MLPT_NR_VCOL; k++) {
		if (get_u64(a, total, mlpt_level_name[mlpt_vcol_level[k]], &v))
			return a->e->code;
		know(&p->level[mlpt_vcol_level[k]][MLPT_SQ_TABLES], v);
	}
	qsort(p->map, p->nr_map, sizeof(*p->map), cmp_map);
	return 0;
}

/* the reports or the survey: a list of processes */
static int from_processes(struct at *a, const struct mlpt_jv *doc,
			  bool survey, struct mlpt_snap *s)
{
	const struct mlpt_jv *list = get_arr(a, doc, "processes");
	size_t i;
	int ret;

	if (!list)
		return a->e->code;
	s->proc = calloc(list->n + 1, sizeof(*s->proc));
	if (!s->proc)
		return mlpt_fail(a->e, MLPT_EXIT_FAIL, a->what, "out of memory");
	for (i = 0; i < list->n; i++, s->n++) {
		snprintf(a->path, sizeof(a->path), "processes[%zu]", i);
		ret = survey ? survey_row(a, &list->item[i], &s->proc[i]) :
			       report(a, &list->item[i], &s->proc[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int from_document(struct at *a, const struct mlpt_jv *doc,
			 struct mlpt_snap *s)
{
	const struct mlpt_jv *time = mlpt_jv_get(doc, "time");
	u64 format;

	if (doc->type != MLPT_JV_OBJ)
		return mlpt_fail(a->e, MLPT_EXIT_FORMAT, a->what,
				 "document %lu: not an object: no output of mlpt",
				 a->doc);
	if (time && time->type == MLPT_JV_STR)
		snprintf(s->time, sizeof(s->time), "%s", time->s);
	if (mlpt_jv_get(doc, "vmas"))
		return from_vmas(a, doc, s);
	if (mlpt_jv_get(doc, "processes") && mlpt_jv_get(doc, "total"))
		return from_processes(a, doc, true, s);
	if (mlpt_jv_get(doc, "processes")) {
		if (get_u64(a, doc, "format", &format))
			return a->e->code;
		if (format != MLPT_FORMAT)
			return bad(a, "format", "1, the format this mlpt reads");
		return from_processes(a, doc, false, s);
	}
	return mlpt_fail(a->e, MLPT_EXIT_FORMAT, a->what,
			 "document %lu: %s", a->doc,
			 mlpt_jv_get(doc, "objects") ?
			 "the output of mlpt shared: diff compares reports, the survey and vmas" :
			 mlpt_jv_get(doc, "designs") ?
			 "the output of mlpt simulate: diff compares reports, the survey and vmas" :
			 "not a report, survey or vmas output of mlpt");
}

/* "line L, column C" of offset @pos of @text */
static void where(const char *text, size_t pos, unsigned long *line,
		  unsigned long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < pos; i++) {
		(*col)++;
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		}
	}
}

int mlpt_snap_text(const char *text, size_t len, const char *what, bool last,
		   struct mlpt_snap *s, struct mlpt_err *e)
{
	struct at a = { .what = what, .e = e };
	struct mlpt_jv doc = { 0 }, next;
	unsigned long line, col, count = 0;
	const char *why;
	size_t pos = 0;

	memset(s, 0, sizeof(*s));
	while (!mlpt_jv_end(text, len, pos)) {
		if (mlpt_jv_parse(text, len, &pos, &next, &why)) {
			mlpt_jv_free(&doc);
			where(text, pos, &line, &col);
			return mlpt_fail(e, MLPT_EXIT_FORMAT, what,
					 "not JSON: line %lu, column %lu: %s",
					 line, col, why);
		}
		if (++count > 1 && !last) {
			mlpt_jv_free(&next);
			continue;	/* the rest must be JSON too */
		}
		mlpt_jv_free(&doc);
		doc = next;
	}
	if (!count)
		return mlpt_fail(e, MLPT_EXIT_FORMAT, what,
				 "no JSON document in it");
	a.doc = last ? count : 1;
	if (from_document(&a, &doc, s)) {
		mlpt_snap_free(s);
		mlpt_jv_free(&doc);
		return e->code;
	}
	mlpt_jv_free(&doc);
	return 0;
}

int mlpt_snap_file(const char *path, bool last, struct mlpt_snap *s,
		   struct mlpt_err *e)
{
	FILE *f = fopen(path, "re");
	size_t len = 0, cap = 0, n;
	char *text = NULL, *t;
	int ret;

	if (!f)
		return mlpt_fail(e, MLPT_EXIT_FAIL, path, "%s", strerror(errno));
	do {
		if (cap - len < 65536) {
			cap += 262144;
			t = realloc(text, cap);
			if (!t) {
				fclose(f);
				free(text);
				return mlpt_fail(e, MLPT_EXIT_FAIL, path,
						 "out of memory");
			}
			text = t;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
	} while (n);
	ret = ferror(f) ? mlpt_fail(e, MLPT_EXIT_FAIL, path, "read: %s",
				    strerror(errno)) : 0;
	fclose(f);
	if (!ret)
		ret = mlpt_snap_text(text, len, path, last, s, e);
	free(text);
	return ret;
}

int mlpt_snap_live(int pid, struct mlpt_snap_proc *p, struct mlpt_err *e)
{
	struct mlpt_vmas v;
	u64 tree = 0;
	size_t i;
	int k, ret;

	memset(p, 0, sizeof(*p));
	ret = mlpt_vmas_load(pid, &v, e);
	if (ret)
		return ret;
	p->pid = pid;
	snprintf(p->comm, sizeof(p->comm), "%s", v.sum.comm);
	for (k = 0; k < MLPT_LEVELS; k++) {
		const struct mlpt_level_stats *l = &v.sum.level[k];

		if (l->folded)
			continue;
		know(&p->level[k][MLPT_SQ_TABLES], l->tables);
		know(&p->level[k][MLPT_SQ_ENTRIES], l->present);
		know(&p->level[k][MLPT_SQ_BYTES], l->tables * l->table_bytes);
		tree += l->tables * l->table_bytes;
	}
	know(&p->total[MLPT_ST_TREE], tree);
	know(&p->total[MLPT_ST_VMPTE], v.sum.kernel_pgtables_bytes);
	know(&p->total[MLPT_ST_RESIDENT], v.sum.resident_bytes);
	p->has_maps = true;
	p->map = calloc(v.n + 1, sizeof(*p->map));
	for (i = 0; p->map && i < v.n; i++, p->nr_map++) {
		struct mlpt_snap_map *m = &p->map[i];

		m->start = v.row[i].start;
		m->end = v.row[i].end;
		snprintf(m->perms, sizeof(m->perms), "%s", v.row[i].perms);
		memcpy(m->tables, v.row[i].tables, sizeof(m->tables));
		m->table_bytes = mlpt_vrow_bytes(&v, &v.row[i]);
		m->name = strdup(v.row[i].name);
		if (!m->name)
			break;
	}
	ret = i < v.n ? mlpt_fail(e, MLPT_EXIT_FAIL, "mlpt", "out of memory")
		      : 0;
	mlpt_vmas_free(&v);
	if (ret)
		mlpt_snap_proc_free(p);
	else
		qsort(p->map, p->nr_map, sizeof(*p->map), cmp_map);
	return ret;
}

void mlpt_snap_proc_free(struct mlpt_snap_proc *p)
{
	size_t i;

	for (i = 0; i < p->nr_map; i++)
		free(p->map[i].name);
	free(p->map);
	memset(p, 0, sizeof(*p));
}

void mlpt_snap_free(struct mlpt_snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		mlpt_snap_proc_free(&s->proc[i]);
	free(s->proc);
	memset(s, 0, sizeof(*s));
}
