// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifetime: rmmod is refused while /proc/mlpt is mounted or one of
 * its files is open (even on a lazily unmounted instance), succeeds once
 * neither holds it, and 100 load/mount/use/unmount/unload cycles leave
 * no kernel object behind.
 *
 * Leaks are counted in /proc/slabinfo: before each count every cache is
 * shrunk (which also flushes the per-CPU slabs, whose objects slabinfo
 * would otherwise show as in use) and the dentry and inode caches are
 * dropped, so an object still counted is one somebody holds.  Each cycle
 * allocates at least one of everything the module allocates (superblock,
 * inodes, dentries, files, per-open state and buffers, pid references),
 * so a leak of anything on any path that runs once per cycle leaves
 * CYCLES objects.  A cache fails when it grows by CYCLES objects or more
 * and by LEAK_BYTES or more: in an idle guest unrelated caches still
 * drift by up to ~500 small objects (kmalloc-8, lsm blobs: under 10 KiB)
 * over such a run, while one leaked dentry, inode, superblock, file or
 * report buffer per cycle is 19 KiB to 400 KiB.  A leak of one object
 * smaller than LEAK_BYTES / CYCLES per cycle goes unseen.
 *
 * The guest loaded and mounted the module before the tests and unloads
 * it after them: every test leaves it loaded and mounted.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_stress_lib.h"

#define KO		"/lib/mlpt.ko"
#define CYCLES		100
#define MAX_CACHES	512
#define LEAK_BYTES	(16 * 1024)

static char buf[MLPT_STRESS_BUF];

static int load(void)
{
	int fd = open(KO, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "mlpt", O_NONBLOCK) ? -errno : 0;
}

static int mount_mlpt(void)
{
	return mount("none", MLPT_DIR, "mlpt", 0, NULL) ? -errno : 0;
}

static bool loaded(void)
{
	struct stat st;

	return !stat("/sys/module/mlpt", &st);
}

static bool mounted(void)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/mounts", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " " MLPT_DIR " mlpt ");
	fclose(f);
	return found;
}

/* Back to the state the guest set up, whatever a test did. */
static void restore(void)
{
	if (!loaded() && load())
		fprintf(stderr, "# %s: insmod failed\n", __func__);
	if (!mounted() && mount_mlpt())
		fprintf(stderr, "# %s: mount failed\n", __func__);
}

FIXTURE(life) {
	int unused;
};

FIXTURE_SETUP(life)
{
	self->unused = 0;
	ASSERT_TRUE(loaded());
	ASSERT_TRUE(mounted());
}

FIXTURE_TEARDOWN(life)
{
	restore();
}

/*
 * The kernel refuses to unload a module still referenced with EAGAIN
 * (EWOULDBLOCK): that is what "busy" means for delete_module().
 */
static bool refused(int err)
{
	return err == -EAGAIN || err == -EBUSY;
}

TEST_F(life, refused_while_mounted)
{
	int err = unload();

	TH_LOG("delete_module while mounted: %s", strerror(-err));
	ASSERT_TRUE(refused(err));
	ASSERT_TRUE(loaded());
	ASSERT_EQ(0, mlpt_report_pid(getpid(), &(struct mlpt_report){ 0 }));
}

/* A lazily unmounted instance lives while a file of it is open. */
TEST_F(life, refused_while_open_after_lazy_umount)
{
	int fd, err;

	fd = open(MLPT_DIR "/self", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, umount2(MLPT_DIR, MNT_DETACH));
	ASSERT_FALSE(mounted());
	err = unload();
	TH_LOG("delete_module with a file open: %s", strerror(-err));
	ASSERT_TRUE(refused(err));
	/* The open file still works. */
	ASSERT_LT(0, mlpt_read_all(fd, buf, sizeof(buf)));
	close(fd);
	/* Nothing holds the module any more. */
	ASSERT_EQ(0, unload());
	ASSERT_FALSE(loaded());
	ASSERT_EQ(0, load());
	ASSERT_EQ(0, mount_mlpt());
}

