// SPDX-License-Identifier: GPL-2.0
/*
 * Every output format, checked by a parser: JSON by json_check() and by
 * python3 -m json.tool, Prometheus by prom_check() and by promtool where
 * installed, CSV by counting fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/parse.h"
#include "views/output.h"
#include "tap.h"

#define VMA(start, end) { start, end, false }

/* a comm that needs escaping in every format */
#define NASTY "a\"b\\c,d\n\xe9"

static const struct mlpt_vma vmas[] = {
	VMA(0x555555554000, 0x555555556000),
	{ 0x555555556000, 0x555555577000, true },
	VMA(0x7ffff7dd0000, 0x7ffff7ff0000),
	VMA(0x7ffffffde000, 0x7ffffffff000),
};

static bool have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return !system(cmd);
}

static void external(const char *tool, const char *cmd, const struct buf *b,
		     const char *name)
{
	if (!have(tool)) {
		tap_skip("not installed", "%s accepts %s", tool, name);
		return;
	}
	tap_ok(pipe_to(cmd, b->s, b->len) == 0, "%s accepts %s", tool, name);
}

static void json(const struct buf *b, const char *name)
{
	const char *err = json_check(b->s, b->len);

	tap_ok(!err, "strict JSON check: %s%s%s", name, err ? ": " : "",
	       err ? err : "");
	external("python3", "python3 -m json.tool >/dev/null", b, name);
}

static void prom(const struct buf *b, const char *name)
{
	const char *err = prom_check(b->s, b->len);

	tap_ok(!err, "strict Prometheus check: %s%s%s", name, err ? ": " : "",
	       err ? err : "");
	external("promtool", "promtool check metrics >/dev/null 2>&1", b, name);
}

/* fields of one CSV record starting at *s; moves *s past it */
static int csv_record(const char **s)
{
	bool quoted = false;
	int fields = 1;

	for (; **s; (*s)++) {
		if (**s == '"')
			quoted = !quoted;
		else if (**s == ',' && !quoted)
			fields++;
		else if (**s == '\n' && !quoted)
			break;
	}
	if (**s)
		(*s)++;
	return quoted ? -1 : fields;
}

static void csv(const struct buf *b, const char *name)
{
	const char *s = b->s;
	int want = csv_record(&s), rows = 0, bad = 0;

	while (*s) {
		rows++;
		bad += csv_record(&s) != want;
	}
	tap_ok(want > 5 && rows > 0 && !bad,
	       "CSV: %d rows of %d fields: %s", rows, want, name);
}

/* all of the NULL-terminated @want appear in @b */
static bool has_all(const struct buf *b, const char *const *want)
{
	for (; *want; want++)
		if (!strstr(b->s, *want))
			return false;
	return true;
}

static void checkers_refuse(void)
{
	static const char *const bad_json[] = {
		"{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "\"\x01\"", "01",
		"[1] x", "\"\\x\"", "{'a': 1}", "\"\xe9\"", "1.",
	};
	static const char *const bad_prom[] = {
		"mlpt_x 1\n",
		"# HELP mlpt_x h\n# TYPE mlpt_x gauge\nmlpt_x{a=\"1\"} 1\nmlpt_x{a=\"1\"} 2\n",
		"# HELP mlpt_x h\n# TYPE mlpt_x gauge\nmlpt_x{a=\"\\q\"} 1\n",
		"# HELP mlpt_x h\n# TYPE mlpt_x gauge\nmlpt_x one\n",
		"# HELP x h\n# TYPE x gauge\nx 1\n",
		"# HELP mlpt_x h\n# TYPE mlpt_x gauge\nmlpt_x 1",
		"# HELP mlpt_x h\n# TYPE mlpt_x gauge\n# HELP mlpt_y h\n# TYPE mlpt_y gauge\n# HELP mlpt_x h\n",
	};
	const char *good = "{\"a\": [1, -2.5e3, true, null, \"\\u00e9\"]}";
	unsigned int i, missed = 0;

	for (i = 0; i < ARRAY_SIZE(bad_json); i++)
		missed += !json_check(bad_json[i], strlen(bad_json[i]));
	tap_ok(!missed && !json_check(good, strlen(good)),
	       "the JSON checker refuses %zu bad texts, takes a good one",
	       ARRAY_SIZE(bad_json));
	for (missed = 0, i = 0; i < ARRAY_SIZE(bad_prom); i++)
		missed += !prom_check(bad_prom[i], strlen(bad_prom[i]));
	tap_ok(!missed, "the Prometheus checker refuses %zu bad texts",
	       ARRAY_SIZE(bad_prom));
}

