// SPDX-License-Identifier: GPL-2.0
/*
 * The walk costs what the tables cost, not what the address space spans.
 *
 * Two stopped children touch the same 4 pages (in 4 different pmd spans,
 * 2 MiB or 32 MiB); one of them also holds a 64 TiB PROT_NONE reservation
 * (64 GiB in riscv64 Sv39, 128 TiB with 16 KiB pages and 4 levels:
 * mlpt_reservation_size()).  The reservation adds no page
 * tables (PROT_NONE pages are never touched), so both trees differ only
 * by the handful of pgd/p4d entries a walk must look at to see that the
 * 64 TiB are empty.  A walk proportional to the virtual size would visit
 * 2^46 / 2^21 = 33,554,432 pmd entries (32,768 for 64 GiB) and take
 * seconds (tens of milliseconds); mlpt's must stay within a small factor
 * of the small child's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#define PAGES		4
#define READS		7

struct layout {
	unsigned long pages;		/* 4 pages, a pmd span apart */
	unsigned long reservation;	/* 0: none */
};

static int map_layout(void *arg, int step)
{
	struct layout *l = arg;
	int i;

	(void)step;
	for (i = 0; i < PAGES; i++) {
		struct mlpt_touch t = {
			.addr = l->pages + i * MLPT_PMD_SIZE, .npages = 1 };
		int err = mlpt_map_touch(&t, 0, MADV_NOHUGEPAGE, false);

		if (err)
			return err;
	}
	if (l->reservation &&
	    mmap((void *)l->reservation, mlpt_reservation_size(), PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		 MAP_FIXED_NOREPLACE, -1, 0) != (void *)l->reservation)
		return -errno;
	return 0;
}

/* Fastest of READS walks: the least disturbed by the emulator. */
static unsigned long long min_walk_ns(pid_t pid, struct mlpt_report *r)
{
	unsigned long long best = ~0ULL;
	int i;

	for (i = 0; i < READS; i++) {
		if (mlpt_report_pid(pid, r))
			return 0;
		if (r->walk_ns < best)
			best = r->walk_ns;
	}
	return best;
}

TEST(reservation_costs_nothing)
{
	/*
	 * A slot for the pages, then as many as the reservation fills: 128
	 * (8 in Sv39, 1 with 16 KiB pages and 4 levels).
	 */
	unsigned long size = mlpt_reservation_size();
	unsigned long base = mlpt_free_slots(1 + size / mlpt_slot_size());
	struct layout small = { .pages = base };
	struct layout huge = { .pages = base,
			       .reservation = base + mlpt_slot_size() };
	struct mlpt_child a = { 0 }, b = { 0 };
	struct mlpt_report ra, rb;
	unsigned long long ta, tb;

	ASSERT_NE(0, base) TH_LOG("no free range for %lu GiB", size >> 30);
	ASSERT_EQ(0, mlpt_child_start(&a, map_layout, &small));
	ASSERT_EQ(0, mlpt_child_step(&a, 0));
	ASSERT_EQ(0, mlpt_child_start(&b, map_layout, &huge));
	ASSERT_EQ(0, mlpt_child_step(&b, 0));

	ta = min_walk_ns(a.pid, &ra);
	tb = min_walk_ns(b.pid, &rb);
	ASSERT_NE(0, ta);
	ASSERT_NE(0, tb);
	/* Same tables: the reservation is one more VMA and no table. */
	EXPECT_EQ(ra.vmas + 1, rb.vmas);
	EXPECT_EQ(ra.mapped_bytes + size, rb.mapped_bytes);
	EXPECT_EQ(ra.walk_pgtables_bytes, rb.walk_pgtables_bytes);
	EXPECT_EQ(ra.lvl[MLPT_PTE][MLPT_TABLES], rb.lvl[MLPT_PTE][MLPT_TABLES]);
	/* A few hundred more empty entries looked at: within 3x + 1 ms. */
	EXPECT_LE(tb, 3 * ta + 1000000)
		TH_LOG("%lu GiB reservation walked in %llu ns, without: %llu ns",
		       size >> 30, tb, ta);
	ksft_print_msg("walk: %llu ns without, %llu ns with %lu GiB reserved\n",
		       ta, tb, size >> 30);
	mlpt_child_stop(&a);
	mlpt_child_stop(&b);
}

TEST_HARNESS_MAIN
