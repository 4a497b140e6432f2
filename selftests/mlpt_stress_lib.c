// SPDX-License-Identifier: GPL-2.0
/*
 * Shared code of the mlpt stress selftests; see mlpt_stress_lib.h.
 *
 * A reader must never see a partial or corrupt report, whatever its
 * target does meanwhile, so every text it gets is checked in full: a
 * summary parses and obeys mlpt_report_invariants(), a `vmas` report's
 * columns add up to the totals that follow it, and a translation walks
 * the levels in order down to one valid stop.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "mlpt_stress_lib.h"

/* Failures a reader prints before it only counts them. */
#define MLPT_PRINT_ERRORS	5
/*
 * Stack of a target's thread: deep enough for libc and the tests' small
 * frames, and too small for a huge page (no aligned pmd span inside).
 */
#define MLPT_THREAD_STACK	(256 * 1024)

unsigned int mlpt_stress_seconds(void)
{
	const char *s = getenv("MLPT_STRESS_SECONDS");
	long v = s ? strtol(s, NULL, 10) : 0;

	return v > 0 && v < 3600 ? v : 5;
}

/*
 * How many times slower than Debian's kernels this one runs (the debug
 * kernel's checks: scripts/lib.sh, kernel_slowdown): rates the tests
 * expect are divided by it.
 */
unsigned int mlpt_slowdown(void)
{
	const char *s = getenv("MLPT_SLOWDOWN");
	long v = s ? strtol(s, NULL, 10) : 0;

	return v > 0 && v < 100 ? v : 1;
}

unsigned long long mlpt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void *mlpt_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void mlpt_op_begin(struct mlpt_ops *ops)
{
	__atomic_fetch_add(&ops->begun, 1, __ATOMIC_SEQ_CST);
}

void mlpt_op_end(struct mlpt_ops *ops)
{
	__atomic_fetch_add(&ops->ended, 1, __ATOMIC_SEQ_CST);
}

bool mlpt_op_wait(struct mlpt_ops *ops)
{
	while (__atomic_load_n(&ops->quiet, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&ops->stop, __ATOMIC_SEQ_CST))
		usleep(500);
	return !__atomic_load_n(&ops->stop, __ATOMIC_SEQ_CST);
}

void mlpt_ops_alternate(struct mlpt_ops *ops,
			const struct mlpt_read_stats *st,
			unsigned long long end_ns)
{
	unsigned long checks;
	unsigned long long quiet_end;

	while (mlpt_now_ns() < end_ns) {
		usleep(120000);
		checks = __atomic_load_n(&st->equal_checks, __ATOMIC_SEQ_CST);
		__atomic_store_n(&ops->quiet, 1, __ATOMIC_SEQ_CST);
		quiet_end = mlpt_now_ns() + 1000000000ULL;
		while (__atomic_load_n(&st->equal_checks, __ATOMIC_SEQ_CST) ==
		       checks && mlpt_now_ns() < quiet_end)
			usleep(2000);
		__atomic_store_n(&ops->quiet, 0, __ATOMIC_SEQ_CST);
	}
}

/*
 * A thread's start is a change of the tables like any other: its stack is
 * mapped and faulted in.  Faulted in here, inside the operation, and not
 * lazily by the thread later: a fault that maps a huge page makes the pmd
 * visible before mm_pgtables_bytes() counts the table deposited behind it
 * (set_pmd_at() comes before mm_inc_nr_ptes() in the THP fault path), so
 * a walk between the two sees one table more than the kernel's count, and
 * a reader must know to leave such a walk out of its walk == kernel check.
 */
int mlpt_thread_start(struct mlpt_ops *ops, pthread_t *tid,
		      void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	void *stack;
	int ret;

	mlpt_op_begin(ops);
	stack = mmap(NULL, MLPT_THREAD_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED) {
		ret = errno;
		goto out;
	}
	memset(stack, 0, MLPT_THREAD_STACK);
	ret = pthread_attr_init(&attr);
	if (ret)
		goto out;
	ret = pthread_attr_setstack(&attr, stack, MLPT_THREAD_STACK);
	if (!ret)
		ret = pthread_create(tid, &attr, fn, arg);
	pthread_attr_destroy(&attr);
out:
	mlpt_op_end(ops);
	return ret;
}