static int load(const char *path, struct mlpt_report *r)
{
	size_t len;
	char *s = slurp(path, &len);
	struct mlpt_err e;
	int ret = s ? mlpt_parse(s, len, path, r, &e) : -1;

	free(s);
	return ret;
}

static const char *const json_want[] = {
	"\"model\": \"tree\", \"label\": \"actual multi-level tree (all levels)\", \"bytes\": 77824, \"ratio\": 1.000}",
	"\"bytes\": null, \"ratio\": null",
	"\"phase\": \"peak\"",
	NULL
};

static const char *const prom_want[] = {
	"mlpt_level_tables{pid=\"4242\",comm=\"demo\",source=\"module\",phase=\"peak\",level=\"pte\"} 9\n",
	"mlpt_model_bytes{pid=\"4242\",comm=\"demo\",source=\"module\",phase=\"peak\",model=\"linear\"} 281474976710656\n",
	"comm=\"a\\\"b\\\\c,d\\n?\"",
	NULL
};

static const char *const csv_want[] = {
	"4242,demo,peak,module,model,tree,,,,,,,,77824,1.000,\n",
	"\"a\"\"b\\c,d\n\xe9\"",
	NULL
};

/* 2^48 / 77824 = 3616814565.05 */
static const char *const text_want[] = {
	"actual multi-level tree (all levels)               77824    76 KiB       x 1.00\n",
	"linear table, whole address space        281474976710656   256 TiB x 3616814565\n",
	NULL
};

/* the longest line of @s, shown as a TAP comment */
static size_t widest_line(const char *s)
{
	const char *widest = "";
	size_t n, max = 0;

	for (; s && *s; s += n + (s[n] == '\n')) {
		n = strcspn(s, "\n");
		if (n > max) {
			max = n;
			widest = s;
		}
	}
	printf("# widest: %.*s\n", (int)max, widest);
	return max;
}

static void out_reports(void)
{
	struct mlpt_out text = { MLPT_FMT_TEXT, false };
	struct mlpt_out fmt = { MLPT_FMT_JSON, false };
	struct mlpt_report r[2];
	struct mlpt_view v[2];
	struct buf b = { 0 };

	if (load("sample-5level.txt", &r[0]) || load("sample-4level.txt", &r[1])) {
		tap_ok(false, "load fixtures for the output tests");
		return;
	}
	snprintf(r[1].comm, sizeof(r[1].comm), "%s", NASTY);
	r[0].vma = (struct mlpt_vma *)vmas;
	r[0].nr_vma = ARRAY_SIZE(vmas);
	mlpt_view_init(&v[0], &r[0], "peak");
	mlpt_view_init(&v[1], &r[1], "exit");

	mlpt_out_reports(&b, &fmt, v, 2);
	json(&b, "two reports, one with VMAs, a comm to escape");
	tap_ok(has_all(&b, json_want),
	       "JSON: tree 77824 with ratio 1, n/a as null, phase");
	buf_free(&b);

	fmt.fmt = MLPT_FMT_PROM;
	mlpt_out_reports(&b, &fmt, v, 2);
	prom(&b, "two reports");
	tap_ok(has_all(&b, prom_want),
	       "Prometheus: level and model samples, escaped comm");
	buf_free(&b);

	fmt.fmt = MLPT_FMT_CSV;
	mlpt_out_reports(&b, &fmt, v, 2);
	csv(&b, "two reports");
	tap_ok(has_all(&b, csv_want), "CSV: tree row and a quoted comm");
	buf_free(&b);

	mlpt_out_reports(&b, &text, v, 1);
	tap_ok(has_all(&b, text_want),
	       "text: comparison lines with bytes, units and ratio");
	tap_eq(widest_line(b.s), 79, "text: a 57-bit report fits 79 columns");
	buf_free(&b);
}

/*
 * sample-arm64.txt (64 of its 816 pte leaves contiguous) beside
 * sample-5level.txt (x86-64: no contiguous-ptes key): the count in every
 * format for the first, and for the second null in JSON and nothing in
 * the others.
 */
static const char *const contiguous_json_want[] = {
	"\"walk_ns\": 51234,\n     \"contiguous_ptes\": 64,\n",
	"\"walk_ns\": 48211,\n     \"contiguous_ptes\": null,\n",
	NULL
};

