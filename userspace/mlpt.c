// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt: how big a process's page tables are, and what other designs would
 * need.  This file is the command line only: options in, calls out.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "explain.h"
#include "parse.h"
#include "run.h"
#include "source.h"

struct opts {
	struct mlpt_out out;
	enum mlpt_source src;
	bool explain;
	const char *sort;
	size_t top;
	unsigned int watch;
	const char *file;
	int *pid;
	int nr_pid;
};

static const char usage[] =
"Usage: mlpt [OPTIONS] [PID|self]...    the page tables of each process\n"
"       mlpt [OPTIONS] [--all]           survey of every readable process\n"
"       mlpt [OPTIONS] run -- CMD [ARGS] a command's tables at peak and exit\n"
"\n"
"  -e, --explain         write the arithmetic out step by step\n"
"  -a, --all             survey every process (the default without a PID)\n"
"  -s, --sort KEY        survey order: pid, user, comm, vmas, resident,\n"
"                        tree, vmpte, linear, ratio (default pid)\n"
"  -n, --top N           survey: only the first N rows\n"
"  -b, --bytes           exact byte counts instead of KiB, MiB, ...\n"
"  -j, --json            JSON output\n"
"      --csv             CSV output\n"
"      --prometheus      node_exporter textfile-collector format\n"
"  -w, --watch SECONDS   refresh every SECONDS until Ctrl-C\n"
"      --source SRC      module (default: /proc/mlpt) or pagemap (an\n"
"                        estimate without the module: a lower bound)\n"
"  -f, --file FILE       read a saved report (cat /proc/mlpt/PID > FILE)\n"
"  -h, --help            this help\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage, 3 no such process, 4 permission\n"
"denied, 5 module not loaded, 6 unknown format; mlpt run: the command's.\n"
"Load the module with \"make load\". See mlpt(1).\n";

enum { OPT_CSV = 256, OPT_PROM, OPT_SOURCE };

static const struct option longopts[] = {
	{ "explain", no_argument, NULL, 'e' },
	{ "all", no_argument, NULL, 'a' },
	{ "sort", required_argument, NULL, 's' },
	{ "top", required_argument, NULL, 'n' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "json", no_argument, NULL, 'j' },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "prometheus", no_argument, NULL, OPT_PROM },
	{ "watch", required_argument, NULL, 'w' },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "file", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int bad_usage(const char *what, const char *why)
{
	fprintf(stderr, "mlpt: %s: %s (see mlpt --help)\n", what, why);
	return MLPT_EXIT_USAGE;
}

/* a positive decimal number that fits an int, or -1 */
static int number(const char *s)
{
	unsigned long long v;

	if (*s == '0' || mlpt_parse_u64(s, &v) || v > 0x7fffffff)
		return -1;
	return v;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c, n;

	opterr = 0;	/* errors are said once, our way */
	while ((c = getopt_long(argc, argv, ":eas:n:bjw:f:hV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'e':
			o->explain = true;
			break;
		case 'a':
			break;	/* the survey is what no PID means */
		case 's':
			o->sort = optarg;
			break;
		case 'n':
			n = number(optarg);
			if (n < 0)
				return bad_usage("--top",
						 "not a positive number");
			o->top = n;
			break;
		case 'b':
			o->out.bytes = true;
			break;
		case 'j':
			o->out.fmt = MLPT_FMT_JSON;
			break;
		case OPT_CSV:
			o->out.fmt = MLPT_FMT_CSV;
			break;
		case OPT_PROM:
			o->out.fmt = MLPT_FMT_PROM;
			break;
		case 'w':
			n = number(optarg);
			if (n < 0)
				return bad_usage("--watch",
						 "not a positive number of seconds");
			o->watch = n;
			break;
		case OPT_SOURCE:
			if (!strcmp(optarg, "pagemap"))
				o->src = MLPT_SRC_PAGEMAP;
			else if (strcmp(optarg, "module"))
				return bad_usage("--source",
						 "not \"module\" or \"pagemap\"");
			break;
		case 'f':
			o->file = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case 'V':
			printf("mlpt %s (reads format %d)\n", MLPT_VERSION,
			       MLPT_FORMAT);
			exit(0);
		case ':':
			return bad_usage(argv[optind - 1], "needs an argument");
		default:
			return bad_usage(argv[optind - 1], "unknown option");
		}
	}
	if (o->explain && o->out.fmt != MLPT_FMT_TEXT)
		return bad_usage("--explain", "is text only");
	return 0;
}

static int parse_pids(int argc, char **argv, struct opts *o)
{
	int i;

	o->pid = calloc((size_t)argc + 1, sizeof(*o->pid));
	if (!o->pid)
		return bad_usage("pid", "out of memory");
	for (i = 0; i < argc; i++) {
		o->pid[i] = strcmp(argv[i], "self") ? number(argv[i])
						     : getpid();
		if (o->pid[i] < 0)
			return bad_usage(argv[i],
					 "not a process id (a number or \"self\")");
	}
	o->nr_pid = argc;
	if (o->explain && !argc && !o->file)
		return bad_usage("--explain", "needs a PID");
	return 0;
}

static int reports(const struct opts *o, struct buf *b, struct mlpt_err *e)
{
	int i, n = o->file ? 1 : o->nr_pid, ret = 0;
	struct mlpt_report *r = calloc(n, sizeof(*r));
	struct mlpt_view *v = calloc(n, sizeof(*v));

	if (!r || !v)
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, "mlpt", "out of memory");
	for (i = 0; !ret && i < n; i++) {
		ret = o->file ? mlpt_load_file(o->file, &r[i], e)
			      : mlpt_load(o->pid[i], o->src, true, &r[i], e);
		if (!ret)
			mlpt_view_init(&v[i], &r[i], NULL);
	}
	if (!ret)
		mlpt_out_reports(b, &o->out, v, n);
	for (i = 0; !ret && o->explain && i < n; i++)
		mlpt_explain(b, &v[i]);
	for (i = 0; r && i < n; i++)
		mlpt_report_free(&r[i]);
	free(r);
	free(v);
	return ret;
}

