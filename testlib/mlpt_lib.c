// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the mlpt selftests, labs and benchmark; see mlpt_lib.h.  Nothing here
 * uses the kselftest harness, so every helper reports problems by its
 * return value and a "# " line on stderr, and the tests assert.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "mlpt_lib.h"

const char *const mlpt_level_names[MLPT_NR_LEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte"
};

static const char *const col_names[MLPT_NR_COLS] = {
	"folded", "tables", "table-bytes", "present", "next", "leaf",
	"nonpresent", "empty-tables"
};

static const char *const bucket_names[MLPT_NR_BUCKETS] = {
	"0", "1", "2-7", "8-63", "64-255", "256-511", "512"
};

#define KEY(name, field) { name, offsetof(struct mlpt_report, field) }

static const struct {
	const char *name;
	size_t off;
} keys[] = {
	KEY("mlpt-format", format),
	KEY("paging-levels", paging_levels),
	KEY("va-bits", va_bits),
	KEY("page-size", page_size),
	KEY("entry-bytes", entry_bytes),
	KEY("entries-per-table", entries_per_table),
	KEY("vmas", vmas),
	KEY("mapped-bytes", mapped_bytes),
	KEY("va-lowest", va_lowest),
	KEY("va-highest", va_highest),
	KEY("resident-bytes", resident_bytes),
	KEY("walk-pgtables-bytes", walk_pgtables_bytes),
	KEY("kernel-pgtables-bytes", kernel_pgtables_bytes),
	KEY("deposited-tables", deposited_tables),
	KEY("walk-ns", walk_ns),
};

#define NR_KEYS ARRAY_SIZE(keys)

static unsigned long long *key_field(struct mlpt_report *r, size_t i)
{
	return (unsigned long long *)((char *)r + keys[i].off);
}

static const unsigned long long *key_cfield(const struct mlpt_report *r,
					    size_t i)
{
	return (const unsigned long long *)((const char *)r + keys[i].off);
}

int mlpt_bucket(unsigned long n)
{
	if (n <= 1)
		return n;
	if (n < 8)
		return 2;
	if (n < 64)
		return 3;
	if (n < 256)
		return 4;
	if (n < 512)
		return 5;
	return 6;
}

/* docs/format.md: decimal unless written 0x; octal is never meant. */
static int parse_num(const char *s, unsigned long long *v)
{
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, base);
	return (errno || *end) ? -1 : 0;
}

