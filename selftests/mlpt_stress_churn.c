// SPDX-License-Identifier: GPL-2.0
/*
 * Readers against an address space that never stops changing.
 *
 * churn: a target whose threads mmap, touch, mremap (in place and moving
 * its tables), mprotect, MADV_DONTNEED, munmap, fork and fork+exec in a
 * loop, next to stress-ng --vm/--mmap workers, while several readers read
 * its summary, `vmas` and `translate` reports and one more reads random
 * pids of the listing (stress-ng's short-lived children among them) for
 * MLPT_STRESS_SECONDS.  Every report must be whole and consistent, and
 * walk-pgtables-bytes must equal kernel-pgtables-bytes whenever the
 * target changed nothing around the read: the target pauses now and then
 * so that such reads happen, and at least one must.
 *
 * self: a process reads its own report while its other threads hammer
 * mmap/munmap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_stress_lib.h"

/* argv[1] that makes this binary exit at once: the exec of the churn. */
#define EXIT_ARG	"--mlpt-exit"

#define THREADS		3
#define SLOTS		96		/* pmd-span slots of the arena */
#define ARENA		(SLOTS * MLPT_PMD_SIZE)
#define READERS		3
/* Longest any group may take: the guest's own timeout is the real one. */
#define GROUP_TIMEOUT	900

struct churn {
	struct mlpt_ops ops;
	unsigned long arena;
	unsigned long done[THREADS + 1];
};

struct churn_thread {
	struct churn *c;
	int id;
	unsigned long len[SLOTS];	/* mapped bytes at each owned slot */
};

static void touch(unsigned long addr, unsigned long len)
{
	unsigned long off;

	for (off = 0; off < len; off += MLPT_PAGE)
		((char *)addr)[off] = 1;
	/* The stores are the point: the compiler must not drop them. */
	asm volatile("" : : "r" (addr) : "memory");
}

/* One change to one of this thread's slots (slot % THREADS == id). */
static void churn_slot(struct churn_thread *t, unsigned int *seed)
{
	int slot = t->id + THREADS * (rand_r(seed) % (SLOTS / THREADS));
	unsigned long addr = t->c->arena + slot * MLPT_PMD_SIZE;
	unsigned long len = t->len[slot], half = len / 2 & ~(MLPT_PAGE - 1);
	/* Up to 2 MiB: 512 pages, 128 with 16 KiB pages. */
	unsigned long n = 1 + rand_r(seed) % ((2UL << 20) / MLPT_PAGE);
	int dst = t->id + THREADS * (rand_r(seed) % (SLOTS / THREADS));
	void *p;

	if (!len) {
		p = mmap((void *)addr, n * MLPT_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (p == MAP_FAILED)
			return;
		madvise(p, n * MLPT_PAGE, MADV_NOHUGEPAGE);
		touch(addr, n * MLPT_PAGE);
		t->len[slot] = n * MLPT_PAGE;
		return;
	}
	switch (rand_r(seed) % 6) {
	case 0:
		munmap((void *)addr, len);
		t->len[slot] = 0;
		break;
	case 1:		/* grow or shrink in place */
		if (mremap((void *)addr, len, n * MLPT_PAGE, 0) != MAP_FAILED) {
			t->len[slot] = n * MLPT_PAGE;
			touch(addr, n * MLPT_PAGE);
		}
		break;
	case 2:		/* move: the kernel moves the page tables too */
		if (t->len[dst] || dst == slot)
			break;
		p = mremap((void *)addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   (void *)(t->c->arena + dst * MLPT_PMD_SIZE));
		if (p != MAP_FAILED) {
			t->len[dst] = len;
			t->len[slot] = 0;
		}
		break;
	case 3:		/* split the VMA in two and merge it back */
		if (half) {
			mprotect((void *)addr, half, PROT_READ);
			mprotect((void *)addr, half, PROT_READ | PROT_WRITE);
		}
		break;
	case 4:
		madvise((void *)addr, len, MADV_DONTNEED);
		break;
	default:
		touch(addr, len);
		break;
	}
}

static void *churn_main(void *arg)
{
	struct churn_thread *t = arg;
	unsigned int seed = t->id * 7919 + getpid();

	while (mlpt_op_wait(&t->c->ops)) {
		mlpt_op_begin(&t->c->ops);
		churn_slot(t, &seed);
		mlpt_op_end(&t->c->ops);
		t->c->done[t->id]++;
	}
	return NULL;
}

/* fork, and every other time exec in the child, until stopped. */
static void *fork_main(void *arg)
{
	struct churn *c = arg;
	pid_t pid;

	while (mlpt_op_wait(&c->ops)) {
		mlpt_op_begin(&c->ops);
		pid = fork();
		if (!pid) {
			if (c->done[THREADS] & 1)
				execl("/proc/self/exe", "churn", EXIT_ARG,
				      (char *)NULL);
			_exit(0);
		}
		mlpt_op_end(&c->ops);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		c->done[THREADS]++;
	}
	return NULL;
}

static struct churn_thread threads[THREADS];

/* The target: THREADS slot churners and a forker, until killed. */
static void churn_target(struct churn *c)
{
	pthread_t tid[THREADS + 1];
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0; i < THREADS; i++) {
		threads[i].c = c;
		threads[i].id = i;
		if (mlpt_thread_start(&c->ops, &tid[i], churn_main,
				      &threads[i]))
			_exit(1);
	}
	if (mlpt_thread_start(&c->ops, &tid[THREADS], fork_main, c))
		_exit(1);
	for (i = 0; i <= THREADS; i++)
		pthread_join(tid[i], NULL);
	_exit(0);
}

