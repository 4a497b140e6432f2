// SPDX-License-Identifier: GPL-2.0
/*
 * The format-1 parser against the fixtures in this directory (written from
 * docs/format.md, and captured from the module) and against malformed input; and
 * the rig's reader of test results, scripts/guest-results.awk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/parse.h"
#include "tap.h"

/* mlpt_parse() of the file @path; @e is filled when it fails, a read too */
static int parse_file(const char *path, struct mlpt_report *r,
		      struct mlpt_err *e)
{
	size_t len;
	char *s = slurp(path, &len);
	int ret;

	if (!s)
		return mlpt_fail(e, MLPT_EXIT_FAIL, path, "cannot read it");
	ret = mlpt_parse(s, len, path, r, e);
	free(s);
	return ret;
}

static void spec_example(void)
{
	static const u64 tables[] = { 1, 1, 2, 5, 9 };
	static const u64 pte_occ[] = { 0, 0, 2, 5, 2, 0, 0 };
	struct mlpt_report r;
	struct mlpt_err e;
	bool ok = true;
	int i;

	if (parse_file("sample-5level.txt", &r, &e)) {
		tap_ok(false, "parse: the hand-made example (sample-5level.txt): %s", e.why);
		return;
	}
	tap_ok(true, "parse: the hand-made example (sample-5level.txt)");
	tap_ok(r.pid == 4242 && !strcmp(r.comm, "demo") &&
	       r.paging_levels == 5 && r.va_bits == 57 &&
	       r.page_size == 4096 && r.entry_bytes == 8,
	       "parse: pid, comm and geometry");
	tap_ok(r.vmas == 23 && r.mapped_bytes == 12345678 &&
	       r.va_lowest == 0x555555554000ull &&
	       r.va_highest == 0x7ffffffff000ull &&
	       r.resident_bytes == 3342336 &&
	       r.walk_pgtables_bytes == 65536 &&
	       r.kernel_pgtables_bytes == 65536 && !r.deposited_tables &&
	       r.walk_ns == 48211, "parse: every summary key, hex and decimal");
	for (i = 0; i < MLPT_LEVELS; i++)
		ok &= r.level[i].tables == tables[i] &&
		      r.level[i].entries == 512 && !r.level[i].folded;
	tap_ok(ok, "parse: tables per level 1 1 2 5 9, 512 entries each");
	tap_ok(r.level[MLPT_PGD].table_bytes == 8192 &&
	       r.level[MLPT_PTE].present == 816 &&
	       r.level[MLPT_PTE].leaf == 816 && r.level[MLPT_PMD].next == 9,
	       "parse: level columns");
	tap_ok(!memcmp(r.level[MLPT_PTE].occupancy, pte_occ, sizeof(pte_occ)),
	       "parse: occupancy row");
	tap_ok(!r.vma, "parse: a report has no VMA list");
}

static void parse_folded(void)
{
	struct mlpt_report r;
	struct mlpt_err e;

	tap_ok(!parse_file("sample-4level.txt", &r, &e) &&
	       r.level[MLPT_P4D].folded && !r.level[MLPT_PGD].folded &&
	       r.deposited_tables == 1 && !strcmp(r.comm, "sparse worker") &&
	       r.level[MLPT_PTE].empty_tables == 1,
	       "parse: 4-level report, folded p4d, comm with a space");
}

static void parse_extra(void)
{
	struct mlpt_report r;
	struct mlpt_err e;

	tap_ok(!parse_file("extra-keys.txt", &r, &e) &&
	       !strcmp(r.comm, "demo: with colon") &&
	       r.level[MLPT_PTE].tables == 9 && r.level[MLPT_PTE].leaf == 816,
	       "parse: extra keys, columns and rows are ignored");
}

