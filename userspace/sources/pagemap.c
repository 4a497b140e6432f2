// SPDX-License-Identifier: GPL-2.0
/*
 * Without the module: estimate the tree from the present and swapped bits
 * of /proc/<pid>/pagemap.  Every page that is present or swapped needs its
 * pte table and the tables above it, so the counts are a lower bound: the
 * estimate cannot see empty tables the kernel keeps, deposited tables or
 * huge pages (it counts a huge page as 512 small ones, 2048 with 16 KiB
 * pages).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "sources/maps.h"
#include "sources/pagemap.h"
#include "sources/paging.h"
#include "sources/proc.h"

#define PM_PRESENT BIT_ULL(63)
#define PM_SWAPPED BIT_ULL(62)
#define PM_CHUNK 8192		/* pagemap entries read at once */

/*
 * The address width of user space, seen from this process.
 *
 * x86-64 and arm64 have two each, and a default mmap window below which
 * the kernel keeps mappings unless a hint asks for more: x86-64 48 bits
 * (4 levels) or 57 with LA57 (5 levels), window 47 bits; arm64 48 bits
 * or 52 with LPA2, window 48 bits (DEFAULT_MAP_WINDOW); with 16 KiB pages
 * 47 bits or 52, window 47 (VA_BITS_MIN).  A hint above the window is
 * honoured only when the larger address space is on; otherwise the hint
 * is beyond user space and the mapping lands in the window.
 *
 * riscv64 has three, Sv39, Sv48 and Sv57, and a window of 47 bits that a
 * 39-bit space is below: one hint cannot tell three apart, but the kernel
 * names the mode it runs in /proc/cpuinfo ("mmu : sv39").
 */
#if defined(__x86_64__) || defined(__aarch64__)
#if defined(__x86_64__)
/* 4 KiB pages only: the page shift changes nothing */
#define VA_BITS_SMALL(page_shift) ((void)(page_shift), 48)
#define VA_BITS_LARGE 57
#define MAP_WINDOW_BITS(page_shift) ((void)(page_shift), 47)
#else
#define VA_BITS_SMALL(page_shift) ((page_shift) == 14 ? 47 : 48)
#define VA_BITS_LARGE 52
#define MAP_WINDOW_BITS(page_shift) VA_BITS_SMALL(page_shift)
#endif

static int system_va_bits(unsigned int page_shift, unsigned int *bits,
			  struct mlpt_err *e)
{
	size_t page = BIT_ULL(page_shift);
	void *p = mmap((void *)BIT_ULL(VA_BITS_LARGE - 1), page, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	(void)e;	/* a refused hint is an answer, not an error */
	*bits = VA_BITS_SMALL(page_shift);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, page);
	if ((unsigned long)p >= BIT_ULL(MAP_WINDOW_BITS(page_shift)))
		*bits = VA_BITS_LARGE;
	return 0;
}
#elif defined(__riscv) && __riscv_xlen == 64
static int system_va_bits(unsigned int page_shift, unsigned int *bits,
			  struct mlpt_err *e)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	size_t cap = 0;
	char *line = NULL;

	(void)page_shift;	/* 4 KiB pages only */
	if (!f)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "/proc/cpuinfo", "%s",
				 strerror(errno));
	*bits = 0;
	while (!*bits && getline(&line, &cap, f) > 0)
		*bits = mlpt_cpuinfo_va_bits(line);
	free(line);
	fclose(f);
	if (!*bits)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "/proc/cpuinfo",
				 "no \"mmu : sv39\", sv48 or sv57 line");
	return 0;
}
#else
#error "mlpt: the pagemap estimate knows the paging modes of x86-64, arm64 and riscv64 only"
#endif

struct walk {
	struct mlpt_report *r;
	struct mlpt_geom g;
	bool open[MLPT_LEVELS];		/* a table of this level is counted */
	u64 table[MLPT_LEVELS];	/* which one (address >> its span) */
	u64 entry[MLPT_LEVELS];	/* its last non-empty entry */
	u64 used[MLPT_LEVELS];	/* its non-empty entries so far */
};

/* the occupancy buckets (docs/format.md): 0, 1, 2-7, 8-63, 64-255, 256-511, full */
static unsigned int bucket(u64 used, u64 entries)
{
	static const u64 last[] = { 0, 1, 7, 63, 255, 511 };
	unsigned int b;

	if (used >= entries)
		return MLPT_BUCKETS - 1;
	for (b = 0; used > last[b]; b++)
		;
	return b;
}

static void close_table(struct walk *w, int lvl)
{
	struct mlpt_level_stats *l = &w->r->level[lvl];

	if (w->open[lvl])
		l->occupancy[bucket(w->used[lvl], l->entries)]++;
	w->open[lvl] = false;
}