static int find_name(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

/* Whitespace split in place; returns the number of tokens. */
int mlpt_split(char *line, char **tok)
{
	char *save, *t;
	int n = 0;

	for (t = strtok_r(line, " \t", &save); t && n < MLPT_MAX_FIELDS;
	     t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	return n;
}

enum section { SEC_KEYS, SEC_LEVEL, SEC_OCC, SEC_NODES };

struct parse_state {
	enum section sec;
	int ncols;
	int col[MLPT_MAX_FIELDS];	/* column index of token i, or -1 */
	unsigned int key_seen;
	bool pid_seen;
	unsigned int rows_seen[2];
	unsigned int cols_seen[2];
	int node_col[MLPT_MAX_FIELDS];	/* level of token i, or -1 */
	int node_ncols;
};

static int parse_header(struct parse_state *ps, char **tok, int n)
{
	const char *const *names = ps->sec == SEC_LEVEL ?
				   col_names : bucket_names;
	int nnames = ps->sec == SEC_LEVEL ? MLPT_NR_COLS : MLPT_NR_BUCKETS;
	int i;

	ps->ncols = n;
	for (i = 1; i < n; i++) {
		ps->col[i] = find_name(names, nnames, tok[i]);
		if (ps->col[i] >= 0)
			ps->cols_seen[ps->sec - SEC_LEVEL] |= 1U << ps->col[i];
	}
	return 0;
}

static int parse_row(struct parse_state *ps, struct mlpt_report *r,
		     char **tok, int n, char *err, size_t errlen)
{
	int lvl = find_name(mlpt_level_names, MLPT_NR_LEVELS, tok[0]);
	unsigned long long v;
	int i;

	if (lvl < 0)
		return 0;	/* a row this parser does not know */
	if (n != ps->ncols) {
		snprintf(err, errlen, "row %s has %d fields, header %d",
			 tok[0], n, ps->ncols);
		return -1;
	}
	for (i = 1; i < n; i++) {
		if (ps->col[i] < 0)
			continue;
		if (parse_num(tok[i], &v)) {
			snprintf(err, errlen, "row %s: bad number '%s'",
				 tok[0], tok[i]);
			return -1;
		}
		if (ps->sec == SEC_LEVEL)
			r->lvl[lvl][ps->col[i]] = v;
		else
			r->occ[lvl][ps->col[i]] = v;
	}
	ps->rows_seen[ps->sec - SEC_LEVEL] |= 1U << lvl;
	return 0;
}

/* "node pgd p4d pud pmd pte": the levels found by name, as columns. */
static int parse_node_header(struct parse_state *ps, char **tok, int n,
			     char *err, size_t errlen)
{
	unsigned int seen = 0;
	int i;

	ps->node_ncols = n;
	for (i = 1; i < n; i++) {
		ps->node_col[i] = find_name(mlpt_level_names, MLPT_NR_LEVELS,
					    tok[i]);
		if (ps->node_col[i] >= 0)
			seen |= 1U << ps->node_col[i];
	}
	if (seen != (1U << MLPT_NR_LEVELS) - 1) {
		snprintf(err, errlen, "the nodes table lacks a level");
		return -1;
	}
	return 0;
}

static int parse_node_row(struct parse_state *ps, struct mlpt_report *r,
			  char **tok, int n, char *err, size_t errlen)
{
	unsigned long long v;
	int i, row = r->nr_nodes;

	if (parse_num(tok[0], &v) || v > 0xffff || n != ps->node_ncols ||
	    row == MLPT_MAX_NODES) {
		snprintf(err, errlen, "bad nodes row '%s' (%d fields)",
			 tok[0], n);
		return -1;
	}
	r->node_id[row] = v;
	for (i = 1; i < n; i++) {
		if (ps->node_col[i] < 0)
			continue;
		if (parse_num(tok[i], &r->node_tables[row][ps->node_col[i]])) {
			snprintf(err, errlen, "node %s: bad number '%s'",
				 tok[0], tok[i]);
			return -1;
		}
	}
	r->nr_nodes++;
	return 0;
}

static int parse_key(struct parse_state *ps, struct mlpt_report *r,
		     char *line, char *err, size_t errlen)
{
	char *colon = strchr(line, ':');
	char *val;
	size_t i;

	if (!colon) {
		snprintf(err, errlen, "line without ':': '%s'", line);
		return -1;
	}
	*colon = '\0';
	val = colon + 1;
	while (*val == ' ')
		val++;
	if (!strcmp(line, "comm")) {
		snprintf(r->comm, sizeof(r->comm), "%s", val);
		return 0;
	}
	if (!strcmp(line, "pid")) {
		unsigned long long v;

		if (parse_num(val, &v))
			goto bad;
		r->pid = v;
		ps->pid_seen = true;
		return 0;
	}
	for (i = 0; i < NR_KEYS; i++) {
		if (strcmp(line, keys[i].name))
			continue;
		if (parse_num(val, key_field(r, i)))
			goto bad;
		ps->key_seen |= 1U << i;
		return 0;
	}
	/* Only where the pgd's fan-out differs from the pte table's. */
	if (!strcmp(line, "entries-per-table-pgd")) {
		if (parse_num(val, &r->entries_per_table_pgd))
			goto bad;
		return 0;
	}
	if (!strcmp(line, "contiguous-ptes")) {
		if (parse_num(val, &r->contiguous_ptes))
			goto bad;
		r->has_contiguous_ptes = true;
		return 0;
	}
	return 0;	/* unknown keys are allowed: ignore them */
bad:
	snprintf(err, errlen, "key %s: bad number '%s'", line, val);
	return -1;
}

static int parse_line(struct parse_state *ps, struct mlpt_report *r,
		      char *line, char *err, size_t errlen)
{
	char copy[256];
	char *tok[MLPT_MAX_FIELDS];
	int n;

	snprintf(copy, sizeof(copy), "%s", line);
	n = mlpt_split(copy, tok);
	if (!n)
		return 0;
	if (!strcmp(tok[0], "level")) {
		ps->sec = SEC_LEVEL;
		return parse_header(ps, tok, n);
	}
	if (!strcmp(tok[0], "occupancy")) {
		ps->sec = SEC_OCC;
		return parse_header(ps, tok, n);
	}
	if (!strcmp(tok[0], "node") && ps->sec == SEC_OCC) {
		ps->sec = SEC_NODES;
		return parse_node_header(ps, tok, n, err, errlen);
	}
	if (ps->sec == SEC_KEYS)
		return parse_key(ps, r, line, err, errlen);
	if (ps->sec == SEC_NODES)
		return parse_node_row(ps, r, tok, n, err, errlen);
	return parse_row(ps, r, tok, n, err, errlen);
}

int mlpt_parse(const char *text, struct mlpt_report *r, char *err,
	       size_t errlen)
{
	struct parse_state ps = { .sec = SEC_KEYS };
	const char *p = text;
	char line[256];
	size_t i;

	memset(r, 0, sizeof(*r));
	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len >= sizeof(line)) {
			snprintf(err, errlen, "line too long");
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (parse_line(&ps, r, line, err, errlen))
			return -1;
		p += len;
		if (*p)
			p++;
	}
	for (i = 0; i < NR_KEYS; i++) {
		if (!(ps.key_seen & (1U << i))) {
			snprintf(err, errlen, "key %s missing", keys[i].name);
			return -1;
		}
	}
	if (!ps.pid_seen) {
		snprintf(err, errlen, "key pid missing");
		return -1;
	}
	if (ps.cols_seen[0] != (1U << MLPT_NR_COLS) - 1 ||
	    ps.cols_seen[1] != (1U << MLPT_NR_BUCKETS) - 1) {
		snprintf(err, errlen, "a level or occupancy column is missing");
		return -1;
	}
	if (ps.rows_seen[0] != (1U << MLPT_NR_LEVELS) - 1 ||
	    ps.rows_seen[1] != (1U << MLPT_NR_LEVELS) - 1) {
		snprintf(err, errlen, "a level or occupancy row is missing");
		return -1;
	}
	return 0;
}

ssize_t mlpt_read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0)
			return -errno;
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