/* mlpt_parse() of sample-arm64.txt with its contiguous-ptes line replaced */
static int parse_contiguous_as(const char *line, struct mlpt_report *r,
			       struct mlpt_err *e)
{
	const char *key = "contiguous-ptes: 64\n";
	size_t len;
	char *s = slurp("sample-arm64.txt", &len), *at, *t;
	int ret = -1;

	at = s ? strstr(s, key) : NULL;
	if (at && asprintf(&t, "%.*s%s%s", (int)(at - s), s, line,
			   at + strlen(key)) > 0) {
		ret = mlpt_parse(t, strlen(t), "edited", r, e);
		free(t);
	}
	free(s);
	return ret;
}

/*
 * sample-arm64.txt, hand-made: arm64 with 52 bits (LPA2), a pgd of 16
 * entries in 128 bytes, and 64 of its 816 pte leaves contiguous.
 */
static void parse_contiguous(void)
{
	struct mlpt_report r;
	struct mlpt_err e;

	tap_ok(!parse_file("sample-arm64.txt", &r, &e) &&
	       r.contiguous_known && r.contiguous_ptes == 64 &&
	       r.level[MLPT_PGD].entries == 16 &&
	       r.level[MLPT_PGD].table_bytes == 128 &&
	       r.level[MLPT_P4D].entries == 512,
	       "parse: arm64 report, contiguous-ptes 64, a pgd of 16 entries");
	tap_ok(!parse_file("sample-5level.txt", &r, &e) &&
	       !r.contiguous_known && !r.contiguous_ptes,
	       "parse: no contiguous-ptes key (x86-64): not known, no error");
	tap_ok(!parse_contiguous_as("contiguous-ptes: 816\n", &r, &e) &&
	       r.contiguous_ptes == 816,
	       "parse: contiguous-ptes may equal the pte leaves");
	tap_ok(parse_contiguous_as("contiguous-ptes: 817\n", &r, &e) ==
	       MLPT_EXIT_FORMAT &&
	       strstr(e.why, "contiguous-ptes 817 > 816 pte leaves"),
	       "parse: more contiguous ptes than pte leaves is refused");
	tap_ok(parse_contiguous_as("contiguous-ptes: many\n", &r, &e) ==
	       MLPT_EXIT_FORMAT && strstr(e.why, "not a number"),
	       "parse: contiguous-ptes not a number is refused");
}

static void expect_fail(const char *path, int code, const char *why_has,
			const char *name)
{
	struct mlpt_report r;
	struct mlpt_err e;
	int ret = parse_file(path, &r, &e);
	bool ok = ret == code && strstr(e.why, why_has);

	tap_ok(ok, "%s", name);
	/* a parse that succeeds fills @r, not @e */
	if (!ret) {
		printf("#   %s parsed without an error\n", path);
		mlpt_report_free(&r);
	} else if (!ok) {
		printf("#   got %d \"%s\"\n", ret, e.why);
	}
}

/* every cut of the example at a line end must fail, never half-parse */
static void parse_truncations(void)
{
	size_t len, cut;
	char *s = slurp("sample-5level.txt", &len);
	unsigned int bad = 0, cuts = 0;
	struct mlpt_report r;
	struct mlpt_err e;
	int ret;

	for (cut = 0; s && cut < len - 1; cut++) {
		if (s[cut] != '\n')
			continue;
		cuts++;
		ret = mlpt_parse(s, cut + 1, "cut", &r, &e);
		bad += ret != MLPT_EXIT_FORMAT;
	}
	tap_ok(s && cuts == 30 && !bad,
	       "parse: all %u truncations at a line end are refused", cuts);
	/* source.c, not the parser, tells an exited process from a bad file */
	tap_ok(mlpt_parse(s, 0, "x", &r, &e) == MLPT_EXIT_FORMAT &&
	       strstr(e.why, "empty: not an mlpt report"),
	       "parse: empty input is no report");
	tap_ok(s && mlpt_parse(s, len - 3, "x", &r, &e) == MLPT_EXIT_FORMAT,
	       "parse: a cut inside the last line is refused");
	free(s);
}

