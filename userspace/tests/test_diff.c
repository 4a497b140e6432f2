// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt diff and --growth on the host: the JSON parser on valid and
 * malformed input, snapshots read back from every JSON output the tool
 * writes, the diff's figures worked out by hand, each output format through
 * a parser, and the command's errors under valgrind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands/diff.h"
#include "models/diff.h"
#include "sources/jsonparse.h"
#include "sources/snapshot.h"
#include "sources/source.h"
#include "views/diffout.h"
#include "views/json.h"
#include "tap.h"

static bool parse_one(const char *text, struct mlpt_jv *v, const char **why)
{
	size_t pos = 0;

	*why = NULL;
	if (mlpt_jv_parse(text, strlen(text), &pos, v, why))
		return false;
	if (mlpt_jv_end(text, strlen(text), pos))
		return true;
	mlpt_jv_free(v);
	*why = "text after the value";
	return false;
}

static void parser_valid(void)
{
	const struct mlpt_jv *x;
	struct buf big = { 0 };
	struct mlpt_jv v;
	const char *why;
	size_t pos = 0;
	u64 n;

	tap_ok(parse_one("{\"a\": [1, -2.5e3, true, false, null, \"s\"], \"b\": {}}",
			 &v, &why) && v.type == MLPT_JV_OBJ && v.n == 2 &&
	       mlpt_jv_get(&v, "a")->n == 6 &&
	       mlpt_jv_get(&v, "a")->item[2].b &&
	       mlpt_jv_get(&v, "a")->item[4].type == MLPT_JV_NULL &&
	       !strcmp(mlpt_jv_get(&v, "a")->item[1].s, "-2.5e3") &&
	       mlpt_jv_get(&v, "b")->type == MLPT_JV_OBJ &&
	       !mlpt_jv_get(&v, "c"), "parser: an object of every kind of value");
	mlpt_jv_free(&v);

	/*
	 * Escapes decode to UTF-8: \u00e9 is U+00E9, bytes c3 a9; the pair
	 * \ud83d\ude00 is U+1F600 = 0x10000 + (0x3d << 10) + 0x200, bytes
	 * f0 9f 98 80; the raw UTF-8 of U+20AC stays e2 82 ac.
	 */
	tap_ok(parse_one("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\xe2\x82\xac\"",
			 &v, &why) && v.type == MLPT_JV_STR &&
	       !strcmp(v.s, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\xe2\x82\xac"),
	       "parser: every escape, a surrogate pair and raw UTF-8 decoded");
	mlpt_jv_free(&v);

	/* 2^64 - 1 is the largest u64; 2^64 does not fit, nor -1 or 1.0 */
	tap_ok(parse_one("[18446744073709551615, 18446744073709551616, -1, 1.0, 0]",
			 &v, &why) && !mlpt_jv_u64(&v.item[0], &n) &&
	       n == U64_MAX && mlpt_jv_u64(&v.item[1], &n) &&
	       mlpt_jv_u64(&v.item[2], &n) && mlpt_jv_u64(&v.item[3], &n) &&
	       !mlpt_jv_u64(&v.item[4], &n) && !n,
	       "parser: integers exact to 2^64 - 1, nothing else taken as one");
	mlpt_jv_free(&v);

	/* 1000 items (the arrays grow by doubling), the last one last */
	buf_printf(&big, "[0");
	for (n = 1; n < 1000; n++)
		buf_printf(&big, ", %llu", (unsigned long long)n);
	buf_printf(&big, "]");
	tap_ok(parse_one(big.s, &v, &why) && v.n == 1000 &&
	       !mlpt_jv_u64(&v.item[999], &n) && n == 999,
	       "parser: an array of 1000 numbers, in order");
	mlpt_jv_free(&v);
	buf_free(&big);

	/* an escaped quote does not end a string */
	tap_ok(parse_one("[\"a\\\"b\", \"\\\\\"]", &v, &why) && v.n == 2 &&
	       !strcmp(v.item[0].s, "a\"b") && !strcmp(v.item[1].s, "\\"),
	       "parser: \\\" inside a string, \\\\ at its end");
	mlpt_jv_free(&v);

	/* JSON Lines: one value after the other */
	x = NULL;
	if (!mlpt_jv_parse("{\"n\": 1}\n{\"n\": 2}\n", 18, &pos, &v, &why)) {
		mlpt_jv_free(&v);
		if (!mlpt_jv_parse("{\"n\": 1}\n{\"n\": 2}\n", 18, &pos, &v,
				   &why))
			x = mlpt_jv_get(&v, "n");
	}
	tap_ok(x && !mlpt_jv_u64(x, &n) && n == 2 &&
	       mlpt_jv_end("{\"n\": 1}\n{\"n\": 2}\n", 18, pos),
	       "parser: a stream of two documents, the second read second");
	mlpt_jv_free(&v);
}

/* nested @depth arrays deep */
static char *nested(int depth)
{
	char *s = malloc(2 * depth + 1);
	int i;

	for (i = 0; i < depth; i++) {
		s[i] = '[';
		s[2 * depth - 1 - i] = ']';
	}
	s[2 * depth] = '\0';
	return s;
}

static void parser_malformed(void)
{
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
		{ "", "the text ended" },
		{ "[1, 2,]", "not a JSON value" },
		{ "{\"a\": 1,}", "object key" },
		{ "[1 2]", "',' or ']' expected" },
		{ "{\"a\" 1}", "':' expected" },
		{ "{\"a\": 1, \"a\": 2}", "duplicate key" },
		{ "{1: 2}", "object key" },
		{ "01", "text after the value" },
		{ "1.", "digit expected" },
		{ "-", "digit expected" },
		{ "1e", "digit expected" },
		{ ".5", "not a JSON value" },
		{ "+1", "not a JSON value" },
		{ "tru", "not a JSON value" },
		{ "nul", "not a JSON value" },
		{ "\"abc", "unterminated string" },
		{ "\"a\tb\"", "control character" },
		{ "\"\\x\"", "not a JSON escape" },
		{ "\"\\u12g4\"", "four hex digits" },
		{ "\"\\ud83d\"", "without its low half" },
		{ "\"\\ude00\"", "lone low surrogate" },
		{ "\"\\u0000\"", "C strings" },
		{ "\"\xc0\x80\"", "invalid UTF-8" },		/* overlong NUL */
		{ "\"\xed\xa0\x80\"", "invalid UTF-8" },	/* a surrogate */
		{ "\"\xf4\x90\x80\x80\"", "invalid UTF-8" },	/* > U+10FFFF */
		{ "\"\xe2\x82\"", "invalid UTF-8" },		/* cut short */
		{ "{} {}", "text after the value" },
		{ "'a'", "not a JSON value" },
	};
	struct mlpt_jv v;
	const char *why;
	char *deep;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		bool refused = !parse_one(bad[i].text, &v, &why);

		tap_ok(refused && why && strstr(why, bad[i].why),
		       "parser refuses %zu (%s): %s", i, bad[i].why,
		       why ? why : "accepted");
	}
	/* MLPT_JV_DEPTH (64) levels of nesting parse, 65 do not */
	deep = nested(MLPT_JV_DEPTH);
	tap_ok(parse_one(deep, &v, &why), "parser: 64 nested arrays");
	mlpt_jv_free(&v);
	free(deep);
	deep = nested(MLPT_JV_DEPTH + 1);
	tap_ok(!parse_one(deep, &v, &why) && !strcmp(why, "nested too deep"),
	       "parser: 65 nested arrays refused");
	free(deep);
}

