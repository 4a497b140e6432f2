// SPDX-License-Identifier: GPL-2.0
/*
 * Lab mode: every simulated design against figures worked out by hand,
 * the translate and vmas parsers against fixtures, the figure and
 * pictures the tool draws from them, and mlpt lab without the module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/geom.h"
#include "sources/parse.h"
#include "sources/translate.h"
#include "sources/vmas.h"
#include "views/figure.h"
#include "views/simout.h"
#include "views/svg.h"
#include "views/vmasout.h"
#include "tap.h"

#define KIB 1024ULL
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)

static const struct mlpt_design *design(const char *key)
{
	size_t i;

	for (i = 0; i < MLPT_NR_DESIGNS; i++)
		if (!strcmp(mlpt_designs[i].key, key))
			return &mlpt_designs[i];
	return NULL;
}

static u64 sim(const char *key, const struct mlpt_pages *p)
{
	const struct mlpt_design *d = design(key);
	struct mlpt_sim s;

	if (!d)
		return U64_MAX;
	mlpt_simulate(d, p, &s);
	return s.why ? U64_MAX : s.bytes;
}

static void one_page(void)
{
	u64 addr[] = { 0x1000 };
	struct mlpt_pages p = { .addr = addr, .n = 1 };

	/* one page: one table per level */
	/* 32-bit 2-level: directory + 1 leaf table, 1024 x 4 B each */
	tap_eq(sim("x86_32", &p), 2 * 4096, "x86 32-bit, 1 page: 2 x 4 KiB");
	/* PAE: 4-entry PDPT (4 x 8 = 32 B) + directory + leaf (4 KiB each) */
	tap_eq(sim("x86_pae", &p), 32 + 2 * 4096, "x86 PAE, 1 page: 32 B + 2 x 4 KiB");
	tap_eq(sim("x86_64_4", &p), 4 * 4096, "x86-64 4-level, 1 page: 4 x 4 KiB");
	tap_eq(sim("x86_64_5", &p), 5 * 4096, "x86-64 5-level, 1 page: 5 x 4 KiB");
	tap_eq(sim("arm64_4k", &p), 4 * 4096, "arm64 4 KiB, 1 page: 4 x 4 KiB");
	/* 52 bits = 4 + 9 x 4 + 12: a 16-entry top table, 16 x 8 = 128 B */
	tap_eq(sim("arm64_4k_52", &p), 128 + 4 * 4096,
	       "arm64 4 KiB 52-bit, 1 page: 128 B + 4 x 4 KiB");
	/* 16 KiB granule, 48 bits = 1 + 11 + 11 + 11 + 14: top 2 x 8 = 16 B */
	tap_eq(sim("arm64_16k", &p), 16 + 3 * 16384,
	       "arm64 16 KiB, 1 page: 16 B + 3 x 16 KiB");
	/* 16 KiB granule, 47 bits = 11 x 3 + 14: three 2048-entry tables */
	tap_eq(sim("arm64_16k_47", &p), 3 * 16384,
	       "arm64 16 KiB 47-bit, 1 page: 3 x 16 KiB");
	/* 52 bits = 5 + 11 x 3 + 14: top 32 x 8 = 256 B */
	tap_eq(sim("arm64_16k_52", &p), 256 + 3 * 16384,
	       "arm64 16 KiB 52-bit, 1 page: 256 B + 3 x 16 KiB");
	/* 64 KiB granule, 48 bits = 6 + 13 + 13 + 16: top 64 x 8 = 512 B */
	tap_eq(sim("arm64_64k", &p), 512 + 2 * 65536,
	       "arm64 64 KiB, 1 page: 512 B + 2 x 64 KiB (3 levels)");
	tap_eq(sim("sv39", &p), 3 * 4096, "Sv39, 1 page: 3 x 4 KiB");
	tap_eq(sim("sv48", &p), 4 * 4096, "Sv48, 1 page: 4 x 4 KiB");
	tap_eq(sim("sv57", &p), 5 * 4096, "Sv57, 1 page: 5 x 4 KiB");
	/* 2^32 / 2^12 = 2^20 entries x 4 B; 2^48 / 2^12 = 2^36 x 8 B */
	tap_eq(sim("linear_32", &p), 4 * MIB, "linear 32-bit: 4 MiB");
	tap_eq(sim("linear_48", &p), 512 * GIB, "linear 48-bit: 512 GiB");
	tap_eq(sim("segmented", &p), U64_MAX, "segmentation without VMAs: n/a");
	tap_eq(sim("inverted", &p), U64_MAX, "inverted without MemTotal: n/a");
}

