// SPDX-License-Identifier: GPL-2.0
/*
 * The mlpt binary itself: exit codes, one-line errors with nothing on
 * stdout, saved reports, mlpt run, and the pagemap estimate (which needs no
 * module, so it runs on the host).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

struct cli {
	int status;
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
};

/* Run @prefix (a wrapper such as timeout, or "") and mlpt with @args. */
static void cli_in(const char *prefix, const char *args, struct cli *c)
{
	char cmd[1024], out[64], err[64];
	int st;

	snprintf(out, sizeof(out), "/tmp/mlpt-test-%d.out", getpid());
	snprintf(err, sizeof(err), "/tmp/mlpt-test-%d.err", getpid());
	snprintf(cmd, sizeof(cmd), "%s ../mlpt %s >%s 2>%s </dev/null",
		 prefix, args, out, err);
	st = system(cmd);
	c->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	c->out = slurp(out, &c->out_len);
	c->err = slurp(err, &c->err_len);
	unlink(out);
	unlink(err);
}

static void cli(const char *args, struct cli *c)
{
	cli_in("", args, c);
}

static void cli_free(struct cli *c)
{
	free(c->out);
	free(c->err);
}

/* @c's stdout judged by tests/parse-output.py MODE (Python's parsers) */
static bool parses(const struct cli *c, const char *mode)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "python3 ./parse-output.py %s", mode);
	return c->out && pipe_to(cmd, c->out, c->out_len) == 0;
}

static bool promtool_accepts(const struct cli *c)
{
	return c->out && !pipe_to("promtool check metrics >/dev/null 2>&1",
				  c->out, c->out_len);
}

/* an error: exit @code, nothing on stdout, one "mlpt: " line on stderr */
static void error(const char *args, int code, const char *has)
{
	struct cli c;

	cli(args, &c);
	tap_ok(c.status == code && c.out && !c.out_len && c.err &&
	       !strncmp(c.err, "mlpt: ", 6) && strstr(c.err, has) &&
	       strchr(c.err, '\n') == c.err + c.err_len - 1,
	       "mlpt %s: exit %d, one line \"...%s...\"", args, code, has);
	if (c.status != code)
		printf("#   exit %d, stderr: %s", c.status, c.err ? c.err : "");
	cli_free(&c);
}

static void errors(void)
{
	error("--bogus", 2, "--bogus: unknown option");
	error("--top", 2, "--top: needs an argument");
	error("abc", 2, "abc: not a process id");
	error("0", 2, "not a process id");
	error("--sort nope", 2, "not a sort key");
	error("--json --explain 1", 2, "--explain: is text only");
	error("--source pagemap 2147483647", 3, "no such process");
	error("--file bad-version.txt", 6, "unknown format version 2");
	error("--file bad-truncated.txt", 6, "truncated report");
	error("--file bad-version.txt 1 2", 2, "--file: conflicts with PID");
	error("run --", 2, "no command");
	error("translate 1", 2, "usage: mlpt translate PID ADDRESS");
	error("translate 1 zz", 2, "zz: not an address");
	error("vmas abc", 2, "abc: not a process id");
	error("waste abc", 2, "abc: not a process id");
	error("waste", 2, "usage: mlpt waste PID");
	error("--svg x.svg waste 1", 2, "--svg: does not apply to mlpt waste");
	error("map 1", 2, "needs --svg FILE or --png FILE");
	error("lab nope", 2, "nope: no such lab");
	error("simulate --pages bad-version.txt", 6, "not an address");
	error("simulate --pages /nonexistent", 1, "/nonexistent");
	error("--svg x.svg 1", 2, "--svg: does not apply to a report of PIDs");
	error("--mem 0 simulate 1", 2, "--mem: not a positive number");
	error("''", 2, "mlpt: \"\": not a process id");
	error("--watch 99999999999", 2, "--watch: too long");
	error("--watch 0", 2, "--watch: not a positive number");
	error("--file /dev/null", 6, "/dev/null: empty: not an mlpt report");
	error("-o /nonexistent/dir/out --file sample-5level.txt", 1,
	      "mlpt: /nonexistent/dir/out: No such file or directory");
}

