// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt translate, vmas, waste, shared, simulate and map: arguments in,
 * loads, outputs.
 */
#include <string.h>
#include <unistd.h>

#include "commands/collect.h"
#include "commands/commands.h"
#include "commands/diff.h"
#include "models/geom.h"
#include "models/waste.h"
#include "sources/pages.h"
#include "sources/parse.h"
#include "sources/proc.h"
#include "sources/source.h"
#include "sources/translate.h"
#include "sources/vmas.h"
#include "views/figure.h"
#include "views/picture.h"
#include "views/sharedout.h"
#include "views/simout.h"
#include "views/svg.h"
#include "views/vmasout.h"
#include "views/wasteout.h"

int mlpt_parse_pid(const char *s)
{
	return strcmp(s, "self") ? mlpt_parse_positive(s) : getpid();
}

/* exactly @want positional arguments, the first a pid */
static int args(int argc, char **argv, int want, const char *usage,
		int *pid, struct mlpt_err *e)
{
	if (argc != want)
		return mlpt_fail(e, MLPT_EXIT_USAGE, argv[0], "usage: %s",
				 usage);
	*pid = mlpt_parse_pid(argv[1]);
	if (*pid < 0)
		return mlpt_fail(e, MLPT_EXIT_USAGE, argv[1],
				 "not a process id (a number or \"self\")");
	return 0;
}

static int cmd_translate(int argc, char **argv, const struct mlpt_cmd_opts *o,
			 struct buf *b, struct mlpt_err *e)
{
	struct mlpt_report r = { 0 };
	unsigned long long addr;
	struct mlpt_xlate x;
	int pid, ret;

	(void)o;	/* text only: mlpt.c refuses every output option */
	ret = args(argc, argv, 3, "mlpt translate PID ADDRESS", &pid, e);
	if (ret)
		return ret;
	if (mlpt_parse_u64(argv[2], &addr))
		return mlpt_fail(e, MLPT_EXIT_USAGE, argv[2],
				 "not an address (0x and hex digits, or decimal)");
	ret = mlpt_need_module("translate", false, e);
	if (!ret)
		ret = mlpt_load(pid, MLPT_SRC_MODULE, false, &r, e);
	if (ret)
		return ret;
	if (addr >= BIT_ULL(r.va_bits - 1) - r.page_size)
		return mlpt_fail(e, MLPT_EXIT_USAGE, argv[2],
				 "above the user address space (%u-bit: below 0x%llx)",
				 r.va_bits - 1, (unsigned long long)
				 (BIT_ULL(r.va_bits - 1) - r.page_size));
	ret = mlpt_xlate_load(pid, addr, &x, e);
	if (!ret)
		mlpt_xlate_text(b, &r, &x);
	mlpt_report_free(&r);
	return ret;
}

static int cmd_vmas(int argc, char **argv, const struct mlpt_cmd_opts *o,
		    struct buf *b, struct mlpt_err *e)
{
	struct mlpt_vmas v;
	int pid, ret;

	ret = args(argc, argv, 2, "mlpt vmas PID", &pid, e);
	if (!ret)
		ret = mlpt_need_module("vmas", false, e);
	if (!ret)
		ret = mlpt_vmas_load(pid, &v, e);
	if (ret)
		return ret;
	mlpt_vmas_sort(&v);
	mlpt_vmas_out(b, &o->out, &v);
	mlpt_vmas_free(&v);
	return 0;
}

/* the mappings shown without --top */
#define WASTE_TOP	10

static int cmd_waste(int argc, char **argv, const struct mlpt_cmd_opts *o,
		     struct buf *b, struct mlpt_err *e)
{
	struct mlpt_waste w;
	struct mlpt_vmas v;
	int pid, ret;

	ret = args(argc, argv, 2, "mlpt waste PID", &pid, e);
	if (!ret)
		ret = mlpt_need_module("waste", false, e);
	if (!ret)
		ret = mlpt_vmas_load_occupancy(pid, &v, e);
	if (ret)
		return ret;
	if (mlpt_waste_build(&w, &v)) {
		mlpt_vmas_free(&v);
		return mlpt_fail(e, MLPT_EXIT_FAIL, "waste", "out of memory");
	}
	mlpt_waste_out(b, &o->out, &w, o->top ? o->top : WASTE_TOP);
	mlpt_waste_free(&w);
	mlpt_vmas_free(&v);
	return 0;
}

static int cmd_shared(int argc, char **argv, const struct mlpt_cmd_opts *o,
		      struct buf *b, struct mlpt_err *e)
{
	struct mlpt_shared s;
	int ret;

	if (argc != 1)
		return mlpt_fail(e, MLPT_EXIT_USAGE, argv[0],
				 "usage: mlpt shared (no PID: it reads every process)");
	ret = mlpt_need_module("shared", false, e);
	if (!ret)
		ret = mlpt_shared_collect(&s, e);
	if (ret)
		return ret;
	mlpt_shared_out(b, &o->out, &s);
	mlpt_shared_free(&s);
	return 0;
}

static int cmd_simulate(int argc, char **argv, const struct mlpt_cmd_opts *o,
			struct buf *b, struct mlpt_err *e)
{
	struct mlpt_pages p;
	int pid, ret;

	if (o->pages && argc == 1) {
		ret = mlpt_pages_file(o->pages, &p, e);
		p.mem_total = o->mem ? o->mem : mlpt_mem_total();
	} else {
		ret = args(argc, argv, 2,
			   "mlpt simulate PID, or mlpt simulate --pages FILE",
			   &pid, e);
		if (!ret)
			ret = mlpt_pages_live(pid, &p, e);
		if (!ret && o->mem)
			p.mem_total = o->mem;
	}
	if (ret)
		return ret;
	mlpt_simulate_out(b, &o->out, &p);
	mlpt_pages_free(&p);
	return 0;
}

static int cmd_map(int argc, char **argv, const struct mlpt_cmd_opts *o,
		   struct buf *b, struct mlpt_err *e)
{
	struct buf svg = { 0 };
	struct mlpt_pages p = { 0 };
	struct mlpt_vmas v;
	int pid, ret;

	ret = args(argc, argv, 2, "mlpt map PID --svg FILE | --png FILE",
		   &pid, e);
	if (!ret && !o->svg && !o->png)
		ret = mlpt_fail(e, MLPT_EXIT_USAGE, "map",
				"needs --svg FILE or --png FILE");
	if (!ret)
		ret = mlpt_need_module("map", false, e);
	if (!ret)
		ret = mlpt_vmas_load(pid, &v, e);
	if (ret)
		return ret;
	/* without pagemap (another user's process) the tables still show */
	if (mlpt_pages_live(pid, &p, e))
		memset(&p, 0, sizeof(p));
	mlpt_svg_map(&svg, &v, &p);
	ret = mlpt_picture_save(o->svg, o->png, &svg, b, e);
	buf_free(&svg);
	mlpt_pages_free(&p);
	mlpt_vmas_free(&v);
	return ret;
}

mlpt_cmd_fn mlpt_cmd_find(const char *name)
{
	static const struct {
		const char *name;
		mlpt_cmd_fn fn;
	} cmds[] = {
		{ "translate", cmd_translate }, { "vmas", cmd_vmas },
		{ "waste", cmd_waste }, { "shared", cmd_shared },
		{ "simulate", cmd_simulate }, { "map", cmd_map },
		{ "lab", mlpt_cmd_lab }, { "diff", mlpt_cmd_diff },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(name, cmds[i].name))
			return cmds[i].fn;
	return NULL;
}
