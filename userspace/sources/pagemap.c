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
#include "sources/proc.h"

#define PM_PRESENT BIT_ULL(63)
#define PM_SWAPPED BIT_ULL(62)
#define PM_CHUNK 8192		/* pagemap entries read at once */
#define ENTRY_BYTES 8		/* page-table entries of x86-64 and arm64 */

/*
 * The two address widths of user space, and the default mmap window
 * below which the kernel keeps mappings unless a hint asks for more:
 * x86-64 48 bits (4 levels) or 57 with LA57 (5 levels), window 47 bits;
 * arm64 48 bits or 52 with LPA2, window 48 bits (DEFAULT_MAP_WINDOW);
 * with 16 KiB pages 47 bits or 52, window 47 (VA_BITS_MIN).  The levels
 * are what the width takes above the page offset (va_levels()).
 */
#if defined(__x86_64__)
/* 4 KiB pages only: the page shift changes nothing */
#define VA_BITS_SMALL(page_shift) ((void)(page_shift), 48)
#define VA_BITS_LARGE 57
#define MAP_WINDOW_BITS(page_shift) ((void)(page_shift), 47)
#elif defined(__aarch64__)
#define VA_BITS_SMALL(page_shift) ((page_shift) == 14 ? 47 : 48)
#define VA_BITS_LARGE 52
#define MAP_WINDOW_BITS(page_shift) VA_BITS_SMALL(page_shift)
#else
#error "mlpt: the pagemap estimate knows the paging modes of x86-64 and arm64 only"
#endif

struct walk {
	struct mlpt_report *r;
	struct mlpt_geom g;
	bool open[MLPT_LEVELS];		/* a table of this level is counted */
	u64 table[MLPT_LEVELS];	/* which one (address >> its span) */
	u64 entry[MLPT_LEVELS];	/* its last non-empty entry */
	u64 used[MLPT_LEVELS];	/* its non-empty entries so far */
};

/*
 * Paging mode of the system, seen from this process: a hint above the
 * default window is honoured only when the larger address space is on;
 * otherwise the hint is beyond user space and the mapping lands in the
 * window.
 */
static unsigned int system_va_bits(unsigned int page_shift)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap((void *)BIT_ULL(VA_BITS_LARGE - 1), page, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return VA_BITS_SMALL(page_shift);
	munmap(p, page);
	if ((unsigned long)p >= BIT_ULL(MAP_WINDOW_BITS(page_shift)))
		return VA_BITS_LARGE;
	return VA_BITS_SMALL(page_shift);
}

/*
 * Levels of a tree translating @va_bits: a table indexes @level_bits
 * (log2 of a page of 8-byte entries: 9, or 11 with 16 KiB pages) above
 * the page offset, the top one what is left.  48 and 57 bits of 4 KiB
 * pages take 4 and 5 levels, 52 bits 5; 47 and 52 bits of 16 KiB pages
 * take 3 and 4.
 */
static unsigned int va_levels(unsigned int va_bits, unsigned int page_shift,
			      unsigned int level_bits)
{
	return (va_bits - page_shift + level_bits - 1) / level_bits;
}

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

static void set_geometry(struct mlpt_report *r)
{
	unsigned int shift, level_bits;
	int lvl;

	r->page_size = sysconf(_SC_PAGESIZE);
	r->entry_bytes = ENTRY_BYTES;
	shift = mlpt_log2(r->page_size);
	level_bits = mlpt_log2(r->page_size / r->entry_bytes);
	r->va_bits = system_va_bits(shift);
	r->paging_levels = va_levels(r->va_bits, shift, level_bits);
	for (lvl = 0; lvl < MLPT_LEVELS; lvl++) {
		struct mlpt_level_stats *l = &r->level[lvl];

		/* the p4d below 5 levels, the pud too below 4 */
		l->folded = (lvl == MLPT_P4D && r->paging_levels < 5) ||
			    (lvl == MLPT_PUD && r->paging_levels < 4);
		l->entries = r->page_size / r->entry_bytes;
		/*
		 * The pgd indexes what the levels below leave of the address:
		 * 52 - 48 = 4 bits, 16 entries, on arm64 with LPA2 (52 - 47
		 * = 5, 32 entries, with 16 KiB pages).  A pgd with page-table
		 * isolation is 8 KiB: unknown here.
		 */
		if (lvl == MLPT_PGD)
			l->entries = BIT_ULL(r->va_bits - shift -
					     level_bits * (r->paging_levels - 1));
		l->table_bytes = l->folded ? 0 : l->entries * r->entry_bytes;
	}
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
	u64 t0;
	int ret;

	memset(r, 0, sizeof(*r));
	r->source = MLPT_SRC_PAGEMAP;
	r->pid = pid;
	set_geometry(r);
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
