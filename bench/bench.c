// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt-bench: in one run, for each workload and alternating between the
 * methods, time
 *   - reading /proc/mlpt/<pid> (open + walk + format + read + close),
 *   - reading /proc/<pid>/smaps_rollup the same way,
 *   - reading /proc/<pid>/pagemap over the workload's mappings,
 *   - a user-space scan of as many bytes as the page tables occupy, read
 *     8 bytes at a time with a volatile load each, in order: what any
 *     walker that reads every entry once must at least spend;
 *   - the `vmas` report against /proc/<pid>/smaps, a record per VMA each;
 *   - reading /proc/<pid>/statm: what any read of a /proc file of the
 *     process must at least spend;
 * then the walk time against the number of tables and against the size
 * of a PROT_NONE reservation at a fixed number of tables, the latency
 * of mmap + munmap in a target while a reader loops on its report, and
 * the cost of `mlpt --all` over many processes (survey.c).
 *
 * Each workload runs in a stopped child (testlib/mlpt_lib.c) so that
 * nothing changes its tables between the timed reads.  Besides the
 * synthetic workloads, each layout captured from a real program
 * (bench/capture-layout.sh) is replayed (replay.c), and what it added
 * to the walk's counts is checked against the capture.  Results go to
 * stdout as a table, a JSON document and an SVG plot (report.c); the
 * exit status is 1 if a target of issues 8 and 12 is missed or a replay
 * differs from its capture.
 *
 * Usage: mlpt-bench [--quick] [--layouts DIR]
 *   --quick        3 runs per method instead of 7, 1 s latency runs
 *   --layouts DIR  the *.layout files to replay (/lib/mlpt-bench, where
 *                  the guest's initramfs has them)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "mlpt_lib.h"
#include "bench.h"
#include "replay.h"

#define SZ_1G		(1UL << 30)
#define SZ_1T		(1UL << 40)
#define READ_CHUNK	(8UL << 20)
#define MIXED_VMAS	2048
#define MANY_LIBS	400
#define MANY_STACKS	256
#define MANY_STACK	(8UL << 20)
#define MANY_HEAP	(64UL << 20)
/* 21 pages per library, a stack with its guard page, the heap. */
#define MANY_BYTES	(MANY_LIBS * 21 * MLPT_PAGE + \
			 MANY_STACKS * MANY_STACK + MANY_HEAP)
#define RESERVED_PAGES	16
#define LATENCY_MAX	(1 << 20)

static int reps = 7;
static unsigned int latency_seconds = 3;
static struct replay replays[BENCH_REPLAYS];
static int nreplays;
static char *chunk;			/* READ_CHUNK bytes for every read */
static unsigned long long *scan_buf;	/* the memory-limit baseline */
static size_t scan_bytes;

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "mlpt-bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* What a workload maps, at addresses fixed before its child forks. */
struct layout {
	unsigned long base;
	unsigned long size;		/* the main mapping */
	unsigned long reserve;		/* PROT_NONE bytes after base + 512G */
	int (*map)(const struct layout *l);
	unsigned long pagemap_end;	/* pagemap of [base, end); 0: none */
	const struct replay *replay;	/* else: pagemap of each of its VMAs */
};