/*
 * No operation was under way when begun and ended were read, in that
 * order, and none began before begun is read again: the tables did not
 * change in between (but for the kernel's own accounting-neutral work).
 */
static bool ops_idle(struct mlpt_ops *ops, unsigned long *begun)
{
	unsigned long b = __atomic_load_n(&ops->begun, __ATOMIC_SEQ_CST);
	unsigned long e = __atomic_load_n(&ops->ended, __ATOMIC_SEQ_CST);

	*begun = b;
	return b == e;
}

/* ---- checks of one report ------------------------------------------ */

int mlpt_check_summary(const char *text, pid_t pid, struct mlpt_report *r,
		       char *err, size_t errlen)
{
	if (mlpt_parse(text, r, err, errlen))
		return -1;
	if (pid && r->pid != pid) {
		snprintf(err, errlen, "pid %ld, want %d", r->pid, (int)pid);
		return -1;
	}
	if (mlpt_report_invariants(r)) {
		snprintf(err, errlen, "invariants broken (see above)");
		return -1;
	}
	return 0;
}

/*
 * Header, one row per VMA in address order, a blank line, then the
 * summary without its format line: the columns sum to its tables.
 */
int mlpt_check_vmas(const char *text, pid_t pid, char *err, size_t errlen)
{
	static const char format[] = "mlpt-format: 1\n";
	static const char header[] =
		"start              end                perms  pud pmd pte  leaf-bytes  name\n";
	static char summary[MLPT_REPORT_MAX];
	unsigned long long sum[3] = { 0 }, leaf = 0, rows = 0, prev_end = 0;
	unsigned long long first = 0, last = 0;
	const char *p, *tail = strstr(text, "\n\n");
	struct mlpt_report r;
	char line[1024], *f[MLPT_MAX_FIELDS];
	int n, i;

	if (strncmp(text, format, sizeof(format) - 1) ||
	    strncmp(text + sizeof(format) - 1, header, sizeof(header) - 1) ||
	    !tail) {
		snprintf(err, errlen, "vmas: no header or no summary");
		return -1;
	}
	for (p = text + sizeof(format) + sizeof(header) - 2; p < tail + 1;) {
		size_t len = strcspn(p, "\n");
		unsigned long long start, end;

		if (len >= sizeof(line)) {
			snprintf(err, errlen, "vmas: row too long");
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + 1;
		n = mlpt_split(line, f);
		if (n < 8 || sscanf(f[0], "0x%llx", &start) != 1 ||
		    sscanf(f[1], "0x%llx", &end) != 1 || start >= end ||
		    start < prev_end || strlen(f[2]) != 4) {
			snprintf(err, errlen, "vmas: bad row %llu", rows);
			return -1;
		}
		if (!rows)
			first = start;
		last = end;
		prev_end = end;
		for (i = 0; i < 3; i++)
			sum[i] += strtoull(f[3 + i], NULL, 10);
		leaf += strtoull(f[6], NULL, 10);
		rows++;
	}
	snprintf(summary, sizeof(summary), "mlpt-format: 1\n%s", tail + 2);
	if (mlpt_check_summary(summary, pid, &r, err, errlen))
		return -1;
	if (r.vmas != rows || (rows && (r.va_lowest != first ||
					r.va_highest != last)) ||
	    r.lvl[MLPT_PUD][MLPT_TABLES] != sum[0] ||
	    r.lvl[MLPT_PMD][MLPT_TABLES] != sum[1] ||
	    r.lvl[MLPT_PTE][MLPT_TABLES] != sum[2] ||
	    r.resident_bytes != leaf) {
		snprintf(err, errlen,
			 "vmas: rows %llu/%llu tables %llu/%llu %llu/%llu %llu/%llu leaf %llu/%llu",
			 rows, r.vmas, sum[0], r.lvl[MLPT_PUD][MLPT_TABLES],
			 sum[1], r.lvl[MLPT_PMD][MLPT_TABLES], sum[2],
			 r.lvl[MLPT_PTE][MLPT_TABLES], leaf, r.resident_bytes);
		return -1;
	}
	return 0;
}

/*
 * The format line, the address, then "vma: none" or the rows pgd..stop,
 * each "next" but the stop, indexes as the address gives them, and after
 * a leaf exactly offset, pfn and physical.  Nothing else, nothing after.
 */
int mlpt_check_translate(const char *text, unsigned long addr, bool phys,
			 char *err, size_t errlen)
{
	static const char header[] =
		"level index entry              flags        result";
	char want[64], line[256], *f[MLPT_MAX_FIELDS];
	const char *p = text;
	char result[16] = "next";
	unsigned long pgd_index = ~0UL;
	/* A walk that stops at the pgd never shows the folded rows. */
	int levels = mlpt_levels();
	int l = 0, n, stop = -1, after = 0;
	unsigned long long v;

	snprintf(want, sizeof(want), "mlpt-format: 1\ntranslate: 0x%016lx\n",
		 addr);
	if (strncmp(p, want, strlen(want))) {
		snprintf(err, errlen, "translate: bad head");
		return -1;
	}
	p += strlen(want);
	if (!strcmp(p, "vma: none\n"))
		return 0;
	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len >= sizeof(line) || p[len] != '\n') {
			snprintf(err, errlen, "translate: unterminated line");
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + 1;
		if (l == 0 && stop < 0 && !strcmp(line, header)) {
			stop = MLPT_NR_LEVELS;
			continue;
		}
		if (stop < 0)
			goto bad;
		if (l < MLPT_NR_LEVELS && !strcmp(result, "next")) {
			unsigned int shift;

			n = mlpt_split(line, f);
			if (n < 4 || strcmp(f[0], mlpt_level_names[l]))
				goto bad;
			if (mlpt_level_folded(l, levels) !=
			    !strcmp(f[3], "folded"))
				goto bad;
			/* The shift of the entry index: the bytes a leaf maps. */
			shift = mlpt_entry_shift(l, levels);
			/* The pgd's index is checked after the rows. */
			if (l == MLPT_PGD)
				pgd_index = strtoul(f[1], NULL, 10);
			else if (strtoul(f[1], NULL, 10) !=
				 (mlpt_level_folded(l, levels) ? 0 :
				  (addr >> shift) & (mlpt_table_entries() - 1)))
				goto bad;
			/* The entry: folded "-", else shown or hidden. */
			if (strcmp(f[2], "-") &&
			    (phys ? strncmp(f[2], "0x", 2) : strcmp(f[2], "hidden")))
				goto bad;
			/* Copied: f[] points into line, reused next. */
			snprintf(result, sizeof(result), "%s", f[n - 1]);
			if (strcmp(result, "next") && strcmp(result, "leaf") &&
			    strcmp(result, "none") &&
			    strcmp(result, "nonpresent"))
				goto bad;
			if (strcmp(result, "next"))
				stop = l;
			l++;
			continue;
		}
		/* After the rows: offset, pfn, physical after a leaf only. */
		if (strcmp(result, "leaf"))
			goto bad;
		after++;
		if (after == 1 && sscanf(line, "offset: 0x%llx", &v) == 1) {
			if (v != (addr & ((1UL << mlpt_entry_shift(stop, levels)) - 1)))
				goto bad;
			continue;
		}
		if ((after == 2 && !strncmp(line, "pfn: ", 5)) ||
		    (after == 3 && !strncmp(line, "physical: ", 10))) {
			if (phys == !!strstr(line, "hidden"))
				goto bad;
			continue;
		}
		goto bad;
	}
	if (stop < 0 || stop == MLPT_NR_LEVELS || !strcmp(result, "next") ||
	    after != (strcmp(result, "leaf") ? 0 : 3)) {
		snprintf(err, errlen, "translate: no stop");
		return -1;
	}
	/*
	 * 4-level: the pgd holds 512 GiB entries (bits 39-47); 3: 1 GiB;
	 * with 16 KiB pages 128 TiB (bits 47-51) and 64 GiB (bits 36-46).
	 */
	if (pgd_index != ((addr >> mlpt_entry_shift(MLPT_PGD, levels)) &
			  (mlpt_pgd_entries(levels) - 1))) {
		snprintf(err, errlen, "translate: pgd index %lu", pgd_index);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "translate: bad line '%.80s' at level %d", line,
		 l);
	return -1;
}