/*
 * An option a mode does not use is refused with exit 2, never ignored: each
 * of these once printed something as if the option were not there.
 */
static void conflicts(void)
{
	error("--json --csv 1", 2, "--csv: conflicts with --json");
	error("--csv --prometheus --all", 2, "--prometheus: conflicts with --csv");
	error("--all 1", 2, "--all: does not apply to a report of PIDs");
	error("--top 3 1", 2, "--top: does not apply to a report of PIDs");
	error("--sort tree 1", 2, "--sort: does not apply to a report of PIDs");
	error("-f sample-5level.txt 1", 2, "--file: conflicts with PID");
	error("-f sample-5level.txt --all", 2,
	      "--all: does not apply to a saved report");
	error("-f sample-5level.txt --source pagemap", 2,
	      "--source: does not apply to a saved report");
	error("-w 1 simulate 1", 2, "--watch: does not apply to mlpt simulate");
	error("--explain simulate 1", 2,
	      "--explain: does not apply to mlpt simulate");
	error("-w 1 run -- true", 2, "--watch: does not apply to mlpt run");
	error("--explain run -- true", 2, "--explain: does not apply to mlpt run");
	error("--prometheus simulate 1", 2,
	      "--prometheus: does not apply to mlpt simulate");
	error("--prometheus vmas 1", 2, "--prometheus: does not apply to mlpt vmas");
	error("--json translate 1 0x1000", 2,
	      "--json: does not apply to mlpt translate");
	error("--source pagemap translate 1 0x1000", 2,
	      "mlpt translate needs the module");
	error("--source pagemap vmas 1", 2, "mlpt vmas needs the module");
	error("--source pagemap map 1 --svg x.svg", 2, "mlpt map needs the module");
	error("--source pagemap shared", 2, "mlpt shared needs the module");
	error("--source pagemap waste 1", 2, "mlpt waste needs the module");
	error("--top 3 shared", 2, "--top: does not apply to mlpt shared");
	error("shared 1", 2, "usage: mlpt shared (no PID");
	error("--svg x.svg --json --all", 2, "--svg: draws a picture");
	error("--watch 1 --prometheus --all", 2,
	      "--watch --prometheus: needs --output FILE");
	error("--by cgroup 1", 2, "--by: does not apply to a report of PIDs");
	error("--by user --all", 2, "--by: not \"cgroup\"");
	error("--ram-share 25 1", 2,
	      "--ram-share: does not apply to a report of PIDs");
	error("--ram-share 101 --all", 2,
	      "--ram-share: not a percentage from 1 to 100");
}

/*
 * Without the module, the first commands a user types: exit 5, one line
 * that says how to load it, under valgrind (the survey and mlpt run once
 * aborted in free() of a report never filled).  The commands that cannot
 * do without it must not suggest --source pagemap.
 */
