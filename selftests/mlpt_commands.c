// SPDX-License-Identifier: GPL-2.0
/*
 * Commands written to /proc/mlpt/<pid>: translate, vmas, summary and the
 * EINVAL of anything else.  A stopped child holds, in a free slot
 * (mlpt_free_slots()), 8 written pages at +0, a THP at +2 MiB and an untouched page at
 * +1 GiB, so every translation has one exact answer, which pagemap
 * confirms down to the PFN.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

static char buf[MLPT_REPORT_MAX];

/* The child's mappings; the test computes the same addresses. */
struct cmd_map {
	struct mlpt_touch pages;
	struct mlpt_touch thp;
	unsigned long untouched;
};

static int cmd_step(void *arg, int step)
{
	struct cmd_map *m = arg;
	void *p;
	int ret;

	(void)step;
	ret = mlpt_map_touch(&m->pages, 0, MADV_NOHUGEPAGE, false);
	if (!ret)
		ret = mlpt_map_touch(&m->thp, 0, MADV_HUGEPAGE, false);
	if (ret)
		return ret;
	p = mmap((void *)m->untouched, MLPT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	return p == (void *)m->untouched ? 0 : -EEXIST;
}

FIXTURE(cmd) {
	struct mlpt_child child;
	struct cmd_map m;
	int fd;
};

FIXTURE_SETUP(cmd)
{
	unsigned long base = mlpt_free_slots(1);

	ASSERT_NE(0UL, base);
	self->m.pages = (struct mlpt_touch){ base, 8, MLPT_PTE, false };
	self->m.thp = (struct mlpt_touch){ base + MLPT_PMD_SIZE, 0, MLPT_PMD,
					   true };
	self->m.untouched = base + MLPT_PUD_SIZE;
	ASSERT_EQ(0, mlpt_child_start(&self->child, cmd_step, &self->m));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
	self->fd = -1;
}

FIXTURE_TEARDOWN(cmd)
{
	if (self->fd >= 0)
		close(self->fd);
	mlpt_child_stop(&self->child);
}

/* Write @cmd to a fresh O_RDWR open, read the answer from offset 0. */
static int command(FIXTURE_DATA(cmd) * self, const char *cmd)
{
	char path[64];
	ssize_t n;

	if (self->fd < 0) {
		snprintf(path, sizeof(path), MLPT_DIR "/%d",
			 (int)self->child.pid);
		self->fd = open(path, O_RDWR);
		if (self->fd < 0)
			return -errno;
	}
	if (write(self->fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return -errno;
	n = pread(self->fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* One row of the translate table. */
struct step_row {
	bool seen;
	unsigned long index;
	char entry[24];
	char flags[64];		/* the flag words, one space apart */
	char result[16];
};

struct translation {
	unsigned long long addr;
	struct step_row row[MLPT_NR_LEVELS];
	bool has_offset, has_pfn, pfn_hidden;
	unsigned long long offset, pfn, physical;
};

static void parse_row(struct translation *t, char **f, int n)
{
	int l, i;

	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		if (strcmp(f[0], mlpt_level_names[l]) || n < 4)
			continue;
		t->row[l].seen = true;
		t->row[l].index = strtoul(f[1], NULL, 10);
		snprintf(t->row[l].entry, sizeof(t->row[l].entry), "%s", f[2]);
		t->row[l].flags[0] = '\0';
		for (i = 3; i < n - 1; i++)
			snprintf(t->row[l].flags + strlen(t->row[l].flags),
				 sizeof(t->row[l].flags) - strlen(t->row[l].flags),
				 "%s%s", i > 3 ? " " : "", f[i]);
		snprintf(t->row[l].result, sizeof(t->row[l].result), "%s",
			 f[n - 1]);
	}
}

/* Parse the translate answer in buf: key lines, then the rows. */
static void parse_translation(struct translation *t)
{
	char *save, *line, *f[MLPT_MAX_FIELDS];
	int n;

	memset(t, 0, sizeof(*t));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "translate: %llx", &t->addr) == 1)
			continue;
		if (sscanf(line, "offset: %llx", &t->offset) == 1) {
			t->has_offset = true;
			continue;
		}
		if (!strncmp(line, "pfn:", 4)) {
			t->has_pfn = true;
			t->pfn_hidden = strstr(line, "hidden");
			if (sscanf(line, "pfn: %llx", &t->pfn) != 1)
				t->pfn = 0;
			continue;
		}
		if (sscanf(line, "physical: %llx", &t->physical) == 1)
			continue;
		n = mlpt_split(line, f);
		if (n)
			parse_row(t, f, n);
	}
}

/*
 * Rows pgd..@leaf must be there with the index the address gives, each
 * "next" but @leaf, which has @last; none below it.  A folded row (p4d
 * below 5 levels, pud below 4) has index 0 and entry "-".
 */
static int check_rows(const struct translation *t, unsigned long addr,
		      int levels, int leaf, const char *last)
{
	int bad = 0;
	int l;

	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		const struct step_row *r = &t->row[l];
		bool folded = mlpt_level_folded(l, levels);
		unsigned long entries = l == MLPT_PGD ?
					mlpt_pgd_entries(levels) :
					mlpt_table_entries();
		unsigned long index = folded ? 0 :
				      (addr >> mlpt_entry_shift(l, levels)) &
				      (entries - 1);
		const char *want = l == leaf ? last : "next";

		if (l > leaf) {
			if (r->seen) {
				fprintf(stderr, "# row %s after the stop\n",
					mlpt_level_names[l]);
				bad++;
			}
			continue;
		}
		if (!r->seen || r->index != index || strcmp(r->result, want) ||
		    (folded && strcmp(r->entry, "-"))) {
			fprintf(stderr,
				"# row %s: seen %d index %lu (want %lu) result %s (want %s) entry %s\n",
				mlpt_level_names[l], r->seen, r->index, index,
				r->result, want, r->entry);
			bad++;
		}
	}
	return bad;
}