/*
 * The reports' JSON of tests/sample-4level.txt, as mlpt --json writes it,
 * and of the same process after it touched 16 pages one per 2 MiB in a
 * fresh 32 MiB region inside a 1 GiB window of its own (in a 512 GiB
 * window it already used): 16 more pte tables of 1 entry each, 1 more
 * pmd table holding those 16 entries, 1 more entry in a pud table it has.
 * Both as JSON Lines of --watch, with times.
 */
static int two_reports(struct buf *lines)
{
	struct mlpt_report r, grown;
	struct mlpt_err e;
	struct mlpt_view v;
	struct buf doc = { 0 };

	if (mlpt_load_file("sample-4level.txt", &r, &e))
		return -1;
	mlpt_view_init(&v, &r, NULL);
	mlpt_json_reports(&doc, &v, 1);
	mlpt_json_line(lines, &doc, "2026-12-04T00:00:00Z");
	buf_free(&doc);
	grown = r;
	grown.level[MLPT_PTE].tables += 16;
	grown.level[MLPT_PTE].present += 16;
	grown.level[MLPT_PMD].tables += 1;
	grown.level[MLPT_PMD].present += 16;
	grown.level[MLPT_PUD].present += 1;
	grown.kernel_pgtables_bytes += 17 * 4096;
	grown.resident_bytes += 16 * 4096;
	mlpt_view_init(&v, &grown, NULL);
	mlpt_json_reports(&doc, &v, 1);
	mlpt_json_line(lines, &doc, "2026-12-04T00:00:10Z");
	buf_free(&doc);
	mlpt_report_free(&r);
	return 0;
}