int mlpt_report_pid(pid_t pid, struct mlpt_report *r)
{
	static char buf[MLPT_REPORT_MAX];
	char path[64], err[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = mlpt_read_all(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return n;
	if (!n)
		return -ESRCH;	/* the process went away: empty read */
	if (mlpt_parse(buf, r, err, sizeof(err))) {
		fprintf(stderr, "# %s: %s\n", path, err);
		return -EINVAL;
	}
	return 0;
}

/* One compared value: 1 and a "# " line when it is not what was wanted. */
static int differs(const char *what, unsigned long long want,
		   unsigned long long got)
{
	if (want == got)
		return 0;
	fprintf(stderr, "# %s: expected %llu got %llu\n", what, want, got);
	return 1;
}

#define DIFF(what, w, g) (bad += differs(what, w, g))

int mlpt_report_diff(const struct mlpt_report *want,
		     const struct mlpt_report *got)
{
	char what[64];
	int bad = 0;
	size_t i;
	int l, c;

	for (i = 0; i < NR_KEYS; i++) {
		/* Timing is the one key no test can predict. */
		if (!strcmp(keys[i].name, "walk-ns"))
			continue;
		DIFF(keys[i].name, *key_cfield(want, i), *key_cfield(got, i));
	}
	DIFF("contiguous-ptes key", want->has_contiguous_ptes,
	     got->has_contiguous_ptes);
	DIFF("contiguous-ptes", want->contiguous_ptes, got->contiguous_ptes);
	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		for (c = 0; c < MLPT_NR_COLS; c++) {
			snprintf(what, sizeof(what), "%s %s",
				 mlpt_level_names[l], col_names[c]);
			DIFF(what, want->lvl[l][c], got->lvl[l][c]);
		}
		for (c = 0; c < MLPT_NR_BUCKETS; c++) {
			snprintf(what, sizeof(what), "%s occupancy %s",
				 mlpt_level_names[l], bucket_names[c]);
			DIFF(what, want->occ[l][c], got->occ[l][c]);
		}
	}
	return bad;
}

static int check_level(const struct mlpt_report *r, int l)
{
	const unsigned long long *v = r->lvl[l];
	unsigned long long sum = 0;
	char what[64];
	int bad = 0;
	int b;

	snprintf(what, sizeof(what), "%s present = next + leaf",
		 mlpt_level_names[l]);
	DIFF(what, v[MLPT_NEXT] + v[MLPT_LEAF], v[MLPT_PRESENT]);
	for (b = 0; b < MLPT_NR_BUCKETS; b++)
		sum += r->occ[l][b];
	snprintf(what, sizeof(what), "%s occupancy sum = tables",
		 mlpt_level_names[l]);
	DIFF(what, v[MLPT_TABLES], sum);
	snprintf(what, sizeof(what), "%s empty-tables = occupancy 0",
		 mlpt_level_names[l]);
	DIFF(what, r->occ[l][0], v[MLPT_EMPTY_TABLES]);
	return bad;
}

/* Every table is on one node: each level's column adds up to its tables. */
static int check_nodes(const struct mlpt_report *r)
{
	unsigned long long sum;
	char what[64];
	int bad = 0;
	int l, i;

	for (l = 0; r->nr_nodes && l < MLPT_NR_LEVELS; l++) {
		for (sum = 0, i = 0; i < r->nr_nodes; i++)
			sum += r->node_tables[i][l];
		snprintf(what, sizeof(what), "%s tables summed over nodes",
			 mlpt_level_names[l]);
		DIFF(what, r->lvl[l][MLPT_TABLES], sum);
	}
	for (i = 1; i < r->nr_nodes; i++)
		DIFF("nodes in increasing order", 1,
		     r->node_id[i] > r->node_id[i - 1]);
	return bad;
}

int mlpt_report_invariants(const struct mlpt_report *r)
{
	const unsigned long long (*v)[MLPT_NR_COLS] = r->lvl;
	int levels = (int)r->paging_levels;
	unsigned long long resident = 0;
	int bad = 0;
	int l, c, row;

	DIFF("mlpt-format", 1, r->format);
	DIFF("page-size", MLPT_PAGE, r->page_size);
	DIFF("entry-bytes", 8, r->entry_bytes);
	DIFF("entries-per-table", mlpt_table_entries(), r->entries_per_table);
	if (levels < 3 || levels > 5) {
		DIFF("paging-levels 3, 4 or 5", 4, r->paging_levels);
		return bad;
	}
	/* 0: no such key, as when the pgd is a whole table too. */
	DIFF("entries-per-table-pgd",
	     mlpt_pgd_entries(levels) == mlpt_table_entries() ?
	     0 : mlpt_pgd_entries(levels),
	     r->entries_per_table_pgd);
	/*
	 * arm64 has contiguous ptes and says how many are present; x86-64
	 * has none and no key.  Each is a present pte leaf.
	 */
#ifdef __aarch64__
	DIFF("contiguous-ptes key", 1, r->has_contiguous_ptes);
#elif defined(__x86_64__)
	DIFF("contiguous-ptes key", 0, r->has_contiguous_ptes);
#endif
	if (r->contiguous_ptes > v[MLPT_PTE][MLPT_LEAF])
		DIFF("contiguous-ptes at most the pte leaves",
		     v[MLPT_PTE][MLPT_LEAF], r->contiguous_ptes);
	/*
	 * x86-64: 48 bits, 57 with LA57; arm64: 48 (47 with 16 KiB pages),
	 * 52 with LPA2; riscv64 39, 48, 57.
	 */
	DIFF("va-bits", mlpt_va_bits(levels), r->va_bits);
	for (l = 0; l < MLPT_NR_LEVELS; l++)
		bad += check_level(r, l);
	/* A folded level (p4d below 5 levels, pud below 4): a row of zeros. */
	for (l = MLPT_P4D; l <= MLPT_PUD; l++) {
		bool folded = mlpt_level_folded(l, levels);

		DIFF("p4d/pud folded", folded, v[l][MLPT_FOLDED]);
		DIFF("p4d/pud table-bytes", folded ? 0 : MLPT_PAGE,
		     v[l][MLPT_TABLE_BYTES]);
		if (!folded)
			continue;
		for (c = MLPT_TABLES; c < MLPT_NR_COLS; c++)
			DIFF("folded p4d/pud count", 0, v[l][c]);
		for (c = 0; c < MLPT_NR_BUCKETS; c++)
			DIFF("folded p4d/pud occupancy", 0, r->occ[l][c]);
	}
	for (l = MLPT_PMD; l < MLPT_NR_LEVELS; l++) {
		DIFF("pmd/pte folded", 0, v[l][MLPT_FOLDED]);
		DIFF("pmd/pte table-bytes", MLPT_PAGE, v[l][MLPT_TABLE_BYTES]);
	}
	DIFF("pgd folded", 0, v[MLPT_PGD][MLPT_FOLDED]);
	DIFF("pgd table-bytes", mlpt_pgd_table_bytes(),
	     v[MLPT_PGD][MLPT_TABLE_BYTES]);
	DIFF("pgd tables", 1, v[MLPT_PGD][MLPT_TABLES]);
	/*
	 * Each next entry reaches its own table in the next row that is not
	 * folded; a leaf maps what an entry of its row spans (the pgd's
	 * 1 GiB with 3 levels, a pud's).
	 */
	for (row = MLPT_PGD, l = MLPT_P4D; l < MLPT_NR_LEVELS; l++) {
		if (mlpt_level_folded(l, levels))
			continue;
		DIFF("next = tables of the next row", v[row][MLPT_NEXT],
		     v[l][MLPT_TABLES]);
		row = l;
	}
	DIFF("pte next", 0, v[MLPT_PTE][MLPT_NEXT]);
	for (l = MLPT_PGD; l < MLPT_NR_LEVELS; l++) {
		int shift = mlpt_entry_shift(l, levels);

		/*
		 * No level maps more than a pud entry's span with a leaf
		 * (1 GiB; 64 GiB with 16 KiB pages, where arm64 has none).
		 */
		if (shift > mlpt_entry_shift(MLPT_PUD, levels))
			DIFF("no leaf above 1 GiB", 0, v[l][MLPT_LEAF]);
		else
			resident += v[l][MLPT_LEAF] << shift;
	}
	DIFF("resident-bytes = page*pte + pmd span*pmd + pud span*(pud or 3-level pgd) leaves",
	     resident, r->resident_bytes);
	/* Accounted: pud (when not folded), pmd, pte tables and deposits, not p4d. */
	DIFF("walk-pgtables-bytes = page*(pte+pmd+pud tables+deposited)",
	     MLPT_PAGE * (v[MLPT_PTE][MLPT_TABLES] + v[MLPT_PMD][MLPT_TABLES] +
			  v[MLPT_PUD][MLPT_TABLES] + r->deposited_tables),
	     r->walk_pgtables_bytes);
	bad += check_nodes(r);
	return bad;
}

int mlpt_node_row(const struct mlpt_report *r, int nid)
{
	int i;

	for (i = 0; i < r->nr_nodes; i++)
		if (r->node_id[i] == nid)
			return i;
	return -1;
}

static FILE *open_proc(pid_t pid, const char *what)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	return fopen(path, "re");
}

