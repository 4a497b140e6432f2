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

#include "base/outfile.h"
#include "commands/collect.h"
#include "commands/commands.h"
#include "commands/diff.h"
#include "commands/run.h"
#include "sources/parse.h"
#include "sources/source.h"
#include "views/csv.h"
#include "views/explain.h"
#include "views/json.h"
#include "views/output.h"
#include "views/picture.h"
#include "views/svg.h"

/* every option that changes what a mode does, as a bit of opts.given */
enum opt_id {
	O_EXPLAIN, O_ALL, O_SORT, O_TOP, O_BYTES, O_JSON, O_CSV, O_PROM,
	O_WATCH, O_SOURCE, O_FILE, O_SVG, O_PNG, O_PAGES, O_MEM, O_OUTPUT,
	O_RAM_SHARE, O_BY, O_GROWTH, NR_OPT
};

static const char *const opt_name[NR_OPT] = {
	"--explain", "--all", "--sort", "--top", "--bytes", "--json", "--csv",
	"--prometheus", "--watch", "--source", "--file", "--svg", "--png",
	"--pages", "--mem", "--output", "--ram-share", "--by", "--growth",
};

#define OPT(id) (1u << (id))
#define FORMATS (OPT(O_JSON) | OPT(O_CSV) | OPT(O_PROM))

/*
 * What each way of running mlpt takes.  An option given to a mode that
 * does not use it is refused, never ignored: a user who typed it expected
 * it to change something.
 */
static const struct mode {
	const char *name;
	unsigned int takes;
	bool module_only;	/* reads entries only /proc/mlpt has */
} mode_reports = {
	.name = "a report of PIDs",
	.takes = OPT(O_EXPLAIN) | OPT(O_BYTES) | FORMATS | OPT(O_WATCH) | OPT(O_SOURCE) |
	OPT(O_OUTPUT) | OPT(O_GROWTH)
}, mode_file = {
	.name = "a saved report (--file)",
	.takes = OPT(O_EXPLAIN) | OPT(O_BYTES) | FORMATS | OPT(O_WATCH) | OPT(O_FILE) |
	OPT(O_OUTPUT)
}, mode_survey = {
	.name = "the survey (--all)",
	.takes = OPT(O_ALL) | OPT(O_SORT) | OPT(O_TOP) | OPT(O_BYTES) | FORMATS |
	OPT(O_WATCH) | OPT(O_SOURCE) | OPT(O_SVG) | OPT(O_PNG) | OPT(O_OUTPUT) |
	OPT(O_RAM_SHARE) | OPT(O_BY)
}, mode_run = {
	.name = "mlpt run",
	.takes = OPT(O_BYTES) | FORMATS | OPT(O_SOURCE) | OPT(O_OUTPUT)
};

static const struct {
	const char *cmd;
	struct mode mode;
} cmd_modes[] = {
	{ "translate", { .name = "mlpt translate", .module_only = true,
			 .takes = OPT(O_SOURCE) } },
	{ "vmas", { .name = "mlpt vmas", .module_only = true,
		    .takes = OPT(O_BYTES) | OPT(O_JSON) | OPT(O_CSV) |
			     OPT(O_OUTPUT) | OPT(O_SOURCE) } },
	{ "waste", { .name = "mlpt waste", .module_only = true,
		     .takes = OPT(O_BYTES) | FORMATS | OPT(O_OUTPUT) |
			      OPT(O_SOURCE) | OPT(O_TOP) } },
	{ "shared", { .name = "mlpt shared", .module_only = true,
		      .takes = OPT(O_BYTES) | FORMATS | OPT(O_OUTPUT) |
			       OPT(O_SOURCE) } },
	{ "simulate", { .name = "mlpt simulate",
			.takes = OPT(O_BYTES) | OPT(O_JSON) | OPT(O_CSV) |
				 OPT(O_PAGES) | OPT(O_MEM) | OPT(O_OUTPUT) } },
	{ "map", { .name = "mlpt map", .module_only = true,
		   .takes = OPT(O_SVG) | OPT(O_PNG) | OPT(O_SOURCE) } },
	{ "lab", { .name = "mlpt lab" } },
	{ "diff", { .name = "mlpt diff",
		    .takes = OPT(O_BYTES) | FORMATS | OPT(O_OUTPUT) } },
};