static void strings(void)
{
	static const struct {
		const char *text;
		const char *name;
	} bad[] = {
		{ "hello\n", "no format line" },
		{ "mlpt-format: 1\npid: -1\n", "a negative number" },
		{ "mlpt-format: 1\npid: 12x\n", "trailing garbage" },
		{ "mlpt-format: 1\npid 12\n", "a line without \": \"" },
		{ "mlpt-format: one\n", "a format that is not a number" },
	};
	unsigned long long v;
	struct mlpt_report r;
	struct mlpt_err e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		tap_ok(mlpt_parse(bad[i].text, strlen(bad[i].text), "s", &r,
				  &e) == MLPT_EXIT_FORMAT,
		       "parse: refuse %s", bad[i].name);
	tap_ok(!mlpt_parse_u64("0x7ffffffff000", &v) && v == 0x7ffffffff000ull,
	       "number: hex with 0x");
	tap_ok(!mlpt_parse_u64("18446744073709551615", &v) && v == ~0ull,
	       "number: 2^64 - 1");
	tap_ok(mlpt_parse_u64("18446744073709551616", &v) &&
	       mlpt_parse_u64(" 1", &v) && mlpt_parse_u64("+1", &v) &&
	       mlpt_parse_u64("0x", &v) && mlpt_parse_u64("", &v),
	       "number: overflow, blanks, signs and empty refused");
}

/*
 * The reports captured from the module in the guest (6.12, cat and
 * mlpt-workload, 4- and 5-level paging), and what each file says,
 * copied from it by hand: every key, every level row, every occupancy
 * row, every row of the nodes table (mlpt 1.0.0's reports have none).
 */