static void without_module(void)
{
	static const struct {
		const char *args;
		bool pagemap_hint;
	} cmds[] = {
		{ "", true }, { "--all --json", true }, { "--csv --all", true },
		{ "1", true }, { "run -- sleep 1", true },
		{ "translate 1 0x1000", false }, { "vmas 1", false },
		{ "--json shared", false }, { "--csv waste 1", false },
		{ "map 1 --svg /tmp/mlpt-test-never.svg", false },
	};
	const char *vg = "valgrind -q --error-exitcode=99 --leak-check=no";
	struct cli c;
	size_t i;

	if (!access("/proc/mlpt/version", F_OK)) {
		tap_skip("the module is loaded here: the guest tests run these with it",
			 "without the module: exit 5");
		return;
	}
	if (system("command -v valgrind >/dev/null")) {
		tap_ok(false, "valgrind is installed (scripts/deps.sh installs it)");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		bool hint;

		cli_in(vg, cmds[i].args, &c);
		hint = c.err && strstr(c.err, "--source pagemap");
		tap_ok(c.status == 5 && c.out && !c.out_len && c.err &&
		       !strncmp(c.err, "mlpt: /proc/mlpt: module not loaded",
				35) && strstr(c.err, "make load") &&
		       hint == cmds[i].pagemap_hint,
		       "mlpt%s%s without the module, under valgrind: exit 5, %s",
		       *cmds[i].args ? " " : "", cmds[i].args,
		       cmds[i].pagemap_hint ?
		       "pagemap suggested" : "no pagemap hint");
		if (c.status != 5)
			printf("#   exit %d, stderr: %s", c.status,
			       c.err ? c.err : "");
		cli_free(&c);
	}
}

/*
 * A zombie (a child of this test that exited, not yet waited for) is said
 * to be one: alone, and among the survey's skipped processes.
 */
static void zombie_said(void)
{
	char args[64], want[64];
	pid_t pid = fork();
	struct cli c;

	if (!pid)
		_exit(0);
	usleep(200000);	/* until it has exited */
	snprintf(args, sizeof(args), "--source pagemap %d", (int)pid);
	snprintf(want, sizeof(want), "%d: a zombie", (int)pid);
	error(args, 3, want);
	cli("--source pagemap --json", &c);
	tap_ok(!c.status && parses(&c, "json") &&
	       !strstr(c.out, "\"zombie\": 0") && strstr(c.out, "\"zombie\": "),
	       "survey --json: the zombie is counted as a zombie");
	cli_free(&c);
	/*
	 * Not "no process exited while surveyed": on a busy machine some
	 * other process may, and the count would be right.
	 */
	cli("--source pagemap", &c);
	tap_ok(!c.status && c.out && strstr(c.out, " zombie"),
	       "survey: the zombie is said to be one");
	cli_free(&c);
	waitpid(pid, NULL, 0);
}

/* stdout that cannot be written: a one-line error and exit 1, not silence */
static void stdout_full(void)
{
	const char *err = "/tmp/mlpt-test-full.err";
	size_t len = 0;
	char *text;
	int st;

	st = system("../mlpt --file sample-5level.txt >/dev/full 2>/tmp/mlpt-test-full.err");
	text = slurp(err, &len);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 1 && text &&
	       !strcmp(text, "mlpt: stdout: write: No space left on device\n"),
	       "mlpt >/dev/full: exit 1, \"mlpt: stdout: write: ...\"");
	free(text);
	unlink(err);
}

/* sample-5level.txt, a hand-made example: 1 x 8192 + (1 + 2 + 5 + 9) x 4096 = 77824 */
static const char *const explain_want[] = {
	"bits 56..48 pgd index",
	"1 x 8192 + 1 x 4096 + 2 x 4096 + 5 x 4096 + 9 x 4096 = 77824 bytes",
	"2^57 / 2^12 = 2^45 entries x 8 bytes\n"
	"      = 281474976710656 bytes = 256 TiB",
};

/* How many times @needle is in @hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	while (hay && (hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

/*
 * --watch 1 under SIGINT after 3.5 s: reports at 0, 1, 2 and 3 s (2 or 3
 * when the machine is busy: seen with 2.5 s under a load of 5 on 2
 * cores), each whole (first line and last line as often), then
 * exit 0: Ctrl-C ends the wait between two outputs, never an output.
 */
static void watch_until_sigint(void)
{
	struct cli c;
	int first, last;

	cli_in("timeout --preserve-status -s INT 3.5",
	       "--file sample-5level.txt --watch 1", &c);
	first = count(c.out, "pid 4242 (demo):");
	last = count(c.out, "32-bit two-level");
	tap_ok(!c.status && c.err && !c.err_len && first >= 2 &&
	       first == last,
	       "mlpt --watch 1, SIGINT at 3.5 s: %d whole reports, exit %d",
	       first, c.status);
	cli_free(&c);
}

