// SPDX-License-Identifier: GPL-2.0
/*
 * Exact counts.  A stopped child maps and touches pages at chosen
 * addresses inside slots nothing else uses (mlpt_free_slots()); the report after the
 * step minus the report before must be exactly what those pages need in a
 * tree of page-sized tables (512 entries with 4 KiB pages, 2048 with
 * 16 KiB), in every column and occupancy bucket.  Distances are spans of
 * a level's entry (mlpt_span()): "2 MiB" below is a pmd entry's, 32 MiB
 * with 16 KiB pages, "1 GiB" a pud entry's (64 GiB), "512 GiB" a p4d
 * entry's (128 TiB, a 4-level pgd entry's with 16 KiB pages).  A child
 * is measured rather than the test itself so that reading the report
 * (buffers, stack, malloc) cannot change the tables being counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#define MAX_RUNS 3

struct run {
	/* n spans of a @unit entry from the slot base, or absolute if high */
	unsigned long n;
	enum mlpt_level unit;
	unsigned long npages;
	bool full;		/* npages: a whole pte table */
};

/* What the child maps: its own copy, made by fork(). */
struct touches {
	struct mlpt_touch t[MAX_RUNS];
	int n;
};

FIXTURE(layout) {
	struct mlpt_child child;
	struct touches w;
};

FIXTURE_VARIANT(layout) {
	struct run run[MAX_RUNS];
	int nruns;
	int nslots;		/* slots the runs span */
	bool high;		/* addresses above 2^48 */
	int levels;		/* paging levels the layout needs, if not 3 */
	/* New tables per level, derived by hand to cross-check the model. */
	unsigned long tables[MLPT_NR_LEVELS];
};

/* One page: one new pte, pmd and pud table, each holding 1 entry. */
FIXTURE_VARIANT_ADD(layout, one_page) {
	.run = { { .npages = 1 } }, .nruns = 1, .nslots = 1,
	.tables = { [MLPT_PUD] = 1, [MLPT_PMD] = 1, [MLPT_PTE] = 1 },
};

/* 512 pages = 2 MiB from an aligned start: one full pte table (512). */
FIXTURE_VARIANT_ADD(layout, full_pte_table) {
	.run = { { .full = true } }, .nruns = 1, .nslots = 1,
	.tables = { [MLPT_PUD] = 1, [MLPT_PMD] = 1, [MLPT_PTE] = 1 },
};

/*
 * 3 + 64 + 300 pages in three consecutive 2 MiB ranges: 3 pte tables in
 * buckets 2-7, 64-255 and 256-511; one pmd table with 3 entries (2-7).
 */
FIXTURE_VARIANT_ADD(layout, pte_buckets) {
	.run = { { 0, MLPT_PMD, 3 }, { 1, MLPT_PMD, 64 },
		 { 2, MLPT_PMD, 300 } },
	.nruns = 3, .nslots = 1,
	.tables = { [MLPT_PUD] = 1, [MLPT_PMD] = 1, [MLPT_PTE] = 3 },
};

/* 2 pages 2 MiB apart: 2 pte tables of 1, one pmd table of 2 entries. */
FIXTURE_VARIANT_ADD(layout, two_pte_tables) {
	.run = { { 0, MLPT_PMD, 1 }, { 1, MLPT_PMD, 1 } },
	.nruns = 2, .nslots = 1,
	.tables = { [MLPT_PUD] = 1, [MLPT_PMD] = 1, [MLPT_PTE] = 2 },
};

/* 1 GiB apart: 2 pte, 2 pmd tables, one pud table of 2 entries. */
FIXTURE_VARIANT_ADD(layout, two_pmd_tables) {
	.run = { { 0, MLPT_PUD, 1 }, { 1, MLPT_PUD, 1 } },
	.nruns = 2, .nslots = 1,
	.tables = { [MLPT_PUD] = 1, [MLPT_PMD] = 2, [MLPT_PTE] = 2 },
};