static const struct captured {
	const char *file;
	int pid;
	const char *comm;
	unsigned int paging_levels, va_bits;
	u64 vmas, mapped_bytes, resident_bytes, va_lowest, va_highest;
	u64 walk_pgtables_bytes, kernel_pgtables_bytes, deposited_tables;
	u64 walk_ns;
	/* folded tables table-bytes present next leaf nonpresent empty-tables */
	u64 level[MLPT_LEVELS][8];
	u64 occupancy[MLPT_LEVELS][MLPT_BUCKETS];
	size_t nr_node;		/* rows of the nodes table: node 0, 1... */
	u64 node[2][MLPT_LEVELS];
} captured[] = {
	{ "captured-6.12-4-level-cat.txt",
	  155, "cat", 4, 48, 11, 2379776, 1503232,
	  0x400000, 0x7ffe7b6c6000,
	  36864, 36864, 0, 51406,
	  { { 0, 1, 8192, 2, 2, 0, 0, 0 },
	    { 1, 0, 0, 0, 0, 0, 0, 0 },
	    { 0, 2, 4096, 3, 3, 0, 0, 0 },
	    { 0, 3, 4096, 4, 4, 0, 0, 0 },
	    { 0, 4, 4096, 367, 0, 367, 0, 0 } },
	  { { 0, 0, 1, 0, 0, 0, 0 },
	    { 0, 0, 0, 0, 0, 0, 0 },
	    { 0, 1, 1, 0, 0, 0, 0 },
	    { 0, 2, 1, 0, 0, 0, 0 },
	    { 0, 1, 2, 0, 0, 1, 0 } },
	  0, { { 0 } } },
	{ "captured-6.12-4-level-workload.txt",
	  152, "mlpt-workload", 4, 48, 12, 72585216, 5189632,
	  0x400000, 0x7ffdb7cb2000,
	  192512, 192512, 0, 171715,
	  { { 0, 1, 8192, 4, 4, 0, 0, 0 },
	    { 1, 0, 0, 0, 0, 0, 0, 0 },
	    { 0, 4, 4096, 5, 5, 0, 0, 0 },
	    { 0, 5, 4096, 38, 38, 0, 0, 0 },
	    { 0, 38, 4096, 1267, 0, 1267, 0, 0 } },
	  { { 0, 0, 1, 0, 0, 0, 0 },
	    { 0, 0, 0, 0, 0, 0, 0 },
	    { 0, 3, 1, 0, 0, 0, 0 },
	    { 0, 2, 2, 1, 0, 0, 0 },
	    { 0, 33, 2, 0, 1, 0, 2 } },
	  0, { { 0 } } },
	{ "captured-6.12-5-level-cat.txt",
	  154, "cat", 5, 57, 11, 2379776, 1499136,
	  0x400000, 0x7fff3269a000,
	  40960, 40960, 0, 58037,
	  { { 0, 1, 8192, 1, 1, 0, 0, 0 },
	    { 0, 1, 4096, 3, 3, 0, 0, 0 },
	    { 0, 3, 4096, 3, 3, 0, 0, 0 },
	    { 0, 3, 4096, 4, 4, 0, 0, 0 },
	    { 0, 4, 4096, 366, 0, 366, 0, 0 } },
	  { { 0, 1, 0, 0, 0, 0, 0 },
	    { 0, 0, 1, 0, 0, 0, 0 },
	    { 0, 3, 0, 0, 0, 0, 0 },
	    { 0, 2, 1, 0, 0, 0, 0 },
	    { 0, 1, 2, 0, 0, 1, 0 } },
	  0, { { 0 } } },
	{ "captured-6.12-5-level-workload.txt",
	  151, "mlpt-workload", 5, 57, 12, 72585216, 5185536,
	  0x400000, 0x7ffc526b1000,
	  188416, 188416, 0, 196091,
	  { { 0, 1, 8192, 1, 1, 0, 0, 0 },
	    { 0, 1, 4096, 3, 3, 0, 0, 0 },
	    { 0, 3, 4096, 5, 5, 0, 0, 0 },
	    { 0, 5, 4096, 38, 38, 0, 0, 0 },
	    { 0, 38, 4096, 1266, 0, 1266, 0, 0 } },
	  { { 0, 1, 0, 0, 0, 0, 0 },
	    { 0, 0, 1, 0, 0, 0, 0 },
	    { 0, 1, 2, 0, 0, 0, 0 },
	    { 0, 2, 2, 1, 0, 0, 0 },
	    { 0, 33, 2, 0, 1, 0, 2 } },
	  0, { { 0 } } },
	{ "captured-6.12-5-level-nodes.txt",
	  153, "mlpt-workload", 5, 57, 12, 72589312, 5189632,
	  0x400000, 0x7fffb80b0000,
	  188416, 188416, 0, 292664,
	  { { 0, 1, 8192, 1, 1, 0, 0, 0 },
	    { 0, 1, 4096, 3, 3, 0, 0, 0 },
	    { 0, 3, 4096, 5, 5, 0, 0, 0 },
	    { 0, 5, 4096, 38, 38, 0, 0, 0 },
	    { 0, 38, 4096, 1267, 0, 1267, 0, 0 } },
	  { { 0, 1, 0, 0, 0, 0, 0 },
	    { 0, 0, 1, 0, 0, 0, 0 },
	    { 0, 1, 2, 0, 0, 0, 0 },
	    { 0, 2, 2, 1, 0, 0, 0 },
	    { 0, 33, 2, 0, 1, 0, 2 } },
	  2, { { 1, 1, 3, 5, 38 }, { 0, 0, 0, 0, 0 } } },
};

/* one parsed figure against the capture's; a "#" line when they differ */
static bool same(const char *file, const char *what, u64 parsed, u64 want)
{
	if (parsed != want)
		printf("#   %s: %s parsed as %llu, the file says %llu\n", file,
		       what, (unsigned long long)parsed,
		       (unsigned long long)want);
	return parsed == want;
}