static bool change_is(const struct mlpt_change *c, u64 before, u64 after)
{
	if (c->known && c->before == before && c->after == after)
		return true;
	printf("#   known %d, before %llu, after %llu; want %llu -> %llu\n",
	       c->known, (unsigned long long)c->before,
	       (unsigned long long)c->after, (unsigned long long)before,
	       (unsigned long long)after);
	return false;
}

static void report_diff(void)
{
	struct mlpt_snap a, b;
	struct mlpt_diff d;
	struct mlpt_err e;
	struct buf lines = { 0 };
	const struct mlpt_dproc *p;

	if (two_reports(&lines) ||
	    mlpt_snap_text(lines.s, lines.len, "lines", false, &a, &e) ||
	    mlpt_snap_text(lines.s, lines.len, "lines", true, &b, &e)) {
		tap_ok(false, "the reports' JSON Lines read back");
		buf_free(&lines);
		return;
	}
	/*
	 * sample-4level.txt: pid 77, pgd 1 table (8192 bytes, 2 entries),
	 * pud 2 tables (2 entries), pmd 2 (37), pte 35 (1056), 4096 bytes
	 * each; the tree 8192 + 39 x 4096 = 167936, VmPTE 163840.
	 */
	tap_ok(a.n == 1 && a.proc[0].pid == 77 &&
	       !strcmp(a.proc[0].comm, "sparse worker") &&
	       !strcmp(a.time, "2026-12-04T00:00:00Z") &&
	       !strcmp(b.time, "2026-12-04T00:00:10Z") &&
	       a.proc[0].total[MLPT_ST_TREE].v == 167936 &&
	       a.proc[0].total[MLPT_ST_VMPTE].v == 163840 &&
	       a.proc[0].level[MLPT_PTE][MLPT_SQ_ENTRIES].v == 1056 &&
	       !a.proc[0].level[MLPT_P4D][MLPT_SQ_TABLES].known &&
	       !a.proc[0].has_maps,
	       "snapshot of a report: pid, comm, time, levels, totals; p4d folded, unknown");
	mlpt_diff_make(&a, &b, false, &d);
	p = d.n == 1 ? &d.proc[0] : NULL;
	/*
	 * pte 35 -> 51 tables (+16), 1056 -> 1072 entries, 143360 ->
	 * 208896 bytes (+16 x 4096 = 65536); pmd 2 -> 3 tables, 37 -> 53
	 * entries, 8192 -> 12288 bytes; pud 2 tables both times, 2 -> 3
	 * entries; the tree 167936 + 17 x 4096 = 237568.
	 */
	tap_ok(p && p->status == MLPT_D_BOTH &&
	       change_is(&p->level[MLPT_PTE][MLPT_SQ_TABLES], 35, 51) &&
	       change_is(&p->level[MLPT_PTE][MLPT_SQ_ENTRIES], 1056, 1072) &&
	       change_is(&p->level[MLPT_PTE][MLPT_SQ_BYTES], 143360, 208896) &&
	       change_is(&p->level[MLPT_PMD][MLPT_SQ_TABLES], 2, 3) &&
	       change_is(&p->level[MLPT_PMD][MLPT_SQ_ENTRIES], 37, 53) &&
	       change_is(&p->level[MLPT_PMD][MLPT_SQ_BYTES], 8192, 12288) &&
	       change_is(&p->level[MLPT_PUD][MLPT_SQ_TABLES], 2, 2) &&
	       change_is(&p->level[MLPT_PUD][MLPT_SQ_ENTRIES], 2, 3) &&
	       change_is(&p->total[MLPT_ST_TREE], 167936, 237568) &&
	       change_is(&p->total[MLPT_ST_VMPTE], 163840, 233472) &&
	       p->level_shown[MLPT_PGD] && !p->level_shown[MLPT_P4D] &&
	       !p->has_maps && !d.unchanged,
	       "diff of the first and last line: every level's change by hand");
	mlpt_diff_free(&d);
	/* growth: the pgd did not grow, so only pud, pmd and pte show */
	mlpt_diff_make(&a, &b, true, &d);
	p = d.n == 1 ? &d.proc[0] : NULL;
	tap_ok(p && !p->level_shown[MLPT_PGD] && p->level_shown[MLPT_PUD] &&
	       p->level_shown[MLPT_PMD] && p->level_shown[MLPT_PTE],
	       "growth: only the levels that grew");
	mlpt_diff_free(&d);
	mlpt_diff_make(&b, &b, false, &d);
	tap_ok(!d.n && d.unchanged == 1, "a snapshot against itself: nothing changed");
	mlpt_diff_free(&d);
	mlpt_snap_free(&a);
	mlpt_snap_free(&b);
	buf_free(&lines);
}