struct opts {
	struct mlpt_cmd_opts cmd;	/* its out: the format of every output */
	unsigned int given;		/* OPT() of each option on the line */
	enum mlpt_source src;
	bool explain;
	const char *sort;
	size_t top;
	unsigned int ram_share;		/* percent */
	bool by_cgroup;
	bool growth;
	unsigned int watch;
	const char *file;
	const char *output;
	int *pid;
	int nr_pid;
};

static const char usage[] =
"Usage: mlpt [OPTIONS] [PID|self]...    the page tables of each process\n"
"       mlpt [OPTIONS] [--all]           survey of every readable process\n"
"       mlpt [OPTIONS] run -- CMD [ARGS] a command's tables at peak and exit\n"
"       mlpt translate PID ADDRESS       the walk of one address, step by step\n"
"       mlpt [OPTIONS] vmas PID          the tables each mapping costs\n"
"       mlpt [OPTIONS] waste PID         mappings by page-table bytes per byte\n"
"                                        mapped, and what each remedy frees\n"
"       mlpt [OPTIONS] shared            objects mapped shared, tables of all\n"
"                                        their mappings (and as hugetlb)\n"
"       mlpt [OPTIONS] simulate PID      the same pages under other designs\n"
"       mlpt [OPTIONS] simulate --pages FILE   the same, for listed pages\n"
"       mlpt map PID --svg|--png FILE    a picture of the tree\n"
"       mlpt lab [NAME]                  the experiments of docs/lab.md\n"
"       mlpt [OPTIONS] diff BEFORE AFTER what changed between two saved\n"
"                                        JSON outputs (or the first and last\n"
"                                        line of one --json --watch file)\n"
"\n"
"  -e, --explain         write the arithmetic out step by step\n"
"  -a, --all             survey every process (the default without a PID)\n"
"  -s, --sort KEY        survey order: pid, user, comm, vmas, resident,\n"
"                        tree, vmpte, linear, ceiling, ratio (default pid)\n"
"  -n, --top N           survey: only the first N rows; waste: the first\n"
"                        N mappings (default 10)\n"
"      --ram-share PCT   survey: flag processes whose tables would exceed\n"
"                        PCT% of RAM with every mapped page touched\n"
"                        (their ceiling; default 25)\n"
"      --by cgroup       survey: one row per cgroup v2, beside what\n"
"                        memory.stat charges it for page tables\n"
"  -b, --bytes           exact byte counts instead of KiB, MiB, ...\n"
"  -j, --json            JSON output (with --watch: one line per refresh)\n"
"      --csv             CSV output (with --watch: a time column)\n"
"      --prometheus      node_exporter textfile-collector format\n"
"  -o, --output FILE     write the output to FILE, replaced atomically\n"
"  -w, --watch SECONDS   refresh every SECONDS until Ctrl-C\n"
"      --growth          with --watch PID...: only what grew since the first\n"
"                        refresh, per level and per mapping\n"
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
	OPT_MEM, OPT_RAM_SHARE, OPT_BY, OPT_GROWTH
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
	{ "output", required_argument, NULL, 'o' },
	{ "watch", required_argument, NULL, 'w' },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "file", required_argument, NULL, 'f' },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "png", required_argument, NULL, OPT_PNG },
	{ "pages", required_argument, NULL, OPT_PAGES },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "ram-share", required_argument, NULL, OPT_RAM_SHARE },
	{ "by", required_argument, NULL, OPT_BY },
	{ "growth", no_argument, NULL, OPT_GROWTH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int bad_usage(const char *what, const char *why)
{
	/* an empty argument would print as "mlpt: : ...", which reads as noise */
	fprintf(stderr, "mlpt: %s: %s (see mlpt --help)\n",
		*what ? what : "\"\"", why);
	return MLPT_EXIT_USAGE;
}

/* a positive number of seconds for --watch, or -1 after saying why not */
static int watch_seconds(const char *s)
{
	unsigned long long v;
	int n = mlpt_parse_positive(s);
	char why[64];

	if (n > 0)
		return n;
	if (*s == '0' || mlpt_parse_u64(s, &v)) {
		bad_usage("--watch", "not a positive number of seconds");
		return -1;
	}
	snprintf(why, sizeof(why), "too long (at most %d seconds)", 0x7fffffff);
	bad_usage("--watch", why);
	return -1;
}

static int set_format(struct opts *o, enum opt_id id, enum mlpt_fmt fmt)
{
	unsigned int other = o->given & FORMATS & ~OPT(id);
	char why[64];

	if (other) {
		snprintf(why, sizeof(why),
			 "conflicts with %s: choose one output format",
			 opt_name[__builtin_ctz(other)]);
		return bad_usage(opt_name[id], why);
	}
	o->cmd.out.fmt = fmt;
	return 0;
}

/* the option id of getopt's @c, or NR_OPT for -h, -V and errors */
static enum opt_id opt_id_of(int c)
{
	static const struct {
		int c;
		enum opt_id id;
	} ids[] = {
		{ 'e', O_EXPLAIN }, { 'a', O_ALL }, { 's', O_SORT },
		{ 'n', O_TOP }, { 'b', O_BYTES }, { 'j', O_JSON },
		{ OPT_CSV, O_CSV }, { OPT_PROM, O_PROM }, { 'o', O_OUTPUT },
		{ 'w', O_WATCH }, { OPT_SOURCE, O_SOURCE }, { 'f', O_FILE },
		{ OPT_SVG, O_SVG }, { OPT_PNG, O_PNG }, { OPT_PAGES, O_PAGES },
		{ OPT_MEM, O_MEM }, { OPT_RAM_SHARE, O_RAM_SHARE },
		{ OPT_BY, O_BY }, { OPT_GROWTH, O_GROWTH },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		if (ids[i].c == c)
			return ids[i].id;
	return NR_OPT;
}

/* one option; 0, or the exit code of a usage error already said */
static int parse_opt(int c, struct opts *o)
{
	unsigned long long mem;
	int n;

	switch (c) {
	case 'e':
		o->explain = true;
		return 0;
	case 'a':
		return 0;	/* what no PID means anyway: only given */
	case 's':
		o->sort = optarg;
		return 0;
	case 'n':
		n = mlpt_parse_positive(optarg);
		if (n < 0)
			return bad_usage("--top", "not a positive number");
		o->top = n;
		o->cmd.top = n;
		return 0;
	case OPT_BY:
		if (strcmp(optarg, "cgroup"))
			return bad_usage("--by", "not \"cgroup\"");
		o->by_cgroup = true;
		return 0;
	case OPT_RAM_SHARE:
		n = mlpt_parse_positive(optarg);
		if (n < 0 || n > 100)
			return bad_usage("--ram-share",
					 "not a percentage from 1 to 100");
		o->ram_share = n;
		return 0;
	case OPT_GROWTH:
		o->growth = true;
		return 0;
	case 'b':
		o->cmd.out.bytes = true;
		return 0;
	case 'j':
		return set_format(o, O_JSON, MLPT_FMT_JSON);
	case OPT_CSV:
		return set_format(o, O_CSV, MLPT_FMT_CSV);
	case OPT_PROM:
		return set_format(o, O_PROM, MLPT_FMT_PROM);
	case 'o':
		o->output = optarg;
		return 0;
	case 'w':
		n = watch_seconds(optarg);
		if (n < 0)
			return MLPT_EXIT_USAGE;
		o->watch = n;
		return 0;
	case OPT_SOURCE:
		if (!strcmp(optarg, "pagemap"))
			o->src = MLPT_SRC_PAGEMAP;
		else if (strcmp(optarg, "module"))
			return bad_usage("--source",
					 "not \"module\" or \"pagemap\"");
		return 0;
	case 'f':
		o->file = optarg;
		return 0;
	case OPT_SVG:
		o->cmd.svg = optarg;
		return 0;
	case OPT_PNG:
		o->cmd.png = optarg;
		return 0;
	case OPT_PAGES:
		o->cmd.pages = optarg;
		return 0;
	case OPT_MEM:
		if (*optarg == '0' || mlpt_parse_u64(optarg, &mem))
			return bad_usage("--mem",
					 "not a positive number of bytes");
		o->cmd.mem = mem;
		return 0;
	case 'h':
		fputs(usage, stdout);
		exit(fflush(stdout) ? MLPT_EXIT_FAIL : 0);
	case 'V':
		printf("mlpt %s (reads format %d)\n", MLPT_VERSION,
		       MLPT_FORMAT);
		exit(fflush(stdout) ? MLPT_EXIT_FAIL : 0);
	default:
		return -1;	/* not an option: the caller names it */
	}
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c, ret;

	opterr = 0;	/* errors are said once, our way */
	while ((c = getopt_long(argc, argv, ":eas:n:bjo:w:f:hV", longopts,
				NULL)) != -1) {
		if (c == ':')
			return bad_usage(argv[optind - 1], "needs an argument");
		if (opt_id_of(c) < NR_OPT)
			o->given |= OPT(opt_id_of(c));
		ret = parse_opt(c, o);
		if (ret < 0)
			return bad_usage(argv[optind - 1], "unknown option");
		if (ret)
			return ret;
	}
	return 0;
}

/* refuse the first option given that @m does not take, naming @m */
static int check_mode(const struct opts *o, const struct mode *m)
{
	unsigned int extra = o->given & ~m->takes;
	char why[96];

	if (m->module_only && o->src == MLPT_SRC_PAGEMAP) {
		snprintf(why, sizeof(why),
			 "%s needs the module: pagemap has no page-table entries",
			 m->name);
		return bad_usage("--source pagemap", why);
	}
	if (!extra)
		return 0;
	snprintf(why, sizeof(why), "does not apply to %s", m->name);
	return bad_usage(opt_name[__builtin_ctz(extra)], why);
}

/* the conflicts between options that each mode takes */
static int check_combinations(const struct opts *o)
{
	bool picture = o->given & (OPT(O_SVG) | OPT(O_PNG));

	if (o->growth && !o->watch)
		return bad_usage("--growth",
				 "needs --watch SECONDS: it shows what grew between refreshes");
	if (o->growth && o->explain)
		return bad_usage("--explain", "does not apply to --growth");
	if (o->growth && o->src == MLPT_SRC_PAGEMAP)
		return bad_usage("--source pagemap",
				 "--growth needs the module: pagemap has no page-table entries");
	if (o->explain && o->cmd.out.fmt != MLPT_FMT_TEXT)
		return bad_usage("--explain", "is text only");
	if (picture && (o->given & (FORMATS | OPT(O_OUTPUT) | OPT(O_WATCH))))
		return bad_usage(o->cmd.svg ? "--svg" : "--png",
				 "draws a picture: not with an output format, --output or --watch");
	/*
	 * The exposition format has one HELP and TYPE per family in a
	 * whole file: refreshes appended on stdout would not parse.
	 */
	if (o->watch && o->cmd.out.fmt == MLPT_FMT_PROM && !o->output)
		return bad_usage("--watch --prometheus",
				 "needs --output FILE (a textfile replaced at each refresh)");
	return 0;
}

static int parse_pids(int argc, char **argv, struct opts *o)
{
	int i;

	o->pid = calloc((size_t)argc + 1, sizeof(*o->pid));
	if (!o->pid)
		return bad_usage("pid", "out of memory");
	for (i = 0; i < argc; i++) {
		o->pid[i] = mlpt_parse_pid(argv[i]);
		if (o->pid[i] < 0)
			return bad_usage(argv[i],
					 "not a process id (a number or \"self\")");
	}
	o->nr_pid = argc;
	if (o->file && argc)
		return bad_usage("--file", "conflicts with PID: a saved report is the process");
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

	ret = mlpt_survey_collect(&s, o->src, o->ram_share, o->by_cgroup, e);
	if (ret)
		return ret;
	mlpt_survey_sort(&s, o->sort);
	mlpt_survey_top(&s, o->top);
	if (o->cmd.svg || o->cmd.png) {
		struct buf svg = { 0 };

		mlpt_svg_survey(&svg, &s);
		ret = mlpt_picture_save(o->cmd.svg, o->cmd.png, &svg, b, e);
		buf_free(&svg);
	} else {
		mlpt_out_survey(b, &o->cmd.out, &s);
	}
	mlpt_survey_free(&s);
	return ret;
}

/* where an output goes: --output FILE, or stdout */
static int emit(const struct opts *o, const struct buf *b, struct mlpt_err *e)
{
	return o->output ? mlpt_write_file(o->output, b, e)
			 : mlpt_write_stdout(b, e);
}

/*
 * One refresh of --watch on stdout, @n counting from 0.  Text clears a
 * terminal; the machine formats become streams their parsers read: JSON
 * Lines (one compact document a line) and one CSV table with a time column.
 */
static void watch_frame(const struct opts *o, struct buf *b, unsigned long n)
{
	struct buf out = { 0 };
	char stamp[32];
	time_t now = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	switch (o->cmd.out.fmt) {
	case MLPT_FMT_JSON:
		mlpt_json_line(&out, b, stamp);
		break;
	case MLPT_FMT_CSV:
		mlpt_csv_stamp(&out, b, stamp, !n);
		break;
	default:
		if (isatty(STDOUT_FILENO))
			buf_printf(&out, "\033[H\033[2J");
		buf_append(&out, b);
	}
	buf_free(b);
	*b = out;
}

/* one complete output, printed only when nothing failed */
static int once(const struct opts *o, struct mlpt_growth *g, unsigned long n)
{
	struct buf b = { 0 };
	struct mlpt_err e;
	int ret;

	if (o->growth)
		ret = mlpt_growth_sample(g, o->pid, o->nr_pid, &o->cmd.out, &b,
					 &e);
	else if (o->nr_pid || o->file)
		ret = reports(o, &b, &e);
	else
		ret = survey(o, &b, &e);
	if (!ret && o->watch && !o->output)
		watch_frame(o, &b, n);
	if (!ret)
		ret = emit(o, &b, &e);
	if (ret)
		mlpt_err_print(&e);
	buf_free(&b);
	return ret;
}

static int watch(const struct opts *o)
{
	struct timespec t = { o->watch, 0 };
	struct mlpt_growth g = { 0 };
	unsigned long n = 0;
	sigset_t set;
	int ret = 0;

	/* Ctrl-C only ends the wait between two outputs, never one output */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	while (!ret) {
		ret = once(o, &g, n++);
		if (!ret && sigtimedwait(&set, NULL, &t) >= 0)
			break;
	}
	mlpt_growth_free(&g);
	return ret;
}

static int command(const struct opts *o, mlpt_cmd_fn fn, int argc,
		   char **argv)
{
	struct buf b = { 0 };
	struct mlpt_err e;
	int ret;

	ret = fn(argc, argv, &o->cmd, &b, &e);
	if (!ret)
		ret = emit(o, &b, &e);
	if (ret)
		mlpt_err_print(&e);
	buf_free(&b);
	return ret;
}

static int run(const struct opts *o, char **argv)
{
	struct buf b = { 0 };
	struct mlpt_err e;
	int ret, status = 0;

	ret = mlpt_run(argv, o->src, &o->cmd.out, &b, &status, &e);
	if (!ret)
		ret = emit(o, &b, &e);
	if (ret)
		mlpt_err_print(&e);
	buf_free(&b);
	return ret ? ret : status;
}

static const struct mode *command_mode(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmd_modes); i++)
		if (!strcmp(name, cmd_modes[i].cmd))
			return &cmd_modes[i].mode;
	return NULL;
}