/*
 * --watch with a machine format: a stream its parser reads whole.  Under
 * SIGINT at 3.5 s, refreshes at 0, 1, 2 and 3 s (at least 2 on a busy
 * machine).
 */
static void watch_formats(void)
{
	const char *prom = "/tmp/mlpt-test-watch.prom";
	const char *sigint = "timeout --preserve-status -s INT 3.5";
	const char *to_prom =
		"--file sample-5level.txt --watch 1 --prometheus -o /tmp/mlpt-test-watch.prom";
	struct cli c;

	cli_in(sigint, "--file sample-5level.txt --watch 1 --json", &c);
	tap_ok(!c.status && parses(&c, "json-lines 2"),
	       "--watch --json: JSON Lines, a \"time\" in each, 2 or more");
	cli_free(&c);
	cli_in(sigint, "--file sample-5level.txt --watch 1 --csv", &c);
	tap_ok(!c.status && parses(&c, "csv-watch 2"),
	       "--watch --csv: one header, a time column, 2 or more refreshes");
	cli_free(&c);
	cli_in(sigint, "--source pagemap --all --watch 1 --csv", &c);
	tap_ok(!c.status && parses(&c, "csv-watch 2"),
	       "--watch --csv of the survey: one table");
	cli_free(&c);
	unlink(prom);
	cli_in(sigint, to_prom, &c);
	tap_ok(!c.status && c.out && !c.out_len &&
	       !system("promtool check metrics </tmp/mlpt-test-watch.prom >/dev/null 2>&1") &&
	       system("ls -a /tmp | grep -q '^\\.mlpt-test-watch\\.prom\\.'"),
	       "--watch --prometheus -o FILE: a valid textfile, no temporary left");
	cli_free(&c);
	unlink(prom);
}

static const char *const nodes_json[] = {
	"{\"node\": 0, \"tables\": {\"pgd\": 1, \"p4d\": 1, \"pud\": 3, \"pmd\": 5, \"pte\": 38}}",
	"{\"node\": 1, \"tables\": {\"pgd\": 0, ",
};

/*
 * A report with a nodes table, captured in the guest: mlpt-workload's 1 +
 * 1 + 3 + 5 + 38 tables all on node 0, none on node 1.  Each output shows
 * it, and real parsers take each (Python's JSON and CSV, promtool).
 */
static void nodes_outputs(void)
{
	const char *file = "--file captured-6.12-5-level-nodes.txt";
	char cmd[128];
	struct cli c;

	cli(file, &c);
	tap_ok(!c.status && c.out &&
	       strstr(c.out, "nodes: tables by the NUMA node they are on\n") &&
	       strstr(c.out, "\n0            1        1        3        5       38\n") &&
	       strstr(c.out, "\n1            0        0        0        0        0\n"),
	       "mlpt --file (nodes): one line per node in the text report");
	cli_free(&c);
	snprintf(cmd, sizeof(cmd), "%s --json", file);
	cli(cmd, &c);
	tap_ok(!c.status && parses(&c, "json") &&
	       strstr(c.out, nodes_json[0]) && strstr(c.out, nodes_json[1]),
	       "mlpt --file (nodes) --json: a nodes array, valid JSON");
	cli_free(&c);
	snprintf(cmd, sizeof(cmd), "%s --csv", file);
	cli(cmd, &c);
	tap_ok(!c.status && parses(&c, "csv") &&
	       strstr(c.out, ",ratio,node\n") &&
	       strstr(c.out, ",file,node,pte,38,,,,,,,,,0\n") &&
	       strstr(c.out, ",file,node,pud,0,,,,,,,,,1\n"),
	       "mlpt --file (nodes) --csv: a row per node and level, valid CSV");
	cli_free(&c);
	snprintf(cmd, sizeof(cmd), "%s --prometheus", file);
	cli(cmd, &c);
	tap_ok(!c.status && promtool_accepts(&c) &&
	       strstr(c.out, "source=\"file\",node=\"0\",level=\"pte\"} 38\n") &&
	       strstr(c.out, "source=\"file\",node=\"1\",level=\"pte\"} 0\n"),
	       "mlpt --file (nodes) --prometheus: mlpt_node_tables with a node label, promtool accepts it");
	cli_free(&c);
}