/*
 * mlpt run's JSON: one process twice, at its peak and at its exit; the
 * phase tells them apart, so a run against itself matches both.
 */
static void run_phases(void)
{
	struct mlpt_view v[2];
	struct mlpt_report r;
	struct mlpt_snap a;
	struct mlpt_diff d;
	struct mlpt_err e;
	struct buf doc = { 0 };

	if (mlpt_load_file("sample-4level.txt", &r, &e)) {
		tap_ok(false, "sample-4level.txt loads");
		return;
	}
	mlpt_view_init(&v[0], &r, "peak");
	mlpt_view_init(&v[1], &r, "exit");
	mlpt_json_reports(&doc, v, 2);
	if (mlpt_snap_text(doc.s, doc.len, "run", false, &a, &e)) {
		tap_ok(false, "mlpt run's JSON read back: %s", e.why);
	} else {
		mlpt_diff_make(&a, &a, false, &d);
		tap_ok(a.n == 2 && !strcmp(a.proc[0].phase, "peak") &&
		       !strcmp(a.proc[1].phase, "exit") && !d.n &&
		       d.unchanged == 2,
		       "mlpt run's JSON: peak and exit, each matched to itself");
		mlpt_diff_free(&d);
		mlpt_snap_free(&a);
	}
	buf_free(&doc);
	mlpt_report_free(&r);
}

static int snap_file(const char *path, struct mlpt_snap *s)
{
	struct mlpt_err e;
	int ret = mlpt_snap_file(path, false, s, &e);

	if (ret)
		printf("#   %s: %s\n", e.what, e.why);
	return ret;
}

static const struct mlpt_dmap *dmap(const struct mlpt_dproc *p, u64 start,
				    u64 end)
{
	size_t i;

	for (i = 0; i < p->nr_map; i++)
		if (p->map[i].m->start == start && p->map[i].m->end == end)
			return &p->map[i];
	return NULL;
}

static bool map_is(const struct mlpt_dmap *m, enum mlpt_dstatus st,
		   long long pud, long long pmd, long long pte, long long bytes)
{
	return m && m->status == st &&
	       mlpt_change_delta(&m->tables[MLPT_VCOL_PUD]) == pud &&
	       mlpt_change_delta(&m->tables[MLPT_VCOL_PMD]) == pmd &&
	       mlpt_change_delta(&m->tables[MLPT_VCOL_PTE]) == pte &&
	       mlpt_change_delta(&m->bytes) == bytes;
}

/*
 * diff-vmas-before.json and diff-vmas-after.json (mlpt --json vmas, 4 KiB
 * tables): the 32 MiB region at 0x100000000000 had no tables and got a
 * page in each of 16 of its 2 MiB windows: pud +1, pmd +1, pte +16, 18 x
 * 4096 = 73728 bytes.  The 2 MiB region at 0x200000000000 was split by an
 * mprotect of its upper half: the old range is gone (-1 of each, -12288
 * bytes), its lower half new with the tables (+1 each), the upper half
 * new with none.  /bin/w did not change.
 */