static void spread(void)
{
	/* 4 MiB apart: two 32-bit windows */
	u64 two[] = { 0, 4 * MIB };
	/* CS332: four 2 MiB regions, each in its own 4 MiB window */
	u64 four[] = { 0, 4 * MIB, 8 * MIB, 12 * MIB };
	/* 64 KiB granule: a leaf table maps 2^(16 + 13) = 512 MiB */
	u64 big[] = { 0, 512 * MIB };
	u64 high[] = { 1ULL << 39 };
	u64 top52[] = { (1ULL << 52) - 4096 };
	struct mlpt_vma vma[] = { { 0x1000, 0x3000, false },
				  { 0x10000, 0x20000, false } };
	struct mlpt_pages p = { .addr = two, .n = 2 };
	struct mlpt_sim s;

	/* 2 leaf tables + 1 directory = 3 x 4 KiB */
	tap_eq(sim("x86_32", &p), 3 * 4096,
	       "x86 32-bit, pages 4 MiB apart: 2 leaf tables + 1 directory");
	p.addr = four;
	p.n = 4;
	/* 4 leaf tables + 1 directory = 5 x 4 KiB = 20 KiB */
	tap_eq(sim("x86_32", &p), 20 * KIB,
	       "CS332, 32-bit: 4 leaf tables + 1 directory = 20 KiB");
	/* x86-64: all in one 1 GiB: pgd, pud, pmd + 4 pte tables */
	tap_eq(sim("x86_64_4", &p), 7 * 4096,
	       "CS332, x86-64: 1 + 1 + 1 + 4 tables = 28 KiB");
	p.addr = big;
	p.n = 2;
	/* 512 B top + 1 level-2 table + 2 leaf tables of 64 KiB */
	tap_eq(sim("arm64_64k", &p), 512 + 3 * 65536,
	       "arm64 64 KiB, 512 MiB apart: 512 B + 3 x 64 KiB");
	p.addr = high;
	p.n = 1;
	mlpt_simulate(design("sv39"), &p, &s);
	tap_ok(s.why && s.need_bits == 40,
	       "Sv39, an address at 2^39: n/a, needs 40-bit VA");
	tap_eq(sim("x86_32", &p), U64_MAX, "x86 32-bit, 2^39: n/a");
	tap_eq(sim("sv48", &p), 4 * 4096, "Sv48, 2^39: fits");
	p.addr = top52;
	/* 2^52 - 4 KiB: the top table's last entry, still one table a level */
	tap_eq(sim("arm64_4k_52", &p), 128 + 4 * 4096,
	       "arm64 4 KiB 52-bit, page at 2^52 - 4 KiB: fits, 128 B + 4 x 4 KiB");
	tap_eq(sim("arm64_4k", &p), U64_MAX, "arm64 4 KiB 48-bit, 2^52 - 4 KiB: n/a");
	p.vma = vma;
	p.nr_vma = 2;
	p.mem_total = GIB;
	/* 2 + 16 pages x 8 B = 144 B */
	tap_eq(sim("segmented", &p), 144,
	       "paged segmentation: (2 + 16 pages) x 8 B");
	/* 1 GiB / 4 KiB = 262144 entries x 16 B = 4 MiB */
	tap_eq(sim("inverted", &p), 4 * MIB, "inverted, 1 GiB RAM: 4 MiB");
	tap_eq(mlpt_distinct(four, 4, 22), 4, "distinct 4 MiB windows");
}