static void saved(void)
{
	struct cli c;

	cli("--file sample-5level.txt --json", &c);
	tap_ok(!c.status && parses(&c, "json"),
	       "mlpt --file sample --json: valid JSON");
	cli_free(&c);
	cli("--file sample-5level.txt --explain", &c);
	tap_ok(!c.status && c.out && strstr(c.out, explain_want[0]) &&
	       strstr(c.out, explain_want[1]) && strstr(c.out, explain_want[2]),
	       "mlpt --explain: bit ranges, the tree sum, the linear table");
	/*
	 * The sample's pgd and p4d are one table each, its pgd has one
	 * entry: said in the singular, and no "1 tables" anywhere.
	 */
	tap_ok(!c.status && c.out &&
	       strstr(c.out, "1 table x 8192 bytes = 8 KiB") &&
	       strstr(c.out, "pgd: 1 entry points to tables below") &&
	       !strstr(c.out, " 1 tables") && !strstr(c.out, " 1 entries") &&
	       !strstr(c.out, " 1 windows") && !strstr(c.out, " 1 pages"),
	       "mlpt --explain: 1 table, 1 entry (no \"1 tables\")");
	cli_free(&c);
	/*
	 * sample-arm64.txt: 52 - 12 = 40 bits of page number, 40 / 9 = 4
	 * levels of 512 entries and 4 bits left over, indexed by a pgd of
	 * 2^4 = 16 entries x 8 bytes = 128 bytes; 64 contiguous pte leaves.
	 */
	cli("--file sample-arm64.txt --explain", &c);
	tap_ok(!c.status && c.out &&
	       strstr(c.out, "3. 40 bits / 9 bits per level = 4 levels and 4 bits left over,\n"
		      "   which a smaller top level indexes: 5-level paging, a pgd of\n"
		      "   2^4 = 16 entries x 8 bytes = 128 bytes:\n"
		      "     bits 51..48 pgd index") &&
	       strstr(c.out, "        64 of the present ones carry the contiguous bit") &&
	       strstr(c.out, "1 table x 128 bytes = 128 B"),
	       "mlpt --explain (arm64, 52 bits): the 16-entry pgd, the contiguous ptes");
	cli_free(&c);
	cli("--help", &c);
	tap_ok(!c.status && c.out && strstr(c.out, "Usage: mlpt"),
	       "mlpt --help");
	cli_free(&c);
	watch_until_sigint();
	cli("--version", &c);
	tap_ok(!c.status && c.out && !strncmp(c.out, "mlpt " MLPT_VERSION, 5 +
					       strlen(MLPT_VERSION)),
	       "mlpt --version says %s", MLPT_VERSION);
	cli_free(&c);
}