static void vmas_diff(void)
{
	const u64 grew = 0x100000000000ULL, split = 0x200000000000ULL;
	const struct mlpt_dproc *p;
	struct mlpt_snap a, b;
	struct mlpt_diff d;

	if (snap_file("diff-vmas-before.json", &a) ||
	    snap_file("diff-vmas-after.json", &b)) {
		tap_ok(false, "the vmas snapshots read");
		return;
	}
	tap_ok(a.n == 1 && a.proc[0].has_maps && a.proc[0].nr_map == 3 &&
	       b.proc[0].nr_map == 4 &&
	       a.proc[0].level[MLPT_PTE][MLPT_SQ_TABLES].v == 2 &&
	       !a.proc[0].level[MLPT_PTE][MLPT_SQ_ENTRIES].known &&
	       !a.proc[0].total[MLPT_ST_TREE].known,
	       "snapshot of vmas: the mappings, tables per level, no entries or totals");
	mlpt_diff_make(&a, &b, false, &d);
	p = d.n == 1 ? &d.proc[0] : NULL;
	tap_ok(p && p->nr_map == 4 &&
	       map_is(dmap(p, grew, grew + (32 << 20)), MLPT_D_BOTH, 1, 1, 16, 73728) &&
	       map_is(dmap(p, split, split + (2 << 20)), MLPT_D_GONE, -1, -1, -1, -12288) &&
	       map_is(dmap(p, split, split + (1 << 20)), MLPT_D_NEW, 1, 1, 1, 12288) &&
	       map_is(dmap(p, split + (1 << 20), split + (2 << 20)), MLPT_D_NEW, 0, 0, 0, 0) &&
	       change_is(&p->level[MLPT_PTE][MLPT_SQ_TABLES], 2, 18) &&
	       change_is(&p->level[MLPT_PMD][MLPT_SQ_TABLES], 2, 3) &&
	       !p->level[MLPT_PTE][MLPT_SQ_BYTES].known,
	       "diff of vmas: grown, split (gone + 2 new), unchanged left out");
	mlpt_diff_free(&d);
	/* growth: the gone range and the empty new half did not grow */
	mlpt_diff_make(&a, &b, true, &d);
	p = d.n == 1 ? &d.proc[0] : NULL;
	tap_ok(p && p->nr_map == 2 &&
	       map_is(dmap(p, grew, grew + (32 << 20)), MLPT_D_BOTH, 1, 1, 16, 73728) &&
	       map_is(dmap(p, split, split + (1 << 20)), MLPT_D_NEW, 1, 1, 1, 12288),
	       "growth of vmas: only the two mappings that grew");
	mlpt_diff_free(&d);
	mlpt_snap_free(&a);
	mlpt_snap_free(&b);
}

/*
 * The survey's JSON: pid 1 the same, pid 2 grown by 8192 bytes of tree,
 * pid 3 gone and pid 4 new; a process's comm changing under one pid
 * (pid 5, exec) is two processes, one gone and one new.
 */
