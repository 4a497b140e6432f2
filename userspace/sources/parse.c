// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for the format-1 report of /proc/mlpt/<pid>: "key: value" lines,
 * then the level table, then the occupancy table, then the nodes table
 * when the module has one (docs/format.md, "The summary report").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/parse.h"

#define MAX_COLS 32

enum val { U64, UINT, STR };

struct key {
	const char *name;
	size_t off;
	enum val type;
};

#define KEY(n, f, t) { n, offsetof(struct mlpt_report, f), t }

static const struct key keys[] = {
	KEY("pid", pid, UINT),
	KEY("comm", comm, STR),
	KEY("paging-levels", paging_levels, UINT),
	KEY("va-bits", va_bits, UINT),
	KEY("page-size", page_size, U64),
	KEY("entry-bytes", entry_bytes, U64),
	KEY("entries-per-table", level[MLPT_PTE].entries, U64),
	KEY("vmas", vmas, U64),
	KEY("mapped-bytes", mapped_bytes, U64),
	KEY("va-lowest", va_lowest, U64),
	KEY("va-highest", va_highest, U64),
	KEY("resident-bytes", resident_bytes, U64),
	KEY("walk-pgtables-bytes", walk_pgtables_bytes, U64),
	KEY("kernel-pgtables-bytes", kernel_pgtables_bytes, U64),
	KEY("deposited-tables", deposited_tables, U64),
	KEY("walk-ns", walk_ns, U64),
};

/* a key only some architectures have: its absence is no truncation */
static const struct key contiguous_key =
	KEY("contiguous-ptes", contiguous_ptes, U64);

#define NR_KEYS (ARRAY_SIZE(keys))

#define COL(n, f) { n, offsetof(struct mlpt_level_stats, f), U64 }

/* "folded" is read as a number and checked to be 0 or 1 */
static const struct key cols[] = {
	COL("tables", tables),
	COL("table-bytes", table_bytes),
	COL("present", present),
	COL("next", next),
	COL("leaf", leaf),
	COL("nonpresent", nonpresent),
	COL("empty-tables", empty_tables),
	{ "folded", 0, UINT },
};

#define NR_COLS (ARRAY_SIZE(cols))

struct parser {
	struct mlpt_report *r;
	struct mlpt_err *e;
	const char *what;
	unsigned int lineno;
	unsigned long seen_keys;
	unsigned int seen_levels;
	unsigned int seen_occupancy;
	unsigned int level_entries;	/* entries-per-table-<level> given */
	/* column index -> field (cols[], bucket or level index), -1 = ignored */
	int map[MAX_COLS];
	int nr_map;
	bool section_start;	/* the line follows an empty one */
	bool nodes_header;
};

int mlpt_parse_u64(const char *s, unsigned long long *v)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	/* strtoull would take a sign or leading blanks: refuse them */
	if (*s < '0' || (*s > '9' && base == 10) ||
	    !strchr("0123456789abcdefABCDEF", *s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno || *end ? -1 : 0;
}

int mlpt_parse_positive(const char *s)
{
	unsigned long long v;

	if (*s == '0' || mlpt_parse_u64(s, &v) || v > 0x7fffffff)
		return -1;
	return v;
}

static int bad(struct parser *p, const char *why, const char *arg)
{
	return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
			 "line %u: %s%s%s", p->lineno, why,
			 arg ? ": " : "", arg ? arg : "");
}

static int store(struct parser *p, void *base, const struct key *k,
		 const char *val)
{
	unsigned long long v;

	if (k->type == STR) {
		snprintf((char *)base + k->off, MLPT_COMM_LEN, "%s", val);
		return 0;
	}
	if (mlpt_parse_u64(val, &v))
		return bad(p, "not a number", val);
	if (k->type == UINT) {
		if (v > 0xffffffffULL)
			return bad(p, "number too large", val);
		*(unsigned int *)((char *)base + k->off) = v;
	} else {
		*(u64 *)((char *)base + k->off) = v;
	}
	return 0;
}