int main(int argc, char **argv)
{
	struct opts o = { .sort = "pid", .ram_share = 25 };
	struct mlpt_survey check = { 0 };
	const char *word;
	mlpt_cmd_fn fn;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (!ret)
		ret = check_combinations(&o);
	if (ret)
		return ret;
	if (mlpt_survey_sort(&check, o.sort))
		return bad_usage(o.sort,
				 "not a sort key (pid, user, comm, vmas, resident, tree, vmpte, linear, ceiling, ratio)");
	word = optind < argc ? argv[optind] : NULL;
	if (word && !strcmp(word, "run")) {
		ret = check_mode(&o, &mode_run);
		return ret ? ret : run(&o, argv + optind + 1);
	}
	fn = word ? mlpt_cmd_find(word) : NULL;
	if (fn) {
		ret = check_mode(&o, command_mode(word));
		return ret ? ret : command(&o, fn, argc - optind, argv + optind);
	}
	ret = parse_pids(argc - optind, argv + optind, &o);
	if (!ret)
		ret = check_mode(&o, o.file ? &mode_file :
				 o.nr_pid ? &mode_reports : &mode_survey);
	if (!ret)
		ret = o.watch ? watch(&o) : once(&o, NULL, 0);
	free(o.pid);
	return ret;
}