static void survey_diff(void)
{
	struct mlpt_row ra[] = {
		{ .pid = 1, .comm = "init", .tree = 49152, .vmpte = 36864 },
		{ .pid = 2, .comm = "grow", .tree = 49152, .vmpte = 36864 },
		{ .pid = 3, .comm = "old", .tree = 4096 },
		{ .pid = 5, .comm = "sh", .tree = 4096 },
	}, rb[] = {
		{ .pid = 1, .comm = "init", .tree = 49152, .vmpte = 36864 },
		{ .pid = 2, .comm = "grow", .tree = 57344, .vmpte = 45056 },
		{ .pid = 4, .comm = "new", .tree = 8192 },
		{ .pid = 5, .comm = "make", .tree = 8192 },
	};
	struct mlpt_survey sa = { .row = ra, .n = 4 }, sb = { .row = rb, .n = 4 };
	struct buf ja = { 0 }, jb = { 0 };
	struct mlpt_snap a, b;
	struct mlpt_diff d;
	struct mlpt_err e;

	mlpt_json_survey(&ja, &sa);
	mlpt_json_survey(&jb, &sb);
	if (mlpt_snap_text(ja.s, ja.len, "a", false, &a, &e) ||
	    mlpt_snap_text(jb.s, jb.len, "b", false, &b, &e)) {
		tap_ok(false, "the survey's JSON read back: %s", e.why);
		return;
	}
	mlpt_diff_make(&a, &b, false, &d);
	/* by pid, the gone one before the new one of the same pid */
	tap_ok(d.n == 5 && d.unchanged == 1 &&
	       d.proc[0].p->pid == 2 && d.proc[0].status == MLPT_D_BOTH &&
	       change_is(&d.proc[0].total[MLPT_ST_TREE], 49152, 57344) &&
	       change_is(&d.proc[0].total[MLPT_ST_VMPTE], 36864, 45056) &&
	       d.proc[1].p->pid == 3 && d.proc[1].status == MLPT_D_GONE &&
	       change_is(&d.proc[1].total[MLPT_ST_TREE], 4096, 0) &&
	       d.proc[2].p->pid == 4 && d.proc[2].status == MLPT_D_NEW &&
	       change_is(&d.proc[2].total[MLPT_ST_TREE], 0, 8192) &&
	       d.proc[3].p->pid == 5 && d.proc[3].status == MLPT_D_GONE &&
	       d.proc[4].p->pid == 5 && d.proc[4].status == MLPT_D_NEW &&
	       !strcmp(d.proc[4].p->comm, "make") &&
	       !d.proc[0].level_shown[MLPT_PTE],
	       "diff of surveys: changed, gone, new, pid reuse, 1 unchanged");
	mlpt_diff_free(&d);
	mlpt_snap_free(&a);
	mlpt_snap_free(&b);
	buf_free(&ja);
	buf_free(&jb);
}

/* documents that are JSON but not what diff reads: exit 6, and why */
static void snapshot_refused(void)
{
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
		{ "[]", "document 1: not an object" },
		{ "{\"designs\": []}", "the output of mlpt simulate" },
		{ "{\"objects\": []}", "the output of mlpt shared" },
		{ "{\"x\": 1}", "not a report, survey or vmas output" },
		{ "{\"format\": 2, \"processes\": []}", "\"format\" is not 1" },
		{ "{\"format\": 1, \"processes\": [{\"pid\": 1, \"comm\": \"a\"}]}",
		  "processes[0]: \"kernel_pgtables_bytes\" is not there" },
		{ "{\"processes\": [{\"pid\": 0, \"comm\": \"a\"}], \"total\": {}}",
		  "\"pid\" is not a process id" },
		{ "{\"pid\": 1, \"comm\": \"a\", \"vmas\": [{\"start\": \"12\"}]}",
		  "vmas[0]: \"start\" is not there as an address" },
		{ "{\"pid\": 1, \"comm\": \"a\", \"vmas\": []}",
		  "\"total\" is not there as an object" },
		{ "{}\n{\"x\": 1}\n", "document 2: not a report" },
		{ "{}\n{", "line 2, column 2" },
		{ "\n \t", "no JSON document" },
	};
	struct mlpt_snap s;
	struct mlpt_err e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = mlpt_snap_text(bad[i].text, strlen(bad[i].text),
					 "f", true, &s, &e);

		tap_ok(ret == MLPT_EXIT_FORMAT && strstr(e.why, bad[i].why),
		       "snapshot refuses %zu: \"%s\"", i, bad[i].why);
		if (!ret)
			mlpt_snap_free(&s);
		else if (!strstr(e.why, bad[i].why))
			printf("#   said: %s\n", e.why);
	}
}

/* each format of the vmas diff through a parser that is not the tool's */
static void outputs(void)
{
	static const enum mlpt_fmt fmts[] = { MLPT_FMT_JSON, MLPT_FMT_CSV,
					      MLPT_FMT_PROM };
	struct mlpt_snap a, b;
	struct mlpt_diff d;
	size_t i;

	if (snap_file("diff-vmas-before.json", &a) ||
	    snap_file("diff-vmas-after.json", &b))
		return;
	mlpt_diff_make(&a, &b, false, &d);
	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		struct mlpt_out o = { .fmt = fmts[i] };
		struct buf out = { 0 };
		const char *err;

		mlpt_diff_out(&out, &o, &d);
		err = parsed_elsewhere(fmts[i], out.s, out.len);
		tap_ok(!err, "diff output accepted: %s%s%s", fmt_name[fmts[i]],
		       err ? ": " : "", err ? err : "");
		buf_free(&out);
	}
	mlpt_diff_free(&d);
	mlpt_snap_free(&a);
	mlpt_snap_free(&b);
}