/*
 * 512 GiB apart: 2 pud tables; 2 new entries in the pgd (4-level) or in
 * the existing p4d table (5-level), moving it between buckets.  With 3
 * levels there are no pud tables (riscv64 Sv39, arm64 with 16 KiB pages
 * and 47 bits).
 */
FIXTURE_VARIANT_ADD(layout, two_pud_tables) {
	.run = { { 0, MLPT_P4D, 1 }, { 1, MLPT_P4D, 1 } },
	.nruns = 2, .nslots = 2,
	.levels = 4,
	.tables = { [MLPT_PUD] = 2, [MLPT_PMD] = 2, [MLPT_PTE] = 2 },
};

/*
 * 256 TiB apart above the 47-bit hint: pgd entries 1 and 2 (2^48 and
 * 2^49), so 2 new p4d tables, and 2 of everything below.  Only with 4 KiB
 * pages: with 16 KiB arm64 has 4 levels at most, and no p4d.
 */
FIXTURE_VARIANT_ADD(layout, two_p4d_tables) {
	.run = { { 1, MLPT_PGD, 1 }, { 2, MLPT_PGD, 1 } },
	.nruns = 2, .nslots = 1, .high = true, .levels = 5,
	.tables = { [MLPT_P4D] = 2, [MLPT_PUD] = 2, [MLPT_PMD] = 2,
		    [MLPT_PTE] = 2 },
};

/* Step 1: map every run as its own VMA and write each page. */
static int layout_step(void *arg, int step)
{
	struct touches *w = arg;
	int i, ret;

	for (i = 0; i < w->n && step == 1; i++) {
		/* THP is "always": keep 4 KiB ptes. */
		ret = mlpt_map_touch(&w->t[i], 0, MADV_NOHUGEPAGE, false);
		if (ret)
			return ret;
	}
	return 0;
}

FIXTURE_SETUP(layout)
{
	unsigned long base = 0;
	int i;

	if (mlpt_levels() < variant->levels)
		SKIP(return, "%d-level paging: no %s tables, user VA ends at or below 2^%d",
		     mlpt_levels(), variant->levels == 5 ? "p4d" : "pud",
		     64 - __builtin_clzl(mlpt_user_top(mlpt_levels()) - 1));
	if (!variant->high) {
		base = mlpt_free_slots(variant->nslots);
		ASSERT_NE(0UL, base);
	}
	self->w.n = variant->nruns;
	for (i = 0; i < self->w.n; i++) {
		const struct run *r = &variant->run[i];

		self->w.t[i].addr = base + r->n * mlpt_span(r->unit);
		self->w.t[i].npages = r->full ? mlpt_table_entries() :
						r->npages;
		self->w.t[i].leaf_level = MLPT_PTE;
	}
	ASSERT_EQ(0, mlpt_child_start(&self->child, layout_step, &self->w));
}

FIXTURE_TEARDOWN(layout)
{
	mlpt_child_stop(&self->child);
}

TEST_F(layout, touch)
{
	struct mlpt_report before, after;
	pid_t pid = self->child.pid;

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_report_invariants(&before));
	ASSERT_EQ(0, mlpt_check_step(&self->child, &before, self->w.t,
				     self->w.n, variant->tables, &after));
}

/*
 * MADV_DONTNEED of half a table at a time empties ptes but keeps the
 * table on every kernel (CONFIG_PT_RECLAIM frees only a table that one
 * call empties over its whole pmd span); munmap of the only VMA in the slot
 * frees every table.
 */
FIXTURE(zap) {
	struct mlpt_child child;
	struct mlpt_touch t;
};

enum { ZAP_MAP = 1, ZAP_HALF, ZAP_REST, ZAP_UNMAP };

