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
	error("--file bad-version.txt 1 2", 6, "unknown format version");
	error("run --", 2, "no command");
	error("translate 1", 2, "usage: mlpt translate PID ADDRESS");
	error("translate 1 zz", 2, "zz: not an address");
	error("vmas abc", 2, "abc: not a process id");
	error("map 1", 2, "needs --svg FILE or --png FILE");
	error("lab nope", 2, "nope: no such lab");
	error("simulate --pages bad-version.txt", 6, "not an address");
	error("simulate --pages /nonexistent", 1, "/nonexistent");
	error("--svg x.svg 1", 2, "--svg: draws the survey");
	error("--mem 0 simulate 1", 2, "--mem: not a positive number");
	if (access("/proc/mlpt/version", F_OK))
		error("1", 5, "make load");
	else
		tap_skip("the module is loaded here", "module missing: exit 5");
}

/* SPEC.md's example: 1 x 8192 + (1 + 2 + 5 + 9) x 4096 = 77824 */
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
 * --watch 1 under SIGINT after 2.5 s: reports at 0, 1 and 2 s (2 when the
 * machine is slow), each whole (first line and last line as often), then
 * exit 0: Ctrl-C ends the wait between two outputs, never an output.
 */
static void watch_until_sigint(void)
{
	struct cli c;
	int first, last;

	cli_in("timeout --preserve-status -s INT 2.5",
	       "--file sample-5level.txt --watch 1", &c);
	first = count(c.out, "pid 4242 (demo):");
	last = count(c.out, "32-bit two-level");
	tap_ok(!c.status && c.err && !c.err_len && first >= 2 &&
	       first == last,
	       "mlpt --watch 1, SIGINT at 2.5 s: %d whole reports, exit %d",
	       first, c.status);
	cli_free(&c);
}

static void saved(void)
{
	struct cli c;

	cli("--file sample-5level.txt --json", &c);
	tap_ok(!c.status && c.out && !json_check(c.out, c.out_len),
	       "mlpt --file sample --json: valid JSON");
	cli_free(&c);
	cli("--file sample-5level.txt --explain", &c);
	tap_ok(!c.status && c.out && strstr(c.out, explain_want[0]) &&
	       strstr(c.out, explain_want[1]) && strstr(c.out, explain_want[2]),
	       "mlpt --explain: bit ranges, the tree sum, the linear table");
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
	tap_ok(!c.status && c.out && !json_check(c.out, c.out_len) &&
	       strstr(c.out, "\"estimate\": true"),
	       "pagemap estimate as JSON");
	cli_free(&c);
	cli("--source pagemap run -- sh -c 'exit 3'", &c);
	tap_ok(c.status == 3 && c.out && strstr(c.out, "pid ") &&
	       strstr(c.out, ", peak:") && strstr(c.out, ", exit:") &&
	       strstr(c.out, "sh exited with status 3"),
	       "mlpt run -- sh -c 'exit 3': peak and exit reports, exit 3");
	cli_free(&c);
	cli("--source pagemap --prometheus run -- true", &c);
	tap_ok(!c.status && c.out && !prom_check(c.out, c.out_len),
	       "mlpt run --prometheus: passes the strict checker");
	cli_free(&c);
	cli("run -- /nonexistent/command", &c);
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
	tap_ok(!c.status && c.out && !json_check(c.out, c.out_len),
	       "simulate --json: valid JSON");
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

void test_cli(void)
{
	errors();
	saved();
	live();
	lab_mode();
}
