// SPDX-License-Identifier: GPL-2.0
/*
 * Where the tables live: the nodes table of the summary.  The guest has
 * two NUMA nodes with memory (scripts/qemu-run.sh: node 0 with both
 * vCPUs, node 1 memory only), so a single-node guest fails here rather
 * than skips: every boot of the rig has both.
 *
 * A page table is allocated by the task that needs it, under that task's
 * memory policy: a fault allocates the tables it walks through in the
 * faulting task; fork() allocates the child's pgd and the tables it
 * copies in the parent; execve() allocates the new pgd, and every table
 * of the new program, in the task that exec'd.  set_mempolicy(MPOL_BIND)
 * makes a policy strict (no fallback to another node), so where each
 * table is follows from who allocated it:
 *
 *  - exec: a child binds itself to node N, then execs mlpt-workload.
 *    Every table of the new address space, the pgd included, is on N:
 *    N's row equals the level table's tables, the other row is 0.
 *  - fork, then bind: the test binds itself to node 0 and forks a child
 *    (mlpt_child_start()); the pgd and the tables fork copies are
 *    allocated by the test, the ones the child faults in (mlockall) by
 *    the child, still under node 0's policy: all on node 0.  Then the
 *    child binds itself to node 1 and maps fresh slots: exactly the
 *    tables mlpt_check_step() derives appear on node 1, and node 0's row
 *    does not change.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/mempolicy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#define HAS_MEMORY "/sys/devices/system/node/has_memory"

/* Bind the calling task's future allocations to node @nid only. */
static int bind_node(int nid)
{
	unsigned long mask = 1UL << nid;

	if (syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 8 * sizeof(mask)))
		return -errno;
	return 0;
}

/* Row of node @nid in @r, failing the test when it has none. */
static int node_row(struct __test_metadata *_metadata,
		    const struct mlpt_report *r, int nid)
{
	int row = mlpt_node_row(r, nid);

	if (row < 0) {
		TH_LOG("no row for node %d in the nodes table", nid);
		ASSERT_LE(0, row);
	}
	return row;
}

/*
 * The rig's guest: nodes 0 and 1 have memory, and the summary has a row
 * for each, in that order, and none other.
 */
TEST(two_nodes)
{
	struct mlpt_report r;
	char buf[64] = "";
	FILE *f = fopen(HAS_MEMORY, "re");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	ASSERT_STREQ("0-1\n", buf) {
		TH_LOG("the guest must boot with two NUMA nodes with memory (scripts/qemu-run.sh)");
	}
	ASSERT_EQ(0, mlpt_report_pid(getpid(), &r));
	ASSERT_EQ(0, mlpt_report_invariants(&r));
	ASSERT_EQ(2, r.nr_nodes);
	ASSERT_EQ(0, r.node_id[0]);
	ASSERT_EQ(1, r.node_id[1]);
}

FIXTURE(exec) {
	pid_t pid;
};

FIXTURE_VARIANT(exec) {
	int node;
};

FIXTURE_VARIANT_ADD(exec, node0) { .node = 0 };
FIXTURE_VARIANT_ADD(exec, node1) { .node = 1 };

FIXTURE_SETUP(exec)
{
	char line[32] = "";
	int out[2];
	FILE *f;

	ASSERT_EQ(0, pipe(out));
	fflush(NULL);
	self->pid = fork();
	ASSERT_LE(0, self->pid);
	if (!self->pid) {
		int ret = bind_node(variant->node);

		if (ret) {
			fprintf(stderr, "# set_mempolicy(MPOL_BIND, node %d): %s\n",
				variant->node, strerror(-ret));
			_exit(1);
		}
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execl("/bin/mlpt-workload", "mlpt-workload", (char *)NULL);
		_exit(1);
	}
	close(out[1]);
	/* mlpt-workload prints its pid once its regions are mapped. */
	f = fdopen(out[0], "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	fclose(f);
	ASSERT_EQ(self->pid, atoi(line));
}

FIXTURE_TEARDOWN(exec)
{
	if (self->pid > 0)
		mlpt_reap(self->pid);
}

/*
 * Every table of the exec'd program, in every level, was allocated by the
 * bound child: its node's row is the level table's tables column, the
 * other node's row is 0.  The workload's regions make it substantial:
 * 32 sparse + 2 dense pte tables at least (mlpt_workload_map(); 1 dense
 * with 16 KiB pages).
 */
TEST_F(exec, all_tables_on_the_bound_node)
{
	struct mlpt_report r;
	int bound, other, l;

	ASSERT_EQ(0, mlpt_report_pid(self->pid, &r));
	ASSERT_EQ(0, mlpt_report_invariants(&r));
	ASSERT_EQ(2, r.nr_nodes);
	bound = node_row(_metadata, &r, variant->node);
	other = node_row(_metadata, &r, !variant->node);
	ASSERT_LE(32 + (MLPT_DENSE_BYTES + MLPT_PMD_SIZE - 1) / MLPT_PMD_SIZE,
		  r.lvl[MLPT_PTE][MLPT_TABLES]);
	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		/*
		 * arm64's 128-byte (256 with 16 KiB pages) pgd of 52-bit
		 * addresses comes from a
		 * slab cache that every process shares (pgd_alloc()): it
		 * is on the node of the slab page it landed in, which the
		 * task's policy chose only if that page was new.  Still
		 * one pgd, on one of the two nodes.
		 */
		if (l == MLPT_PGD && mlpt_pgd_table_bytes() < MLPT_PAGE) {
			EXPECT_EQ(1, r.node_tables[bound][l] +
				  r.node_tables[other][l]);
			continue;
		}
		EXPECT_EQ(r.lvl[l][MLPT_TABLES], r.node_tables[bound][l]) {
			TH_LOG("%s tables on node %d", mlpt_level_names[l],
			       variant->node);
		}
		EXPECT_EQ(0, r.node_tables[other][l]) {
			TH_LOG("%s tables on node %d", mlpt_level_names[l],
			       !variant->node);
		}
	}
}