static int zap_step(void *arg, int step)
{
	struct mlpt_touch *t = arg;
	char *p = (char *)t->addr;
	unsigned long half = mlpt_table_entries() / 2 * MLPT_PAGE;

	switch (step) {
	case ZAP_MAP:
		return mlpt_map_touch(t, 0, MADV_NOHUGEPAGE, false);
	case ZAP_HALF:
		return madvise(p, half, MADV_DONTNEED) ? -errno : 0;
	case ZAP_REST:
		return madvise(p + half, half, MADV_DONTNEED) ? -errno : 0;
	case ZAP_UNMAP:
		return munmap(p, 2 * half) ? -errno : 0;
	}
	return -EINVAL;
}

FIXTURE_SETUP(zap)
{
	self->t.addr = mlpt_free_slots(1);
	ASSERT_NE(0UL, self->t.addr);
	self->t.npages = mlpt_table_entries();
	self->t.leaf_level = MLPT_PTE;
	ASSERT_EQ(0, mlpt_child_start(&self->child, zap_step, &self->t));
}

FIXTURE_TEARDOWN(zap)
{
	mlpt_child_stop(&self->child);
}

/* @n of the @old ptes of one pte table became empty. */
static void expect_zap(struct mlpt_report *r, unsigned long old,
		       unsigned long n)
{
	r->lvl[MLPT_PTE][MLPT_PRESENT] -= n;
	r->lvl[MLPT_PTE][MLPT_LEAF] -= n;
	r->occ[MLPT_PTE][mlpt_bucket(old)]--;
	r->occ[MLPT_PTE][mlpt_bucket(old - n)]++;
	if (old == n)
		r->lvl[MLPT_PTE][MLPT_EMPTY_TABLES]++;
	r->resident_bytes -= n * MLPT_PAGE;
}

TEST_F(zap, dontneed_then_munmap)
{
	struct mlpt_report before, got, want;
	unsigned long e = mlpt_table_entries();
	pid_t pid = self->child.pid;

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_child_step(&self->child, ZAP_MAP));
	mlpt_expect_touch(&before, &self->t, 1, &want);
	ASSERT_EQ(0, mlpt_report_pid(pid, &got));
	ASSERT_EQ(0, mlpt_report_diff(&want, &got));

	/*
	 * A full table of E entries -> E/2 present, half the pmd span less:
	 * 512 -> 256, bucket 512 -1, 256-511 +1; with 16 KiB pages 2048 ->
	 * 1024, both in bucket 512 (512 or more).
	 */
	ASSERT_EQ(0, mlpt_child_step(&self->child, ZAP_HALF));
	expect_zap(&want, e, e / 2);
	ASSERT_EQ(0, mlpt_report_pid(pid, &got));
	ASSERT_EQ(0, mlpt_report_diff(&want, &got));

	/*
	 * E/2 -> 0: the table stays (tables unchanged, pmd still points
	 * to it) but is empty: empty-tables +1, bucket 256-511 (512) -1,
	 * 0 +1.
	 */
	ASSERT_EQ(0, mlpt_child_step(&self->child, ZAP_REST));
	expect_zap(&want, e / 2, e / 2);
	ASSERT_EQ(0, mlpt_report_pid(pid, &got));
	ASSERT_EQ(0, mlpt_report_diff(&want, &got));
	ASSERT_EQ(want.lvl[MLPT_PTE][MLPT_TABLES],
		  before.lvl[MLPT_PTE][MLPT_TABLES] + 1);

	/* munmap: pte, pmd and pud tables freed, all back to before. */
	ASSERT_EQ(0, mlpt_child_step(&self->child, ZAP_UNMAP));
	ASSERT_EQ(0, mlpt_report_pid(pid, &got));
	ASSERT_EQ(0, mlpt_report_diff(&before, &got));
	ASSERT_EQ(mlpt_vmpte_kb(pid) * 1024ULL, got.kernel_pgtables_bytes);
}

TEST_HARNESS_MAIN