long long mlpt_vmpte_kb(pid_t pid)
{
	FILE *f = open_proc(pid, "status");
	long long kb = -1;
	char line[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

long mlpt_pagemap_present(pid_t pid, unsigned long start, unsigned long end)
{
	unsigned long long ent[512];
	unsigned long va = start;
	char path[64];
	long present = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (va < end) {
		size_t n = (end - va) / MLPT_PAGE;
		ssize_t got;
		size_t i;

		if (n > 512)
			n = 512;
		got = pread(fd, ent, n * sizeof(ent[0]),
			    va / MLPT_PAGE * sizeof(ent[0]));
		if (got != (ssize_t)(n * sizeof(ent[0]))) {
			close(fd);
			return got < 0 ? -errno : -EIO;
		}
		for (i = 0; i < n; i++)
			present += ent[i] >> 63;
		va += n * MLPT_PAGE;
	}
	close(fd);
	return present;
}

long long mlpt_pagemap_pfn(pid_t pid, unsigned long addr)
{
	unsigned long long ent;
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, &ent, sizeof(ent), addr / MLPT_PAGE * sizeof(ent));
	close(fd);
	/* Bit 63 present; bits 0-54 the PFN. */
	if (n != sizeof(ent) || !(ent >> 63))
		return -1;
	return ent & ((1ULL << 55) - 1);
}

unsigned long mlpt_page(void)
{
	static unsigned long page;

	if (!page)
		page = sysconf(_SC_PAGESIZE);
	return page;
}

unsigned int mlpt_page_shift(void)
{
	return __builtin_ctzl(mlpt_page());
}

unsigned long mlpt_table_entries(void)
{
	return mlpt_page() / 8;
}

/* Address bits one level indexes: log2 of the entries of a table. */
static unsigned int level_bits(void)
{
	return mlpt_page_shift() - 3;
}

unsigned long mlpt_span(enum mlpt_level l)
{
	return 1UL << (mlpt_page_shift() + level_bits() * (MLPT_PTE - l));
}

bool mlpt_level_folded(int l, int levels)
{
	return (l == MLPT_P4D && levels < 5) || (l == MLPT_PUD && levels < 4);
}

int mlpt_entry_shift(int l, int levels)
{
	unsigned int below = l == MLPT_PGD ? levels - 1 : MLPT_PTE - l;

	return mlpt_page_shift() + level_bits() * below;
}

unsigned long mlpt_pgd_entries(int levels)
{
	return 1UL << (mlpt_va_bits(levels) - mlpt_entry_shift(MLPT_PGD, levels));
}

#if defined(__aarch64__)
/*
 * Without LPA2 the kernel runs VA_BITS_MIN: 47 bits with 16 KiB pages
 * (arch/arm64/include/asm/memory.h), else 48.
 */
static unsigned int arm64_va_bits_min(void)
{
	return mlpt_page_shift() == 14 ? 47 : 48;
}

/* The levels @bits take above the page offset, rounded up. */
static int arm64_levels_of(unsigned int bits)
{
	return (bits - mlpt_page_shift() + level_bits() - 1) / level_bits();
}

int mlpt_levels(void)
{
	static const char msg[] =
		"CPU features: detected: 52-bit Virtual Addressing";
	static int known;	/* asked often by the stress readers */
	static char log[1 << 20];
	int n;

	if (known)
		return known;
	/* Read, not cleared: SYSLOG_ACTION_READ_ALL. */
	n = klogctl(3, log, sizeof(log) - 1);
	if (n < 0) {
		fprintf(stderr, "# kernel log unreadable: %s\n",
			strerror(errno));
		n = 0;
	}
	log[n] = '\0';
	/* 52 bits: 5 levels with 4 KiB pages, 4 with 16 KiB; else 4 or 3. */
	known = arm64_levels_of(strstr(log, msg) ? 52 : arm64_va_bits_min());
	return known;
}

unsigned int mlpt_va_bits(int levels)
{
	return levels == arm64_levels_of(52) ? 52 : arm64_va_bits_min();
}

unsigned long mlpt_user_top(int levels)
{
	return 1UL << mlpt_va_bits(levels);
}

/*
 * arm64's pgd_alloc() takes a 52-bit pgd (16 entries with 4 KiB pages,
 * 32 with 16 KiB) from a slab cache; without LPA2 the level below the
 * pgd is folded at boot (the p4d, or the pud with 16 KiB pages) and the
 * pgd is a page holding that level's entries.
 */
unsigned long mlpt_pgd_table_bytes(void)
{
	int levels = mlpt_levels();

	return mlpt_va_bits(levels) == 52 ? mlpt_pgd_entries(levels) * 8 :
					    mlpt_page();
}
#elif defined(__riscv)
int mlpt_levels(void)
{
	static int known;	/* asked often by the stress readers */
	char line[256];
	int bits = 0;
	FILE *f;

	if (known)
		return known;
	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return 0;
	/* "mmu\t\t: sv48": the mode of the first hart is every hart's. */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "mmu : sv%d", &bits) == 1)
			break;
	fclose(f);
	/* 12 bits of page offset, 9 per level. */
	known = (bits - 12) / 9;
	return known;
}