static int survey(const struct opts *o, struct buf *b, struct mlpt_err *e)
{
	struct mlpt_survey s = { 0 };
	int ret;

	ret = mlpt_survey_collect(&s, o->src, e);
	if (ret)
		return ret;
	mlpt_survey_sort(&s, o->sort);
	mlpt_survey_top(&s, o->top);
	mlpt_out_survey(b, &o->out, &s);
	mlpt_survey_free(&s);
	return 0;
}

/* one complete output, printed only when nothing failed */
static int once(const struct opts *o, bool clear)
{
	struct buf b = { 0 };
	struct mlpt_err e;
	int ret;

	ret = o->nr_pid || o->file ? reports(o, &b, &e) : survey(o, &b, &e);
	if (ret) {
		mlpt_err_print(&e);
	} else {
		if (clear)
			fputs("\033[H\033[2J", stdout);
		fflush(stdout);
		if (buf_write(&b, STDOUT_FILENO))
			ret = MLPT_EXIT_FAIL;
	}
	buf_free(&b);
	return ret;
}

static int watch(const struct opts *o)
{
	struct timespec t = { o->watch, 0 };
	bool clear = o->out.fmt == MLPT_FMT_TEXT && isatty(STDOUT_FILENO);
	sigset_t set;
	int ret = 0;

	/* Ctrl-C only ends the wait between two outputs, never one output */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	while (!ret) {
		ret = once(o, clear);
		if (!ret && sigtimedwait(&set, NULL, &t) >= 0)
			break;
	}
	return ret;
}

static int run(const struct opts *o, char **argv)
{
	struct buf b = { 0 };
	struct mlpt_err e;
	int ret, status = 0;

	ret = mlpt_run(argv, o->src, &o->out, &b, &status, &e);
	if (ret)
		mlpt_err_print(&e);
	else if (buf_write(&b, STDOUT_FILENO))
		ret = MLPT_EXIT_FAIL;
	buf_free(&b);
	return ret ? ret : status;
}

int main(int argc, char **argv)
{
	struct opts o = { .sort = "pid" };
	struct mlpt_survey check = { 0 };
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	if (mlpt_survey_sort(&check, o.sort))
		return bad_usage(o.sort,
				 "not a sort key (pid, user, comm, vmas, resident, tree, vmpte, linear, ratio)");
	if (optind < argc && !strcmp(argv[optind], "run"))
		return run(&o, argv + optind + 1);
	ret = parse_pids(argc - optind, argv + optind, &o);
	if (!ret)
		ret = o.watch ? watch(&o) : once(&o, false);
	free(o.pid);
	return ret;
}