static int map_at(unsigned long addr, unsigned long size, int prot, int flags)
{
	void *p = mmap((void *)addr, size, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
		       MAP_NORESERVE | flags, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	return p == (void *)addr ? 0 : -EEXIST;
}

/* Write one byte every @step bytes of [addr, addr + size). */
static void touch(unsigned long addr, unsigned long size, unsigned long step)
{
	char *p = (char *)addr;
	unsigned long off;

	/* Each store done: relaxed atomics are neither merged nor dropped. */
	for (off = 0; off < size; off += step)
		__atomic_store_n(p + off, 1, __ATOMIC_RELAXED);
}

static int map_pages(unsigned long addr, unsigned long size,
		     unsigned long step, int advice)
{
	int err = map_at(addr, size, PROT_READ | PROT_WRITE, 0);

	if (err)
		return err;
	if (madvise((void *)addr, size, advice))
		return -errno;
	touch(addr, size, step);
	return 0;
}

/* 1 GiB, every page: 262,144 ptes in 512 full pte tables. */
static int map_dense(const struct layout *l)
{
	return map_pages(l->base, l->size, MLPT_PAGE, MADV_NOHUGEPAGE);
}

/* One page per 2 MiB: a pte table with 1 entry per 2 MiB. */
static int map_sparse(const struct layout *l)
{
	int err = map_pages(l->base, l->size, MLPT_PMD_SIZE, MADV_NOHUGEPAGE);

	if (err || !l->reserve)
		return err;
	return map_at(l->base + MLPT_P4D_SIZE, l->reserve, PROT_NONE, 0);
}

/* 1 GiB of transparent huge pages: 512 pmd leaves. */
static int map_huge(const struct layout *l)
{
	return map_pages(l->base, l->size, MLPT_PMD_SIZE, MADV_HUGEPAGE);
}

/*
 * A realistic process: many small mappings of 1-8 pages whose protection
 * alternates so that none merge, each touched.
 */
static int map_mixed(const struct layout *l)
{
	unsigned long addr = l->base;
	int i, err;

	for (i = 0; i < MIXED_VMAS; i++) {
		unsigned long size = (1 + i % 8) * MLPT_PAGE;
		int prot = i % 2 ? PROT_READ : PROT_READ | PROT_WRITE;

		err = map_at(addr, size, PROT_READ | PROT_WRITE, 0);
		if (err)
			return err;
		touch(addr, size, MLPT_PAGE);
		if (mprotect((void *)addr, size, prot))
			return -errno;
		addr += size;
	}
	return 0;
}

/*
 * Map [addr, addr + pages) with @prot, its first @touched pages written
 * (a PROT_NONE mapping: none), and return the address after it.
 */
static int map_part(unsigned long *addr, unsigned long pages,
		    unsigned long touched, int prot)
{
	unsigned long size = pages * MLPT_PAGE;
	int err = map_at(*addr, size, PROT_READ | PROT_WRITE, 0);

	if (err)
		return err;
	/* THP is "always": keep the 4 KiB pages of a small process. */
	if (madvise((void *)*addr, size, MADV_NOHUGEPAGE))
		return -errno;
	touch(*addr, touched * MLPT_PAGE, MLPT_PAGE);
	if (prot != (PROT_READ | PROT_WRITE) &&
	    mprotect((void *)*addr, size, prot))
		return -errno;
	*addr += size;
	return 0;
}

/*
 * A process shaped like a real one, 2113 VMAs laid out next to each
 * other as mmap places them: MANY_LIBS shared libraries of four mappings
 * (r headers, r-x text, r relro, rw data: 1 + 16 + 2 + 2 pages, 13 of
 * them touched), MANY_STACKS thread stacks of 8 MiB, each a PROT_NONE
 * guard page under a stack with its top 2 pages touched, and a 64 MiB
 * heap with one page touched per 256 KiB.  Anonymous memory stands in
 * for the files; no two neighbours have the same protection, so none
 * merge.
 */
static int map_many(const struct layout *l)
{
	unsigned long addr = l->base, pages = MANY_STACK / MLPT_PAGE;
	int i, err = 0;

	for (i = 0; !err && i < MANY_LIBS; i++) {
		err = map_part(&addr, 1, 1, PROT_READ);
		err = err ?: map_part(&addr, 16, 8, PROT_READ | PROT_EXEC);
		err = err ?: map_part(&addr, 2, 2, PROT_READ);
		err = err ?: map_part(&addr, 2, 2, PROT_READ | PROT_WRITE);
	}
	for (i = 0; !err && i < MANY_STACKS; i++) {
		err = map_part(&addr, 1, 0, PROT_NONE);
		if (err)
			break;
		err = map_at(addr, (pages - 1) * MLPT_PAGE,
			     PROT_READ | PROT_WRITE, 0);
		if (err)
			break;
		if (madvise((void *)addr, (pages - 1) * MLPT_PAGE,
			    MADV_NOHUGEPAGE))
			return -errno;
		addr += (pages - 1) * MLPT_PAGE;
		touch(addr - 2 * MLPT_PAGE, 2 * MLPT_PAGE, MLPT_PAGE);
	}
	if (err)
		return err;
	err = map_at(addr, MANY_HEAP, PROT_READ | PROT_WRITE, 0);
	if (err)
		return err;
	if (madvise((void *)addr, MANY_HEAP, MADV_NOHUGEPAGE))
		return -errno;
	touch(addr, MANY_HEAP, 256 * 1024);
	return 0;
}

/* 64 TiB PROT_NONE with RESERVED_PAGES pages mapped 4 TiB apart. */
static int map_reserved(const struct layout *l)
{
	int i, err = map_at(l->base, l->size, PROT_NONE, 0);

	for (i = 0; !err && i < RESERVED_PAGES; i++) {
		unsigned long addr = l->base + i * (l->size / RESERVED_PAGES);

		if (mmap((void *)addr, MLPT_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			 0) == MAP_FAILED)
			return -errno;
		touch(addr, MLPT_PAGE, MLPT_PAGE);
	}
	return err;
}

static int map_replay(const struct layout *l)
{
	return replay_map(l->replay);
}

static int run_map(void *arg, int step)
{
	const struct layout *l = arg;

	(void)step;
	return l->map(l);
}

/* Start a child that maps @l; @before: its report before it did. */
static void child_map(struct mlpt_child *c, struct layout *l,
		      struct mlpt_report *before)
{
	int err = mlpt_child_start(c, run_map, l);

	if (!err && before)
		err = mlpt_report_pid(c->pid, before);
	if (!err)
		err = mlpt_child_step(c, 0);
	if (err) {
		errno = -err;
		die("mapping a workload");
	}
}

/* Open, read to the end, close: what any tool reading the file pays. */
static unsigned long long time_read(const char *path)
{
	unsigned long long start = now_ns();
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die(path);
	do {
		n = read(fd, chunk, READ_CHUNK);
	} while (n > 0);
	if (n < 0)
		die(path);
	close(fd);
	return now_ns() - start;
}

/* The same for the `vmas` report: open, ask for it, read, close. */
static unsigned long long time_vmas(const char *path)
{
	unsigned long long start = now_ns();
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0 || write(fd, "vmas\n", 5) != 5)
		die(path);
	do {
		n = read(fd, chunk, READ_CHUNK);
	} while (n > 0);
	if (n < 0)
		die(path);
	close(fd);
	return now_ns() - start;
}