/* ---- readers -------------------------------------------------------- */

static char rbuf[MLPT_STRESS_BUF];

/* A random pid with a file in /proc/mlpt, or 0. */
static pid_t random_pid(unsigned int *seed)
{
	pid_t pids[1024];
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(MLPT_DIR);

	if (!d)
		return 0;
	while (n < (int)ARRAY_SIZE(pids) && (de = readdir(d)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			pids[n++] = atoi(de->d_name);
	closedir(d);
	return n ? pids[rand_r(seed) % n] : 0;
}

enum { READ_SUMMARY, READ_VMAS, READ_TRANSLATE, READ_KINDS };

/*
 * One fresh open, an optional command, a read of the whole report.
 * Returns bytes read, 0 when the target is gone, -errno otherwise.
 */
static ssize_t read_one(pid_t pid, const char *cmd)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)pid);
	fd = open(path, cmd ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -errno;
	if (cmd && write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		n = -errno;
		close(fd);
		return n;
	}
	n = mlpt_read_all(fd, rbuf, sizeof(rbuf));
	close(fd);
	return n;
}

static void reader_error(struct mlpt_read_stats *st, pid_t pid,
			 const char *what, const char *err)
{
	if (__atomic_fetch_add(&st->errors, 1, __ATOMIC_SEQ_CST) <
	    MLPT_PRINT_ERRORS)
		fprintf(stderr, "# reader: pid %d %s: %s\n", (int)pid, what,
			err);
}