/*
 * Every table entry of a user walk, as pgd_populate() ... pmd_populate()
 * write it for a user address space: arm64 a valid table descriptor with
 * PXNTable; riscv64 V alone (R, W and X clear is what makes it point to
 * a table).
 */
#if defined(__aarch64__)
#define TABLE_FLAGS "V TABLE PXNTable"
#elif defined(__riscv)
#define TABLE_FLAGS "V"
#endif

#ifdef TABLE_FLAGS
/* Each row above @leaf shows TABLE_FLAGS; a folded row says "folded". */
static int check_tables(const struct translation *t, int levels, int leaf)
{
	int bad = 0;
	int l;

	for (l = 0; l < leaf; l++) {
		const char *want = mlpt_level_folded(l, levels) ? "folded" :
				   TABLE_FLAGS;

		if (strcmp(t->row[l].flags, want)) {
			fprintf(stderr, "# row %s: flags '%s', want '%s'\n",
				mlpt_level_names[l], t->row[l].flags, want);
			bad++;
		}
	}
	return bad;
}
#endif

/* The paging levels of @pid's tree as the module reports them, or 0. */
static int levels_of(pid_t pid)
{
	struct mlpt_report r;

	return mlpt_report_pid(pid, &r) ? 0 : (int)r.paging_levels;
}