/* What the forked child maps once bound to node 1. */
struct touches {
	struct mlpt_touch t[2];
	int n;
};

enum { STEP_MAP = 1, STEP_BIND_NODE1 };

static int numa_step(void *arg, int step)
{
	struct touches *w = arg;
	int i, ret;

	if (step == STEP_BIND_NODE1)
		return bind_node(1);
	for (i = 0; i < w->n; i++) {
		/* THP is "always": keep 4 KiB ptes. */
		ret = mlpt_map_touch(&w->t[i], 0, MADV_NOHUGEPAGE, false);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * One page in a fresh slot (mlpt_slot_size(): 512 GiB, 8 GiB with 3
 * levels of 4 KiB pages), and 1025 pages from the start of the next
 * slot: 2 pud tables (new pgd entries with 4 levels, new entries of the
 * existing p4d table with 5; none with 3, where the 2 pmd tables hang
 * from new pgd entries), 2 pmd tables, 1 + 3 pte tables (512, 512 and 1
 * pages; 1 + 1 of 2048 entries with 16 KiB pages).  No pgd or p4d table
 * is new: those stay on node 0 (arm64's 52-bit pgd, from a slab cache
 * every process shares, on the node of its slab page: either, unmoved).
 */
TEST(fork_then_bind)
{
	const unsigned long e = mlpt_table_entries();
	const unsigned long tables[MLPT_NR_LEVELS] = {
		[MLPT_PUD] = mlpt_level_folded(MLPT_PUD, mlpt_levels()) ? 0 : 2,
		[MLPT_PMD] = 2, [MLPT_PTE] = 1 + (1025 + e - 1) / e,
	};
	struct mlpt_report before, after;
	struct mlpt_child child;
	struct touches w = { .n = 2 };
	unsigned long base = mlpt_free_slots(2);
	int n0, n1, l;

	ASSERT_NE(0UL, base);
	w.t[0] = (struct mlpt_touch){ base, 1, MLPT_PTE, false };
	w.t[1] = (struct mlpt_touch){ base + mlpt_slot_size(), 1025, MLPT_PTE,
				      false };
	/* The pgd, and what fork() copies, are allocated here: on node 0. */
	ASSERT_EQ(0, bind_node(0));
	ASSERT_EQ(0, mlpt_child_start(&child, numa_step, &w));
	ASSERT_EQ(0, mlpt_child_step(&child, STEP_BIND_NODE1));
	ASSERT_EQ(0, mlpt_report_pid(child.pid, &before));
	ASSERT_EQ(0, mlpt_report_invariants(&before));
	ASSERT_EQ(2, before.nr_nodes);
	n0 = node_row(_metadata, &before, 0);
	n1 = node_row(_metadata, &before, 1);
	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		/* A slab pgd (arm64, 52 bits): on the node of its slab page. */
		if (l == MLPT_PGD && mlpt_pgd_table_bytes() < MLPT_PAGE) {
			EXPECT_EQ(1, before.node_tables[n0][l] +
				  before.node_tables[n1][l]);
			continue;
		}
		EXPECT_EQ(before.lvl[l][MLPT_TABLES], before.node_tables[n0][l]);
		EXPECT_EQ(0, before.node_tables[n1][l]);
	}
	ASSERT_EQ(0, mlpt_check_step(&child, &before, w.t, w.n, tables,
				     &after));
	mlpt_child_stop(&child);
	ASSERT_EQ(2, after.nr_nodes);
	ASSERT_EQ(n0, node_row(_metadata, &after, 0));
	ASSERT_EQ(n1, node_row(_metadata, &after, 1));
	for (l = 0; l < MLPT_NR_LEVELS; l++) {
		EXPECT_EQ(before.node_tables[n0][l], after.node_tables[n0][l]) {
			TH_LOG("%s tables on node 0 changed",
			       mlpt_level_names[l]);
		}
		/* the pgd, even from a slab, stays where it was */
		EXPECT_EQ(before.node_tables[n1][l] + tables[l],
			  after.node_tables[n1][l]) {
			TH_LOG("%s tables on node 1", mlpt_level_names[l]);
		}
	}
}

TEST_HARNESS_MAIN