/* pagemap: 8 bytes per virtual page of [start, end). */
static void read_pagemap(int fd, const char *path, unsigned long start,
			 unsigned long end)
{
	unsigned long page;

	for (page = start / MLPT_PAGE; page < end / MLPT_PAGE;) {
		unsigned long n = end / MLPT_PAGE - page;

		if (n > READ_CHUNK / 8)
			n = READ_CHUNK / 8;
		if (pread(fd, chunk, n * 8, page * 8) != (ssize_t)(n * 8))
			die(path);
		page += n;
	}
}

/*
 * pagemap of the workload's range, or of a replay's VMAs one by one, as
 * a tool that reads the maps first would.
 */
static unsigned long long time_pagemap(pid_t pid, const struct layout *l)
{
	const struct replay *r = l->replay;
	unsigned long long t0 = now_ns();
	char path[64];
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	if (!r)
		read_pagemap(fd, path, l->base, l->pagemap_end);
	for (i = 0; r && i < r->nvmas; i++)
		read_pagemap(fd, path, r->vma[i].at,
			     r->vma[i].at + r->vma[i].size);
	close(fd);
	return now_ns() - t0;
}

/* The memory limit: every 8-byte word of @bytes, once, in order. */
static unsigned long long time_scan(size_t bytes)
{
	const unsigned long long *p = scan_buf;
	unsigned long long t0 = now_ns(), acc = 0;
	size_t i;

	/* One load per word, as a walk reads each entry once. */
	for (i = 0; i < bytes / 8; i++)
		acc |= __atomic_load_n(p + i, __ATOMIC_RELAXED);
	asm volatile("" : : "r" (acc));
	return now_ns() - t0;
}

static int cmp_ull(const void *a, const void *b)
{
	const unsigned long long *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static void timing_set(struct bench_timing *t, unsigned long long *ns, int n)
{
	qsort(ns, n, sizeof(*ns), cmp_ull);
	t->measured = true;
	t->min_ns = ns[0];
	t->median_ns = ns[n / 2];
}

static void report_of(pid_t pid, struct mlpt_report *r)
{
	int err = mlpt_report_pid(pid, r);

	if (err) {
		errno = -err;
		die("reading /proc/mlpt");
	}
}

static void describe(struct bench_workload *w, const struct mlpt_report *r)
{
	int l;

	w->tables = 0;
	w->table_bytes = 0;
	w->present = 0;
	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		w->tables += r->lvl[l][MLPT_TABLES];
		w->table_bytes += r->lvl[l][MLPT_TABLES] *
				  r->lvl[l][MLPT_TABLE_BYTES];
		w->present += r->lvl[l][MLPT_PRESENT];
	}
	w->mapped_bytes = r->mapped_bytes;
}