unsigned int mlpt_va_bits(int levels)
{
	return 12 + 9 * levels;
}

/* TASK_SIZE_64: the lower half, with no guard page below it. */
unsigned long mlpt_user_top(int levels)
{
	return 1UL << (mlpt_va_bits(levels) - 1);
}

/* pgd_alloc(): a page in every mode. */
unsigned long mlpt_pgd_table_bytes(void)
{
	return MLPT_PAGE;
}
#else
/* Whether /proc/cpuinfo lists CPU flag @name. */
static bool cpu_flag(const char *name)
{
	char line[4096], *tok;
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		/* Tokens one at a time: the flags line has hundreds. */
		for (tok = strtok(line, " \t\n"); tok && !found;
		     tok = strtok(NULL, " \t\n"))
			found = !strcmp(tok, name);
		break;
	}
	fclose(f);
	return found;
}

int mlpt_levels(void)
{
	static int known;	/* asked often by the stress readers */

	if (!known)
		known = cpu_flag("la57") ? 5 : 4;
	return known;
}

unsigned int mlpt_va_bits(int levels)
{
	return levels == 5 ? 57 : 48;
}

unsigned long mlpt_user_top(int levels)
{
	return (1UL << (mlpt_va_bits(levels) - 1)) - MLPT_PAGE;
}