static int level_index(const char *name)
{
	int i;

	for (i = 0; i < MLPT_LEVELS; i++)
		if (!strcmp(name, mlpt_level_name[i]))
			return i;
	return -1;
}

static int key_line(struct parser *p, char *line)
{
	char *val = strstr(line, ": ");
	const char *per_level = "entries-per-table-";
	unsigned int i;
	int lvl;

	if (!val)
		return bad(p, "expected \"key: value\"", line);
	*val = '\0';
	val += 2;
	if (!strncmp(line, per_level, strlen(per_level))) {
		lvl = level_index(line + strlen(per_level));
		if (lvl < 0)
			return 0;
		p->level_entries |= 1u << lvl;
		return store(p, &p->r->level[lvl], &(struct key)
			     COL("", entries), val);
	}
	if (!strcmp(line, contiguous_key.name)) {
		p->r->contiguous_known = true;
		return store(p, p->r, &contiguous_key, val);
	}
	for (i = 0; i < NR_KEYS; i++) {
		if (strcmp(line, keys[i].name))
			continue;
		p->seen_keys |= 1ul << i;
		return store(p, p->r, &keys[i], val);
	}
	return 0;	/* a key added by a later module: ignored */
}

/* split @line on blanks into @tok; returns the count */
static int split(char *line, char **tok, int max)
{
	char *save, *t;
	int n = 0;

	for (t = strtok_r(line, " \t", &save); t && n < max;
	     t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	return n;
}

static int level_header(struct parser *p, char **tok, int n)
{
	unsigned int found = 0, j;
	int i;

	p->nr_map = n;
	for (i = 1; i < n; i++) {
		p->map[i] = -1;
		for (j = 0; j < NR_COLS; j++) {
			if (!strcmp(tok[i], cols[j].name)) {
				p->map[i] = j;
				found |= 1u << j;
			}
		}
	}
	if (found != (1u << NR_COLS) - 1)
		return bad(p, "level table lacks a column", NULL);
	return 0;
}

static int occupancy_header(struct parser *p, char **tok, int n)
{
	unsigned int found = 0;
	int i, j;

	p->nr_map = n;
	for (i = 1; i < n; i++) {
		p->map[i] = -1;
		for (j = 0; j < MLPT_BUCKETS; j++) {
			if (!strcmp(tok[i], mlpt_bucket_name[j])) {
				p->map[i] = j;
				found |= 1u << j;
			}
		}
	}
	if (found != (1u << MLPT_BUCKETS) - 1)
		return bad(p, "occupancy table lacks a bucket", NULL);
	return 0;
}

static int nodes_header(struct parser *p, char **tok, int n)
{
	unsigned int found = 0;
	int i, lvl;

	p->nr_map = n;
	for (i = 1; i < n; i++) {
		lvl = level_index(tok[i]);
		p->map[i] = lvl;
		if (lvl >= 0)
			found |= 1u << lvl;
	}
	if (found != (1u << MLPT_LEVELS) - 1)
		return bad(p, "nodes table lacks a level", NULL);
	p->nodes_header = true;
	return 0;
}

/* "<node> <tables per level>": rows by increasing node number */
static int nodes_row(struct parser *p, char **tok, int n)
{
	struct mlpt_report *r = p->r;
	struct mlpt_node *node;
	unsigned long long id, v;
	int i;

	if (mlpt_parse_u64(tok[0], &id) || id > 0xffffffffULL)
		return bad(p, "not a node number", tok[0]);
	if (n != p->nr_map)
		return bad(p, "wrong number of columns", tok[0]);
	if (r->nr_node && id <= r->node[r->nr_node - 1].id)
		return bad(p, "nodes out of order", tok[0]);
	node = realloc(r->node, (r->nr_node + 1) * sizeof(*node));
	if (!node)
		return mlpt_fail(p->e, MLPT_EXIT_FAIL, p->what, "out of memory");
	r->node = node;
	node += r->nr_node++;
	memset(node, 0, sizeof(*node));
	node->id = id;
	for (i = 1; i < n; i++) {
		if (p->map[i] < 0)
			continue;
		if (mlpt_parse_u64(tok[i], &v))
			return bad(p, "not a number", tok[i]);
		node->tables[p->map[i]] = v;
	}
	return 0;
}

static int table_row(struct parser *p, char **tok, int n, bool occupancy)
{
	int lvl = level_index(tok[0]);
	struct mlpt_level_stats *l;
	unsigned long long v;
	int i, ret;

	if (lvl < 0)
		return 0;	/* a row added by a later module: ignored */
	if (n != p->nr_map)
		return bad(p, "wrong number of columns", tok[0]);
	l = &p->r->level[lvl];
	for (i = 1; i < n; i++) {
		if (p->map[i] < 0)
			continue;
		if (occupancy) {
			if (mlpt_parse_u64(tok[i], &v))
				return bad(p, "not a number", tok[i]);
			l->occupancy[p->map[i]] = v;
			continue;
		}
		if (cols[p->map[i]].type == UINT) {
			if (strcmp(tok[i], "0") && strcmp(tok[i], "1"))
				return bad(p, "folded is not 0 or 1", tok[i]);
			l->folded = tok[i][0] == '1';
			continue;
		}
		ret = store(p, l, &cols[p->map[i]], tok[i]);
		if (ret)
			return ret;
	}
	if (occupancy)
		p->seen_occupancy |= 1u << lvl;
	else
		p->seen_levels |= 1u << lvl;
	return 0;
}

static bool power_of_two(u64 v)
{
	return v && !(v & (v - 1));
}

/* what every consumer relies on: the invariants of docs/format.md and sane geometry */
static int check(struct parser *p)
{
	struct mlpt_report *r = p->r;
	unsigned int i, b;
	u64 sum;

	for (i = 0; i < NR_KEYS; i++)
		if (!(p->seen_keys & (1ul << i)))
			return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
					 "truncated report: no \"%s\" line",
					 keys[i].name);
	if (p->seen_levels != (1u << MLPT_LEVELS) - 1)
		return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
				 "truncated report: level table incomplete");
	if (p->seen_occupancy != (1u << MLPT_LEVELS) - 1)
		return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
				 "truncated report: occupancy table incomplete");
	/* every machine has a node with memory: the module prints its row */
	if (p->nodes_header && !r->nr_node)
		return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
				 "truncated report: nodes table without a row");
	if (!power_of_two(r->page_size) || !power_of_two(r->entry_bytes) ||
	    !power_of_two(r->level[MLPT_PTE].entries) ||
	    r->va_bits > 64 || (BIT_ULL(r->va_bits / 2)) < r->page_size)
		return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
				 "impossible geometry (page-size, entry-bytes, entries-per-table or va-bits)");
	if (r->contiguous_known &&
	    r->contiguous_ptes > r->level[MLPT_PTE].leaf)
		return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
				 "contiguous-ptes %llu > %llu pte leaves",
				 (unsigned long long)r->contiguous_ptes,
				 (unsigned long long)r->level[MLPT_PTE].leaf);
	for (i = 0; i < MLPT_LEVELS; i++) {
		struct mlpt_level_stats *l = &r->level[i];

		if (!(p->level_entries & (1u << i)))
			l->entries = r->level[MLPT_PTE].entries;
		if (!power_of_two(l->entries))
			return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
					 "%s: entries per table not a power of two",
					 mlpt_level_name[i]);
		if (l->present != l->next + l->leaf)
			return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
					 "%s: present %llu != next %llu + leaf %llu",
					 mlpt_level_name[i],
					 (unsigned long long)l->present,
					 (unsigned long long)l->next,
					 (unsigned long long)l->leaf);
		for (sum = 0, b = 0; b < MLPT_BUCKETS; b++)
			sum += l->occupancy[b];
		if (sum != l->tables)
			return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
					 "%s: occupancy sums to %llu, not %llu tables",
					 mlpt_level_name[i],
					 (unsigned long long)sum,
					 (unsigned long long)l->tables);
		for (sum = 0, b = 0; b < r->nr_node; b++)
			sum += r->node[b].tables[i];
		if (r->nr_node && sum != l->tables)
			return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
					 "%s: nodes sum to %llu, not %llu tables",
					 mlpt_level_name[i],
					 (unsigned long long)sum,
					 (unsigned long long)l->tables);
	}
	return 0;
}