static const char *const contiguous_prom_want[] = {
	"# TYPE mlpt_contiguous_pte_entries gauge\n"
	"mlpt_contiguous_pte_entries{pid=\"4343\",comm=\"demo\",source=\"module\"} 64\n# HELP",
	NULL
};

static const char *const contiguous_csv_want[] = {
	"4343,demo,,module,level,pte,9,4096,816,0,816,0,0,36864,,\n"
	"4343,demo,,module,contiguous,pte,,,,,64,,,,,\n",
	NULL
};

static const char *const contiguous_text_want[] = {
	"pte          9      816        0      816          0      0     36 KiB  17.7%\n"
	"contiguous: 64 of the 816 pte leaves are in contiguous ranges (the\n"
	"TLB may cache each range of entries as one)\n\n",
	NULL
};

static void out_contiguous(void)
{
	struct mlpt_out fmt = { MLPT_FMT_JSON, false };
	struct mlpt_report r[2];
	struct mlpt_view v[2];
	struct buf b = { 0 };

	if (load("sample-arm64.txt", &r[0]) || load("sample-5level.txt", &r[1])) {
		tap_ok(false, "load fixtures for the contiguous-ptes outputs");
		return;
	}
	mlpt_view_init(&v[0], &r[0], NULL);
	mlpt_view_init(&v[1], &r[1], NULL);

	mlpt_out_reports(&b, &fmt, v, 2);
	json(&b, "arm64 and x86-64 reports");
	tap_ok(has_all(&b, contiguous_json_want),
	       "JSON: contiguous_ptes 64 on arm64, null on x86-64");
	buf_free(&b);

	fmt.fmt = MLPT_FMT_PROM;
	mlpt_out_reports(&b, &fmt, v, 2);
	prom(&b, "arm64 and x86-64 reports");
	tap_ok(has_all(&b, contiguous_prom_want) &&
	       !strstr(b.s, "mlpt_contiguous_pte_entries{pid=\"4242\""),
	       "Prometheus: mlpt_contiguous_pte_entries 64 for arm64 alone");
	buf_free(&b);
	mlpt_out_reports(&b, &fmt, &v[1], 1);
	tap_ok(!strstr(b.s, "mlpt_contiguous_pte_entries"),
	       "Prometheus: no contiguous family without a sample");
	buf_free(&b);

	fmt.fmt = MLPT_FMT_CSV;
	mlpt_out_reports(&b, &fmt, v, 2);
	csv(&b, "arm64 and x86-64 reports");
	tap_ok(has_all(&b, contiguous_csv_want) &&
	       !strstr(b.s, "4242,demo,,module,contiguous"),
	       "CSV: a contiguous row after the pte row, for arm64 alone");
	buf_free(&b);

	fmt.fmt = MLPT_FMT_TEXT;
	mlpt_out_reports(&b, &fmt, v, 1);
	tap_ok(has_all(&b, contiguous_text_want),
	       "text: the contiguous line under the level table");
	tap_ok(widest_line(b.s) <= 79, "text: an arm64 report fits 79 columns");
	buf_free(&b);
	mlpt_out_reports(&b, &fmt, &v[1], 1);
	tap_ok(!strstr(b.s, "contiguous"), "text: no contiguous line on x86-64");
	buf_free(&b);
}

/* 40960 + 81920 + 409600 = 532480; 3 x 256 GiB = 824633720832;
 * 824633720832 / 532480 = 1548666.08
 */
static const char *const total_want[] = {
	"3 processes: page tables 532480; linear tables would need 824633720832 (1548666 times more)\n",
	"skipped: 100 kernel threads (no address space), 2 permission denied",
	NULL
};

static const char *const over_share_want[] = {
	" 4294971392! ",
	"! 1 process could need page tables above 25% of RAM (17179869184) with every mapped page touched: 20 (big)\n",
	NULL
};

static const char *const ceiling_json_want[] = {
	"\"ceiling_bytes\": 4294971392, \"ceiling_over_ram_share\": true",
	"\"ceiling_bytes\": 4294967296, \"ceiling_over_ram_share\": false",
	"\"ram_bytes\": 17179869184, \"ram_share_percent\": 25, \"over_ram_share\": 1",
	NULL
};

static const char *const skipped_want[] = {
	"\"skipped\": {\"kernel_thread\": 100, \"permission_denied\": 2, \"exited\": 1, \"zombie\": 0}",
	NULL
};

/*
 * Where the last @k words of the line at @s end (columns, counted from
 * the line's start), into @end; the number of words found.
 */