unsigned long mlpt_pgd_table_bytes(void)
{
	static unsigned long known;
	struct utsname u;
	int major = 0, minor = 0;

	if (known)
		return known;
	/*
	 * With page-table isolation active (cpuinfo flag "pti") the pgd is
	 * two pages, the second the user copy.  Inactive, kernels before
	 * 6.16 still allocate two pages when built with PTI, as Debian's
	 * are; 6.16 made it one (pgd_allocation_order()).
	 */
	if (!uname(&u))
		sscanf(u.release, "%d.%d", &major, &minor);
	if (cpu_flag("pti") || major < 6 || (major == 6 && minor < 16))
		known = 2 * MLPT_PAGE;
	else
		known = MLPT_PAGE;
	return known;
}
#endif

bool mlpt_cmdline_has(pid_t pid, const char *arg)
{
	char path[64], cmd[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, cmd, sizeof(cmd) - 1);
	close(fd);
	return n > 0 && memmem(cmd, n, arg, strlen(arg));
}

long long mlpt_read_ll(const char *path)
{
	FILE *f = fopen(path, "re");
	long long v;

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int mlpt_kernel_config(const char *option)
{
	char path[300], line[256];
	size_t len = strlen(option);
	struct utsname u;
	int set = 0;
	FILE *f;

	if (uname(&u))
		return -errno;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!set && fgets(line, sizeof(line), f))
		set = !strncmp(line, option, len) && !strcmp(line + len, "=y\n");
	fclose(f);
	return set;
}

unsigned long mlpt_slot_size(void)
{
	return mlpt_levels() > 3 ? MLPT_P4D_SIZE : 8 * MLPT_PUD_SIZE;
}

unsigned long mlpt_reservation_size(void)
{
	if (mlpt_slot_size() > 64UL << 40)
		return mlpt_slot_size();
	return mlpt_user_top(mlpt_levels()) > 1UL << 38 ? 64UL << 40 :
							  64UL << 30;
}

unsigned long mlpt_free_slots(int nslots)
{
	unsigned long slot = mlpt_slot_size();
	unsigned long base, end, lo = 16UL << 40, hi = 96UL << 40;
	char line[512];
	FILE *f;

	/*
	 * 16..96 TiB: far above a static binary and its brk heap, far below
	 * the mmap base and stack near 128 TiB, even with ASLR.  With 3
	 * levels (riscv64 Sv39: user space ends at 256 GiB) 32..128 GiB:
	 * the mmap base is above 190 GiB however much of riscv's 24 bits of
	 * mmap randomisation (64 GiB) it takes.  With 16 KiB pages and 4
	 * levels a slot is a 128 TiB pgd entry: above arm64's default mmap
	 * window (2^VA_BITS_MIN = 2^47), where the mmap base and the stack
	 * are, up to the top of its 52 bits, which only a hint or MAP_FIXED
	 * reaches; from 2^48, as a mapping at 2^47 itself may be no longer
	 * than the window (arch_get_mmap_end() of an address not above it).
	 */
	if (mlpt_user_top(mlpt_levels()) <= 1UL << 38) {
		lo = 32UL << 30;
		hi = 128UL << 30;
	} else if (slot > hi - lo) {
		lo = 1UL << 48;
		hi = mlpt_user_top(mlpt_levels());
	}
	for (base = lo; base + nslots * slot <= hi; base += slot) {
		bool clash = false;

		end = base + nslots * slot;
		f = fopen("/proc/self/maps", "re");
		if (!f)
			return 0;
		while (!clash && fgets(line, sizeof(line), f)) {
			unsigned long s, e;

			if (sscanf(line, "%lx-%lx", &s, &e) == 2 &&
			    s < end && e > base)
				clash = true;
		}
		fclose(f);
		if (!clash)
			return base;
	}
	return 0;
}

struct leaf {
	unsigned long addr;
	enum mlpt_level level;
};

#define MAX_LEAVES 4096

