// SPDX-License-Identifier: GPL-2.0
/*
 * pmd leaves, 2 MiB (32 MiB with 16 KiB pages).  A transparent huge page
 * (and the huge zero page) is a pmd leaf with a pte table deposited
 * behind it, which the kernel accounts in VmPTE but no walk reaches; a
 * hugetlb page is a pmd leaf with no deposit.  MADV_COLLAPSE turns a
 * full pte table into a leaf and deposits that very table.  Each case is
 * measured in a stopped child, as in mlpt_layout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage/"

/* How the child maps its pmd leaf. */
struct huge_map {
	struct mlpt_touch t;
	int flags;
	int advice;
	bool read_only;
};

FIXTURE(huge) {
	struct mlpt_child child;
	struct huge_map m;
};

FIXTURE_VARIANT(huge) {
	int flags;		/* extra mmap flags */
	int advice;
	bool read_only;
	bool deposit;
};

/* Write fault in a MADV_HUGEPAGE range: a THP, one deposited table. */
FIXTURE_VARIANT_ADD(huge, thp) {
	.advice = MADV_HUGEPAGE, .deposit = true,
};

/* Read fault: the shared huge zero page, also with a deposit. */
FIXTURE_VARIANT_ADD(huge, huge_zero_page) {
	.advice = MADV_HUGEPAGE, .read_only = true, .deposit = true,
};

/* hugetlbfs page from the pool init reserved: a leaf, no deposit. */
FIXTURE_VARIANT_ADD(huge, hugetlb) {
	.flags = MAP_HUGETLB, .advice = -1,
};

static int huge_step(void *arg, int step)
{
	struct huge_map *m = arg;

	(void)step;
	return mlpt_map_touch(&m->t, m->flags, m->advice, m->read_only);
}

FIXTURE_SETUP(huge)
{
	if (variant->flags & MAP_HUGETLB &&
	    mlpt_read_ll("/proc/sys/vm/nr_hugepages") <= 0)
		SKIP(return, "no hugetlb pages reserved (vm.nr_hugepages 0)");
	if (variant->read_only &&
	    mlpt_read_ll(THP_SYSFS "use_zero_page") != 1)
		SKIP(return, "huge zero page disabled (use_zero_page 0)");
	/* A pmd-aligned pmd leaf's mapping: the slot base is aligned. */
	self->m.t.addr = mlpt_free_slots(1);
	ASSERT_NE(0UL, self->m.t.addr);
	self->m.t.leaf_level = MLPT_PMD;
	self->m.t.deposit = variant->deposit;
	self->m.flags = variant->flags;
	self->m.advice = variant->advice;
	self->m.read_only = variant->read_only;
	ASSERT_EQ(0, mlpt_child_start(&self->child, huge_step, &self->m));
}

FIXTURE_TEARDOWN(huge)
{
	mlpt_child_stop(&self->child);
}

TEST_F(huge, fault)
{
	struct mlpt_report before, after, want;
	pid_t pid = self->child.pid;
	/* A pmd table, and a pud table unless the pud is folded (3 levels). */
	unsigned long long tables = mlpt_levels() < 4 ? 1 : 2;

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
	ASSERT_EQ(0, mlpt_report_pid(pid, &after));
	mlpt_expect_touch(&before, &self->m.t, 1, &want);
	/*
	 * By hand: pmd leaf +1 and no pte table; resident +a pmd span; pud and
	 * pmd table +1 each; deposit +1 for THP: pgtables +3 or +2 pages
	 * (+2 or +1 with 3 levels).
	 */
	ASSERT_EQ(1ULL, want.lvl[MLPT_PMD][MLPT_LEAF] -
		  before.lvl[MLPT_PMD][MLPT_LEAF]);
	ASSERT_EQ(before.lvl[MLPT_PTE][MLPT_TABLES],
		  want.lvl[MLPT_PTE][MLPT_TABLES]);
	ASSERT_EQ(MLPT_PMD_SIZE, want.resident_bytes - before.resident_bytes);
	ASSERT_EQ((tables + variant->deposit) * MLPT_PAGE,
		  want.kernel_pgtables_bytes - before.kernel_pgtables_bytes);
	ASSERT_EQ(0, mlpt_report_diff(&want, &after));
	ASSERT_EQ(0, mlpt_report_invariants(&after));
	ASSERT_EQ(mlpt_vmpte_kb(pid) * 1024ULL, after.kernel_pgtables_bytes);
}