static int load_fixture(const char *path, char **text, size_t *len)
{
	*text = slurp(path, len);
	return *text ? 0 : -1;
}

static void test_translate(void)
{
	struct mlpt_report r;
	struct mlpt_xlate x;
	struct mlpt_err e;
	struct buf b = { 0 };
	size_t len;
	char *t;

	if (load_fixture("sample-4level.txt", &t, &len) ||
	    mlpt_parse(t, len, "sample", &r, &e)) {
		tap_ok(false, "sample-4level.txt parses");
		return;
	}
	free(t);
	load_fixture("translate-4level.txt", &t, &len);
	tap_ok(t && !mlpt_xlate_parse(t, len, "t", &x, &e) && x.steps == 5 &&
	       x.leaf && x.step[1].folded && x.step[4].index == 359 &&
	       !strcmp(x.step[4].flags, "P RW US A D NX") &&
	       x.physical == 0x112348abc, "translate report: 5 rows, a leaf");
	free(t);
	mlpt_xlate_text(&b, &r, &x);
	tap_ok(b.s && strstr(b.s, "011111110") && strstr(b.s, "47..39") &&
	       strstr(b.s, "101010111100") &&
	       strstr(b.s, "dirty, no-execute: maps one 4 KiB page") &&
	       strstr(b.s, "= 0x0000000112348abc"),
	       "translate figure: binary fields, flags in words, physical");
	buf_free(&b);
	load_fixture("translate-hidden.txt", &t, &len);
	tap_ok(t && !mlpt_xlate_parse(t, len, "t", &x, &e) && x.steps == 4 &&
	       x.phys_hidden && x.step[3].hidden, "translate report, hidden");
	free(t);
	mlpt_xlate_text(&b, &r, &x);
	tap_ok(b.s && strstr(b.s, "huge page") && strstr(b.s, "2 MiB leaf") &&
	       strstr(b.s, "CAP_SYS_ADMIN"), "translate figure: 2 MiB leaf, hidden");
	buf_free(&b);
	load_fixture("translate-none.txt", &t, &len);
	tap_ok(t && !mlpt_xlate_parse(t, len, "t", &x, &e) && !x.in_vma,
	       "translate report: vma none");
	free(t);
	mlpt_xlate_text(&b, &r, &x);
	tap_ok(b.s && strstr(b.s, "in no VMA"), "translate figure: no VMA");
	buf_free(&b);
	tap_ok(mlpt_xlate_parse("mlpt-format: 2\n", 15, "t", &x, &e) ==
	       MLPT_EXIT_FORMAT, "translate report: format 2 refused");
	mlpt_report_free(&r);
}

static void test_vmas(void)
{
	struct mlpt_out o = { .fmt = MLPT_FMT_TEXT };
	struct mlpt_pages p = { 0 };
	struct buf b = { 0 };
	struct mlpt_vmas v;
	struct mlpt_vrow t;
	struct mlpt_err e;
	bool match;
	size_t len;
	char *s;

	load_fixture("vmas-sample.txt", &s, &len);
	if (!s || mlpt_vmas_parse(s, len, "v", &v, &e)) {
		tap_ok(false, "vmas report parses");
		free(s);
		return;
	}
	free(s);
	tap_ok(v.n == 5 && !strcmp(v.row[0].name, "/bin/mlpt workload"),
	       "vmas report: 5 rows, names with blanks");
	mlpt_vmas_total(&v, &t, &match);
	tap_ok(match && t.tables[MLPT_VCOL_PTE] == 38,
	       "vmas: the columns sum to the summary");
	mlpt_svg_map(&b, &v, &p);
	tap_ok(b.s && strstr(b.s, "</svg>") && strstr(b.s, "anonymous, 34 pte"),
	       "map picture from the VMAs alone");
	buf_free(&b);
	mlpt_vmas_sort(&v);
	tap_ok(v.row[0].tables[MLPT_VCOL_PTE] == 34 &&
	       !strcmp(v.row[4].perms, "rw-p") && v.row[4].leaf_bytes == 16384,
	       "vmas sorted by tables, then leaf bytes");
	mlpt_vmas_out(&b, &o, &v);
	tap_ok(b.s && strstr(b.s, "the columns sum to it"), "vmas text total");
	buf_free(&b);
	o.fmt = MLPT_FMT_JSON;
	mlpt_vmas_out(&b, &o, &v);
	tap_ok(b.s && !json_check(b.s, b.len), "vmas --json is valid JSON");
	buf_free(&b);
	mlpt_vmas_free(&v);
}