static int word_ends(const char *s, int k, size_t *end)
{
	size_t n = strcspn(s, "\n"), i;
	int found = 0;

	for (i = n; i > 0 && found < k; i--) {
		if (s[i - 1] != ' ' && (i == n || s[i] == ' '))
			end[k - 1 - found++] = i;
	}
	return found;
}

/*
 * The survey's six figure columns (VMAS to RATIO) end where their
 * headings end on every row that starts with @pid, whatever the widths:
 * with --bytes a 256 GiB linear table is 12 digits, more than the
 * 10 that LIN-USER had.
 */
static bool figures_aligned(const char *table, const char *pid)
{
	size_t head[6], row[6];
	const char *line = strstr(table, "PID");

	while (line && line > table && line[-1] != '\n')
		line--;		/* to the heading line's start */
	if (!line || word_ends(line, 6, head) != 6)
		return false;
	while ((line = strchr(line, '\n')) && *++line) {
		if (strncmp(line + strspn(line, " "), pid, strlen(pid)))
			continue;
		return word_ends(line, 6, row) == 6 &&
		       !memcmp(head, row, sizeof(head));
	}
	return false;
}

static void out_survey(void)
{
	/* ceilings: 1 MiB; 4 GiB exactly; a page over 4 GiB */
	struct mlpt_row rows[3] = {
		{ 30, "root", "init", 10, 4096, 40960, 32768, 256ull << 30,
		  1 << 20, false, NULL },
		{ 10, "joe", NASTY, 20, 8192, 81920, 65536, 256ull << 30,
		  4ull << 30, false, NULL },
		{ 20, "joe", "big", 30, 1 << 20, 409600, 393216, 256ull << 30,
		  (4ull << 30) + 4096, false, NULL },
	};
	struct mlpt_survey s = { MLPT_SRC_MODULE, rows, 3, { 100, 2, 1 },
				 0, 0, 0, NULL, 0 };
	struct mlpt_out o = { MLPT_FMT_TEXT, true };
	struct mlpt_total t;
	struct buf b = { 0 };

	tap_ok(!mlpt_survey_sort(&s, "tree") && rows[0].pid == 20 &&
	       rows[2].pid == 30, "survey: --sort tree, largest first");
	tap_ok(!mlpt_survey_sort(&s, "pid") && rows[0].pid == 10 &&
	       mlpt_survey_sort(&s, "nope"), "survey: --sort pid; bad key");
	/* 25% of 16 GiB is 4 GiB: only a ceiling above it is flagged */
	mlpt_survey_flag(&s, 16ull << 30, 25);
	/* the rows are in pid order: 10 (4 GiB), 20 (4 GiB + 4 KiB), 30 */
	tap_ok(s.over_share == 1 && !rows[0].over_share &&
	       rows[1].over_share && !rows[2].over_share,
	       "survey: --ram-share 25 of 16 GiB flags a ceiling above 4 GiB only");
	mlpt_survey_flag(&s, 0, 25);
	tap_eq(s.over_share, 0, "survey: RAM unknown flags nothing");
	mlpt_survey_flag(&s, 16ull << 30, 25);
	tap_ok(!mlpt_survey_sort(&s, "ceiling") && rows[0].pid == 20 &&
	       rows[2].pid == 30, "survey: --sort ceiling, largest first");
	mlpt_survey_sort(&s, "pid");
	mlpt_survey_total(&s, &t);
	tap_eq(t.ceiling, (8ull << 30) + 4096 + (1 << 20),
	       "survey total: ceiling is the sum of the rows");
	tap_eq(t.tree, 532480, "survey total: tree is the sum of the rows");
	tap_eq(t.linear_user, 824633720832ull,
	       "survey total: 3 x 256 GiB linear");
	mlpt_out_survey(&b, &o, &s);
	tap_ok(has_all(&b, total_want),
	       "survey text: total line and skipped reasons");
	tap_ok(has_all(&b, over_share_want),
	       "survey text: the flagged ceiling and the line naming it");
	tap_ok(figures_aligned(b.s, "30 ") && figures_aligned(b.s, "20 "),
	       "survey text --bytes: 12-digit figures stay under their headings");
	buf_free(&b);
	o.fmt = MLPT_FMT_JSON;
	mlpt_out_survey(&b, &o, &s);
	json(&b, "survey");
	tap_ok(has_all(&b, skipped_want), "survey JSON: skipped counts");
	tap_ok(has_all(&b, ceiling_json_want),
	       "survey JSON: ceilings, the flag, RAM and the share");
	buf_free(&b);
	o.fmt = MLPT_FMT_PROM;
	mlpt_out_survey(&b, &o, &s);
	prom(&b, "survey");
	buf_free(&b);
	o.fmt = MLPT_FMT_CSV;
	mlpt_out_survey(&b, &o, &s);
	csv(&b, "survey");
	buf_free(&b);
	mlpt_survey_top(&s, 2);
	tap_eq(s.n, 2, "survey: --top 2 keeps two rows");
}

