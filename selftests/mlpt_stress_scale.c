// SPDX-License-Identifier: GPL-2.0
/*
 * A big address space: a 64 TiB PROT_NONE reservation whose first 128
 * GiB are made writable and touched once every 2 MiB, so the walk meets
 * 65536 pte tables (in Sv39 all of a 64 GiB one, 32768 tables:
 * mlpt_reservation_size(); with 16 KiB pages 512 GiB of a 64 or 128 TiB
 * one, once every 32 MiB: 16384 tables).  The walk holds mmap_lock for reading, so it must
 * give the lock up when a writer waits and stop when its reader is
 * killed:
 *
 * mmap_latency: the target's mmap()+munmap() of one page, timed without
 *	readers and then while readers walk it in a loop; the worst case
 *	with readers must stay far below the time of one whole walk.
 * kill_mid_read: a reader looping on the report is SIGKILLed at random
 *	points of its walks and must be gone promptly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_stress_lib.h"

/*
 * The touched part: as many pte tables as 256 MiB hold, each with one
 * touched page (256 MiB more): 65536 tables over 128 GiB with 4 KiB
 * pages, 16384 over 512 GiB with 16 KiB pages.
 */
#define MAX_SPAN	((256UL << 20) / MLPT_PAGE * MLPT_PMD_SIZE)
#define READERS		2
#define KILLS		10
/*
 * Worst mmap() a reader may cause: half a walk, at most 100 ms times the
 * kernel's slowdown (mlpt_slowdown()).  A walk that kept the lock would
 * block mmap() for up to a whole walk; the rest is room for the
 * scheduling of an emulated two-CPU guest, where 65536 tables take 150
 * ms or more to walk, and six times that under riscv64's emulation (500
 * ms measured: the guest's every time slice is as much longer).
 */
#define LATENCY_MAX_NS	100000000ULL
#define KILL_MAX_NS	500000000ULL
#define GROUP_TIMEOUT	900

struct scale {
	unsigned long base;
	int ready;
	int measure;
	int stop;
	unsigned long maps;
	unsigned long long worst_ns;
};

/* The touched part of the reservation. */
static unsigned long span(void)
{
	unsigned long size = mlpt_reservation_size();

	return size < MAX_SPAN ? size : MAX_SPAN;
}

static void scale_target(struct scale *s)
{
	unsigned long off;
	char *p;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mmap((void *)s->base, mlpt_reservation_size(), PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		 MAP_FIXED_NOREPLACE, -1, 0) != (void *)s->base)
		_exit(1);
	if (mprotect((void *)s->base, span(), PROT_READ | PROT_WRITE) ||
	    madvise((void *)s->base, span(), MADV_NOHUGEPAGE))
		_exit(2);
	for (off = 0; off < span(); off += MLPT_PMD_SIZE)
		((char *)s->base)[off] = 1;
	asm volatile("" : : "r" (s->base) : "memory");
	__atomic_store_n(&s->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST)) {
		unsigned long long t0 = mlpt_now_ns(), dt;

		p = mmap(NULL, MLPT_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		dt = mlpt_now_ns() - t0;
		p[0] = 1;
		munmap(p, MLPT_PAGE);
		if (__atomic_load_n(&s->measure, __ATOMIC_SEQ_CST)) {
			if (dt > s->worst_ns)
				s->worst_ns = dt;
			s->maps++;
		}
		usleep(1000);
	}
	_exit(0);
}

FIXTURE(scale) {
	struct scale *s;
	pid_t target;
	struct mlpt_report r;
};

FIXTURE_SETUP(scale)
{
	int i;

	self->s = mlpt_shared(sizeof(*self->s));
	ASSERT_NE(NULL, self->s);
	self->s->base = mlpt_free_slots(mlpt_reservation_size() /
					 mlpt_slot_size());
	ASSERT_NE(0UL, self->s->base);
	fflush(NULL);
	self->target = fork();
	if (!self->target)
		scale_target(self->s);
	ASSERT_LT(0, self->target);
	for (i = 0; i < 60000 && !__atomic_load_n(&self->s->ready,
						  __ATOMIC_SEQ_CST); i++)
		usleep(1000);
	ASSERT_TRUE(self->s->ready);
	ASSERT_EQ(0, mlpt_report_pid(self->target, &self->r));
	/* The tree the test is about, or it proves nothing. */
	ASSERT_LE(span() / MLPT_PMD_SIZE, self->r.lvl[MLPT_PTE][MLPT_TABLES]);
	ASSERT_LE(mlpt_reservation_size(), self->r.mapped_bytes);
	ASSERT_EQ(0, mlpt_report_invariants(&self->r));
	ksft_print_msg("scale: %llu pte tables, one walk %.1f ms\n",
		       self->r.lvl[MLPT_PTE][MLPT_TABLES],
		       self->r.walk_ns / 1e6);
}