void mlpt_reader_run(const struct mlpt_reader *rd, struct mlpt_read_stats *st)
{
	unsigned int seed = rd->seed;
	unsigned long long t0, dt, started = mlpt_now_ns();
	int kind = rd->seed % READ_KINDS;
	struct mlpt_report r;
	char err[256], cmd[64];
	unsigned long addr = 0;
	/*
	 * Where a random translate may land: below 2^47 and below the top of
	 * user space, 2^38 in riscv64's Sv39 (the module refuses the rest).
	 */
	unsigned long top = mlpt_user_top(mlpt_levels());
	unsigned long room = top < (1UL << 47) ? top : 1UL << 47;
	ssize_t n;

	while (mlpt_now_ns() < rd->deadline_ns) {
		pid_t pid = rd->target ? rd->target : random_pid(&seed);
		unsigned long begun = 0;
		long long pte_before = 0;
		bool idle = false;

		if (!pid)
			continue;
		kind = rd->summary_only ? READ_SUMMARY : (kind + 1) % READ_KINDS;
		cmd[0] = '\0';
		if (kind == READ_VMAS) {
			snprintf(cmd, sizeof(cmd), "vmas\n");
		} else if (kind == READ_TRANSLATE) {
			unsigned long span = rd->tr_end - rd->tr_start;

			addr = span ? rd->tr_start +
				      ((unsigned long)rand_r(&seed) << 12) % span :
				      ((unsigned long)rand_r(&seed) << 12) % room;
			snprintf(cmd, sizeof(cmd), "translate 0x%lx", addr);
		} else if (rd->ops) {
			idle = ops_idle(rd->ops, &begun);
			pte_before = mlpt_vmpte_kb(pid);
		}
		t0 = mlpt_now_ns();
		n = read_one(pid, cmd[0] ? cmd : NULL);
		dt = mlpt_now_ns() - t0;
		if (n < 0) {
			snprintf(err, sizeof(err), "%s", strerror(-n));
			reader_error(st, pid, cmd[0] ? cmd : "read", err);
			continue;
		}
		if (!n) {
			__atomic_fetch_add(&st->gone, 1, __ATOMIC_SEQ_CST);
			continue;
		}
		if (dt > st->worst_read_ns)
			st->worst_read_ns = dt;	/* racy max: a figure only */
		if (kind == READ_VMAS) {
			if (mlpt_check_vmas(rbuf, pid, err, sizeof(err)))
				reader_error(st, pid, "vmas", err);
			__atomic_fetch_add(&st->vmas_reads, 1,
					   __ATOMIC_SEQ_CST);
			continue;
		}
		if (kind == READ_TRANSLATE) {
			/* Root opened it: the entries are shown. */
			if (mlpt_check_translate(rbuf, addr, !geteuid(), err,
						 sizeof(err)))
				reader_error(st, pid, cmd, err);
			__atomic_fetch_add(&st->translate_reads, 1,
					   __ATOMIC_SEQ_CST);
			continue;
		}
		if (mlpt_check_summary(rbuf, pid, &r, err, sizeof(err))) {
			reader_error(st, pid, "summary", err);
			continue;
		}
		__atomic_fetch_add(&st->reads, 1, __ATOMIC_SEQ_CST);
		if (r.lvl[MLPT_PMD][MLPT_LEAF])
			__atomic_fetch_add(&st->thp_seen, 1, __ATOMIC_SEQ_CST);
		if (r.lvl[MLPT_PTE][MLPT_NONPRESENT] ||
		    r.lvl[MLPT_PMD][MLPT_NONPRESENT])
			__atomic_fetch_add(&st->nonpresent_seen, 1,
					   __ATOMIC_SEQ_CST);
		if (!idle)
			continue;
		if (!ops_idle(rd->ops, &addr) || addr != begun ||
		    mlpt_vmpte_kb(pid) != pte_before ||
		    r.kernel_pgtables_bytes != (unsigned long long)pte_before * 1024)
			continue;
		__atomic_fetch_add(&st->equal_checks, 1, __ATOMIC_SEQ_CST);
		if (r.walk_pgtables_bytes != r.kernel_pgtables_bytes) {
			/* What the walk saw, and when, for whoever debugs it. */
			snprintf(err, sizeof(err),
				 "walk-pgtables-bytes %llu != kernel-pgtables-bytes %llu with no change (%.1f s into the run; tables pud %llu pmd %llu pte %llu, pmd leaves %llu, deposited %llu)",
				 r.walk_pgtables_bytes,
				 r.kernel_pgtables_bytes,
				 (t0 - started) / 1e9,
				 r.lvl[MLPT_PUD][MLPT_TABLES],
				 r.lvl[MLPT_PMD][MLPT_TABLES],
				 r.lvl[MLPT_PTE][MLPT_TABLES],
				 r.lvl[MLPT_PMD][MLPT_LEAF],
				 r.deposited_tables);
			reader_error(st, pid, "summary", err);
		}
	}
}

int mlpt_readers_start(const struct mlpt_reader *rd, int n,
		       struct mlpt_read_stats *st, pid_t *pids)
{
	int i;

	fflush(NULL);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return i;
		if (!pids[i]) {
			struct mlpt_reader mine = *rd;

			mine.seed = rd->seed + i;
			mlpt_reader_run(&mine, st);
			_exit(0);
		}
	}
	return n;
}

int mlpt_readers_wait(pid_t *pids, int n)
{
	int i, status, bad = 0;

	for (i = 0; i < n; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	return bad;
}

void mlpt_stress_print(const char *group, const struct mlpt_read_stats *st,
		       const char *extra)
{
	printf("# figures %s: reads %lu vmas %lu translate %lu gone %lu ",
	       group, st->reads, st->vmas_reads, st->translate_reads,
	       st->gone);
	printf("equal-checks %lu errors %lu worst-read-ms %.1f%s%s\n",
	       st->equal_checks, st->errors, st->worst_read_ns / 1e6,
	       extra ? " " : "", extra ? extra : "");
	fflush(stdout);
}