static int version_line(struct parser *p, char *line)
{
	const char *tag = "mlpt-format: ";
	unsigned long long v;

	if (strncmp(line, tag, strlen(tag)))
		return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
				 "not an mlpt report (no \"mlpt-format\" line)");
	if (mlpt_parse_u64(line + strlen(tag), &v))
		return bad(p, "bad format version", line + strlen(tag));
	if (v != MLPT_FORMAT)
		return mlpt_fail(p->e, MLPT_EXIT_FORMAT, p->what,
				 "unknown format version %llu (this mlpt reads format %d): install the mlpt tool that came with the module",
				 v, MLPT_FORMAT);
	return 0;
}

/*
 * LATER: the sections after the occupancy table, NODES the rows of the
 * nodes table among them
 */
enum section {
	VERSION, KEYS, LEVEL_HEAD, LEVELS, OCC_HEAD, OCCUPANCY, LATER, NODES
};

static int parse_line(struct parser *p, enum section *s, char *line)
{
	bool section_start = p->section_start;
	char *tok[MAX_COLS];
	int n;

	p->section_start = !*line;
	if (*s == VERSION) {
		*s = KEYS;
		return version_line(p, line);
	}
	if (!*line) {
		if (*s == KEYS || *s == LEVELS || *s == OCCUPANCY)
			(*s)++;
		else if (*s == NODES)
			*s = LATER;
		return 0;
	}
	if (*s == KEYS)
		return key_line(p, line);
	n = split(line, tok, MAX_COLS);
	switch (*s) {
	case LATER:
		/* other sections are not ours to read: the format may grow */
		if (!section_start || strcmp(tok[0], "node") || p->nodes_header)
			return 0;
		*s = NODES;
		return nodes_header(p, tok, n);
	case NODES:
		return nodes_row(p, tok, n);
	case LEVEL_HEAD:
		*s = LEVELS;
		if (strcmp(tok[0], "level"))
			return bad(p, "expected the level table", tok[0]);
		return level_header(p, tok, n);
	case OCC_HEAD:
		*s = OCCUPANCY;
		if (strcmp(tok[0], "occupancy"))
			return bad(p, "expected the occupancy table", tok[0]);
		return occupancy_header(p, tok, n);
	default:
		return table_row(p, tok, n, *s == OCCUPANCY);
	}
}

int mlpt_parse(const char *text, size_t len, const char *what,
	       struct mlpt_report *r, struct mlpt_err *e)
{
	struct parser p = { .r = r, .e = e, .what = what };
	enum section s = VERSION;
	char *copy, *line, *nl;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (!len)
		return mlpt_fail(e, MLPT_EXIT_FORMAT, what,
				 "empty: not an mlpt report");
	copy = strndup(text, len);
	if (!copy)
		return mlpt_fail(e, MLPT_EXIT_FAIL, what, "out of memory");
	if (strlen(copy) != len) {
		free(copy);
		return mlpt_fail(e, MLPT_EXIT_FORMAT, what,
				 "not an mlpt report (NUL byte)");
	}
	for (line = copy; line && !ret; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		else if (!*line)
			break;		/* the final newline */
		p.lineno++;
		ret = parse_line(&p, &s, line);
	}
	free(copy);
	if (!ret)
		ret = check(&p);
	if (ret) {
		free(r->node);
		r->node = NULL;
		r->nr_node = 0;
	}
	return ret;
}
