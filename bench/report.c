// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt-bench output: an aligned table for people, JSON for tracking runs
 * over time, and an SVG plot of the two scaling curves and of each
 * workload's ratio to smaps_rollup.
 */
#include <math.h>
#include <stdio.h>

#include "bench.h"

static const char *const method_names[NR_METHODS] = {
	[METHOD_MLPT] = "mlpt",
	[METHOD_SMAPS] = "smaps_rollup",
	[METHOD_PAGEMAP] = "pagemap",
	[METHOD_SCAN] = "memory scan",
	[METHOD_VMAS] = "mlpt vmas",
	[METHOD_SMAPS_FULL] = "smaps",
	[METHOD_STATM] = "statm",
};

static const char *const method_keys[NR_METHODS] = {
	[METHOD_MLPT] = "mlpt",
	[METHOD_SMAPS] = "smaps_rollup",
	[METHOD_PAGEMAP] = "pagemap",
	[METHOD_SCAN] = "memory_scan",
	[METHOD_VMAS] = "mlpt_vmas",
	[METHOD_SMAPS_FULL] = "smaps",
	[METHOD_STATM] = "statm",
};

static const char *const survey_keys[NR_SURVEY_METHODS] = {
	[SURVEY_GREP] = "grep_vmpte",
	[SURVEY_SMAPS] = "cat_smaps_rollup",
	[SURVEY_MLPT] = "mlpt_all",
};

static const char *const check_names[NR_CHECKS] = {
	[CHECK_VMAS] = "vmas",
	[CHECK_PRESENT] = "present",
	[CHECK_P4D] = "p4d",
	[CHECK_PUD] = "pud",
	[CHECK_PMD] = "pmd",
	[CHECK_PTE] = "pte",
};

bool bench_target_met(const struct bench_target *t)
{
	return t->at_least ? t->got >= t->want : t->got <= t->want;
}

/* True for a synthetic workload, and for a replay that added its counts. */
bool bench_replay_ok(const struct bench_workload *w)
{
	int k;

	for (k = 0; w->replayed && k < NR_CHECKS; k++)
		if (w->want[k] != w->got[k])
			return false;
	return true;
}

static double us(unsigned long long ns)
{
	return ns / 1000.0;
}

static double times(const struct bench_workload *w, int num, int den)
{
	if (!w->t[num].measured || !w->t[den].measured)
		return NAN;
	return (double)w->t[num].min_ns / w->t[den].min_ns;
}

static void print_timings(const struct bench_workload *w)
{
	int m;

	printf("%-10s", w->name);
	for (m = 0; m < NR_METHODS; m++) {
		if (w->t[m].measured)
			printf(" %10.1f/%-10.1f", us(w->t[m].min_ns),
			       us(w->t[m].median_ns));
		else
			printf(" %-21s", "n/a");
	}
	printf("\n");
}

static void print_derived(const struct bench_workload *w)
{
	unsigned long long ns = w->t[METHOD_MLPT].min_ns;

	printf("%-10s %7llu %8llu %10.1f %10.1f %9.2f %8.2f %10.1f %10.1f %8.2f %8.2f\n",
	       w->name, w->tables, w->present, us(w->walk_ns),
	       (double)ns / w->tables,
	       (double)ns / (w->present ? w->present : 1),
	       (double)w->table_bytes / ns, times(w, METHOD_SMAPS, METHOD_MLPT),
	       times(w, METHOD_PAGEMAP, METHOD_MLPT),
	       times(w, METHOD_MLPT, METHOD_SCAN),
	       times(w, METHOD_MLPT, METHOD_STATM));
}

static void print_curve(const struct bench_curve *c, double unit,
			const char *unit_name)
{
	int i;

	printf("%s:\n", c->name);
	for (i = 0; i < c->n; i++)
		printf("  %14llu %s  %10.1f us\n", c->p[i].x, c->x_label,
		       us(c->p[i].ns));
	printf("  slope: %.3f ns per %s\n", c->slope * unit, unit_name);
}