struct cache {
	char name[64];
	long objs;
	long size;
};

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0)
		fprintf(stderr, "# %s: %s\n", path, strerror(errno));
	close(fd);
}

/*
 * The shrink files of every cache, opened once: opening them for each
 * count would itself make and free sysfs inodes and dentries.
 */
static int shrink_fd[MAX_CACHES];
static int shrink_fds;

static void open_shrink_files(void)
{
	struct dirent *de;
	char path[300];
	DIR *d = opendir("/sys/kernel/slab");

	if (!d)
		return;
	while (shrink_fds < MAX_CACHES && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 de->d_name);
		shrink_fd[shrink_fds] = open(path, O_WRONLY | O_CLOEXEC);
		if (shrink_fd[shrink_fds] >= 0)
			shrink_fds++;
	}
	closedir(d);
}

/* Free what is only cached: unused dentries and inodes, per-CPU slabs. */
static void settle(void)
{
	int round, i;

	if (!shrink_fds)
		open_shrink_files();
	for (round = 0; round < 3; round++) {
		write_str("/proc/sys/vm/drop_caches", "2");
		/*
		 * Files, mounts, inodes are freed after an RCU grace period:
		 * wait for one (MEMBARRIER_CMD_GLOBAL is synchronize_rcu()),
		 * then for the callbacks; drop_caches flushed lazy ones.
		 */
		syscall(SYS_membarrier, 1, 0);
		usleep(300000);
		for (i = 0; i < shrink_fds; i++)
			if (pwrite(shrink_fd[i], "1", 1, 0) < 0)
				fprintf(stderr, "# shrink: %s\n", strerror(errno));
	}
}

static int read_slabinfo(struct cache *c)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/slabinfo", "re");

	if (!f)
		return -1;
	while (n < MAX_CACHES && fgets(line, sizeof(line), f)) {
		long num;

		if (sscanf(line, "%63s %ld %ld %ld", c[n].name, &c[n].objs,
			   &num, &c[n].size) == 4)
			n++;
	}
	fclose(f);
	return n;
}

/* Use every file and command of one mounted instance once. */
static int use_once(void)
{
	char cmd[64];
	struct dirent *de;
	int fd, entries = 0;
	DIR *d;

	if (mlpt_report_pid(getpid(), &(struct mlpt_report){ 0 }) ||
	    mlpt_report_pid(1, &(struct mlpt_report){ 0 }))
		return -1;
	fd = open(MLPT_DIR "/self", O_RDWR);
	if (fd < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "translate 0x%lx", (unsigned long)buf);
	if (write(fd, "vmas\n", 5) != 5 || pread(fd, buf, sizeof(buf), 0) <= 0 ||
	    write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) ||
	    pread(fd, buf, sizeof(buf), 0) <= 0 ||
	    write(fd, "bogus", 5) != -1) {
		close(fd);
		return -1;
	}
	close(fd);
	fd = open(MLPT_DIR "/version", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
		return -1;
	close(fd);
	if (open(MLPT_DIR "/007", O_RDONLY) >= 0 || errno != ENOENT)
		return -1;
	d = opendir(MLPT_DIR);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		entries++;
	closedir(d);
	return entries > 4 ? 0 : -1;
}

/* A reader child and this process each use the mounted files once. */
static int use_twice(void)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid)
		_exit(use_once() ? 1 : 0);
	if (pid < 0 || use_once())
		return -1;
	return waitpid(pid, &status, 0) == pid && !status ? 0 : -1;
}

/* One cycle, with a reader child using the instance next to this one. */
static int cycle(void)
{
	if (umount(MLPT_DIR) || unload() || load() || mount_mlpt())
		return -1;
	return use_twice();
}

struct snap {
	struct cache c[MAX_CACHES];
	int n;
};

static int snap_take(struct snap *s)
{
	settle();
	s->n = read_slabinfo(s->c);
	return s->n;
}