/* The walk alone, as the module timed it: the fastest of @reps. */
static unsigned long long fastest_walk_of(pid_t pid)
{
	unsigned long long best = ~0ULL;
	struct mlpt_report r;
	int i;

	for (i = 0; i < reps; i++) {
		report_of(pid, &r);
		if (r.walk_ns < best)
			best = r.walk_ns;
	}
	return best;
}

/* What the replay of @rp added to the walk's counts, and should have. */
static void check_replay(struct bench_workload *w, const struct replay *rp,
			 const struct mlpt_report *before,
			 const struct mlpt_report *after)
{
	int k, l;

	w->replayed = true;
	w->want[CHECK_VMAS] = rp->nvmas;
	w->got[CHECK_VMAS] = after->vmas - before->vmas;
	w->want[CHECK_PRESENT] = rp->pages;
	w->got[CHECK_PRESENT] = after->lvl[MLPT_PTE][MLPT_PRESENT] -
				before->lvl[MLPT_PTE][MLPT_PRESENT];
	for (k = CHECK_P4D; k <= CHECK_PTE; k++) {
		l = MLPT_P4D + k - CHECK_P4D;
		w->want[k] = rp->tables[l];
		w->got[k] = after->lvl[l][MLPT_TABLES] -
			    before->lvl[l][MLPT_TABLES];
	}
}

/*
 * Time every method @reps times, one after the other in each round, so
 * that a disturbance of the machine hits them all alike.
 */
static void measure(struct bench_workload *w, struct layout *l)
{
	static unsigned long long ns[NR_METHODS][64];
	char mlpt_path[64], smaps_path[64], smaps_full_path[64], statm_path[64];
	struct mlpt_child c;
	struct mlpt_report before, r;
	bool pagemap = l->pagemap_end || l->replay;
	int i, m;

	child_map(&c, l, &before);
	report_of(c.pid, &r);
	describe(w, &r);
	if (l->replay)
		check_replay(w, l->replay, &before, &r);
	if (w->table_bytes > scan_bytes) {
		errno = ENOMEM;
		die("scan buffer");
	}
	snprintf(mlpt_path, sizeof(mlpt_path), MLPT_DIR "/%d", (int)c.pid);
	snprintf(smaps_path, sizeof(smaps_path), "/proc/%d/smaps_rollup",
		 (int)c.pid);
	snprintf(smaps_full_path, sizeof(smaps_full_path), "/proc/%d/smaps",
		 (int)c.pid);
	snprintf(statm_path, sizeof(statm_path), "/proc/%d/statm", (int)c.pid);
	for (i = 0; i < reps; i++) {
		ns[METHOD_MLPT][i] = time_read(mlpt_path);
		ns[METHOD_SMAPS][i] = time_read(smaps_path);
		if (pagemap)
			ns[METHOD_PAGEMAP][i] = time_pagemap(c.pid, l);
		ns[METHOD_SCAN][i] = time_scan(w->table_bytes);
		ns[METHOD_VMAS][i] = time_vmas(mlpt_path);
		ns[METHOD_SMAPS_FULL][i] = time_read(smaps_full_path);
		ns[METHOD_STATM][i] = time_read(statm_path);
	}
	for (m = 0; m < NR_METHODS; m++)
		if (m != METHOD_PAGEMAP || pagemap)
			timing_set(&w->t[m], ns[m], reps);
	w->walk_ns = fastest_walk_of(c.pid);
	mlpt_child_stop(&c);
}

static unsigned long free_base(unsigned long bytes)
{
	unsigned long base = mlpt_free_slots(bytes / MLPT_P4D_SIZE + 1);

	if (!base) {
		errno = ENOMEM;
		die("no free address range");
	}
	return base;
}

