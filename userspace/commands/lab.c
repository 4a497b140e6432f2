// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt lab [NAME]: the experiments of docs/lab.md.  Each is a program of
 * labs/, mlpt-lab-NAME, that prints its measured figures next to the
 * predicted ones and exits non-zero when they disagree.  They are run
 * from $MLPT_LABS, else from MLPT_LABDIR, where make install and the
 * package put them: a directory of their own, as they are no commands.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands/commands.h"

static const struct {
	const char *name;
	const char *what;
} lab_list[] = {
	{ "sparse", "same pages, spread or packed: the tables differ" },
	{ "cs332", "8 MB as four 2 MB regions: x86-64, 32-bit, linear" },
	{ "hugepages", "one buffer with and without huge pages" },
	{ "dontneed", "MADV_DONTNEED frees pages; are empty tables freed too?" },
	{ "fork", "a child's tree after fork and after copy-on-write" },
	{ "levels", "the fifth level's cost (boot both modes)" },
	{ "procs", "N copies of a workload: survey total vs linear" },
	{ "waste", "mlpt waste's remedies, each applied and measured" },
};

int mlpt_cmd_lab(int argc, char **argv, const struct mlpt_cmd_opts *o,
		 struct buf *b, struct mlpt_err *e)
{
	const char *dir = getenv("MLPT_LABS");
	char prog[PATH_MAX], self[PATH_MAX];
	ssize_t n;
	size_t i;

	(void)o;
	if (argc == 1) {
		buf_printf(b, "labs (docs/lab.md), run one with: mlpt lab NAME\n");
		for (i = 0; i < ARRAY_SIZE(lab_list); i++)
			buf_printf(b, "  %-10s %s\n", lab_list[i].name,
				   lab_list[i].what);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(lab_list); i++)
		if (!strcmp(argv[1], lab_list[i].name))
			break;
	if (i == ARRAY_SIZE(lab_list))
		return mlpt_fail(e, MLPT_EXIT_USAGE, argv[1],
				 "no such lab (mlpt lab lists them)");
	snprintf(prog, sizeof(prog), "%s/mlpt-lab-%s", dir ? dir : MLPT_LABDIR,
		 lab_list[i].name);
	argv[1] = prog;
	fflush(NULL);
	/* a lab that asks the tool (waste) asks this one */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		setenv("MLPT", self, 0);
	}
	execv(prog, argv + 1);
	if (dir)
		return mlpt_fail(e, MLPT_EXIT_FAIL, prog,
				 "cannot run: %s (MLPT_LABS=%s: build the labs there with \"make -C labs O=%s\")",
				 strerror(errno), dir, dir);
	return mlpt_fail(e, MLPT_EXIT_FAIL, prog,
			 "cannot run: %s (\"make install\" and the mlpt package install the labs there; in a source tree: \"make -C labs\", then MLPT_LABS=build/labs)",
			 strerror(errno));
}
