// SPDX-License-Identifier: GPL-2.0
/*
 * Readers against huge pages that the kernel keeps rebuilding: the
 * target's threads fault THPs in, MADV_COLLAPSE them (6.1 on), split them (an
 * mprotect of half a huge page, MADV_DONTNEED of part of one), free them,
 * and push them to swap (MADV_PAGEOUT onto a zram swap device) while
 * khugepaged scans every 10 ms and readers walk the target:
 *
 * churn: all of the above; reads must see huge leaves and swap entries.
 * migrate: the same with move_pages() bouncing pages between the two
 *	NUMA nodes of the guest, so that walks meet migration entries.
 *
 * Each report must be whole and consistent and, whenever the target
 * changed nothing around a read, walk-pgtables-bytes must equal
 * kernel-pgtables-bytes: collapse, split and migration move tables
 * between the tree and the deposit without changing the kernel's count.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_stress_lib.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#define MPOL_MF_MOVE	(1 << 1)

/*
 * Huge pages of the arena: 32 of 2 MiB, 64 MiB; with 16 KiB pages the
 * same 64 MiB would be 2 of 32 MiB, too few to churn, so 4 (128 MiB).
 */
#define SLOTS		(MLPT_PMD_SIZE < (4UL << 20) ? 32 : 4)
#define ARENA		(SLOTS * MLPT_PMD_SIZE)
#define THREADS		2
#define READERS		3
#define GROUP_TIMEOUT	900

#define KHUGEPAGED	"/sys/kernel/mm/transparent_hugepage/khugepaged/"
#define ZRAM_MODULES	"/lib/zram"
#define ZRAM		"/dev/zram0"
#define ZRAM_BYTES	(256UL << 20)

enum {
	OP_TOUCH, OP_COLLAPSE, OP_SPLIT, OP_PAGEOUT, OP_PUNCH, OP_FREE,
	OP_MIGRATE, OP_KINDS
};

struct thp {
	struct mlpt_ops ops;
	unsigned long arena;
	int migrate;			/* also move pages between nodes */
	unsigned long ok[OP_KINDS];	/* operations the kernel accepted */
	int no_madv_collapse;		/* EINVAL: before 6.1 */
	unsigned long moved;		/* pages move_pages() moved */
};

static void touch(unsigned long addr, unsigned long len)
{
	unsigned long off;

	for (off = 0; off < len; off += MLPT_PAGE)
		((char *)addr)[off] = 1;
	/* The stores are the point: the compiler must not drop them. */
	asm volatile("" : : "r" (addr) : "memory");
}

/*
 * Bounce the first page of each 64 KiB of a slot to the other node.  The
 * pages are written first: freed or swapped-out pages are not moved, and
 * every migration must move some.
 */
static long move_slot(unsigned long addr)
{
	void *pages[32];
	int nodes[32], status[32], i;
	long moved = 0;

	for (i = 0; i < 32; i++) {
		pages[i] = (void *)(addr + i * 0x10000UL);
		__atomic_store_n((char *)pages[i], 1, __ATOMIC_RELAXED);
		status[i] = -1;
	}
	/* Where they are now: status gets each page's node. */
	if (syscall(SYS_move_pages, 0, 32, pages, NULL, status, 0))
		return -errno;
	for (i = 0; i < 32; i++)
		nodes[i] = status[i] == 0 ? 1 : 0;
	if (syscall(SYS_move_pages, 0, 32, pages, nodes, status,
		    MPOL_MF_MOVE) < 0)
		return -errno;
	for (i = 0; i < 32; i++)
		moved += status[i] == nodes[i];
	return moved;
}

/*
 * Operation @n of a thread on a random slot: kinds in turn, so that a
 * short run under a slow emulator still does each of them.
 */
static int thp_op(struct thp *t, unsigned int *seed, unsigned long n)
{
	unsigned long addr = t->arena +
			     (rand_r(seed) % SLOTS) * MLPT_PMD_SIZE;
	int op = n % (t->migrate ? OP_KINDS : OP_MIGRATE);
	long moved;
	int ret = 0;

	switch (op) {
	case OP_TOUCH:
		touch(addr, MLPT_PMD_SIZE);
		break;
	case OP_COLLAPSE:
		ret = madvise((void *)addr, MLPT_PMD_SIZE, MADV_COLLAPSE);
		if (ret && errno == EINVAL)
			t->no_madv_collapse = 1;
		break;
	case OP_SPLIT:
		/*
		 * Another thread may be writing the slot: add exec rather
		 * than take write away; it splits the VMA and the pmd all
		 * the same.
		 */
		ret = mprotect((void *)addr, MLPT_PMD_SIZE / 2,
			       PROT_READ | PROT_WRITE | PROT_EXEC) ||
		      mprotect((void *)addr, MLPT_PMD_SIZE / 2,
			       PROT_READ | PROT_WRITE);
		break;
	case OP_PAGEOUT:
		ret = madvise((void *)addr, MLPT_PMD_SIZE, MADV_PAGEOUT);
		break;
	case OP_PUNCH:
		ret = madvise((void *)(addr + 0x40000), 0x10000,
			      MADV_DONTNEED);
		break;
	case OP_FREE:
		ret = madvise((void *)addr, MLPT_PMD_SIZE, MADV_DONTNEED);
		break;
	case OP_MIGRATE:
		moved = move_slot(addr);
		if (moved < 0)
			ret = -1;
		else
			__atomic_fetch_add(&t->moved, moved, __ATOMIC_RELAXED);
		break;
	}
	if (!ret)
		__atomic_fetch_add(&t->ok[op], 1, __ATOMIC_RELAXED);
	return ret;
}