static void print_latency(const char *what, const struct bench_latency *l)
{
	printf("  %-14s p50 %8.1f us  p99 %8.1f us  max %9.1f us  (%llu calls)\n",
	       what, us(l->p50_ns), us(l->p99_ns), us(l->max_ns), l->samples);
}

/* What each replay added to its child's walk: from the capture / walked. */
static void print_replays(const struct bench_results *r)
{
	int i, k;

	printf("replayed layouts (bench/layouts), added to the walk: capture/walk\n");
	for (i = 0; i < r->nworkloads; i++) {
		const struct bench_workload *w = &r->w[i];

		if (!w->replayed)
			continue;
		printf("  %-6s %-10s", bench_replay_ok(w) ? "ok" : "MISSED",
		       w->name);
		for (k = 0; k < NR_CHECKS; k++)
			printf(" %s %llu/%llu", check_names[k], w->want[k],
			       w->got[k]);
		printf("\n         %s\n", w->what);
	}
	printf("\n");
}

void bench_print_table(const struct bench_results *r)
{
	int i, m;

	printf("mlpt-bench: %s, %d-level paging, %d runs per method\n\n",
	       r->machine, r->paging_levels, r->reps);
	printf("time of one read, us (min/median)\n%-10s", "workload");
	for (m = 0; m < NR_METHODS; m++)
		printf(" %-21s", method_names[m]);
	printf("\n");
	for (i = 0; i < r->nworkloads; i++)
		print_timings(&r->w[i]);
	printf("\n%-10s %7s %8s %10s %10s %9s %8s %10s %10s %8s %8s\n",
	       "workload", "tables", "present", "walk us", "ns/table",
	       "ns/entry", "GB/s", "x smaps", "x pagemap", "x scan",
	       "x statm");
	for (i = 0; i < r->nworkloads; i++)
		print_derived(&r->w[i]);
	puts("(GB/s: page-table bytes per second of the mlpt read;");
	puts(" x smaps, x pagemap: times faster than; x scan, x statm: times the memory");
	puts(" scan, times a read of /proc/<pid>/statm)\n");
	print_replays(r);
	print_curve(&r->by_tables, 1, "table");
	print_curve(&r->by_vsize, 1UL << 30, "GiB reserved");
	printf("\nmmap + munmap latency in the target (64 GiB sparse):\n");
	print_latency("no reader", &r->idle);
	print_latency("reader looping", &r->reading);
	printf("\nsurvey of %d processes (%d forked; fastest of %d runs):\n",
	       r->survey.processes, BENCH_SURVEY_PROCS, r->reps);
	for (m = 0; m < NR_SURVEY_METHODS; m++)
		printf("  %-48s %9.1f ms\n", r->survey.command[m],
		       r->survey.min_ns[m] / 1e6);
	printf("  %-48s %9.1f ms\n", "(every /proc/<pid>/status, read here)",
	       r->survey.status_min_ns / 1e6);
	printf("\ntargets:\n");
	for (i = 0; i < r->ntargets; i++) {
		const struct bench_target *t = &r->targets[i];

		printf("  %-6s %-40s %8.2f (want %s %g)\n",
		       bench_target_met(t) ? "met" : "MISSED", t->what, t->got,
		       t->at_least ? ">=" : "<=", t->want);
	}
}

static void json_timing(const char *key, const struct bench_timing *t,
			const char *sep)
{
	if (t->measured)
		printf("      \"%s\": {\"min_ns\": %llu, \"median_ns\": %llu}%s\n",
		       key, t->min_ns, t->median_ns, sep);
	else
		printf("      \"%s\": null%s\n", key, sep);
}

static void json_curve(const char *key, const struct bench_curve *c)
{
	int i;

	printf("  \"%s\": {\"slope_ns_per_x\": %.6g, \"points\": [", key,
	       c->slope);
	for (i = 0; i < c->n; i++)
		printf("%s{\"x\": %llu, \"walk_ns\": %llu}", i ? ", " : "",
		       c->p[i].x, c->p[i].ns);
	printf("]},\n");
}

