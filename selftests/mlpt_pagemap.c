// SPDX-License-Identifier: GPL-2.0
/*
 * The walk against /proc/<pid>/pagemap: a stopped child maps the demo
 * workload and a transparent huge page in a free slot, and the leaves
 * the report gained must be exactly the pages pagemap shows present
 * (bit 63) in those ranges.  pagemap shows each 4 KiB part of a 2 MiB
 * leaf, so a pmd leaf stands for 512 of its entries (2048 with 16 KiB
 * pages).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

/* What the child maps; the test keeps its own copy of the addresses. */
struct pagemap_map {
	struct mlpt_workload w;
	struct mlpt_touch thp;
};

FIXTURE(pagemap) {
	struct mlpt_child child;
	struct pagemap_map m;
};

static int pagemap_step(void *arg, int step)
{
	struct pagemap_map *m = arg;
	int ret;

	(void)step;
	ret = mlpt_workload_map(m->w.sparse, &m->w);
	if (ret)
		return ret;
	return mlpt_map_touch(&m->thp, 0, MADV_HUGEPAGE, false);
}

FIXTURE_SETUP(pagemap)
{
	unsigned long base = mlpt_free_slots(1);

	ASSERT_NE(0UL, base);
	/*
	 * Sparse at +0, dense at +1 pud span (1 GiB; 64 GiB with 16 KiB
	 * pages) as mlpt_workload_map() places them (the child's copy of
	 * them is not this one), the THP at +2 pud spans.
	 */
	self->m.w.sparse = base;
	self->m.w.dense = base + MLPT_PUD_SIZE;
	self->m.thp.addr = base + 2 * MLPT_PUD_SIZE;
	self->m.thp.leaf_level = MLPT_PMD;
	ASSERT_EQ(0, mlpt_child_start(&self->child, pagemap_step, &self->m));
}

FIXTURE_TEARDOWN(pagemap)
{
	mlpt_child_stop(&self->child);
}

TEST_F(pagemap, leaves_are_present_pages)
{
	struct mlpt_report before, after;
	pid_t pid = self->child.pid;
	long sparse, dense, thp;
	unsigned long long pte, pmd;

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
	ASSERT_EQ(0, mlpt_report_pid(pid, &after));
	ASSERT_EQ(0, mlpt_report_invariants(&after));

	sparse = mlpt_pagemap_present(pid, self->m.w.sparse,
				      self->m.w.sparse + MLPT_SPARSE_BYTES);
	dense = mlpt_pagemap_present(pid, self->m.w.dense,
				     self->m.w.dense + MLPT_DENSE_BYTES);
	thp = mlpt_pagemap_present(pid, self->m.thp.addr,
				   self->m.thp.addr + MLPT_PMD_SIZE);
	/*
	 * One page per pmd span of 32: 32 pages; 1024 dense pages; a THP
	 * maps a pte table's worth of pages, 512 (2048 with 16 KiB pages).
	 */
	ASSERT_EQ(32, sparse);
	ASSERT_EQ(1024, dense);
	ASSERT_EQ((long)mlpt_table_entries(), thp);

	pte = after.lvl[MLPT_PTE][MLPT_LEAF] - before.lvl[MLPT_PTE][MLPT_LEAF];
	pmd = after.lvl[MLPT_PMD][MLPT_LEAF] - before.lvl[MLPT_PMD][MLPT_LEAF];
	ASSERT_EQ((unsigned long long)(sparse + dense), pte);
	ASSERT_EQ((unsigned long long)thp, pmd * mlpt_table_entries());
	/*
	 * 32 sparse tables + 2 dense ones (1024 pages in tables of 512; one
	 * of 2048 with 16 KiB pages); the THP needs none.
	 */
	ASSERT_EQ(32 + (1024 + mlpt_table_entries() - 1) / mlpt_table_entries(),
		  after.lvl[MLPT_PTE][MLPT_TABLES] -
		  before.lvl[MLPT_PTE][MLPT_TABLES]);
	ASSERT_EQ((unsigned long long)(sparse + dense + thp) * MLPT_PAGE,
		  after.resident_bytes - before.resident_bytes);
}

TEST_HARNESS_MAIN
