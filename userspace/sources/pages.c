// SPDX-License-Identifier: GPL-2.0
/*
 * The pages mlpt simulate works on: the present pages of a live process
 * (its /proc/<pid>/maps ranges, the present bit of /proc/<pid>/pagemap),
 * or a file of addresses for tests and experiments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/maps.h"
#include "sources/pagemap.h"
#include "sources/pages.h"
#include "sources/parse.h"
#include "sources/proc.h"

#define PAGE_4K BIT_ULL(12)

struct grow {
	struct mlpt_pages *p;
	size_t cap;
	u64 page_size;		/* the system's, whose pages pagemap lists */
	bool failed;
};

/*
 * A present page of the system's size, as the 4 KiB pages the designs
 * work on: one, or four of a 16 KiB page (the memory each design must
 * map is the same).
 */
static void add(void *arg, u64 addr, bool present)
{
	struct grow *g = arg;
	u64 *t, off;

	if (!present || g->failed)
		return;
	for (off = 0; off < g->page_size; off += PAGE_4K) {
		if (g->p->n == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 1024;
			t = realloc(g->p->addr, g->cap * sizeof(*t));
			if (!t) {
				g->failed = true;
				return;
			}
			g->p->addr = t;
		}
		g->p->addr[g->p->n++] = (addr & ~(PAGE_4K - 1)) + off;
	}
}

u64 mlpt_mem_total(void)
{
	unsigned long long kib = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib * 1024;
}

int mlpt_pages_live(int pid, struct mlpt_pages *p, struct mlpt_err *e)
{
	struct mlpt_report r = { .pid = pid, .page_size = sysconf(_SC_PAGESIZE) };
	struct grow g = { .p = p, .page_size = r.page_size };
	int ret;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	ret = mlpt_read_maps(pid, &r, e);
	if (!ret)
		ret = mlpt_pagemap_scan(pid, &r, add, &g, e);
	if (!ret && g.failed)
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, "pagemap", "out of memory");
	mlpt_read_comm(pid, &r);
	snprintf(p->comm, sizeof(p->comm), "%s", r.comm);
	p->vma = r.vma;
	p->nr_vma = r.nr_vma;
	p->mem_total = mlpt_mem_total();
	if (ret)
		mlpt_pages_free(p);
	return ret;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* sort, drop duplicates (several addresses in one page) */
static void normalise(struct mlpt_pages *p)
{
	size_t i, n = 0;

	qsort(p->addr, p->n, sizeof(*p->addr), cmp_u64);
	for (i = 0; i < p->n; i++)
		if (!n || p->addr[i] != p->addr[n - 1])
			p->addr[n++] = p->addr[i];
	p->n = n;
}

/* "START-END": a VMA, as in /proc/<pid>/maps */
static int add_range(struct mlpt_pages *p, size_t *cap, u64 start, u64 end)
{
	struct mlpt_vma *v;

	if (p->nr_vma == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		v = realloc(p->vma, *cap * sizeof(*v));
		if (!v)
			return -1;
		p->vma = v;
	}
	p->vma[p->nr_vma++] = (struct mlpt_vma){ .start = start, .end = end };
	return 0;
}

static int file_line(char *line, struct mlpt_pages *p, struct grow *g,
		     size_t *vcap)
{
	unsigned long long a, b;
	char *dash, *end;

	line[strcspn(line, "#\n")] = '\0';
	line += strspn(line, " \t");
	line[strcspn(line, " \t")] = '\0';
	if (!*line)
		return 0;
	dash = strchr(line, '-');
	if (dash) {
		*dash = '\0';
		a = strtoull(line, &end, 16);
		if (*end || end == line)
			return -1;
		b = strtoull(dash + 1, &end, 16);
		if (*end || end == dash + 1 || b <= a)
			return -1;
		return add_range(p, vcap, a, b);
	}
	if (mlpt_parse_u64(line, &a))
		return -1;
	add(g, a, true);
	return g->failed ? -1 : 0;
}

int mlpt_pages_file(const char *path, struct mlpt_pages *p,
		    struct mlpt_err *e)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	/* a file lists 4 KiB pages, whatever the system's size */
	struct grow g = { .p = p, .page_size = PAGE_4K };
	unsigned int lineno = 0;
	char line[256];
	size_t vcap = 0;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	if (!f)
		return mlpt_fail(e, MLPT_EXIT_FAIL, path, "%s",
				 strerror(errno));
	while (!ret && fgets(line, sizeof(line), f)) {
		lineno++;
		if (file_line(line, p, &g, &vcap))
			ret = mlpt_fail(e, MLPT_EXIT_FORMAT, path,
					"line %u: not an address or START-END range",
					lineno);
	}
	if (f != stdin)
		fclose(f);
	if (ret) {
		mlpt_pages_free(p);
		return ret;
	}
	snprintf(p->comm, sizeof(p->comm), "%s", path);
	normalise(p);
	return 0;
}

void mlpt_pages_free(struct mlpt_pages *p)
{
	free(p->addr);
	free(p->vma);
	memset(p, 0, sizeof(*p));
}