static void json_latency(const char *key, const struct bench_latency *l,
			 const char *sep)
{
	printf("    \"%s\": {\"p50_ns\": %llu, \"p99_ns\": %llu, ", key,
	       l->p50_ns, l->p99_ns);
	printf("\"max_ns\": %llu, \"samples\": %llu}%s\n", l->max_ns,
	       l->samples, sep);
}

/* A replay's checks: "replay": {"vmas": {"capture": N, "walk": N}, ...}. */
static void json_replay(const struct bench_workload *w)
{
	int k;

	if (!w->replayed)
		return;
	printf("      \"replay\": {\"ok\": %s",
	       bench_replay_ok(w) ? "true" : "false");
	for (k = 0; k < NR_CHECKS; k++)
		printf(", \"%s\": {\"capture\": %llu, \"walk\": %llu}",
		       check_names[k], w->want[k], w->got[k]);
	printf("},\n");
}

void bench_print_json(const struct bench_results *r)
{
	int i, m;

	printf("{\n  \"machine\": \"%s\",\n  \"paging_levels\": %d,\n"
	       "  \"runs\": %d,\n  \"workloads\": [\n", r->machine,
	       r->paging_levels, r->reps);
	for (i = 0; i < r->nworkloads; i++) {
		const struct bench_workload *w = &r->w[i];

		printf("    {\"name\": \"%s\", \"what\": \"%s\", ", w->name,
		       w->what);
		printf("\"tables\": %llu, \"table_bytes\": %llu, ", w->tables,
		       w->table_bytes);
		printf("\"present\": %llu, \"mapped_bytes\": %llu, ",
		       w->present, w->mapped_bytes);
		printf("\"walk_ns\": %llu,\n", w->walk_ns);
		json_replay(w);
		for (m = 0; m < NR_METHODS; m++)
			json_timing(method_keys[m], &w->t[m],
				    m < NR_METHODS - 1 ? "," : "");
		printf("    }%s\n", i < r->nworkloads - 1 ? "," : "");
	}
	printf("  ],\n");
	json_curve("by_tables", &r->by_tables);
	json_curve("by_reserved_bytes", &r->by_vsize);
	printf("  \"mmap_latency\": {\n");
	json_latency("no_reader", &r->idle, ",");
	json_latency("reader", &r->reading, "");
	printf("  },\n  \"survey\": {\"processes\": %d, ",
	       r->survey.processes);
	for (m = 0; m < NR_SURVEY_METHODS; m++)
		printf("\"%s_ns\": %llu, ", survey_keys[m],
		       r->survey.min_ns[m]);
	printf("\"status_read_ns\": %llu},\n", r->survey.status_min_ns);
	printf("  \"targets\": [\n");
	for (i = 0; i < r->ntargets; i++) {
		const struct bench_target *t = &r->targets[i];

		printf("    {\"what\": \"%s\", \"got\": %.4g, ", t->what,
		       t->got);
		printf("\"want\": \"%s %g\", \"met\": %s}%s\n",
		       t->at_least ? ">=" : "<=", t->want,
		       bench_target_met(t) ? "true" : "false",
		       i < r->ntargets - 1 ? "," : "");
	}
	printf("  ]\n}\n");
}