static void live(void)
{
	struct cli c;

	cli("--source pagemap self", &c);
	tap_ok(!c.status && c.out && strstr(c.out, "estimate from pagemap") &&
	       strstr(c.out, "paged segmentation, one table per VMA"),
	       "mlpt --source pagemap self: an estimate, labelled");
	cli_free(&c);
	cli("--source pagemap --json self", &c);
	tap_ok(!c.status && parses(&c, "json") &&
	       strstr(c.out, "\"estimate\": true"),
	       "pagemap estimate as JSON");
	cli_free(&c);
	cli("--source pagemap --csv self", &c);
	tap_ok(!c.status && parses(&c, "csv") &&
	       strstr(c.out, ",,pagemap,level,pte,"),
	       "pagemap estimate as CSV: source pagemap on each row");
	cli_free(&c);
	cli("--source pagemap --csv --top 1", &c);
	tap_ok(!c.status && parses(&c, "csv") &&
	       strstr(c.out, ",ratio,source,") && strstr(c.out, ",pagemap,"),
	       "pagemap survey as CSV: a source column");
	cli_free(&c);
	cli("--source pagemap --prometheus self", &c);
	tap_ok(!c.status && promtool_accepts(&c) &&
	       strstr(c.out, ",source=\"pagemap\",") &&
	       !strstr(c.out, "the real one"),
	       "pagemap estimate as Prometheus: source=\"pagemap\" on samples");
	cli_free(&c);
	cli("--source pagemap run -- sh -c 'exit 3'", &c);
	tap_ok(c.status == 3 && c.out && strstr(c.out, "pid ") &&
	       strstr(c.out, ", peak:") && strstr(c.out, ", exit:") &&
	       strstr(c.out, "sh exited with status 3"),
	       "mlpt run -- sh -c 'exit 3': peak and exit reports, exit 3");
	cli_free(&c);
	cli("--source pagemap --prometheus run -- true", &c);
	tap_ok(!c.status && promtool_accepts(&c),
	       "mlpt run --prometheus: promtool accepts it");
	cli_free(&c);
	cli("--source pagemap run -- /nonexistent/command", &c);
	tap_ok(c.status == 127 && c.err && strstr(c.err, "cannot run"),
	       "mlpt run of a missing command: exit 127");
	cli_free(&c);
	cli("--source pagemap --bytes --top 3 --sort tree", &c);
	tap_ok(!c.status && c.out && strstr(c.out, "3 processes: page tables") &&
	       strstr(c.out, "skipped:"), "survey: --top 3 --sort tree");
	cli_free(&c);
}

/*
 * --png: the picture through rsvg-convert (make check installs it), a
 * PNG file; without rsvg-convert on PATH, one line that says what to
 * install, exit 1.
 */
static void png_output(void)
{
	static const char magic[] = "\x89PNG\r\n\x1a\n";
	const char *path = "/tmp/mlpt-test-survey.png";
	size_t len = 0;
	struct cli c;
	char *data;

	cli("--source pagemap --all --png /tmp/mlpt-test-survey.png", &c);
	data = slurp(path, &len);
	tap_ok(!c.status && data && len > 8 && !memcmp(data, magic, 8),
	       "mlpt --all --png: a PNG file (%zu bytes)", len);
	free(data);
	cli_free(&c);
	unlink(path);
	cli_in("PATH=/nonexistent",
	       "--source pagemap --all --png /tmp/mlpt-test-survey.png", &c);
	tap_ok(c.status == 1 && c.out && !c.out_len && c.err &&
	       strstr(c.err, "rsvg-convert not found: install librsvg2-bin"),
	       "mlpt --png without rsvg-convert: exit 1, what to install");
	cli_free(&c);
	unlink(path);
}

/* "ram-share" as mlpt.1 writes it after its \-\-: "ram\-share" */
static void man_option(char *want, size_t size, const char *name)
{
	size_t n = snprintf(want, size, "\\-\\-");

	for (; *name && n + 3 < size; name++) {
		if (*name == '-')
			want[n++] = '\\';
		want[n++] = *name;
	}
	want[n] = '\0';
}

/* "ram\-share" back to "ram-share" */
static void unescape_dashes(char *name)
{
	char *to = name;

	for (; *name; name++)
		if (*name != '\\')
			*to++ = *name;
	*to = '\0';
}

/*
 * Every long option of --help has its entry in mlpt.1's OPTIONS section,
 * and the other way round (--svg, --png, --pages and --mem once had none).
 */