/* ../mlpt @args under valgrind: exit status, stdout and stderr */
static int run(const char *args, char **out, char **err)
{
	char cmd[512];
	size_t len;
	int st;

	snprintf(cmd, sizeof(cmd),
		 "valgrind -q --error-exitcode=99 --leak-check=full ../mlpt %s >diff.out 2>diff.err </dev/null",
		 args);
	st = system(cmd);
	*out = slurp("diff.out", &len);
	*err = slurp("diff.err", &len);
	unlink("diff.out");
	unlink("diff.err");
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void command(void)
{
	static const struct {
		const char *args;
		int code;
		const char *err;
	} bad[] = {
		{ "diff", 2, "mlpt: diff: usage: mlpt diff BEFORE.json AFTER.json" },
		{ "diff a b c", 2, "usage" },
		{ "diff /nonexistent diff-vmas-after.json", 1,
		  "mlpt: /nonexistent: No such file or directory" },
		{ "diff sample-4level.txt diff-vmas-after.json", 6,
		  "mlpt: sample-4level.txt: not JSON: line 1, column 1" },
		{ "--watch 1 diff a b", 2, "--watch: does not apply to mlpt diff" },
		{ "--growth 1", 2, "--growth: needs --watch SECONDS" },
		{ "--growth --watch 1", 2,
		  "--growth: does not apply to the survey (--all)" },
		{ "--growth --watch 1 --explain 1", 2,
		  "--explain: does not apply to --growth" },
		{ "--growth --watch 1 --source pagemap 1", 2,
		  "--growth needs the module" },
	};
	/* the range split: gone, its pud table -1 */
	static const char gone[] = "\"status\": \"gone\", \"pud\": ";
	static const char minus_one[] =
		"{\"before\": 1, \"after\": 0, \"change\": -1}";
	char *out, *err;
	size_t i;
	int st;

	st = run("--json diff diff-vmas-before.json diff-vmas-after.json",
		 &out, &err);
	tap_ok(st == 0 && out && err && !*err && !json_check(out, strlen(out)) &&
	       strstr(out, gone) && strstr(out, minus_one),
	       "mlpt --json diff BEFORE AFTER under valgrind: exit 0, the split shown");
	free(out);
	free(err);
	st = run("diff diff-vmas-after.json diff-vmas-after.json", &out, &err);
	tap_ok(st == 0 && out && !strcmp(out, "nothing changed\n1 process unchanged\n"),
	       "mlpt diff of a file against itself: nothing changed");
	free(out);
	free(err);
	/* without the module --growth says so at its first refresh */
	if (access("/proc/mlpt/version", F_OK)) {
		st = run("--watch 1 --growth 1", &out, &err);
		tap_ok(st == 5 && out && !*out && err &&
		       strstr(err, "mlpt: /proc/mlpt: module not loaded"),
		       "mlpt --watch 1 --growth 1 without the module, under valgrind: exit 5");
		free(out);
		free(err);
	} else {
		tap_skip("the module is loaded here: the guest tests run --growth with it",
			 "--growth without the module: exit 5");
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = run(bad[i].args, &out, &err);
		tap_ok(st == bad[i].code && out && !*out && err &&
		       strstr(err, bad[i].err) &&
		       strchr(err, '\n') == err + strlen(err) - 1,
		       "mlpt %s: exit %d, \"%s\"", bad[i].args, bad[i].code,
		       bad[i].err);
		if (st != bad[i].code || !err || !strstr(err, bad[i].err))
			printf("#   exit %d: %s", st, err ? err : "");
		free(out);
		free(err);
	}
}

void test_diff(void)
{
	parser_valid();
	parser_malformed();
	report_diff();
	run_phases();
	vmas_diff();
	survey_diff();
	snapshot_refused();
	outputs();
	command();
}