static const char *const cgroup_want[] = {
	"\n/a         2       8192       8192       4096       24576\n",
	"\n/b         1      40960      36864        n/a       40960\n",
	NULL
};

static const char *const cgroup_json_want[] = {
	"\"cgroups\": [\n    {\"cgroup\": \"/a\", \"processes\": 2, \"tree_bytes\": 8192, \"vmpte_bytes\": 8192, \"ceiling_bytes\": 24576, \"charged_pagetables_bytes\": 4096}",
	"\"charged_pagetables_bytes\": null}",
	NULL
};

/*
 * --by cgroup: rows of two cgroups, interleaved, become two groups in path
 * order whose figures are the sums of their rows; a cgroup whose
 * memory.stat was not read says so (n/a, null, an empty CSV field, no
 * sample).
 */
static void out_survey_cgroups(void)
{
	static const char charged_a[] =
		"mlpt_cgroup_charged_pagetables_bytes{cgroup=\"/a\",source=\"module\"} 4096\n";
	static const char charged_b[] =
		"mlpt_cgroup_charged_pagetables_bytes{cgroup=\"/b\"";
	static const struct { int pid; const char *cg; u64 tree, vmpte, ceil; }
	in[3] = {
		{ 7, "/b", 40960, 36864, 40960 },
		{ 3, "/a", 4096, 4096, 8192 },
		{ 5, "/a", 4096, 4096, 16384 },
	};
	struct mlpt_survey s = { 0 };
	struct mlpt_out o = { MLPT_FMT_TEXT, true };
	struct buf b = { 0 };
	size_t i;

	s.row = calloc(3, sizeof(*s.row));
	for (i = 0; s.row && i < 3; i++) {
		s.row[i].pid = in[i].pid;
		s.row[i].tree = in[i].tree;
		s.row[i].vmpte = in[i].vmpte;
		s.row[i].ceiling = in[i].ceil;
		s.row[i].cgroup = strdup(in[i].cg);
	}
	s.n = 3;
	tap_ok(!mlpt_survey_group(&s) && s.ngroups == 2 &&
	       !strcmp(s.group[0].cgroup, "/a") && s.group[0].procs == 2 &&
	       !strcmp(s.group[1].cgroup, "/b") && s.group[1].procs == 1,
	       "survey --by cgroup: two groups, in path order");
	s.group[0].charged_known = true;
	s.group[0].charged = 4096;
	mlpt_out_survey(&b, &o, &s);
	tap_ok(has_all(&b, cgroup_want), "survey --by cgroup text: sums, n/a");
	buf_free(&b);
	o.fmt = MLPT_FMT_JSON;
	mlpt_out_survey(&b, &o, &s);
	json(&b, "survey --by cgroup");
	tap_ok(has_all(&b, cgroup_json_want),
	       "survey --by cgroup JSON: the groups, null where unknown");
	buf_free(&b);
	o.fmt = MLPT_FMT_CSV;
	mlpt_out_survey(&b, &o, &s);
	csv(&b, "survey --by cgroup");
	tap_ok(strstr(b.s, "\n/a,2,8192,8192,4096,24576,module\n") &&
	       strstr(b.s, "\n/b,1,40960,36864,,40960,module\n"),
	       "survey --by cgroup CSV: a row per cgroup, empty where unknown");
	buf_free(&b);
	o.fmt = MLPT_FMT_PROM;
	mlpt_out_survey(&b, &o, &s);
	prom(&b, "survey --by cgroup");
	tap_ok(strstr(b.s, charged_a) && !strstr(b.s, charged_b) &&
	       strstr(b.s, ",cgroup=\"/b\"} 40960\n"),
	       "survey --by cgroup Prometheus: cgroup labels, no unknown charge");
	buf_free(&b);
	mlpt_survey_free(&s);
}

void test_output(void)
{
	checkers_refuse();
	out_reports();
	out_contiguous();
	out_survey();
	out_survey_cgroups();
}