FIXTURE_TEARDOWN(scale)
{
	if (self->target > 0) {
		kill(self->target, SIGKILL);
		waitpid(self->target, NULL, 0);
	}
}

/* Worst mmap() over @secs seconds. */
static unsigned long long measure(struct scale *s, unsigned int secs,
				  unsigned long *maps)
{
	__atomic_store_n(&s->worst_ns, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->maps, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->measure, 1, __ATOMIC_SEQ_CST);
	sleep(secs);
	__atomic_store_n(&s->measure, 0, __ATOMIC_SEQ_CST);
	usleep(100000);
	*maps = s->maps;
	return s->worst_ns;
}

TEST_F_TIMEOUT(scale, mmap_latency, GROUP_TIMEOUT)
{
	unsigned int secs = mlpt_stress_seconds();
	struct mlpt_read_stats *st = mlpt_shared(sizeof(*st));
	unsigned long long idle, busy, walk = self->r.walk_ns;
	unsigned long long cap = LATENCY_MAX_NS * mlpt_slowdown();
	struct mlpt_reader rd = { 0 };
	unsigned long idle_maps, busy_maps;
	pid_t readers[READERS];
	char extra[160];

	ASSERT_NE(NULL, st);
	idle = measure(self->s, 1, &idle_maps);
	rd.target = self->target;
	rd.deadline_ns = mlpt_now_ns() + secs * 1000000000ULL;
	rd.seed = 3;
	/* `vmas` keeps the lock for a whole walk by design: not timed here. */
	rd.summary_only = true;
	ASSERT_EQ(READERS, mlpt_readers_start(&rd, READERS, st, readers));
	busy = measure(self->s, secs, &busy_maps);
	EXPECT_EQ(0, mlpt_readers_wait(readers, READERS));
	snprintf(extra, sizeof(extra),
		 "walk-ms %.1f worst-mmap-ms idle %.2f with-readers %.2f (%lu maps)",
		 walk / 1e6, idle / 1e6, busy / 1e6, busy_maps);
	mlpt_stress_print("scale-mmap", st, extra);
	EXPECT_EQ(0UL, st->errors);
	EXPECT_LT(0UL, st->reads);
	EXPECT_LT(0UL, idle_maps);
	EXPECT_LT(0UL, busy_maps);
	EXPECT_GT(walk / 2 < cap ? walk / 2 : cap, busy)
		TH_LOG("mmap blocked %.1f ms by readers (walk %.1f ms)",
		       busy / 1e6, walk / 1e6);
}

TEST_F_TIMEOUT(scale, kill_mid_read, GROUP_TIMEOUT)
{
	unsigned long long walk = self->r.walk_ns, worst = 0, total = 0;
	unsigned int seed = 11;
	struct mlpt_report r;
	int i, status;
	pid_t pid;

	for (i = 0; i < KILLS; i++) {
		unsigned long long t0;

		fflush(NULL);
		pid = fork();
		if (!pid) {
			for (;;)
				if (mlpt_report_pid(self->target, &r))
					_exit(1);
		}
		ASSERT_LT(0, pid);
		/* Somewhere in the second walk or later. */
		usleep((walk + rand_r(&seed) % (walk + 1)) / 1000);
		t0 = mlpt_now_ns();
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		t0 = mlpt_now_ns() - t0;
		/* Killed, not exited on an error of its own. */
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		total += t0;
		if (t0 > worst)
			worst = t0;
	}
	printf("# figures scale-kill: kills %d walk-ms %.1f ", KILLS,
	       walk / 1e6);
	printf("kill-to-reaped-ms worst %.2f mean %.2f\n", worst / 1e6,
	       total / 1e6 / KILLS);
	EXPECT_GT(KILL_MAX_NS, worst);
}

TEST_HARNESS_MAIN