static void workloads(struct bench_results *res)
{
	struct bench_workload *w = res->w;
	struct layout l;
	int i;

	l = (struct layout){ .base = free_base(SZ_1G), .size = SZ_1G,
			     .reserve = 0, .map = map_dense };
	l.pagemap_end = l.base + l.size;
	w[0] = (struct bench_workload){ .name = "dense", .what = "1 GiB, every page" };
	measure(&w[0], &l);

	l = (struct layout){ .base = free_base(64 * SZ_1G), .size = 64 * SZ_1G,
			     .map = map_sparse };
	l.pagemap_end = l.base + l.size;
	w[1] = (struct bench_workload){ .name = "sparse", .what = "1 page per 2 MiB over 64 GiB" };
	measure(&w[1], &l);

	l = (struct layout){ .base = free_base(SZ_1G), .size = SZ_1G,
			     .reserve = 0, .map = map_huge };
	l.pagemap_end = l.base + l.size;
	w[2] = (struct bench_workload){ .name = "huge", .what = "1 GiB of THP" };
	measure(&w[2], &l);

	l = (struct layout){ .base = free_base(SZ_1G), .size = 0,
			     .reserve = 0, .map = map_mixed };
	/* 2048 VMAs of 4.5 pages on average, all in one range. */
	l.pagemap_end = l.base + MIXED_VMAS / 8 * 36 * MLPT_PAGE;
	w[3] = (struct bench_workload){ .name = "mixed", .what = "2048 VMAs of 1-8 pages" };
	measure(&w[3], &l);

	/* pagemap of 64 TiB would be 128 GiB of output: none. */
	l = (struct layout){ .base = free_base(64 * SZ_1T), .size = 64 * SZ_1T,
			     .map = map_reserved };
	w[4] = (struct bench_workload){ .name = "reserve", .what = "64 TiB PROT_NONE, 16 pages" };
	w[4].skip_reason[METHOD_PAGEMAP] = "128 GiB of output";
	measure(&w[4], &l);

	l = (struct layout){ .base = free_base(MANY_BYTES), .size = 0,
			     .reserve = 0, .map = map_many };
	l.pagemap_end = l.base + MANY_BYTES;
	w[5] = (struct bench_workload){ .name = "many", .what = "2113 VMAs like a process" };
	measure(&w[5], &l);
	res->nworkloads = BENCH_SYNTHETIC;

	for (i = 0; i < nreplays; i++) {
		struct replay *rp = &replays[i];
		int err = replay_place(rp, res->paging_levels);

		if (err) {
			errno = -err;
			die(rp->name);
		}
		l = (struct layout){ .map = map_replay, .replay = rp };
		w[res->nworkloads] = (struct bench_workload){
			.name = rp->name, .what = rp->what };
		measure(&w[res->nworkloads++], &l);
	}
}

/* Fastest walk-ns of @reps reports of a child mapping @l. */
static unsigned long long fastest_walk(struct layout *l)
{
	unsigned long long best;
	struct mlpt_child c;

	child_map(&c, l, NULL);
	best = fastest_walk_of(c.pid);
	mlpt_child_stop(&c);
	return best;
}

static void fit(struct bench_curve *c)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int i;

	for (i = 0; i < c->n; i++) {
		sx += c->p[i].x;
		sy += c->p[i].ns;
		sxx += (double)c->p[i].x * c->p[i].x;
		sxy += (double)c->p[i].x * c->p[i].ns;
	}
	c->slope = (c->n * sxy - sx * sy) / (c->n * sxx - sx * sx);
}

static void scaling(struct bench_results *res)
{
	static const unsigned long tables[] = { 1024, 4096, 16384, 65536 };
	static const unsigned long vsize[] = {
		SZ_1G, 64 * SZ_1G, SZ_1T, 16 * SZ_1T, 64 * SZ_1T };
	struct bench_curve *c = &res->by_tables;
	struct layout l;
	unsigned int i;

	c->name = "walk time by pte tables (1 page per 2 MiB)";
	c->x_label = "pte tables";
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		unsigned long size = tables[i] * MLPT_PMD_SIZE;

		l = (struct layout){ .base = free_base(size), .size = size,
			     .reserve = 0, .map = map_sparse };
		c->p[c->n++] = (struct bench_point){
			.x = tables[i], .ns = fastest_walk(&l) };
	}
	fit(c);

	c = &res->by_vsize;
	c->name = "walk time by PROT_NONE bytes reserved (1024 pte tables)";
	c->x_label = "bytes reserved";
	for (i = 0; i < ARRAY_SIZE(vsize); i++) {
		l = (struct layout){ .base = free_base(MLPT_P4D_SIZE + vsize[i]),
				     .size = 1024 * MLPT_PMD_SIZE,
				     .reserve = vsize[i], .map = map_sparse };
		c->p[c->n++] = (struct bench_point){
			.x = vsize[i], .ns = fastest_walk(&l) };
	}
	fit(c);
}

static void *private_buffer(size_t size);