FIXTURE(collapse) {
	struct mlpt_child child;
	struct mlpt_touch t;
};

enum { COLLAPSE_MAP = 1, COLLAPSE_RUN };

static int collapse_step(void *arg, int step)
{
	struct mlpt_touch *t = arg;
	void *p = (void *)t->addr;
	int tries;

	if (step == COLLAPSE_MAP)
		return mlpt_map_touch(t, 0, MADV_NOHUGEPAGE, false);
	/* Allow THP again, then collapse synchronously. */
	if (madvise(p, MLPT_PMD_SIZE, MADV_HUGEPAGE))
		return -errno;
	/* EAGAIN: pages briefly off the LRU; the call may be retried. */
	for (tries = 0; tries < 10; tries++) {
		if (!madvise(p, MLPT_PMD_SIZE, MADV_COLLAPSE))
			return 0;
		if (errno != EAGAIN)
			break;
	}
	return -errno;
}

FIXTURE_SETUP(collapse)
{
	self->t.addr = mlpt_free_slots(1);
	ASSERT_NE(0UL, self->t.addr);
	self->t.npages = mlpt_table_entries();
	self->t.leaf_level = MLPT_PTE;
	ASSERT_EQ(0, mlpt_child_start(&self->child, collapse_step, &self->t));
}

FIXTURE_TEARDOWN(collapse)
{
	mlpt_child_stop(&self->child);
}

TEST_F(collapse, madv_collapse)
{
	struct mlpt_report before, want, got;
	pid_t pid = self->child.pid;
	int ret;

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_child_step(&self->child, COLLAPSE_MAP));
	mlpt_expect_touch(&before, &self->t, 1, &want);
	ASSERT_EQ(0, mlpt_report_pid(pid, &got));
	ASSERT_EQ(0, mlpt_report_diff(&want, &got));

	ret = mlpt_child_step(&self->child, COLLAPSE_RUN);
	if (ret == -EINVAL)
		SKIP(return, "MADV_COLLAPSE not supported by this kernel (EINVAL)");
	ASSERT_EQ(0, ret);
	/*
	 * The full pte table (E = 512 present, 2048 with 16 KiB pages;
	 * bucket 512) becomes the deposit of the new pmd leaf: pte tables
	 * -1, pte leaf -E, pmd next -1, pmd leaf +1, deposited +1; the pmd
	 * table keeps its 1 entry, resident stays a pmd span and VmPTE does
	 * not change.
	 */
	want.lvl[MLPT_PTE][MLPT_TABLES]--;
	want.lvl[MLPT_PTE][MLPT_PRESENT] -= mlpt_table_entries();
	want.lvl[MLPT_PTE][MLPT_LEAF] -= mlpt_table_entries();
	want.occ[MLPT_PTE][mlpt_bucket(mlpt_table_entries())]--;
	want.lvl[MLPT_PMD][MLPT_NEXT]--;
	want.lvl[MLPT_PMD][MLPT_LEAF]++;
	want.deposited_tables++;
	ASSERT_EQ(0, mlpt_report_pid(pid, &got));
	ASSERT_EQ(0, mlpt_report_diff(&want, &got));
	ASSERT_EQ(0, mlpt_report_invariants(&got));
	ASSERT_EQ(mlpt_vmpte_kb(pid) * 1024ULL, got.kernel_pgtables_bytes);
}

TEST_HARNESS_MAIN
