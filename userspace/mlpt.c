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

#include "commands.h"
#include "explain.h"
#include "parse.h"
#include "run.h"
#include "source.h"
#include "svg.h"

struct opts {
	struct mlpt_cmd_opts cmd;	/* its out: the format of every output */
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
"       mlpt translate PID ADDRESS       the walk of one address, step by step\n"
"       mlpt [OPTIONS] vmas PID          the tables each mapping costs\n"
"       mlpt [OPTIONS] simulate PID      the same pages under other designs\n"
"       mlpt map PID --svg|--png FILE    a picture of the tree\n"
"       mlpt lab [NAME]                  the experiments of docs/lab.md\n"
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
"      --svg FILE        map, survey: draw an SVG picture into FILE\n"
"      --png FILE        the same as PNG (needs rsvg-convert)\n"
"      --pages FILE      simulate: page addresses and START-END VMAs\n"
"      --mem BYTES       simulate: physical memory (default MemTotal)\n"
"  -h, --help            this help\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage, 3 no such process, 4 permission\n"
"denied, 5 module not loaded, 6 unknown format; mlpt run: the command's.\n"
"Load the module with \"make load\". See mlpt(1).\n";

enum {
	OPT_CSV = 256, OPT_PROM, OPT_SOURCE, OPT_SVG, OPT_PNG, OPT_PAGES,
	OPT_MEM
};

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
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "png", required_argument, NULL, OPT_PNG },
	{ "pages", required_argument, NULL, OPT_PAGES },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int bad_usage(const char *what, const char *why)
{
	fprintf(stderr, "mlpt: %s: %s (see mlpt --help)\n", what, why);
	return MLPT_EXIT_USAGE;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	unsigned long long mem;
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
			n = mlpt_parse_positive(optarg);
			if (n < 0)
				return bad_usage("--top",
						 "not a positive number");
			o->top = n;
			break;
		case 'b':
			o->cmd.out.bytes = true;
			break;
		case 'j':
			o->cmd.out.fmt = MLPT_FMT_JSON;
			break;
		case OPT_CSV:
			o->cmd.out.fmt = MLPT_FMT_CSV;
			break;
		case OPT_PROM:
			o->cmd.out.fmt = MLPT_FMT_PROM;
			break;
		case 'w':
			n = mlpt_parse_positive(optarg);
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
		case OPT_SVG:
			o->cmd.svg = optarg;
			break;
		case OPT_PNG:
			o->cmd.png = optarg;
			break;
		case OPT_PAGES:
			o->cmd.pages = optarg;
			break;
		case OPT_MEM:
			if (*optarg == '0' || mlpt_parse_u64(optarg, &mem))
				return bad_usage("--mem",
						 "not a positive number of bytes");
			o->cmd.mem = mem;
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
	if (o->explain && o->cmd.out.fmt != MLPT_FMT_TEXT)
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
		o->pid[i] = strcmp(argv[i], "self") ? mlpt_parse_positive(argv[i])
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
		mlpt_out_reports(b, &o->cmd.out, v, n);
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
	if (o->cmd.svg || o->cmd.png) {
		struct buf svg = { 0 };

		mlpt_svg_survey(&svg, &s);
		ret = mlpt_picture_save(&o->cmd, &svg, b, e);
		buf_free(&svg);
	} else {
		mlpt_out_survey(b, &o->cmd.out, &s);
	}
	mlpt_survey_free(&s);
	return ret;
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
	bool clear = o->cmd.out.fmt == MLPT_FMT_TEXT && isatty(STDOUT_FILENO);
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

static int command(const struct opts *o, mlpt_cmd_fn fn, int argc,
		   char **argv)
{
	struct buf b = { 0 };
	struct mlpt_err e;
	int ret;

	ret = fn(argc, argv, &o->cmd, &b, &e);
	if (ret)
		mlpt_err_print(&e);
	else if (buf_write(&b, STDOUT_FILENO))
		ret = MLPT_EXIT_FAIL;
	buf_free(&b);
	return ret;
}

static int run(const struct opts *o, char **argv)
{
	struct buf b = { 0 };
	struct mlpt_err e;
	int ret, status = 0;

	ret = mlpt_run(argv, o->src, &o->cmd.out, &b, &status, &e);
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
	mlpt_cmd_fn fn;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	if (mlpt_survey_sort(&check, o.sort))
		return bad_usage(o.sort,
				 "not a sort key (pid, user, comm, vmas, resident, tree, vmpte, linear, ratio)");
	if (optind < argc && !strcmp(argv[optind], "run"))
		return run(&o, argv + optind + 1);
	fn = optind < argc ? mlpt_cmd_find(argv[optind]) : NULL;
	if (fn)
		return command(&o, fn, argc - optind, argv + optind);
	if ((o.cmd.svg || o.cmd.png) && (optind < argc || o.file || o.watch))
		return bad_usage(o.cmd.svg ? "--svg" : "--png",
				 "draws the survey (--all) or a map (mlpt map PID)");
	ret = parse_pids(argc - optind, argv + optind, &o);
	if (!ret)
		ret = o.watch ? watch(&o) : once(&o, false);
	free(o.pid);
	return ret;
}