struct latency_run {
	unsigned long long deadline;
	unsigned long long *ns;
	unsigned long long n;
};

/* The target's own work: map and unmap one page, as fast as it can. */
static void *mmap_loop(void *arg)
{
	struct latency_run *run = arg;

	while (run->n < LATENCY_MAX) {
		unsigned long long t0 = now_ns();
		void *p = mmap(NULL, MLPT_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || munmap(p, MLPT_PAGE))
			die("mmap in the target");
		run->ns[run->n++] = now_ns() - t0;
		if (t0 > run->deadline)
			break;
	}
	return NULL;
}

static void latency_of(struct bench_latency *lat, bool with_reader)
{
	struct latency_run run = { .ns = calloc(LATENCY_MAX, 8) };
	pthread_t thread;
	pid_t reader = 0;

	if (!run.ns)
		die("latency samples");
	if (with_reader) {
		char path[64];

		snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)getpid());
		reader = fork();
		if (reader < 0)
			die("fork");
		if (!reader) {
			/* chunk was not inherited (MADV_DONTFORK). */
			chunk = private_buffer(READ_CHUNK);
			for (;;)
				time_read(path);
		}
	}
	run.deadline = now_ns() + latency_seconds * 1000000000ULL;
	if (pthread_create(&thread, NULL, mmap_loop, &run) ||
	    pthread_join(thread, NULL))
		die("latency thread");
	if (reader) {
		kill(reader, SIGKILL);
		waitpid(reader, NULL, 0);
	}
	qsort(run.ns, run.n, 8, cmp_ull);
	lat->samples = run.n;
	lat->p50_ns = run.ns[run.n / 2];
	lat->p99_ns = run.ns[run.n * 99 / 100];
	lat->max_ns = run.ns[run.n - 1];
	free(run.ns);
}

/* The target is this process, holding the 64 GiB sparse workload. */
static void measure_latency(struct bench_results *res)
{
	struct layout l = { .base = free_base(64 * SZ_1G),
			    .size = 64 * SZ_1G, .map = map_sparse };

	if (map_sparse(&l)) {
		errno = ENOMEM;
		die("sparse workload for the latency run");
	}
	/* The reader is forked from here: it must not copy 64 GiB of it. */
	if (madvise((void *)l.base, l.size, MADV_DONTFORK))
		die("MADV_DONTFORK");
	latency_of(&res->idle, false);
	latency_of(&res->reading, true);
	munmap((void *)l.base, l.size);
}

static void target(struct bench_results *res, const char *what, double got,
		   double want, bool at_least)
{
	res->targets[res->ntargets++] =
		(struct bench_target){ what, got, want, at_least };
}

/*
 * The targets of issues 8 and 12 that compare two methods on one
 * workload (res->w[]: 0 dense, 1 sparse, 2 huge, 4 reserve, 5 many), on the
 * fastest of each method's runs: num's time over den's.
 */
static const struct {
	const char *what;
	int workload, num, den;
	double want;
	bool at_least;
} method_targets[] = {
	{ "dense: smaps_rollup / mlpt", 0, METHOD_SMAPS, METHOD_MLPT, 20, true },
	{ "sparse: smaps_rollup / mlpt", 1, METHOD_SMAPS, METHOD_MLPT, 3, true },
	{ "huge: smaps_rollup / mlpt", 2, METHOD_SMAPS, METHOD_MLPT, 3, true },
	{ "reserve: smaps_rollup / mlpt", 4, METHOD_SMAPS, METHOD_MLPT, 3, true },
	{ "many: smaps_rollup / mlpt", 5, METHOD_SMAPS, METHOD_MLPT, 10, true },
	{ "many: smaps / vmas", 5, METHOD_SMAPS_FULL, METHOD_VMAS, 2, true },
	{ "dense: pagemap / mlpt", 0, METHOD_PAGEMAP, METHOD_MLPT, 10, true },
	{ "sparse: pagemap / mlpt", 1, METHOD_PAGEMAP, METHOD_MLPT, 100, true },
	{ "dense: mlpt / memory scan", 0, METHOD_MLPT, METHOD_SCAN, 2, false },
	{ "sparse: mlpt / memory scan", 1, METHOD_MLPT, METHOD_SCAN, 2, false },
};

