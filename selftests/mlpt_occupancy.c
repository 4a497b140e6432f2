// SPDX-License-Identifier: GPL-2.0
/*
 * The `vmas-occupancy` command: every column of every row of a layout
 * built so that each has one exact value, worked out below.
 *
 * A stopped child maps, in two free slots S and S2 (mlpt_free_slots():
 * nothing else is mapped there, so every table under them is the
 * layout's), with W = 2 MiB (a pte table's window), G = 1 GiB (a pmd
 * table's) and P = 4 KiB (with 16 KiB pages 32 MiB, 64 GiB and 16 KiB,
 * and E = 2048 entries a table where 4 KiB pages have 512):
 *
 *   A  [S, S+2W)            all E pages of its first W, 3 of its second
 *   B  [S+2.5W, S+3.5W)     its first page and its last
 *   C  [S+3.5W, S+3.5W+P)   read-only, read: the zero page; it shares
 *                           B's second pte table, as B shares none of A's
 *   D  [S+G, S+G+W)         a page touched, then MADV_DONTNEED: the empty
 *                           table stays, unless the kernel has
 *                           CONFIG_PT_RECLAIM, which frees it
 *   F  [S+2G, S+2G+2W)      MADV_HUGEPAGE, a byte in each W: two THPs
 *   H  [S+3G, S+3G+W)       MAP_HUGETLB, touched: one hugetlb pmd leaf
 *   L  [S+4G, S+4G+P)       mlock()ed
 *   X  [S+5G, S+5G+P)       a page of this program's file, read
 *   E  [S2, S2+W)           one page, the only mapping of slot 2
 *
 * (with 3 levels a slot is 8 G, so S+5G is still in it).  A, B, D and
 * E are MADV_NOHUGEPAGE, so every touch maps a page's pte.
 *
 * munmap() of a VMA frees a table whose whole window lies between the
 * end of the VMA before it and the start of the one after it (the
 * "own-" columns): both of A's pte tables (B starts at 2.5W), only B's
 * first (its second also maps C), none of C's, and for D, L, X and E
 * their pte table and their pmd table too (alone in their 1 GiB); for F
 * and H their pmd table.  The pud table of slot 2 is E's alone (1, or 0
 * with the pud folded); slot 1's pud table also maps A..X.  The p4d
 * table is never a VMA's own here: with 5 levels it maps the slots and
 * this program, all in the first 256 TiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#define W	MLPT_PMD_SIZE
#define G	MLPT_PUD_SIZE
#define P	MLPT_PAGE

static char buf[1 << 20];

struct layout {
	unsigned long s, s2;
};

static int map_at(unsigned long addr, unsigned long len, int prot, int flags,
		  int fd, int advice)
{
	void *p = mmap((void *)addr, len, prot,
		       flags | MAP_FIXED_NOREPLACE, fd, 0);

	if (p != (void *)addr)
		return p == MAP_FAILED ? -errno : -EEXIST;
	if (advice >= 0 && madvise(p, len, advice))
		return -errno;
	return 0;
}

#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW	(PROT_READ | PROT_WRITE)

/* Touch for writing, or for reading (a read fault maps the zero page). */
static void poke(unsigned long addr)
{
	char *p = (char *)addr;

	*p = 1;
	asm volatile("" : : "r" (p) : "memory");
}

static void peek(unsigned long addr)
{
	const char *p = (const char *)addr;

	asm volatile("" : : "r" (*p));
}