/* Objects of cache @name in @s; 0 for a cache it does not have. */
static long objs(const struct snap *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return s->c[i].objs;
	return 0;
}

/*
 * Growth of each cache from @a to @b, less its growth from @ba to @bb
 * when given (what load/unload alone costs), printed as one line of
 * figures; returns the caches that grew as a leak would (see the top).
 */
static int judge(const char *phase, const struct snap *a,
		 const struct snap *b, const struct snap *ba,
		 const struct snap *bb, double ms)
{
	long bytes = 0, worst = 0;
	char worst_name[64] = "-";
	int i, bad = 0;

	for (i = 0; i < b->n; i++) {
		const struct cache *c = &b->c[i];
		long d = c->objs - objs(a, c->name);

		if (ba)
			d -= objs(bb, c->name) - objs(ba, c->name);
		/*
		 * Freed lazily, in batches, by design: vmalloc's areas, and
		 * the debug kernel's debugobjects pool (it tracks objects of
		 * other caches, where a leak of them would show).
		 */
		if (!strcmp(c->name, "vmap_area") ||
		    !strcmp(c->name, "debug_objects_cache"))
			continue;
		bytes += d * c->size;
		if (d > worst) {
			worst = d;
			snprintf(worst_name, sizeof(worst_name), "%.63s",
				 c->name);
		}
		if (d >= CYCLES && d * c->size >= LEAK_BYTES) {
			fprintf(stderr, "# %s: %s: %ld more objects after %d cycles\n",
				phase, c->name, d, CYCLES);
			bad++;
		}
	}
	printf("# figures leaks-%s: cycles %d ms-per-cycle %.1f ",
	       phase, CYCLES, ms);
	printf("slab-bytes-delta %ld worst-cache %s %+ld objects\n",
	       bytes, worst_name, worst);
	return bad;
}

/* Mounted and used, with the module loaded throughout. */
static int use_cycle(void)
{
	if (umount(MLPT_DIR) || mount_mlpt())
		return -1;
	return use_twice();
}

/* Loaded and unloaded, never mounted (the caller unmounted). */
static int load_cycle(void)
{
	return unload() || load() ? -1 : 0;
}

/* Run @fn CYCLES times between two snapshots; ms per cycle or < 0. */
static double phase(int (*fn)(void), struct snap *a, struct snap *b)
{
	unsigned long long t0;
	int i;

	if (snap_take(a) <= 0)
		return -1;
	t0 = mlpt_now_ns();
	for (i = 0; i < CYCLES; i++)
		if (fn())
			return -1;
	t0 = mlpt_now_ns() - t0;
	if (snap_take(b) <= 0)
		return -1;
	return t0 / 1e6 / CYCLES;
}

/*
 * Three phases of CYCLES each: mount/use/unmount with the module loaded
 * (everything the module does at run time), load/unload alone (the
 * module's init and exit, and what the kernel's loader itself keeps,
 * reported), then whole cycles, judged less what load/unload alone left.
 */
TEST_F_TIMEOUT(life, load_unload_leaks_nothing, 900)
{
	static struct snap a, b, la, lb, fa, fb;
	double ms;
	int i;

	/* Warm up: first-use allocations are not leaks. */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, cycle());
	ms = phase(use_cycle, &a, &b);
	ASSERT_LE(0, ms);
	EXPECT_EQ(0, judge("mount-use", &a, &b, NULL, NULL, ms));
	ASSERT_EQ(0, umount(MLPT_DIR));
	ms = phase(load_cycle, &la, &lb);
	ASSERT_LE(0, ms);
	ASSERT_EQ(0, mount_mlpt());
	judge("insmod-rmmod", &la, &lb, NULL, NULL, ms);
	ms = phase(cycle, &fa, &fb);
	ASSERT_LE(0, ms);
	EXPECT_EQ(0, judge("full-cycle-less-insmod", &fa, &fb, &la, &lb, ms));
	EXPECT_TRUE(loaded());
	EXPECT_TRUE(mounted());
}

TEST_HARNESS_MAIN