static bool same_levels(const struct captured *c, const struct mlpt_report *r)
{
	static const char *const col[] = { "folded", "tables", "table-bytes",
		"present", "next", "leaf", "nonpresent", "empty-tables" };
	char what[64];
	bool ok = true;
	int l, i;

	for (l = 0; l < MLPT_LEVELS; l++) {
		const struct mlpt_level_stats *s = &r->level[l];
		const u64 got[] = { s->folded, s->tables, s->table_bytes,
			s->present, s->next, s->leaf, s->nonpresent,
			s->empty_tables };

		for (i = 0; i < 8; i++) {
			snprintf(what, sizeof(what), "%s %s",
				 mlpt_level_name[l], col[i]);
			ok &= same(c->file, what, got[i], c->level[l][i]);
		}
		for (i = 0; i < MLPT_BUCKETS; i++) {
			snprintf(what, sizeof(what), "%s occupancy %s",
				 mlpt_level_name[l], mlpt_bucket_name[i]);
			ok &= same(c->file, what, s->occupancy[i],
				   c->occupancy[l][i]);
		}
		ok &= same(c->file, "entries per table", s->entries, 512);
	}
	return ok;
}

static bool same_nodes(const struct captured *c, const struct mlpt_report *r)
{
	bool ok = same(c->file, "rows of nodes", r->nr_node, c->nr_node);
	size_t i;
	int k;

	for (i = 0; ok && i < c->nr_node; i++) {
		ok &= same(c->file, "node", r->node[i].id, i);
		for (k = 0; k < MLPT_LEVELS; k++)
			ok &= same(c->file, mlpt_level_name[k],
				   r->node[i].tables[k], c->node[i][k]);
	}
	return ok;
}

/*
 * Each captured report parses to exactly what its file says, and its
 * walk's pte + pmd + pud + deposited tables in pages are its
 * walk-pgtables-bytes (the accounting rule of docs/format.md).
 */
static void parse_captured(void)
{
	const struct captured *c;
	struct mlpt_report r;
	struct mlpt_err e;
	bool ok;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(captured); i++) {
		c = &captured[i];
		if (parse_file(c->file, &r, &e)) {
			tap_ok(false, "parse: %s: %s", c->file, e.why);
			continue;
		}
		ok = same(c->file, "pid", r.pid, c->pid);
		if (strcmp(r.comm, c->comm)) {
			printf("#   %s: comm parsed as \"%s\", the file says \"%s\"\n",
			       c->file, r.comm, c->comm);
			ok = false;
		}
		ok &= same(c->file, "paging-levels", r.paging_levels,
			   c->paging_levels);
		ok &= same(c->file, "va-bits", r.va_bits, c->va_bits);
		ok &= same(c->file, "page-size", r.page_size, 4096);
		ok &= same(c->file, "entry-bytes", r.entry_bytes, 8);
		ok &= same(c->file, "vmas", r.vmas, c->vmas);
		ok &= same(c->file, "mapped-bytes", r.mapped_bytes,
			   c->mapped_bytes);
		ok &= same(c->file, "va-lowest", r.va_lowest, c->va_lowest);
		ok &= same(c->file, "va-highest", r.va_highest, c->va_highest);
		ok &= same(c->file, "resident-bytes", r.resident_bytes,
			   c->resident_bytes);
		ok &= same(c->file, "walk-pgtables-bytes",
			   r.walk_pgtables_bytes, c->walk_pgtables_bytes);
		ok &= same(c->file, "kernel-pgtables-bytes",
			   r.kernel_pgtables_bytes, c->kernel_pgtables_bytes);
		ok &= same(c->file, "deposited-tables", r.deposited_tables,
			   c->deposited_tables);
		ok &= same(c->file, "walk-ns", r.walk_ns, c->walk_ns);
		tap_ok(ok, "parse: %s: pid %d, comm %s and every key", c->file,
		       c->pid, c->comm);
		tap_ok(same_levels(c, &r),
		       "parse: %s: every level row and occupancy row", c->file);
		tap_ok(same_nodes(c, &r), "parse: %s: %zu rows of nodes",
		       c->file, c->nr_node);
		tap_eq(r.walk_pgtables_bytes,
		       r.page_size * (r.level[MLPT_PTE].tables +
				      r.level[MLPT_PMD].tables +
				      r.level[MLPT_PUD].tables +
				      r.deposited_tables),
		       "parse: %s, walk-pgtables-bytes by the kernel's rule",
		       c->file);
		mlpt_report_free(&r);
	}
}

