// SPDX-License-Identifier: GPL-2.0
/*
 * Contiguous ptes (docs/format.md, `contiguous-ptes`).  With 16 KiB pages
 * a contiguous range is 128 ptes mapping 2 MiB (arm64's CONT_PTES), so
 * there every "64 KiB" below is 2 MiB, "16" 128, "256 KiB" 8 MiB and the
 * THP that cannot fit 32 MiB.  The test maps
 * 256 KiB of anonymous memory at a slot base (64 KiB aligned, and too
 * small a VMA for a 2 MiB THP), writes every page, and derives from
 * /proc/PID/pagemap and /proc/kpageflags, not from the module, which
 * 64 KiB chunks are mapped by one large folio: 16 consecutive frames from
 * a 64 KiB-aligned one, the first the head or a tail of a compound page,
 * the other 15 its tails.
 *
 * arm64 from 6.9 (CONFIG_ARM64_CONTPTE, on by default) must then set
 * PTE_CONT in all 16 ptes of each such chunk: set_ptes() of a folio goes
 * through contpte_set_ptes(), which sets it in every block whose virtual
 * and physical addresses are both 64 KiB aligned, and 16 single ptes of
 * one folio are folded when the last is set (contpte_try_fold()).  It
 * must not set it in a chunk of order-0 pages, which are never folded.
 * x86-64 has no contiguous ptes and no key.  So the count grows by 16 per
 * large-folio chunk on arm64 >= 6.9 and by 0 elsewhere.
 *
 * Whether the kernel gives a chunk a large folio is its choice (with 64
 * KiB multi-size THP "always" it tries, and falls back to single pages
 * when no 64 KiB block is free), so the variants set the 64 KiB control
 * to "always" and "never" and each derives its expectation from what it
 * finds.  Kernels without multi-size THP (before 6.8) have no control:
 * their chunks are order-0 pages.  Measured in a stopped child, as in
 * mlpt_layout.
 *
 * A 64 KiB hugetlb page is one such range by construction, where the
 * architecture has the size: arm64 with 4 KiB pages maps it as 16 ptes
 * with PTE_CONT (set_huge_pte_at() of a contiguous size), riscv64 with
 * Svnapot as 16 NAPOT ptes (pte_mknapot(): the N bit, the frame number's
 * low 4 bits 1000b).  Either way the walk sees 16 present pte leaves in
 * one pte table; arm64 counts 16 contiguous ptes, riscv64 has no key
 * (its kernel has no pte_cont()), and translate names the bit: CONT, N.
 * x86-64 has no 64 KiB hugetlb size (2 MiB and 1 GiB only), nor has
 * arm64 with 16 KiB pages (its contiguous size is 2 MiB): skipped there.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kernel-page-flags.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#define MTHP "/sys/kernel/mm/transparent_hugepage/hugepages-%lukB/enabled"
#define CHUNKS		4	/* 256 KiB: no 2 MiB THP fits in the VMA */
#define HUGETLB_64K "/sys/kernel/mm/hugepages/hugepages-64kB/nr_hugepages"
/* mmap()'s huge page size field: log2(64 KiB) = 16 (MAP_HUGE_64KB) */
#define MAP_HUGE_64K	(16 << MAP_HUGE_SHIFT)
/* its ptes: 16 of 4 KiB (no 16 KiB-page kernel has the size) */
#define HUGETLB_64K_PAGES	((64UL << 10) / MLPT_PAGE)

/*
 * Pages of one contiguous range (arm64's CONT_PTES): 16 of 4 KiB, 64 KiB
 * (x86-64's chunks too), or 128 of 16 KiB, 2 MiB.
 */
static unsigned long chunk_pages(void)
{
	return MLPT_PAGE == 16384 ? 128 : 16;
}

/* The multi-size THP control of the chunk's size, hugepages-64kB. */
static void mthp_path(char *path, size_t size)
{
	snprintf(path, size, MTHP, chunk_pages() * MLPT_PAGE >> 10);
}

FIXTURE(contpte) {
	struct mlpt_child child;
	struct mlpt_touch t;
	char old_mode[16];	/* "" when the kernel has no 64 KiB mTHP */
};

FIXTURE_VARIANT(contpte) {
	const char *mode;	/* for the 64 KiB multi-size THP control */
};

FIXTURE_VARIANT_ADD(contpte, always) {
	.mode = "always",
};

FIXTURE_VARIANT_ADD(contpte, never) {
	.mode = "never",
};

static int contpte_step(void *arg, int step)
{
	(void)step;
	return mlpt_map_touch(arg, 0, -1, false);
}