/* A page leaf: pte row leaf, offset in the page, pagemap's PFN. */
TEST_F(cmd, translate_pte)
{
	unsigned long addr = self->m.pages.addr + 5 * MLPT_PAGE + 0xabc;
	int levels = levels_of(self->child.pid);
	struct translation t;
	char cmd[64];
	long long pfn;

	snprintf(cmd, sizeof(cmd), "translate 0x%lx\n", addr);
	ASSERT_EQ(0, command(self, cmd));
	parse_translation(&t);
	ASSERT_EQ(addr, t.addr);
	ASSERT_EQ(0, check_rows(&t, addr, levels, MLPT_PTE, "leaf"));
	ASSERT_TRUE(t.has_offset);
	ASSERT_EQ(0xabcULL, t.offset);
	/* root opened it: CAP_SYS_ADMIN shows the frame. */
	pfn = mlpt_pagemap_pfn(self->child.pid, addr);
	ASSERT_LT(0, pfn);
	ASSERT_TRUE(t.has_pfn);
	ASSERT_FALSE(t.pfn_hidden);
	ASSERT_EQ((unsigned long long)pfn, t.pfn);
	ASSERT_EQ(((unsigned long long)pfn << mlpt_page_shift()) + 0xabc,
		  t.physical);
#ifdef __aarch64__
	/*
	 * A written private anonymous page: valid page descriptor, accessed,
	 * AP[2:1] = 01 (read-write at EL0 and EL1), not global, writable
	 * (DBM, Linux's write bit), never executable by the kernel nor, as
	 * PROT_READ | PROT_WRITE, by user space.
	 */
	ASSERT_STREQ("V PAGE AF AP=01 nG DBM PXN UXN", t.row[MLPT_PTE].flags);
	ASSERT_EQ(0, check_tables(&t, levels, MLPT_PTE));
#elif defined(__riscv)
	/*
	 * A written private anonymous page: valid, readable, writable, user,
	 * accessed and dirty (the write fault set both), neither executable
	 * (PROT_READ | PROT_WRITE) nor global (only PROT_NONE entries are).
	 */
	ASSERT_STREQ("V R W U A D", t.row[MLPT_PTE].flags);
	ASSERT_EQ(0, check_tables(&t, levels, MLPT_PTE));
#endif
}

/* A THP: the walk ends with a pmd leaf; physical agrees with pagemap. */
TEST_F(cmd, translate_pmd_leaf)
{
	unsigned long addr = self->m.thp.addr + 0x12345;
	int levels = levels_of(self->child.pid);
	struct translation t;
	char cmd[64];
	long long pfn;

	snprintf(cmd, sizeof(cmd), "translate %lu\n", addr);
	ASSERT_EQ(0, command(self, cmd));
	parse_translation(&t);
	ASSERT_EQ(addr, t.addr);
	ASSERT_EQ(0, check_rows(&t, addr, levels, MLPT_PMD, "leaf"));
	pfn = mlpt_pagemap_pfn(self->child.pid, addr);
	ASSERT_LT(0, pfn);
	/* pagemap gives the frame of addr's page: 0x345 into it (0x2345 with 16 KiB). */
	ASSERT_EQ(((unsigned long long)pfn << mlpt_page_shift()) +
		  (0x12345 & (MLPT_PAGE - 1)), t.physical);
#ifdef __aarch64__
	/* A written THP: a block descriptor with a page's attributes. */
	ASSERT_STREQ("V BLOCK AF AP=01 nG DBM PXN UXN", t.row[MLPT_PMD].flags);
	ASSERT_EQ(0, check_tables(&t, levels, MLPT_PMD));
#elif defined(__riscv)
	/* A written THP: a pmd leaf with a written page's bits. */
	ASSERT_STREQ("V R W U A D", t.row[MLPT_PMD].flags);
	ASSERT_EQ(0, check_tables(&t, levels, MLPT_PMD));
#endif
}

/*
 * Mapped, never touched, alone in its 1 GiB: the entry that maps that
 * 1 GiB is empty, so the walk stops there with "none" and there is no
 * frame.  It is a pud entry, or with 3 levels (the pud folded) the pgd's.
 */
TEST_F(cmd, translate_none)
{
	unsigned long addr = self->m.untouched + 0x10;
	int levels = levels_of(self->child.pid);
	struct translation t;
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "translate 0x%lx", addr);
	ASSERT_EQ(0, command(self, cmd));
	parse_translation(&t);
	ASSERT_EQ(addr, t.addr);
	ASSERT_EQ(0, check_rows(&t, addr, levels,
				levels < 4 ? MLPT_PGD : MLPT_PUD, "none"));
	ASSERT_FALSE(t.has_pfn);
}