/* One log-log panel of a curve, @x0 pixels from the left. */
static void svg_panel(const struct bench_curve *c, int x0)
{
	const int w = 420, h = 300, pad = 50;
	double lx0 = log10(c->p[0].x), lx1 = log10(c->p[c->n - 1].x);
	double ly0 = 1e300, ly1 = -1e300;
	int i;

	for (i = 0; i < c->n; i++) {
		double ly = log10(c->p[i].ns);

		ly0 = ly < ly0 ? ly : ly0;
		ly1 = ly > ly1 ? ly : ly1;
	}
	/* At least one decade of y, so a flat curve looks flat. */
	if (ly1 - ly0 < 1) {
		ly0 = (ly0 + ly1) / 2 - 0.5;
		ly1 = ly0 + 1;
	}
	printf("<g transform=\"translate(%d,0)\">\n", x0);
	printf("<text x=\"%d\" y=\"20\" font-size=\"13\">%s</text>\n", pad,
	       c->name);
	printf("<rect x=\"%d\" y=\"30\" width=\"%d\" height=\"%d\" ", pad,
	       w - pad, h - 30 - pad);
	printf("fill=\"none\" stroke=\"#888\"/>\n");
	printf("<polyline fill=\"none\" stroke=\"#c03\" stroke-width=\"2\" points=\"");
	for (i = 0; i < c->n; i++) {
		double x = pad + (log10(c->p[i].x) - lx0) / (lx1 - lx0) *
			   (w - pad);
		double y = h - pad - (log10(c->p[i].ns) - ly0) /
			   (ly1 - ly0) * (h - 30 - pad);

		printf("%.1f,%.1f ", x, y);
	}
	printf("\"/>\n");
	for (i = 0; i < c->n; i++) {
		double x = pad + (log10(c->p[i].x) - lx0) / (lx1 - lx0) *
			   (w - pad);

		printf("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" ", x,
		       h - pad + 14);
		printf("text-anchor=\"middle\">%.3g</text>\n",
		       (double)c->p[i].x);
	}
	printf("<text x=\"%d\" y=\"%d\" font-size=\"11\">%s (log)</text>\n",
	       pad, h - 8, c->x_label);
	printf("<text x=\"4\" y=\"40\" font-size=\"10\">%.3g us</text>\n",
	       pow(10, ly1) / 1000);
	printf("<text x=\"4\" y=\"%d\" font-size=\"10\">%.3g us</text>\n",
	       h - pad, pow(10, ly0) / 1000);
	printf("</g>\n");
}

#define SVG_ROW 18

/*
 * Below the curves, @y0 pixels from the top: how many times faster than
 * smaps_rollup each workload reads, one bar a workload on a log scale of
 * 0.1x to 1000x, with the 10x of issue 12 marked.
 */
static void svg_ratios(const struct bench_results *r, int y0)
{
	const int x0 = 130, w = 600;
	int i;

	printf("<g transform=\"translate(0,%d)\">\n", y0);
	printf("<text x=\"50\" y=\"16\" font-size=\"13\">%s</text>\n",
	       "times faster than smaps_rollup (log, 0.1x to 1000x)");
	for (i = 0; i < r->nworkloads; i++) {
		double x = times(&r->w[i], METHOD_SMAPS, METHOD_MLPT);
		double len = isnan(x) ? 0 : (log10(x) + 1) / 4 * w;
		int y = 28 + i * SVG_ROW;

		len = len < 0 ? 0 : len > w ? w : len;
		printf("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
		       x0 - 6, y + 12, r->w[i].name);
		printf("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
		       x0, y + 2, len, SVG_ROW - 4,
		       r->w[i].replayed ? "#36c" : "#c03");
		printf("<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%.1fx</text>\n",
		       x0 + len + 4, y + 12, x);
	}
	/* 10x: two decades from 0.1x. */
	printf("<line x1=\"%d\" y1=\"24\" x2=\"%d\" y2=\"%d\" ",
	       x0 + w / 2, x0 + w / 2, 28 + r->nworkloads * SVG_ROW);
	printf("stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n");
	printf("<text x=\"%d\" y=\"%d\" font-size=\"10\">10x (replayed layouts: blue)</text>\n",
	       x0 + w / 2 + 4, 38 + r->nworkloads * SVG_ROW);
	printf("</g>\n");
}

void bench_print_svg(const struct bench_results *r)
{
	printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"%d\" font-family=\"sans-serif\">\n",
	       370 + r->nworkloads * SVG_ROW);
	printf("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	svg_panel(&r->by_tables, 0);
	svg_panel(&r->by_vsize, 430);
	svg_ratios(r, 320);
	printf("</svg>\n");
}