/* Write @s to the sysfs file @path; 0 or -1. */
static int write_sysfs(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Write @mode to the 64 KiB mTHP control; 0 or -1. */
static int set_mode(const char *mode)
{
	char path[96];

	mthp_path(path, sizeof(path));
	return write_sysfs(path, mode);
}

/* The mode in force: the bracketed word of "always inherit [never] ...". */
static void get_mode(char *mode, size_t size)
{
	char line[128] = "", path[96], *open_br, *close_br;
	FILE *f;

	mthp_path(path, sizeof(path));
	f = fopen(path, "r");
	mode[0] = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		open_br = strchr(line, '[');
		close_br = open_br ? strchr(open_br, ']') : NULL;
		if (close_br && (size_t)(close_br - open_br) <= size) {
			memcpy(mode, open_br + 1, close_br - open_br - 1);
			mode[close_br - open_br - 1] = '\0';
		}
	}
	fclose(f);
}

/* The kernel's flags of frame @pfn (/proc/kpageflags), or -1. */
static long long frame_flags(long long pfn)
{
	uint64_t flags;
	ssize_t n;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0)
		return -1;
	n = pread(fd, &flags, sizeof(flags), pfn * sizeof(flags));
	close(fd);
	return n == sizeof(flags) ? (long long)flags : -1;
}

/*
 * Is the 64 KiB chunk at @addr of @pid mapped by one large folio?  Its
 * frames must be consecutive from a 64 KiB-aligned one, the first a head
 * or tail of a compound page, the others tails: no head among them, so
 * no other folio.  Sets *@err on an unreadable frame.
 */
static bool chunk_is_large_folio(pid_t pid, unsigned long addr, bool *err)
{
	long long pfn0 = mlpt_pagemap_pfn(pid, addr), pfn, flags;
	const long long compound = 1LL << KPF_COMPOUND_HEAD |
				   1LL << KPF_COMPOUND_TAIL;
	bool large = pfn0 > 0 && pfn0 % chunk_pages() == 0;
	unsigned long i;

	for (i = 0; i < chunk_pages(); i++) {
		pfn = mlpt_pagemap_pfn(pid, addr + i * MLPT_PAGE);
		flags = frame_flags(pfn);
		if (pfn <= 0 || flags < 0) {
			*err = true;
			return false;
		}
		if (pfn != pfn0 + (long long)i)
			large = false;
		else if (i == 0 && !(flags & compound))
			large = false;
		else if (i > 0 && !(flags & 1LL << KPF_COMPOUND_TAIL))
			large = false;
	}
	return large;
}

/* Does this kernel have contiguous ptes for user memory (arm64 >= 6.9)? */
static bool kernel_has_contpte(void)
{
#ifdef __aarch64__
	struct utsname u;
	int major = 0, minor = 0;

	if (!uname(&u))
		sscanf(u.release, "%d.%d", &major, &minor);
	return major > 6 || (major == 6 && minor >= 9);
#else
	return false;
#endif
}

FIXTURE_SETUP(contpte)
{
	get_mode(self->old_mode, sizeof(self->old_mode));
	if (self->old_mode[0])
		ASSERT_EQ(0, set_mode(variant->mode));
	/* A slot base is aligned far beyond 64 KiB. */
	self->t.addr = mlpt_free_slots(1);
	ASSERT_NE(0UL, self->t.addr);
	self->t.npages = CHUNKS * chunk_pages();
	self->t.leaf_level = MLPT_PTE;
	ASSERT_EQ(0, mlpt_child_start(&self->child, contpte_step, &self->t));
}

FIXTURE_TEARDOWN(contpte)
{
	mlpt_child_stop(&self->child);
	if (self->old_mode[0])
		set_mode(self->old_mode);
}

TEST_F(contpte, chunks_of_64k)
{
	struct mlpt_report before, after, want;
	pid_t pid = self->child.pid;
	unsigned long i, large = 0;
	bool err = false;

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
	ASSERT_EQ(0, mlpt_report_pid(pid, &after));
	for (i = 0; i < CHUNKS; i++)
		large += chunk_is_large_folio(pid, self->t.addr +
					      i * chunk_pages() * MLPT_PAGE, &err);
	ASSERT_FALSE(err);
	TH_LOG("%lu KiB mTHP %s: %lu of %d chunks one large folio",
	       chunk_pages() * MLPT_PAGE >> 10,
	       self->old_mode[0] ? variant->mode : "absent", large, CHUNKS);
	TH_LOG("contiguous-ptes %llu before, %llu after",
	       before.contiguous_ptes, after.contiguous_ptes);
	/*
	 * "never", or no multi-size THP, must give order-0 pages: the VMA
	 * has no room for a 2 MiB THP, and the sizes between are "never"
	 * by default (the guest does not change them).
	 */
	if (!strcmp(variant->mode, "never") || !self->old_mode[0])
		ASSERT_EQ(0UL, large);
	/* 64 written pages (512): as many pte leaves in one new pte table. */
	mlpt_expect_touch(&before, &self->t, 1, &want);
	if (kernel_has_contpte())
		want.contiguous_ptes += large * chunk_pages();
	ASSERT_EQ(0, mlpt_report_diff(&want, &after));
	ASSERT_EQ(0, mlpt_report_invariants(&after));
	ASSERT_EQ(mlpt_vmpte_kb(pid) * 1024ULL, after.kernel_pgtables_bytes);
}