static int build(void *arg, int step)
{
	const struct layout *l = arg;
	unsigned long s = l->s, i;
	int fd, ret;

	(void)step;
	ret = map_at(s, 2 * W, RW, ANON, -1, MADV_NOHUGEPAGE);
	for (i = 0; !ret && i < W / P + 3; i++)
		poke(s + i * P);
	if (!ret)
		ret = map_at(s + 5 * W / 2, W, RW, ANON, -1, MADV_NOHUGEPAGE);
	if (!ret) {
		poke(s + 5 * W / 2);
		poke(s + 7 * W / 2 - P);
		ret = map_at(s + 7 * W / 2, P, PROT_READ, ANON, -1, -1);
	}
	if (!ret) {
		peek(s + 7 * W / 2);
		ret = map_at(s + G, W, RW, ANON, -1, MADV_NOHUGEPAGE);
	}
	if (!ret) {
		poke(s + G);
		if (madvise((void *)(s + G), W, MADV_DONTNEED))
			ret = -errno;
	}
	if (!ret)
		ret = map_at(s + 2 * G, 2 * W, RW, ANON, -1, MADV_HUGEPAGE);
	if (!ret) {
		poke(s + 2 * G);
		poke(s + 2 * G + W);
		ret = map_at(s + 3 * G, W, RW, ANON | MAP_HUGETLB, -1, -1);
	}
	if (!ret) {
		poke(s + 3 * G);
		ret = map_at(s + 4 * G, P, RW, ANON, -1, -1);
	}
	if (!ret && mlock((void *)(s + 4 * G), P))
		ret = -errno;
	fd = ret ? -1 : open("/proc/self/exe", O_RDONLY);
	if (!ret && fd < 0)
		ret = -errno;
	if (!ret) {
		ret = map_at(s + 5 * G, P, PROT_READ, MAP_PRIVATE, fd, -1);
		close(fd);
	}
	if (!ret) {
		peek(s + 5 * G);
		ret = map_at(l->s2, W, RW, ANON, -1, MADV_NOHUGEPAGE);
	}
	if (!ret)
		poke(l->s2);
	return ret;
}

/* The columns checked, in the order of struct want's values. */
enum {
	C_PUD, C_PMD, C_PTE, C_LEAF, C_LOCKED, C_HUGE, C_DEPOSITS,
	C_TABLES, C_USED, C_INNER, C_INNER_PRESENT, C_RECLAIM,
	C_OWN_P4D, C_OWN_PUD, C_OWN_PMD, C_OWN_PTE, C_OCC0,
	NCOLS = C_OCC0 + 7
};

static const char *const cols[NCOLS] = {
	"pud", "pmd", "pte", "leaf-bytes", "locked", "huge-pmd", "deposits",
	"pte-tables", "pte-used", "pte-inner", "pte-inner-present",
	"pte-reclaim", "own-p4d", "own-pud", "own-pmd", "own-pte",
	"occ-0", "occ-1", "occ-2-7", "occ-8-63", "occ-64-255", "occ-256-511",
	"occ-512",
};

struct want {
	const char *vma;
	unsigned long start;
	const char *kind;
	unsigned long v[NCOLS];
};

FIXTURE(occ) {
	struct mlpt_child child;
	struct layout l;
	int header[NCOLS];
	int kind_col;
	int nfields;
	char *rows;	/* the first row, in buf */
};

FIXTURE_SETUP(occ)
{
	unsigned long base = mlpt_free_slots(2);

	ASSERT_NE(0UL, base);
	ASSERT_LT(0, mlpt_read_ll("/proc/sys/vm/nr_hugepages")) {
		TH_LOG("the guest reserves hugetlb pages (guest-init.sh)");
	}
	self->l.s = base;
	self->l.s2 = base + mlpt_slot_size();
	ASSERT_EQ(0, mlpt_child_start(&self->child, build, &self->l));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
}

FIXTURE_TEARDOWN(occ)
{
	mlpt_child_stop(&self->child);
}