/* one run of sh -c @cmd: its exit status, stdout and stderr */
struct run {
	int status;
	char *out;
	char *err;
};

static void run(const char *cmd, struct run *r)
{
	char dir[] = "/tmp/mlpt-test-lab.XXXXXX", *sh = NULL, out[64], err[64];
	size_t len;
	int st = -1;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (!mkdtemp(dir))
		return;
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	if (asprintf(&sh, "%s >%s 2>%s", cmd, out, err) >= 0)
		st = system(sh);
	free(sh);
	r->status = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->out = slurp(out, &len);
	r->err = slurp(err, &len);
	unlink(out);
	unlink(err);
	rmdir(dir);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* one line, ending in a newline */
static bool one_line(const char *s)
{
	const char *nl = s ? strchr(s, '\n') : NULL;

	return nl && !nl[1];
}

/*
 * Every lab run by "mlpt lab NAME" from tests/labs (built by make test):
 * without the module it prints nothing on stdout, one line on stderr and
 * exits 5, mlpt's code for a missing module.
 */
static void lab_without_module(void)
{
	static const char *const labs[] = { "sparse", "cs332", "hugepages",
		"dontneed", "fork", "levels", "procs", "waste" };
	static const char *const missing =
		"mlpt: /nonexistent/mlpt-lab-sparse: cannot run: ";
	char cmd[128], want[128];
	struct stat st;
	struct run r;
	size_t i;

	if (!stat("/proc/mlpt", &st)) {
		tap_skip("the module is loaded here",
			 "mlpt lab without the module");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(labs); i++) {
		snprintf(cmd, sizeof(cmd), "MLPT_LABS=labs ../mlpt lab %s",
			 labs[i]);
		snprintf(want, sizeof(want),
			 "mlpt-lab-%s: /proc/mlpt: module not loaded: ", labs[i]);
		run(cmd, &r);
		tap_ok(r.status == 5 && r.out && !r.out[0] && one_line(r.err) &&
		       !strncmp(r.err, want, strlen(want)),
		       "mlpt lab %s without the module: exit 5, one line, no output",
		       labs[i]);
		if (r.status != 5 || !r.out || r.out[0])
			printf("#   exit %d, stdout \"%.60s\", stderr \"%.200s\"\n",
			       r.status, r.out ? r.out : "", r.err ? r.err : "");
		run_free(&r);
	}
	run("MLPT_LABS=/nonexistent ../mlpt lab sparse", &r);
	tap_ok(r.status == 1 && r.out && !r.out[0] && one_line(r.err) &&
	       !strncmp(r.err, missing, strlen(missing)) &&
	       strstr(r.err, "(MLPT_LABS=/nonexistent: build the labs there "),
	       "mlpt lab sparse, no such program: exit 1, the path it tried");
	run_free(&r);
}

void test_lab(void)
{
	one_page();
	spread();
	test_translate();
	test_vmas();
	lab_without_module();
}