/*
 * What scripts/guest-results.awk makes of one test's output @tap framed
 * as guest-init.sh frames it, with exit code @rc; NULL if awk failed.
 */
static char *rig_results(const char *tap, int rc)
{
	char path[] = "/tmp/mlpt-test-rig.XXXXXX", cmd[128];
	char *out = NULL;
	size_t len = 0;
	FILE *f, *p;
	int fd;

	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		return NULL;
	fprintf(f, "MLPT-TEST-BEGIN t\n%sMLPT-TEST-END t rc=%d secs=1\n", tap,
		rc);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "awk -v timeout=300 -f ../../scripts/guest-results.awk %s",
		 path);
	p = popen(cmd, "r");
	if (p) {
		f = open_memstream(&out, &len);
		while (f && (fd = fgetc(p)) != EOF)
			fputc(fd, f);
		if (f)
			fclose(f);
		if (pclose(p)) {
			free(out);
			out = NULL;
		}
	}
	unlink(path);
	return out;
}

/* a test passes only by what its TAP says; its exit code alone is none */
static void rig_reader(void)
{
	static const struct {
		const char *tap;
		int rc;
		const char *want;
		const char *name;
	} cases[] = {
		{ "", 0, "fail\tt\texit 0, no TAP output\n",
		  "exit 0 and no TAP output is a failure" },
		{ "TAP version 13\n", 0, "fail\tt\texit 0, no TAP output\n",
		  "a TAP header alone is a failure" },
		{ "1..0\n", 0, "fail\tt\texit 0, no TAP output\n",
		  "a plan of nothing, no reason, is a failure" },
		{ "", 4, "skip\tt\texit 4 (KSFT_SKIP), no TAP output\n",
		  "exit 4 (KSFT_SKIP) and no TAP output is a skip" },
		{ "1..0 # SKIP no hugetlb\n", 0, "skip\tt\tno hugetlb\n",
		  "1..0 with a SKIP directive and a reason is a skip" },
		{ "1..1\nok 1 a\n", 0, "ok\tt: a\t\n", "one result, exit 0" },
		{ "1..2\nok 1 a\n", 0,
		  "ok\tt: a\t\nfail\tt: plan\t1 of 2 planned results reported\n",
		  "a result short of the plan is a failure" },
		{ "1..1\nok 1 a\n", 139,
		  "ok\tt: a\t\nfail\tt: exit\tkilled by signal 11\n",
		  "a crash after its results is a failure" },
	};
	size_t i;
	char *got;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		got = rig_results(cases[i].tap, cases[i].rc);
		tap_ok(got && !strcmp(got, cases[i].want),
		       "guest-results.awk: %s", cases[i].name);
		if (!got)
			printf("#   awk failed\n");
		else if (strcmp(got, cases[i].want))
			printf("#   got \"%s\"\n", got);
		free(got);
	}
}

void test_parse(void)
{
	spec_example();
	parse_folded();
	parse_extra();
	parse_contiguous();
	expect_fail("bad-version.txt", MLPT_EXIT_FORMAT,
		    "unknown format version 2", "parse: unknown format version");
	expect_fail("bad-truncated.txt", MLPT_EXIT_FORMAT, "truncated",
		    "parse: truncated file");
	expect_fail("bad-present.txt", MLPT_EXIT_FORMAT, "present 9 != next 8",
		    "parse: present != next + leaf is refused");
	parse_truncations();
	strings();
	parse_captured();
	rig_reader();
}