static pid_t start_stress_ng(unsigned int secs)
{
	char timeout[32];
	pid_t pid;

	snprintf(timeout, sizeof(timeout), "%us", secs);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		execlp("stress-ng", "stress-ng", "--vm", "1", "--vm-bytes",
		       "64M", "--mmap", "1", "--mmap-bytes", "32M", "--timeout",
		       timeout, "--quiet", (char *)NULL);
		_exit(127);
	}
	return pid;
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, churn, GROUP_TIMEOUT)
{
	unsigned int secs = mlpt_stress_seconds();
	struct mlpt_read_stats *st = mlpt_shared(2 * sizeof(*st));
	struct churn *c = mlpt_shared(sizeof(*c));
	pid_t readers[READERS + 1], target, sng;
	struct mlpt_reader rd = { 0 };
	unsigned long long end;
	unsigned long ops = 0;
	char extra[128];
	int status, i;

	ASSERT_NE(NULL, st);
	ASSERT_NE(NULL, c);
	c->arena = mlpt_free_slots(1);
	ASSERT_NE(0UL, c->arena);
	sng = start_stress_ng(secs);
	ASSERT_LT(0, sng);
	fflush(NULL);
	target = fork();
	if (!target)
		churn_target(c);
	ASSERT_LT(0, target);

	end = mlpt_now_ns() + secs * 1000000000ULL;
	rd.target = target;
	rd.tr_start = c->arena;
	rd.tr_end = c->arena + ARENA;
	rd.ops = &c->ops;
	rd.deadline_ns = end;
	rd.seed = 1;
	ASSERT_EQ(READERS, mlpt_readers_start(&rd, READERS, &st[0], readers));
	/* One reader roams the listing: stress-ng's workers come and go. */
	rd.target = 0;
	rd.ops = NULL;
	rd.tr_start = 0;
	rd.tr_end = 0;
	rd.seed = 100;
	ASSERT_EQ(1, mlpt_readers_start(&rd, 1, &st[1], &readers[READERS]));

	/* Changes, then quiet spells in which idle reads happen. */
	mlpt_ops_alternate(&c->ops, &st[0], end);
	EXPECT_EQ(0, mlpt_readers_wait(readers, READERS + 1));
	__atomic_store_n(&c->ops.stop, 1, __ATOMIC_SEQ_CST);
	/* The target must still be running its loops: nothing killed it. */
	ASSERT_EQ(0, waitpid(target, &status, WNOHANG));
	kill(target, SIGKILL);
	ASSERT_EQ(target, waitpid(target, &status, 0));
	ASSERT_EQ(sng, waitpid(sng, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("stress-ng: status 0x%x (127: not installed)", status);

	for (i = 0; i <= THREADS; i++)
		ops += c->done[i];
	snprintf(extra, sizeof(extra), "target-ops %lu seconds %u", ops, secs);
	mlpt_stress_print("churn", &st[0], extra);
	mlpt_stress_print("churn-roaming", &st[1], NULL);
	EXPECT_EQ(0UL, st[0].errors);
	EXPECT_EQ(0UL, st[1].errors);
	EXPECT_LT(0UL, st[0].reads);
	EXPECT_LT(0UL, st[0].vmas_reads);
	EXPECT_LT(0UL, st[0].translate_reads);
	EXPECT_LT(0UL, st[0].equal_checks);
	EXPECT_LT(0UL, st[1].reads);
	EXPECT_LT(0UL, c->done[THREADS]);
	/* Changing, not stuck: 5 changes a second (9-28 seen under TCG). */
	EXPECT_LE(5UL * secs / mlpt_slowdown(), ops);
}

/* mmap, touch, munmap one of this thread's slots, as fast as it can. */
static void *hammer_main(void *arg)
{
	struct churn_thread *t = arg;
	unsigned int seed = t->id;

	while (mlpt_op_wait(&t->c->ops)) {
		churn_slot(t, &seed);
		__atomic_fetch_add(&t->c->done[0], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, self, GROUP_TIMEOUT)
{
	unsigned int secs = mlpt_stress_seconds();
	static struct mlpt_read_stats st;
	static struct churn c;
	struct mlpt_reader rd = { 0 };
	pthread_t tid[THREADS];
	char extra[64];
	int i;

	c.arena = mlpt_free_slots(1);
	ASSERT_NE(0UL, c.arena);
	for (i = 0; i < THREADS; i++) {
		threads[i].c = &c;
		threads[i].id = i;
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, hammer_main,
					    &threads[i]));
	}
	rd.target = getpid();
	rd.tr_start = c.arena;
	rd.tr_end = c.arena + ARENA;
	rd.deadline_ns = mlpt_now_ns() + secs * 1000000000ULL;
	rd.seed = 7;
	mlpt_reader_run(&rd, &st);
	__atomic_store_n(&c.ops.stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < THREADS; i++)
		pthread_join(tid[i], NULL);
	snprintf(extra, sizeof(extra), "mmap-ops %lu", c.done[0]);
	mlpt_stress_print("self", &st, extra);
	EXPECT_EQ(0UL, st.errors);
	EXPECT_LT(0UL, st.reads);
	EXPECT_LT(0UL, st.vmas_reads);
	EXPECT_LT(0UL, st.translate_reads);
	EXPECT_LT(100UL / mlpt_slowdown(), c.done[0]);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], EXIT_ARG))
		return 0;
	return test_harness_run(argc, argv);
}
