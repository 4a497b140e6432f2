// SPDX-License-Identifier: GPL-2.0
/*
 * The format-1 parser against the fixtures in this directory (written from
 * SPEC.md; captured output from the module can be dropped in beside them)
 * and against malformed input.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tap.h"

static int parse_file(const char *path, struct mlpt_report *r,
		      struct mlpt_err *e)
{
	size_t len;
	char *s = slurp(path, &len);
	int ret;

	if (!s) {
		tap_ok(false, "read %s", path);
		return -1;
	}
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

	tap_ok(!parse_file("sample-5level.txt", &r, &e),
	       "parse: the SPEC.md example");
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

static void expect_fail(const char *path, int code, const char *why_has,
			const char *name)
{
	struct mlpt_report r;
	struct mlpt_err e;
	int ret = parse_file(path, &r, &e);

	tap_ok(ret == code && strstr(e.why, why_has), "%s", name);
	if (ret != code || !strstr(e.why, why_has))
		printf("#   got %d \"%s\"\n", ret, ret ? e.why : "");
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
 * Every report captured from the module in the guest (captured-*.txt): it
 * parses, and the walk's pte + pmd + pud + deposited tables in pages are
 * its walk-pgtables-bytes (SPEC.md).
 */
static void parse_captured(void)
{
	struct mlpt_report r;
	struct mlpt_err e;
	glob_t g;
	size_t i;
	u64 want;

	if (glob("captured-*.txt", 0, NULL, &g)) {
		tap_skip("none here", "parse: reports captured from the module");
		return;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		if (parse_file(g.gl_pathv[i], &r, &e)) {
			tap_ok(false, "parse: %s: %s", g.gl_pathv[i], e.why);
			continue;
		}
		want = r.page_size * (r.level[MLPT_PTE].tables +
				      r.level[MLPT_PMD].tables +
				      r.level[MLPT_PUD].tables +
				      r.deposited_tables);
		tap_eq(r.walk_pgtables_bytes, want,
		       "parse: %s, walk-pgtables-bytes by the kernel's rule",
		       g.gl_pathv[i]);
	}
	globfree(&g);
}

void test_parse(void)
{
	spec_example();
	parse_folded();
	parse_extra();
	expect_fail("bad-version.txt", MLPT_EXIT_FORMAT,
		    "unknown format version 2", "parse: unknown format version");
	expect_fail("bad-truncated.txt", MLPT_EXIT_FORMAT, "truncated",
		    "parse: truncated file");
	expect_fail("bad-present.txt", MLPT_EXIT_FORMAT, "present 9 != next 8",
		    "parse: present != next + leaf is refused");
	parse_truncations();
	strings();
	parse_captured();
}