/* Without CAP_SYS_ADMIN entries and frames are hidden. */
TEST(translate_hidden)
{
	static int here = 1;
	struct translation t;
	char cmd[64];
	int fd, status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(10);
		/* Its own file: always allowed. */
		fd = open(MLPT_DIR "/self", O_RDWR);
		if (fd < 0)
			_exit(11);
		here++;
		snprintf(cmd, sizeof(cmd), "translate 0x%lx\n",
			 (unsigned long)&here);
		if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) ||
		    pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
			_exit(12);
		parse_translation(&t);
		if (!t.has_pfn || !t.pfn_hidden)
			_exit(13);
		if (strcmp(t.row[MLPT_PTE].entry, "hidden") ||
		    strcmp(t.row[MLPT_PTE].result, "leaf"))
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

/* Anything but a known command: EINVAL, and the file stays as it was. */
TEST_F(cmd, bad_commands)
{
	static const char *const bad[] = {
		"bogus\n", "translate\n", "translate 0xzz\n", "translate -1\n",
		"summary extra\n", "vmas vmas\n", "translate 0x\n",
	};
	struct mlpt_report r;
	char err[128];
	unsigned int i;
	ssize_t n;

	ASSERT_EQ(0, command(self, "summary\n"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		n = write(self->fd, bad[i], strlen(bad[i]));
		TH_LOG("command '%.*s'", (int)strlen(bad[i]) - 1, bad[i]);
		ASSERT_EQ(-1, n);
		ASSERT_EQ(EINVAL, errno);
	}
	n = pread(self->fd, buf, sizeof(buf) - 1, 0);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	ASSERT_EQ(0, mlpt_parse(buf, &r, err, sizeof(err)));
	ASSERT_EQ(self->child.pid, r.pid);
}

/* Columns of the vmas table, found by header name. */
enum { V_START, V_END, V_PUD, V_PMD, V_PTE, V_LEAF, V_NR };

static const char *const vcols[V_NR] = {
	"start", "end", "pud", "pmd", "pte", "leaf-bytes"
};

struct vma_sums {
	unsigned long rows;
	unsigned long long tables[3];	/* pud, pmd, pte */
	unsigned long long leaf_bytes;
	unsigned long long first_start, last_end;
};

static int sum_vmas(struct vma_sums *s)
{
	char *save, *line, *f[MLPT_MAX_FIELDS];
	int col[V_NR], i, c, n;
	bool header = false;

	memset(s, 0, sizeof(*s));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		n = mlpt_split(line, f);
		if (n && !strcmp(f[0], "start")) {
			for (c = 0; c < V_NR; c++)
				for (col[c] = -1, i = 0; i < n; i++)
					if (!strcmp(f[i], vcols[c]))
						col[c] = i;
			header = true;
			continue;
		}
		/* Rows start with an address; the summary follows them. */
		if (!header || !n || strncmp(f[0], "0x", 2))
			continue;
		for (c = 0; c < V_NR; c++)
			if (col[c] < 0 || col[c] >= n)
				return -1;
		if (!s->rows)
			s->first_start = strtoull(f[col[V_START]], NULL, 16);
		s->last_end = strtoull(f[col[V_END]], NULL, 16);
		for (c = 0; c < 3; c++)
			s->tables[c] += strtoull(f[col[V_PUD + c]], NULL, 10);
		s->leaf_bytes += strtoull(f[col[V_LEAF]], NULL, 10);
		s->rows++;
	}
	return header ? 0 : -1;
}

/*
 * One row per VMA; a table is counted in the first VMA that reaches
 * it, so the columns add up to the summary's tables, and the leaf bytes
 * to resident-bytes.
 */