static void *thp_main(void *arg)
{
	struct thp *t = arg;
	unsigned int seed = gettid();
	unsigned long n = seed;

	while (mlpt_op_wait(&t->ops)) {
		mlpt_op_begin(&t->ops);
		thp_op(t, &seed, n++);
		mlpt_op_end(&t->ops);
	}
	return NULL;
}

static void thp_target(struct thp *t)
{
	pthread_t tid[THREADS];
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Readers run already: setting up is an operation too. */
	mlpt_op_begin(&t->ops);
	if (mmap((void *)t->arena, ARENA, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) !=
	    (void *)t->arena || madvise((void *)t->arena, ARENA, MADV_HUGEPAGE))
		_exit(1);
	touch(t->arena, ARENA);
	mlpt_op_end(&t->ops);
	for (i = 0; i < THREADS; i++)
		if (mlpt_thread_start(&t->ops, &tid[i], thp_main, t))
			_exit(2);
	for (i = 0; i < THREADS; i++)
		pthread_join(tid[i], NULL);
	_exit(0);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

static int read_str(const char *path, char *s, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, s, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	s[n] = '\0';
	return 0;
}

static int only_ko(const struct dirent *de)
{
	return !!strstr(de->d_name, ".ko");
}

/*
 * zram and what it needs, copied into the initramfs by the rig in load
 * order (scripts/mkinitramfs.sh), then a swap area on /dev/zram0.
 */
static int zram_swap_on(char *why, size_t len)
{
	static char page[1 << 16];	/* the first page: up to 64 KiB */
	char path[300], size[32];
	struct dirent **names;
	unsigned int *hdr = (unsigned int *)(page + 1024);
	int n, i, fd;

	if (access("/sys/block/zram0", F_OK)) {
		n = scandir(ZRAM_MODULES, &names, only_ko, alphasort);
		if (n <= 0) {
			snprintf(why, len, "no zram modules in " ZRAM_MODULES);
			return -1;
		}
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), ZRAM_MODULES "/%s",
				 names[i]->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) &&
				       errno != EEXIST)) {
				snprintf(why, len, "insmod %.200s: %s", path,
					 strerror(errno));
				return -1;
			}
			close(fd);
			free(names[i]);
		}
		free(names);
	}
	snprintf(size, sizeof(size), "%lu", ZRAM_BYTES);
	if (write_str("/sys/block/zram0/disksize", size)) {
		snprintf(why, len, "zram0 disksize: %s", strerror(errno));
		return -1;
	}
	/* mkswap: version 1, last page, no bad pages, the magic at the end. */
	hdr[0] = 1;
	hdr[1] = ZRAM_BYTES / MLPT_PAGE - 1;
	memcpy(page + MLPT_PAGE - 10, "SWAPSPACE2", 10);
	fd = open(ZRAM, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, page, MLPT_PAGE) != (ssize_t)MLPT_PAGE ||
	    fsync(fd)) {
		snprintf(why, len, ZRAM ": %s", strerror(errno));
		return -1;
	}
	close(fd);
	if (swapon(ZRAM, 0)) {
		snprintf(why, len, "swapon: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int numa_nodes(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/sys/devices/system/node");

	if (!d)
		return 1;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, "node", 4) &&
		     de->d_name[4] >= '0' && de->d_name[4] <= '9';
	closedir(d);
	return n;
}

FIXTURE(thp) {
	char scan_sleep[32], alloc_sleep[32], to_scan[32];
	struct thp *t;
	struct mlpt_read_stats *st;
	long long collapsed;
	pid_t target;
};