FIXTURE(hugetlb_64k) {
	struct mlpt_child child;
	struct mlpt_touch t;
	long long old_pages;	/* the 64 KiB pool before, restored after */
};

static int hugetlb_64k_step(void *arg, int step)
{
	(void)step;
	return mlpt_map_touch(arg, MAP_HUGETLB | MAP_HUGE_64K, -1, false);
}

/* Size the 64 KiB hugetlb pool to @pages; 0 or -1. */
static int set_pool(long long pages)
{
	char n[24];

	snprintf(n, sizeof(n), "%lld", pages);
	return write_sysfs(HUGETLB_64K, n);
}

FIXTURE_SETUP(hugetlb_64k)
{
	self->old_pages = mlpt_read_ll(HUGETLB_64K);
	if (self->old_pages < 0)
		SKIP(return, "no 64 KiB hugetlb pages on this machine (%s)",
		     HUGETLB_64K);
	ASSERT_EQ(0, set_pool(self->old_pages + 1));
	ASSERT_EQ(self->old_pages + 1, mlpt_read_ll(HUGETLB_64K));
	self->t.addr = mlpt_free_slots(1);
	ASSERT_NE(0UL, self->t.addr);
	self->t.npages = HUGETLB_64K_PAGES;
	self->t.leaf_level = MLPT_PTE;
	ASSERT_EQ(0, mlpt_child_start(&self->child, hugetlb_64k_step,
				      &self->t));
}

FIXTURE_TEARDOWN(hugetlb_64k)
{
	mlpt_child_stop(&self->child);
	if (self->old_pages >= 0)
		set_pool(self->old_pages);
}

/*
 * The flag words of the pte row of the module's translation of @addr in
 * @pid ("pte INDEX ENTRY FLAGS... RESULT"), into @flags; 0 or -1.
 */
static int pte_flags(pid_t pid, unsigned long addr, char *flags, size_t size)
{
	char path[64], cmd[64], buf[4096], *line, *f[MLPT_MAX_FIELDS];
	int fd, n, i, ret = -1;
	ssize_t len;

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)pid);
	snprintf(cmd, sizeof(cmd), "translate 0x%lx\n", addr);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -1;
	len = write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd) ?
	      pread(fd, buf, sizeof(buf) - 1, 0) : -1;
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		n = mlpt_split(line, f);
		if (n < 5 || strcmp(f[0], "pte"))
			continue;
		flags[0] = '\0';
		for (i = 3; i < n - 1; i++)
			snprintf(flags + strlen(flags), size - strlen(flags),
				 "%s%s", i > 3 ? " " : "", f[i]);
		ret = 0;
	}
	return ret;
}

TEST_F(hugetlb_64k, one_range)
{
	struct mlpt_report before, after, want;
	pid_t pid = self->child.pid;
	char flags[128];

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
	ASSERT_EQ(0, mlpt_report_pid(pid, &after));
	/*
	 * 16 pte leaves (64 KiB resident) in one new pte table, its pmd
	 * entry, and the tables above as for any touch in a fresh slot; the
	 * pte table is in VmPTE (huge_pte_alloc() takes it with
	 * pte_alloc_huge(), which accounts it).
	 */
	mlpt_expect_touch(&before, &self->t, 1, &want);
	ASSERT_EQ(0, pte_flags(pid, self->t.addr, flags, sizeof(flags)));
	TH_LOG("pte flags of the 64 KiB hugetlb page: %s", flags);
#ifdef __aarch64__
	/*
	 * All 16 carry PTE_CONT.  A written page of a private hugetlb
	 * mapping: valid page descriptor, accessed, read-write at EL0
	 * (AP=01), not global, writable (DBM), contiguous, never executable.
	 */
	want.contiguous_ptes += HUGETLB_64K_PAGES;
	ASSERT_STREQ("V PAGE AF AP=01 nG DBM CONT PXN UXN", flags);
#elif defined(__riscv)
	/*
	 * Valid, readable, writable, user, accessed, dirty, and N: the
	 * NAPOT bit of a 64 KiB range.
	 */
	ASSERT_STREQ("V R W U A D N", flags);
#endif
	ASSERT_EQ(0, mlpt_report_diff(&want, &after));
	ASSERT_EQ(0, mlpt_report_invariants(&after));
	ASSERT_EQ(mlpt_vmpte_kb(pid) * 1024ULL, after.kernel_pgtables_bytes);
}

TEST_HARNESS_MAIN
