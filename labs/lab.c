// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the labs: output, verdict, report, mappings.
 *
 * The output is built in memory and written by lab_end() only, as mlpt
 * does: a lab that cannot run prints one line on stderr and nothing on
 * stdout, never half a table.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "lab.h"

static int failed;
static FILE *out;
/*
 * The whole output, in a buffer every page of which is written by
 * lab_begin(): a lab measures its own page tables, and an output buffer
 * that grew during a measurement (open_memstream's realloc moving the
 * heap into a new 2 MiB window) added a pte table of its own to the
 * figures, one boot in a few.
 */
static char text[1 << 16];

/* exit 5 as mlpt does (mlpt(1), EXIT STATUS) when /proc/mlpt is missing */
static void need_module(void)
{
	const char *who = program_invocation_short_name;
	struct stat st;

	if (!stat(MLPT_DIR "/version", &st))
		return;
	if (stat(MLPT_DIR, &st))
		fprintf(stderr, "%s: %s: %s\n", who, MLPT_DIR,
			"module not loaded: run \"make load\" (or \"modprobe mlpt && mount -t mlpt none /proc/mlpt\")");
	else
		fprintf(stderr, "%s: %s: %s\n", who, MLPT_DIR,
			"module loaded but not mounted: run \"mount -t mlpt none /proc/mlpt\" (or \"make load\")");
	exit(LAB_EXIT_NOMOD);
}

/*
 * Fault in the stack a lab will use before it measures anything: a stack
 * that grew in the middle of a measurement into a new 2 MiB window would
 * add a pte table of its own to the figures.  noinline, so that the
 * array is below the caller's frame, where later calls go.
 */
static void __attribute__((noinline)) lab_grow_stack(void)
{
	char pad[256 * 1024];

	memset(pad, 0, sizeof(pad));
	asm volatile("" : : "r" (pad) : "memory");
}

void lab_begin(const char *name, const char *question)
{
	need_module();
	lab_grow_stack();
	memset(text, 0, sizeof(text));
	out = fmemopen(text, sizeof(text), "w");
	if (!out)
		lab_fail("fmemopen", errno);
	lab_printf("lab %s: %s\n\n", name, question);
	lab_printf("%-48s %14s %14s\n", "", "measured", "predicted");
}

void lab_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
}

void lab_check(const char *what, long long measured, long long predicted)
{
	bool ok = measured == predicted;

	lab_printf("%-48s %14lld %14lld  %s\n", what, measured, predicted,
		   ok ? "agree" : "DIFFER");
	failed += !ok;
}

void lab_note(const char *what, long long value, const char *unit)
{
	lab_printf("%-48s %14s %14lld %s\n", what, "", value, unit);
}

int lab_end(void)
{
	long len;

	lab_printf("\n%s\n", failed ? "result: the kernel disagrees with the prediction" :
		   "result: the kernel agrees with the prediction");
	len = ftell(out);
	/* a full buffer: fmemopen writes no further, and says so only here */
	if (fflush(out) || ferror(out) || len < 0 || (size_t)len >= sizeof(text))
		lab_fail("output", ENOSPC);
	fclose(out);
	if (fwrite(text, 1, len, stdout) != (size_t)len || fflush(stdout))
		lab_fail("stdout", errno);
	return failed ? LAB_EXIT_DIFFER : 0;
}

void lab_fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(err));
	exit(LAB_EXIT_FAIL);
}

void lab_report(pid_t pid, struct mlpt_report *r)
{
	int ret = mlpt_report_pid(pid, r);

	if (ret)
		lab_fail("/proc/mlpt", -ret);
}

void lab_touch(unsigned long addr, unsigned long bytes, unsigned long step,
	       int advice, int flags)
{
	unsigned long off;
	char *p;

	p = mmap((void *)addr, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | flags,
		 -1, 0);
	if (p == MAP_FAILED)
		lab_fail("mmap", errno);
	if (advice != -1 && madvise(p, bytes, advice))
		lab_fail("madvise", errno);
	for (off = 0; off < bytes; off += step)
		p[off] = 1;
	asm volatile("" : : "r" (p) : "memory");
}

long long lab_delta(const struct mlpt_report *a, const struct mlpt_report *b,
		    enum mlpt_level level, enum mlpt_col col)
{
	return (long long)b->lvl[level][col] - (long long)a->lvl[level][col];
}

bool lab_kernel_config(const char *option)
{
	int set = mlpt_kernel_config(option);

	if (set < 0)
		lab_fail("/boot/config of the running kernel", -set);
	return set;
}