FIXTURE_SETUP(thp)
{
	char why[256];

	self->target = 0;
	self->t = mlpt_shared(sizeof(*self->t));
	self->st = mlpt_shared(sizeof(*self->st));
	ASSERT_NE(NULL, self->t);
	ASSERT_NE(NULL, self->st);
	self->t->arena = mlpt_free_slots(1);
	ASSERT_NE(0UL, self->t->arena);
	ASSERT_EQ(0, zram_swap_on(why, sizeof(why))) TH_LOG("%s", why);
	/* khugepaged as busy as it gets; put back in teardown. */
	ASSERT_EQ(0, read_str(KHUGEPAGED "scan_sleep_millisecs",
			      self->scan_sleep, sizeof(self->scan_sleep)));
	ASSERT_EQ(0, read_str(KHUGEPAGED "alloc_sleep_millisecs",
			      self->alloc_sleep, sizeof(self->alloc_sleep)));
	ASSERT_EQ(0, read_str(KHUGEPAGED "pages_to_scan", self->to_scan,
			      sizeof(self->to_scan)));
	ASSERT_EQ(0, write_str(KHUGEPAGED "scan_sleep_millisecs", "10"));
	ASSERT_EQ(0, write_str(KHUGEPAGED "alloc_sleep_millisecs", "10"));
	ASSERT_EQ(0, write_str(KHUGEPAGED "pages_to_scan", "4096"));
	self->collapsed = mlpt_read_ll(KHUGEPAGED "pages_collapsed");
}

FIXTURE_TEARDOWN(thp)
{
	if (self->target > 0) {
		kill(self->target, SIGKILL);
		waitpid(self->target, NULL, 0);
	}
	write_str(KHUGEPAGED "scan_sleep_millisecs", self->scan_sleep);
	write_str(KHUGEPAGED "alloc_sleep_millisecs", self->alloc_sleep);
	write_str(KHUGEPAGED "pages_to_scan", self->to_scan);
	/* Swapping everything back in; zram0 is left for the next test. */
	swapoff(ZRAM);
	write_str("/sys/block/zram0/reset", "1");
}

/* Run the target and the readers for the group's time, then judge. */
static void run(struct __test_metadata *_metadata, FIXTURE_DATA(thp) * self,
		const char *group)
{
	unsigned int secs = mlpt_stress_seconds();
	struct mlpt_reader rd = { 0 };
	pid_t readers[READERS];
	unsigned long long end;
	long long collapsed;
	char extra[256];
	int status;

	fflush(NULL);
	self->target = fork();
	if (!self->target)
		thp_target(self->t);
	ASSERT_LT(0, self->target);
	end = mlpt_now_ns() + secs * 1000000000ULL;
	rd.target = self->target;
	rd.tr_start = self->t->arena;
	rd.tr_end = self->t->arena + ARENA;
	rd.ops = &self->t->ops;
	rd.deadline_ns = end;
	rd.seed = 5;
	ASSERT_EQ(READERS, mlpt_readers_start(&rd, READERS, self->st,
					      readers));
	mlpt_ops_alternate(&self->t->ops, self->st, end);
	EXPECT_EQ(0, mlpt_readers_wait(readers, READERS));
	/* The target must still be running its loops: nothing killed it. */
	ASSERT_EQ(0, waitpid(self->target, &status, WNOHANG))
		TH_LOG("target ended, status 0x%x", status);
	collapsed = mlpt_read_ll(KHUGEPAGED "pages_collapsed") - self->collapsed;
	snprintf(extra, sizeof(extra),
		 "touch %lu collapse %lu split %lu pageout %lu punch %lu free %lu migrate %lu pages-moved %lu khugepaged-collapsed %lld",
		 self->t->ok[OP_TOUCH], self->t->ok[OP_COLLAPSE],
		 self->t->ok[OP_SPLIT], self->t->ok[OP_PAGEOUT],
		 self->t->ok[OP_PUNCH], self->t->ok[OP_FREE],
		 self->t->ok[OP_MIGRATE], self->t->moved,
		 collapsed);
	mlpt_stress_print(group, self->st, extra);
	EXPECT_EQ(0UL, self->st->errors);
	EXPECT_LT(0UL, self->st->reads);
	EXPECT_LT(0UL, self->st->vmas_reads);
	EXPECT_LT(0UL, self->st->translate_reads);
	EXPECT_LT(0UL, self->st->equal_checks);
	/* The walks met what the group is about. */
	EXPECT_LT(0UL, self->st->thp_seen);
	EXPECT_LT(0UL, self->st->nonpresent_seen);
	/* Collapses happened: MADV_COLLAPSE's, or before 6.1 khugepaged's. */
	EXPECT_LT(0LL, self->t->no_madv_collapse ? collapsed :
		  (long long)self->t->ok[OP_COLLAPSE]);
	EXPECT_LT(0UL, self->t->ok[OP_PAGEOUT]);
}

TEST_F_TIMEOUT(thp, churn, GROUP_TIMEOUT)
{
	run(_metadata, self, "thp");
}

TEST_F_TIMEOUT(thp, migrate, GROUP_TIMEOUT)
{
	int nodes = numa_nodes();

	if (nodes < 2)
		SKIP(return, "%d NUMA node: move_pages() needs two (the rig boots two)",
		     nodes);
	self->t->migrate = 1;
	run(_metadata, self, "thp-migrate");
	EXPECT_LT(0UL, self->t->moved);
}

TEST_HARNESS_MAIN