static void documented(void)
{
	size_t len = 0, missing = 0, found = 0;
	char *man = slurp("../mlpt.1", &len), *opts, *end, *p;
	char name[64], want[80];
	struct cli c;

	cli("--help", &c);
	opts = man ? strstr(man, "\n.SH OPTIONS\n") : NULL;
	end = opts ? strstr(opts + 1, "\n.SH ") : NULL;
	if (end)
		*end = '\0';
	for (p = c.out; opts && p && (p = strstr(p, "--")); p += 2) {
		if (sscanf(p + 2, "%63[a-z-]", name) != 1)
			continue;
		found++;
		man_option(want, sizeof(want), name);
		if (!strstr(opts, want)) {
			printf("#   --%s: not in mlpt.1 OPTIONS\n", name);
			missing++;
		}
	}
	for (p = opts; p && (p = strstr(p, "\n.B")); p++) {
		char *opt = strstr(p, "\\-\\-");

		if (!opt || strchr(p + 1, '\n') < opt ||
		    sscanf(opt + 4, "%63[a-z\\-]", name) != 1)
			continue;
		unescape_dashes(name);
		snprintf(want, sizeof(want), "--%s ", name);
		if (!strstr(c.out, want) && !strstr(c.out, name)) {
			printf("#   --%s: in mlpt.1, not in --help\n", name);
			missing++;
		}
	}
	tap_ok(found >= 18 && !missing,
	       "--help's %zu options are in mlpt.1 OPTIONS, and back", found);
	cli_free(&c);
	free(man);
}

/* tests/pages-cs332.txt: four 2 MiB regions in four 4 MiB windows */
static void lab_mode(void)
{
	struct cli c;

	cli("--csv --mem 1073741824 simulate --pages pages-cs332.txt", &c);
	/* (4 leaf + 1 directory) x 4 KiB; x86-64: 1 + 1 + 1 + 4 tables */
	tap_ok(!c.status && c.out &&
	       strstr(c.out, "0,x86_32,32,4096,4,1+4,20480,") &&
	       strstr(c.out, "0,x86_64_4,48,4096,8,1+1+1+4,28672,") &&
	       strstr(c.out, "0,linear_32,32,4096,4,1048576 entries,4194304,") &&
	       strstr(c.out, "0,segmented,0,4096,8,2048 entries,16384,") &&
	       strstr(c.out, "0,inverted,0,4096,16,262144 entries,4194304,"),
	       "simulate --pages: the CS332 figures");
	cli_free(&c);
	cli("--json simulate --pages pages-cs332.txt", &c);
	tap_ok(!c.status && parses(&c, "json"), "simulate --json: valid JSON");
	cli_free(&c);
	cli("simulate self", &c);
	tap_ok(!c.status && c.out && strstr(c.out, "n/a: needs 4") &&
	       strstr(c.out, "arm64 64 KiB granule"),
	       "simulate self: live pages, 32-bit designs n/a");
	cli_free(&c);
	cli("--source pagemap --all --svg /tmp/mlpt-test-survey.svg", &c);
	tap_ok(!c.status && c.out && strstr(c.out, "mlpt-test-survey.svg"),
	       "mlpt --all --svg: the survey plot");
	cli_free(&c);
	unlink("/tmp/mlpt-test-survey.svg");
	cli("lab", &c);
	tap_ok(!c.status && c.out && strstr(c.out, "cs332"), "mlpt lab lists");
	cli_free(&c);
	png_output();
}

/* the layer rule of userspace/Makefile, which the compiler does not check */
static void include_order(void)
{
	tap_ok(system("sh ./layers.sh") == 0,
	       "each layer includes only from the layers before it");
}

void test_cli(void)
{
	include_order();
	errors();
	conflicts();
	without_module();
	stdout_full();
	zombie_said();
	watch_formats();
	saved();
	nodes_outputs();
	documented();
	live();
	lab_mode();
}