TEST_F(cmd, vmas)
{
	struct mlpt_report r;
	struct vma_sums s;

	ASSERT_EQ(0, mlpt_report_pid(self->child.pid, &r));
	ASSERT_EQ(0, command(self, "vmas\n"));
	ASSERT_EQ(0, sum_vmas(&s));
	ASSERT_EQ(r.vmas, s.rows);
	ASSERT_EQ(r.va_lowest, s.first_start);
	ASSERT_EQ(r.va_highest, s.last_end);
	ASSERT_EQ(r.lvl[MLPT_PUD][MLPT_TABLES], s.tables[0]);
	ASSERT_EQ(r.lvl[MLPT_PMD][MLPT_TABLES], s.tables[1]);
	ASSERT_EQ(r.lvl[MLPT_PTE][MLPT_TABLES], s.tables[2]);
	ASSERT_EQ(r.resident_bytes, s.leaf_bytes);
}

/*
 * Rows longer than the module's first guess (a row per VMA of about 128
 * bytes): 64 mappings of a file whose path is some 3,000 bytes long need
 * 190 KiB where the guess gives this process a few pages, so the report
 * is walked again into a buffer of the size the first walk counted.
 * Every row must be there, whole: as many rows as VMAs, 64 of them
 * naming the file.
 */
#define LONG_MAPS	64
#define LONG_DIRS	14
#define LONG_NAME	200

static char long_buf[1 << 20];

TEST(vmas_long_names)
{
	static char path[LONG_DIRS * (LONG_NAME + 1) + 64];
	char name[LONG_NAME + 1], *save, *line, *f[MLPT_MAX_FIELDS];
	void *maps[LONG_MAPS];
	unsigned long rows = 0, named = 0;
	struct mlpt_report before, after;
	int i, fd, n;
	ssize_t got;

	memset(name, 'n', LONG_NAME);
	name[LONG_NAME] = '\0';
	n = snprintf(path, sizeof(path), "/tmp/mlpt-long-%d", (int)getpid());
	ASSERT_EQ(0, mkdir(path, 0700));
	for (i = 0; i < LONG_DIRS; i++) {
		n += snprintf(path + n, sizeof(path) - n, "/%s", name);
		ASSERT_EQ(0, mkdir(path, 0700));
	}
	snprintf(path + n, sizeof(path) - n, "/file");
	fd = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, MLPT_PAGE));
	for (i = 0; i < LONG_MAPS; i++) {
		maps[i] = mmap(NULL, MLPT_PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		ASSERT_NE(MAP_FAILED, maps[i]);
	}
	close(fd);

	ASSERT_EQ(0, mlpt_report_pid(getpid(), &before));
	snprintf(name, sizeof(name), MLPT_DIR "/%d", (int)getpid());
	fd = open(name, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "vmas\n", 5));
	got = mlpt_read_all(fd, long_buf, sizeof(long_buf) - 1);
	close(fd);
	ASSERT_LT(LONG_MAPS * (LONG_DIRS * LONG_NAME), got);
	long_buf[got] = '\0';
	ASSERT_EQ(0, mlpt_report_pid(getpid(), &after));
	ASSERT_EQ(before.vmas, after.vmas);

	for (line = strtok_r(long_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		n = mlpt_split(line, f);
		if (!n || strncmp(f[0], "0x", 2))
			continue;
		rows++;
		named += !strcmp(f[n - 1], path);
	}
	EXPECT_EQ(before.vmas, rows);
	EXPECT_EQ(LONG_MAPS, named);

	for (i = 0; i < LONG_MAPS; i++)
		munmap(maps[i], MLPT_PAGE);
	unlink(path);
	for (i = LONG_DIRS; i >= 0; i--) {
		*strrchr(path, '/') = '\0';
		rmdir(path);
	}
}

/* "summary" after another command gives the summary again. */
TEST_F(cmd, summary_again)
{
	struct mlpt_report fresh, r;
	char err[128];

	ASSERT_EQ(0, mlpt_report_pid(self->child.pid, &fresh));
	ASSERT_EQ(0, command(self, "vmas\n"));
	ASSERT_EQ(0, command(self, "summary\n"));
	ASSERT_EQ(0, mlpt_parse(buf, &r, err, sizeof(err)));
	/* The child sleeps: the same counts as a fresh open. */
	ASSERT_EQ(0, mlpt_report_diff(&fresh, &r));
}

TEST_HARNESS_MAIN