static int leaf_cmp(const void *a, const void *b)
{
	const struct leaf *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * A table of level @l that existed before the touches: the pgd, and on
 * 5-level the p4d table of the lowest 256 TiB where the process lives.
 */
static bool table_existed(int l, unsigned long key)
{
	return l == MLPT_PGD || (l == MLPT_P4D && key == 0);
}

/* Account @k new entries of one table of level @l into @w. */
static void add_table(struct mlpt_report *w, const struct mlpt_report *b,
		      int l, unsigned long key, unsigned long k)
{
	if (table_existed(l, key)) {
		/* Its only table: the old count is the whole row's. */
		unsigned long old = b->lvl[l][MLPT_PRESENT] +
				    b->lvl[l][MLPT_NONPRESENT];

		w->occ[l][mlpt_bucket(old)]--;
		w->occ[l][mlpt_bucket(old + k)]++;
		if (!old)
			w->lvl[l][MLPT_EMPTY_TABLES]--;
		return;
	}
	w->lvl[l][MLPT_TABLES]++;
	w->occ[l][mlpt_bucket(k)]++;
	/* x86-64 accounts pud, pmd and pte tables in VmPTE, not p4d. */
	if (l >= MLPT_PUD) {
		w->walk_pgtables_bytes += MLPT_PAGE;
		w->kernel_pgtables_bytes += MLPT_PAGE;
	}
}

/* Entries and tables of level @l that the sorted leaves @lv need. */
static void expect_level(struct mlpt_report *w, const struct mlpt_report *b,
			 const struct leaf *lv, int n, int l)
{
	bool five = b->paging_levels == 5;
	int es = mlpt_entry_shift(l, (int)b->paging_levels);
	unsigned long entry, key, prev_entry = 0, prev_key = 0, k = 0;
	bool any = false;
	int i;

	for (i = 0; i < n; i++) {
		if ((int)lv[i].level < l)
			continue;	/* a leaf above this level */
		entry = lv[i].addr >> es;
		key = l == MLPT_PGD ? 0 : entry >> level_bits();
		/* 5-level pgd entry 0 already leads to the old p4d table. */
		if (l == MLPT_PGD && five && entry == 0)
			continue;
		if (any && entry == prev_entry)
			continue;
		if (any && key != prev_key) {
			add_table(w, b, l, prev_key, k);
			k = 0;
		}
		w->lvl[l][MLPT_PRESENT]++;
		w->lvl[l][(int)lv[i].level == l ? MLPT_LEAF : MLPT_NEXT]++;
		k++;
		prev_entry = entry;
		prev_key = key;
		any = true;
	}
	if (any)
		add_table(w, b, l, prev_key, k);
}

void mlpt_expect_touch(const struct mlpt_report *before,
		       const struct mlpt_touch *t, int n,
		       struct mlpt_report *want)
{
	static struct leaf lv[MAX_LEAVES];
	unsigned long size, end;
	int nl = 0;
	int i, l;

	*want = *before;
	for (i = 0; i < n; i++) {
		unsigned long p;

		if (t[i].leaf_level == MLPT_PMD) {
			lv[nl++] = (struct leaf){ t[i].addr, MLPT_PMD };
			size = MLPT_PMD_SIZE;
			want->resident_bytes += size;
		} else {
			for (p = 0; p < t[i].npages && nl < MAX_LEAVES; p++)
				lv[nl++] = (struct leaf){
					t[i].addr + p * MLPT_PAGE, MLPT_PTE };
			size = t[i].npages * MLPT_PAGE;
			want->resident_bytes += size;
		}
		if (t[i].deposit) {
			want->deposited_tables++;
			want->walk_pgtables_bytes += MLPT_PAGE;
			want->kernel_pgtables_bytes += MLPT_PAGE;
		}
		want->vmas++;
		want->mapped_bytes += size;
		end = t[i].addr + size;
		if (t[i].addr < want->va_lowest)
			want->va_lowest = t[i].addr;
		if (end > want->va_highest)
			want->va_highest = end;
	}
	qsort(lv, nl, sizeof(lv[0]), leaf_cmp);
	for (l = MLPT_PGD; l < MLPT_NR_LEVELS; l++) {
		if (mlpt_level_folded(l, (int)before->paging_levels))
			continue;	/* folded: stays all zero */
		expect_level(want, before, lv, nl, l);
	}
}

unsigned long mlpt_touch_size(const struct mlpt_touch *t)
{
	return t->leaf_level == MLPT_PMD ? MLPT_PMD_SIZE :
					   t->npages * MLPT_PAGE;
}

int mlpt_map_touch(const struct mlpt_touch *t, int flags, int advice,
		   bool read_only)
{
	unsigned long size = mlpt_touch_size(t);
	unsigned long step = t->leaf_level == MLPT_PMD ? size : MLPT_PAGE;
	unsigned long off;
	char *p;

	p = mmap((void *)t->addr, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | flags,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	/* A kernel that ignores MAP_FIXED_NOREPLACE maps elsewhere. */
	if ((unsigned long)p != t->addr)
		return -EEXIST;
	if (advice != -1 && madvise(p, size, advice))
		return -errno;
	for (off = 0; off < size; off += step) {
		/* The empty asm makes the compiler do each access. */
		if (read_only)
			asm volatile("" : : "r" (p[off]));
		else
			p[off] = 1;
	}
	asm volatile("" : : "r" (p) : "memory");
	return 0;
}

int mlpt_workload_map(unsigned long base, struct mlpt_workload *w)
{
	struct mlpt_touch dense = { .npages = MLPT_DENSE_BYTES / MLPT_PAGE };
	unsigned long off;
	char *p;

	if (!base)
		base = mlpt_free_slots(1);
	if (!base)
		return -ENOMEM;
	w->sparse = base;
	w->dense = base + MLPT_PUD_SIZE;
	p = mmap((void *)w->sparse, MLPT_SPARSE_BYTES, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (madvise(p, MLPT_SPARSE_BYTES, MADV_NOHUGEPAGE))
		return -errno;
	for (off = 0; off < MLPT_SPARSE_BYTES; off += MLPT_PMD_SIZE)
		p[off] = 1;
	asm volatile("" : : "r" (p) : "memory");
	dense.addr = w->dense;
	dense.leaf_level = MLPT_PTE;
	return mlpt_map_touch(&dense, 0, MADV_NOHUGEPAGE, false);
}

/* Grow and fault the stack once, so later steps never extend it. */
static void prefault_stack(void)
{
	char pad[64 * 1024];

	memset(pad, 1, sizeof(pad));
	asm volatile("" : : "r" (pad) : "memory");
}

static void child_loop(int cmd, int ack, mlpt_step_fn fn, void *arg)
{
	int step, ret = 0;

	prefault_stack();
	/*
	 * fork() copies no ptes of file mappings without anon pages (text),
	 * so the child would fault its code in while it runs steps.
	 * mlockall() populates every mapping now; unlocking keeps the
	 * pages mapped and the VMAs as they were.
	 */
	if (mlockall(MCL_CURRENT))
		ret = -errno;
	munlockall();
	if (write(ack, &ret, sizeof(ret)) != sizeof(ret))
		_exit(1);
	while (read(cmd, &step, sizeof(step)) == sizeof(step)) {
		ret = fn(arg, step);
		if (write(ack, &ret, sizeof(ret)) != sizeof(ret))
			_exit(1);
	}
	_exit(0);
}

static int read_ack(struct mlpt_child *c)
{
	int ret;

	if (read(c->ack_fd, &ret, sizeof(ret)) != sizeof(ret))
		return -EPIPE;
	return ret;
}

int mlpt_child_start(struct mlpt_child *c, mlpt_step_fn fn, void *arg)
{
	int cmd[2], ack[2];

	if (pipe(cmd))
		return -errno;
	if (pipe(ack)) {
		close(cmd[0]);
		close(cmd[1]);
		return -errno;
	}
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (!c->pid) {
		close(cmd[1]);
		close(ack[0]);
		child_loop(cmd[0], ack[1], fn, arg);
		_exit(0);
	}
	close(cmd[0]);
	close(ack[1]);
	c->cmd_fd = cmd[1];
	c->ack_fd = ack[0];
	return read_ack(c) ? -EIO : 0;
}

int mlpt_child_step(struct mlpt_child *c, int step)
{
	if (write(c->cmd_fd, &step, sizeof(step)) != sizeof(step))
		return -EPIPE;
	return read_ack(c);
}

int mlpt_check_step(struct mlpt_child *c, const struct mlpt_report *before,
		    const struct mlpt_touch *t, int n,
		    const unsigned long tables[MLPT_NR_LEVELS],
		    struct mlpt_report *after)
{
	struct mlpt_report want;
	unsigned long long added;
	int l, ret;

	ret = mlpt_child_step(c, 1);
	if (!ret)
		ret = mlpt_report_pid(c->pid, after);
	if (ret) {
		fprintf(stderr, "# step or report: %s\n", strerror(-ret));
		return -1;
	}
	mlpt_expect_touch(before, t, n, &want);
	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		/* A folded level has no tables of its own. */
		unsigned long worked_out =
			mlpt_level_folded(l, (int)before->paging_levels) ?
			0 : tables[l];

		added = want.lvl[l][MLPT_TABLES] - before->lvl[l][MLPT_TABLES];
		if (added != worked_out) {
			fprintf(stderr, "# level %d: %llu tables added, %lu worked out\n",
				l, added, worked_out);
			return -1;
		}
	}
	if (mlpt_report_diff(&want, after) || mlpt_report_invariants(after))
		return -1;
	if (mlpt_vmpte_kb(c->pid) * 1024ULL != after->kernel_pgtables_bytes) {
		fprintf(stderr, "# VmPTE is not kernel-pgtables-bytes\n");
		return -1;
	}
	return 0;
}

void mlpt_child_stop(struct mlpt_child *c)
{
	if (c->pid <= 0)
		return;
	close(c->cmd_fd);
	close(c->ack_fd);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
}

int mlpt_become(uid_t uid)
{
	if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		return errno;
	return 0;
}

pid_t mlpt_spawn_sleeper(uid_t uid, int dumpable)
{
	int ready[2];
	pid_t pid;
	char c = 0;

	if (pipe(ready))
		return -1;
	fflush(NULL);
	pid = fork();
	if (!pid) {
		if (uid && mlpt_become(uid))
			_exit(1);
		/* Set after mlpt_become(): changing ids clears it. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL))
			_exit(1);
		if (prctl(PR_SET_DUMPABLE, dumpable))
			_exit(1);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	return pid;
}

void mlpt_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