static void targets(struct bench_results *res)
{
	const struct bench_curve *v = &res->by_vsize;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(method_targets); i++) {
		const struct bench_workload *w =
			&res->w[method_targets[i].workload];

		target(res, method_targets[i].what,
		       (double)w->t[method_targets[i].num].min_ns /
		       w->t[method_targets[i].den].min_ns,
		       method_targets[i].want, method_targets[i].at_least);
	}
	/* Issue 12: every replayed real layout, 10x smaps_rollup. */
	for (i = BENCH_SYNTHETIC; i < (size_t)res->nworkloads; i++) {
		const struct bench_workload *w = &res->w[i];
		char *what;

		if (asprintf(&what, "%s: smaps_rollup / mlpt", w->name) < 0)
			die("target");
		target(res, what, (double)w->t[METHOD_SMAPS].min_ns /
		       w->t[METHOD_MLPT].min_ns, 10, true);
	}
	target(res, "walk 64 TiB reserved / 1 GiB reserved",
	       (double)v->p[v->n - 1].ns / v->p[0].ns, 1.5, false);
	target(res, "mmap p99 with reader / without",
	       (double)res->reading.p99_ns / res->idle.p99_ns, 2, false);
	target(res, "survey: mlpt --all / grep VmPTE",
	       (double)res->survey.min_ns[SURVEY_MLPT] /
	       res->survey.min_ns[SURVEY_GREP], 3, false);
}

static const char *describe_machine(void)
{
	static char desc[256];
	struct utsname u;
	char hv[64] = "real machine";
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "hypervisor")) {
			snprintf(hv, sizeof(hv), "virtual machine");
			break;
		}
	if (f)
		fclose(f);
	uname(&u);
	snprintf(desc, sizeof(desc), "Linux %s, %s", u.release, hv);
	return desc;
}

/*
 * Written once (real pages, not the shared zero page) and kept out of the
 * workload children: they would copy it when they fault everything in.
 */
static void *private_buffer(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || madvise(p, size, MADV_DONTFORK))
		die("buffers");
	memset(p, 0, size);
	return p;
}

static int is_layout(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 7 && !strcmp(d->d_name + n - 7, ".layout");
}

/* Every DIR/NAME.layout, in the order of their names. */
static void load_replays(const char *dir)
{
	struct dirent **d;
	char path[4096];
	int i, n = scandir(dir, &d, is_layout, alphasort);

	if (n < 0)
		die(dir);
	if (!n || n > BENCH_REPLAYS) {
		fprintf(stderr, "mlpt-bench: %s: %d layouts, want 1 to %d\n",
			dir, n, BENCH_REPLAYS);
		exit(2);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, d[i]->d_name);
		d[i]->d_name[strlen(d[i]->d_name) - 7] = 0;
		if (replay_load(path, d[i]->d_name, &replays[nreplays++]))
			exit(2);
		free(d[i]);
	}
	free(d);
}

static void options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "layouts", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *layouts = "/lib/mlpt-bench";
	int opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'q':
			reps = 3;
			latency_seconds = 1;
			break;
		case 'l':
			layouts = optarg;
			break;
		default:
			fprintf(stderr, "usage: mlpt-bench [--quick] [--layouts DIR]\n");
			exit(2);
		}
	}
	load_replays(layouts);
}

int main(int argc, char **argv)
{
	static struct bench_results res;
	struct mlpt_report self;
	int i, missed = 0;

	options(argc, argv);
	chunk = private_buffer(READ_CHUNK);
	/* The largest workload's tables: 32768 pte tables + a few. */
	scan_bytes = 160UL << 20;
	scan_buf = private_buffer(scan_bytes);
	report_of(getpid(), &self);
	res.machine = describe_machine();
	res.paging_levels = self.paging_levels;
	res.reps = reps;

	workloads(&res);
	scaling(&res);
	measure_latency(&res);
	if (bench_survey(&res.survey, reps))
		die("the survey (is mlpt on PATH?)");
	targets(&res);

	bench_print_table(&res);
	printf("MLPT-BENCH-JSON-BEGIN\n");
	bench_print_json(&res);
	printf("MLPT-BENCH-JSON-END\nMLPT-BENCH-SVG-BEGIN\n");
	bench_print_svg(&res);
	printf("MLPT-BENCH-SVG-END\n");
	for (i = 0; i < res.ntargets; i++)
		missed += !bench_target_met(&res.targets[i]);
	for (i = 0; i < res.nworkloads; i++)
		missed += !bench_replay_ok(&res.w[i]);
	return missed ? 1 : 0;
}