/* Read the child's `vmas-occupancy` report into buf; find the columns. */
static int read_report(FIXTURE_DATA(occ) * self)
{
	char path[64], *line, *nl, *tok[MLPT_MAX_FIELDS];
	unsigned int c;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)self->child.pid);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	n = write(fd, "vmas-occupancy\n", 15) == 15 ?
	    pread(fd, buf, sizeof(buf) - 1, 0) : -1;
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	line = strchr(buf, '\n') + 1;	/* after mlpt-format: 1 */
	nl = strchr(line, '\n');
	*nl = '\0';
	self->nfields = mlpt_split(line, tok);
	self->rows = nl + 1;
	self->kind_col = -1;
	for (c = 0; c < NCOLS; c++)
		self->header[c] = -1;
	for (i = 0; i < self->nfields; i++) {
		if (!strcmp(tok[i], "kind"))
			self->kind_col = i;
		for (c = 0; c < NCOLS; c++)
			if (!strcmp(tok[i], cols[c]))
				self->header[c] = i;
	}
	return 0;
}

/* The row starting at @start, split into @tok; 0 if there is none. */
static int find_row(FIXTURE_DATA(occ) * self, unsigned long start,
		    char *line, size_t size, char **tok)
{
	const char *p = self->rows, *nl;

	for (; *p && *p != '\n'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strtoul(p, NULL, 16) != start)
			continue;
		snprintf(line, size, "%.*s", (int)(nl - p), p);
		return mlpt_split(line, tok);
	}
	return 0;
}

TEST_F(occ, rows)
{
	bool pud = !mlpt_level_folded(MLPT_PUD, mlpt_levels());
	/* A's pages: a full pte table and 3 */
	unsigned long a = mlpt_table_entries() + 3;
	/* with it, D's MADV_DONTNEED (2 MiB, all of it) freed its table */
	bool reclaim = mlpt_kernel_config("CONFIG_PT_RECLAIM") == 1;
	unsigned long s = self->l.s;
	/* pud pmd pte leaf locked huge dep | tables used inner inner-present
	 * reclaim | own p4d pud pmd pte | occ 0 1 2-7 8-63 64-255 256-511 512
	 */
	const struct want want[] = {
		{ "A", s, "anon", { pud, 1, 2, a * P, 0, 0, 0,
				    2, 2, 2, a, 2, 0, 0, 0, 2,
				    0, 0, 1, 0, 0, 0, 1 } },
		{ "B", s + 5 * W / 2, "anon", { 0, 0, 2, 2 * P, 0, 0, 0,
						2, 2, 0, 0, 1, 0, 0, 0, 1,
						0, 1, 1, 0, 0, 0, 0 } },
		{ "C", s + 7 * W / 2, "anon", { 0, 0, 0, P, 0, 0, 0,
						1, 1, 0, 0, 0, 0, 0, 0, 0,
						0, 0, 1, 0, 0, 0, 0 } },
		{ "D", s + G, "anon", { 0, 1, !reclaim, 0, 0, 0, 0,
					!reclaim, 0, !reclaim, 0, !reclaim,
					0, 0, 1, !reclaim,
					!reclaim, 0, 0, 0, 0, 0, 0 } },
		{ "F", s + 2 * G, "anon", { 0, 1, 0, 2 * W, 0, 2, 2,
					    0, 0, 0, 0, 0, 0, 0, 1, 0,
					    0, 0, 0, 0, 0, 0, 0 } },
		{ "H", s + 3 * G, "hugetlb", { 0, 1, 0, W, 0, 1, 0,
					       0, 0, 0, 0, 0, 0, 0, 1, 0,
					       0, 0, 0, 0, 0, 0, 0 } },
		{ "L", s + 4 * G, "anon", { 0, 1, 1, P, 1, 0, 0,
					    1, 1, 0, 0, 1, 0, 0, 1, 1,
					    0, 1, 0, 0, 0, 0, 0 } },
		{ "X", s + 5 * G, "file", { 0, 1, 1, P, 0, 0, 0,
					    1, 1, 0, 0, 1, 0, 0, 1, 1,
					    0, 1, 0, 0, 0, 0, 0 } },
		{ "E", self->l.s2, "anon", { pud, 1, 1, P, 0, 0, 0,
					     1, 1, 1, 1, 1, 0, pud, 1, 1,
					     0, 1, 0, 0, 0, 0, 0 } },
	};
	char line[4096], *tok[MLPT_MAX_FIELDS];
	unsigned int i, c;

	ASSERT_EQ(0, read_report(self));
	ASSERT_LE(0, self->kind_col);
	for (c = 0; c < NCOLS; c++)
		ASSERT_LE(0, self->header[c]) {
			TH_LOG("no column %s", cols[c]);
		}
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct want *w = &want[i];
		int n = find_row(self, w->start, line, sizeof(line), tok);

		/* the name is the rest of the line, spaces included */
		ASSERT_LE(self->nfields, n) {
			TH_LOG("row %s", w->vma);
		}
		EXPECT_STREQ(w->kind, tok[self->kind_col]) {
			TH_LOG("row %s", w->vma);
		}
		for (c = 0; c < NCOLS; c++)
			EXPECT_EQ(w->v[c],
				  strtoul(tok[self->header[c]], NULL, 10)) {
				TH_LOG("row %s, column %s", w->vma, cols[c]);
			}
	}
}