/* one non-empty page at @addr; pages arrive in address order */
static void add_page(void *arg, u64 addr, bool present)
{
	struct walk *w = arg;
	int lvl;

	for (lvl = MLPT_PTE; lvl >= MLPT_PGD; lvl--) {
		struct mlpt_level_stats *l = &w->r->level[lvl];
		u64 table = addr >> (w->g.lo[lvl] + w->g.bits[lvl]);
		u64 entry = addr >> w->g.lo[lvl];

		if (l->folded)
			continue;
		if (w->open[lvl] && table == w->table[lvl]) {
			/* same entry here: same path above, nothing new */
			if (entry == w->entry[lvl])
				return;
		} else {
			close_table(w, lvl);
			w->open[lvl] = true;
			w->table[lvl] = table;
			w->used[lvl] = 0;
			l->tables++;
		}
		w->entry[lvl] = entry;
		w->used[lvl]++;
		if (lvl == MLPT_PTE && !present) {
			l->nonpresent++;
			continue;
		}
		l->present++;
		if (lvl == MLPT_PTE)
			l->leaf++;
		else
			l->next++;
	}
}

static int scan_vma(int fd, const struct mlpt_vma *v, u64 page,
		    mlpt_page_fn fn, void *arg)
{
	static u64 pm[PM_CHUNK];
	u64 vpn = v->start / page, end = v->end / page, i;
	ssize_t n;

	while (vpn < end) {
		u64 want = end - vpn < PM_CHUNK ? end - vpn : PM_CHUNK;

		n = pread(fd, pm, want * sizeof(pm[0]), vpn * sizeof(pm[0]));
		if (n < 0)
			return -errno;
		if (!n)
			return 0;	/* the VMA went away: nothing there */
		for (i = 0; i < (u64)n / sizeof(pm[0]); i++)
			if (pm[i] & (PM_PRESENT | PM_SWAPPED))
				fn(arg, (vpn + i) * page, pm[i] & PM_PRESENT);
		vpn += n / sizeof(pm[0]);
	}
	return 0;
}

int mlpt_pagemap_scan(int pid, const struct mlpt_report *r, mlpt_page_fn fn,
		      void *arg, struct mlpt_err *e)
{
	char path[64];
	size_t i;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mlpt_proc_error(pid, errno, path, e);
	for (i = 0; i < r->nr_vma && !ret; i++)
		ret = scan_vma(fd, &r->vma[i], r->page_size, fn, arg);
	close(fd);
	return ret ? mlpt_proc_error(pid, -ret, path, e) : 0;
}

static void summarise(struct walk *w, u64 ns)
{
	struct mlpt_report *r = w->r;
	size_t i;
	int lvl;

	for (lvl = 0; lvl < MLPT_LEVELS; lvl++)
		close_table(w, lvl);
	r->vmas = r->nr_vma;
	for (i = 0; i < r->nr_vma; i++)
		r->mapped_bytes += r->vma[i].end - r->vma[i].start;
	if (r->nr_vma) {
		r->va_lowest = r->vma[0].start;
		r->va_highest = r->vma[r->nr_vma - 1].end;
	}
	r->resident_bytes = r->level[MLPT_PTE].leaf * r->page_size;
	/* the accounting rule (docs/format.md): pte + pmd + pud tables, in pages */
	r->walk_pgtables_bytes = r->page_size * (r->level[MLPT_PTE].tables +
						 r->level[MLPT_PMD].tables +
						 r->level[MLPT_PUD].tables);
	r->walk_ns = ns;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int mlpt_pagemap_estimate(int pid, struct mlpt_report *r, struct mlpt_err *e)
{
	struct walk w = { .r = r };
	unsigned int page_shift, va_bits;
	u64 t0;
	int ret;

	memset(r, 0, sizeof(*r));
	r->source = MLPT_SRC_PAGEMAP;
	r->pid = pid;
	page_shift = mlpt_log2(sysconf(_SC_PAGESIZE));
	ret = system_va_bits(page_shift, &va_bits, e);
	if (ret)
		goto out;
	mlpt_paging_geometry(r, page_shift, va_bits);
	mlpt_geometry(r, &w.g);
	ret = mlpt_read_maps(pid, r, e);
	if (ret)
		goto out;
	mlpt_read_comm(pid, r);
	t0 = now_ns();
	ret = mlpt_pagemap_scan(pid, r, add_page, &w, e);
	if (ret)
		goto out;
	summarise(&w, now_ns() - t0);
	ret = mlpt_status_bytes(pid, "VmPTE:", &r->kernel_pgtables_bytes, e);
out:
	if (ret)
		mlpt_report_free(r);
	return ret;
}
