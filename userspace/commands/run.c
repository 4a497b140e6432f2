// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt run: the page tables of a command at its peak (sampled every
 * SAMPLE_NS) and just before it exits (the PTRACE_EVENT_EXIT stop, when the
 * address space is still whole).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands/run.h"
#include "sources/proc.h"
#include "sources/source.h"
#include "views/output.h"

#define SAMPLE_NS 10000000L	/* 10 ms */

struct run {
	int pid;
	enum mlpt_source src;
	bool execed;		/* before exec the child is a copy of mlpt */
	bool have_peak;
	bool have_exit;
	struct mlpt_report peak;
	struct mlpt_report exit;
	struct mlpt_err err;	/* the last failed sample, if none worked */
	int failed;
};

static int load(struct run *run, struct mlpt_report *r)
{
	int ret = mlpt_load(run->pid, run->src, true, r, &run->err);

	if (ret)
		run->failed = ret;
	return ret;
}

/* keep @r if its tree is the largest so far; @r is consumed */
static void keep_peak(struct run *run, struct mlpt_report *r)
{
	if (run->have_peak &&
	    mlpt_tree_bytes(r) <= mlpt_tree_bytes(&run->peak)) {
		mlpt_report_free(r);
		return;
	}
	if (run->have_peak)
		mlpt_report_free(&run->peak);
	run->peak = *r;
	run->have_peak = true;
}

static void sample(struct run *run)
{
	struct mlpt_report r;

	if (run->execed && !load(run, &r))
		keep_peak(run, &r);
}

static void sample_exit(struct run *run)
{
	struct mlpt_report r;

	if (!run->execed || load(run, &run->exit))
		return;
	run->have_exit = true;
	/* the command is stopped: a second read is the same snapshot */
	if (!load(run, &r))
		keep_peak(run, &r);
}

static void child(char **argv)
{
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	raise(SIGSTOP);
	execvp(argv[0], argv);
	fprintf(stderr, "mlpt: %s: cannot run: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* resume after a stop, passing on a signal meant for the command */
static void resume(struct run *run, int st)
{
	int event = st >> 16, sig = WSTOPSIG(st);

	if (event == PTRACE_EVENT_EXEC)
		run->execed = true;
	if (event == PTRACE_EVENT_EXIT)
		sample_exit(run);
	ptrace(PTRACE_CONT, run->pid, NULL,
	       (void *)(long)(event || sig == SIGTRAP ? 0 : sig));
}

static int trace(struct run *run)
{
	const struct timespec tick = { 0, SAMPLE_NS };
	int st;
	pid_t w;

	for (;;) {
		w = waitpid(run->pid, &st, WNOHANG);
		if (w < 0 && errno != EINTR)
			return -1;
		if (w <= 0) {
			sample(run);
			nanosleep(&tick, NULL);
			continue;
		}
		if (WIFEXITED(st))
			return WEXITSTATUS(st);
		if (WIFSIGNALED(st))
			return 128 + WTERMSIG(st);
		resume(run, st);
	}
}

int mlpt_run(char **argv, enum mlpt_source src, const struct mlpt_out *o,
	     struct buf *b, int *status, struct mlpt_err *e)
{
	struct run run = { .src = src };
	struct mlpt_view v[2];
	int st;

	if (!argv[0])
		return mlpt_fail(e, MLPT_EXIT_USAGE, "run",
				 "no command: mlpt run -- CMD [ARGS...]");
	/* say it now, not after the command has run for nothing */
	if (src == MLPT_SRC_MODULE && mlpt_need_module("run", true, e))
		return e->code;
	fflush(NULL);
	run.pid = fork();
	if (run.pid < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "run", "fork: %s",
				 strerror(errno));
	if (!run.pid)
		child(argv);
	if (waitpid(run.pid, &st, 0) != run.pid || !WIFSTOPPED(st))
		return mlpt_fail(e, MLPT_EXIT_FAIL, argv[0],
				 "the command did not start under ptrace");
	ptrace(PTRACE_SETOPTIONS, run.pid, NULL,
	       (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC |
			      PTRACE_O_EXITKILL));
	ptrace(PTRACE_CONT, run.pid, NULL, NULL);
	*status = trace(&run);
	if (*status < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, argv[0], "waitpid: %s",
				 strerror(errno));
	if (!run.execed)
		return 0;	/* exec failed: the child said why */
	if (!run.have_exit) {
		if (run.have_peak)
			mlpt_report_free(&run.peak);
		*e = run.err;
		return run.failed ? run.failed :
		       mlpt_fail(e, MLPT_EXIT_FAIL, argv[0],
				 "no report at exit");
	}
	mlpt_view_init(&v[0], &run.peak, "peak");
	mlpt_view_init(&v[1], &run.exit, "exit");
	mlpt_out_reports(b, o, v, 2);
	if (o->fmt == MLPT_FMT_TEXT)
		buf_printf(b, "\n%s exited with status %d\n", argv[0], *status);
	mlpt_report_free(&run.peak);
	mlpt_report_free(&run.exit);
	return 0;
}