/*
 * Over every row of the report: the buckets sort the pte tables a VMA
 * reaches, each of the other pte-columns is some of them, and the
 * tables reached first add up to the summary's.
 */
TEST_F(occ, sums)
{
	static char totals[MLPT_REPORT_MAX];
	char line[4096], *tok[MLPT_MAX_FIELDS], *p, *nl;
	unsigned long sum[3] = { 0 }, tables[3];
	struct mlpt_report r;
	int c, n;

	ASSERT_EQ(0, read_report(self));
	for (p = self->rows; *p != '\n'; p = nl + 1) {
		unsigned long t, b = 0;

		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		n = mlpt_split(line, tok);
		ASSERT_LE(self->nfields, n);
		t = strtoul(tok[self->header[C_TABLES]], NULL, 10);
		for (c = C_OCC0; c < NCOLS; c++)
			b += strtoul(tok[self->header[c]], NULL, 10);
		EXPECT_EQ(t, b) {
			TH_LOG("row at %s", tok[0]);
		}
		for (c = C_USED; c <= C_RECLAIM; c++)
			if (c != C_INNER_PRESENT)
				EXPECT_GE(t, strtoul(tok[self->header[c]],
						     NULL, 10));
		EXPECT_GE(t, strtoul(tok[self->header[C_OWN_PTE]], NULL, 10));
		for (c = C_PUD; c <= C_PTE; c++)
			sum[c] += strtoul(tok[self->header[c]], NULL, 10);
	}
	/* The totals follow the rows' blank line, without a format line. */
	snprintf(totals, sizeof(totals), "mlpt-format: 1\n%s", p + 1);
	ASSERT_EQ(0, mlpt_parse(totals, &r, line, sizeof(line))) {
		TH_LOG("summary: %s", line);
	}
	tables[0] = r.lvl[MLPT_PUD][MLPT_TABLES];
	tables[1] = r.lvl[MLPT_PMD][MLPT_TABLES];
	tables[2] = r.lvl[MLPT_PTE][MLPT_TABLES];
	for (c = 0; c < 3; c++)
		EXPECT_EQ(tables[c], sum[c]) {
			TH_LOG("column %s", cols[c]);
		}
}

/* pt-reclaim says what the kernel was built with. */
TEST_F(occ, pt_reclaim)
{
	int set = mlpt_kernel_config("CONFIG_PT_RECLAIM");
	const char *key;

	ASSERT_LE(0, set) {
		TH_LOG("/boot/config of the running kernel");
	}
	ASSERT_EQ(0, read_report(self));
	key = strstr(self->rows, "\npt-reclaim: ");
	ASSERT_NE(NULL, key);
	EXPECT_EQ(0, strncmp(key + 13, set ? "yes\n" : "no\n",
			     set ? 4 : 3));
}

TEST_HARNESS_MAIN
