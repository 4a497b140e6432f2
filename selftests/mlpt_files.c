// SPDX-License-Identifier: GPL-2.0
/*
 * The files of /proc/mlpt: names, listing, access, lifetime of an open
 * file and the module reference it holds.  docs/format.md is the
 * contract.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

/* argv[1] that makes this binary sleep instead of running tests. */
#define SLEEP_ARG "--mlpt-sleep"

static char buf[MLPT_REPORT_MAX];

/* errno of opening /proc/mlpt/@name, or 0 when it opened. */
static int open_errno(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), MLPT_DIR "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int open_pid(pid_t pid, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)pid);
	return open(path, flags);
}

static bool listed(pid_t pid)
{
	char name[16];
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(MLPT_DIR);

	if (!d)
		return false;
	snprintf(name, sizeof(name), "%d", (int)pid);
	while (!found && (de = readdir(d)))
		found = !strcmp(de->d_name, name);
	closedir(d);
	return found;
}

/*
 * In a child running as @uid, open and read @path; the child's exit code
 * is the errno of open, 0 when it opened and read, 255 when the read
 * failed or (@target not 0) the report names another pid.
 */
static int open_as(uid_t uid, const char *path, pid_t target)
{
	struct mlpt_report r;
	char err[128];
	int status, fd;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		if (mlpt_become(uid))
			_exit(254);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			_exit(errno);
		if (mlpt_read_all(fd, buf, sizeof(buf)) <= 0)
			_exit(255);
		if (target && (mlpt_parse(buf, &r, err, sizeof(err)) ||
			       r.pid != target))
			_exit(255);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Open /proc/mlpt/<target> as @uid. */
static int open_mlpt_as(uid_t uid, pid_t target)
{
	char path[64];

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)target);
	return open_as(uid, path, target);
}

/* Open /proc/<target>/smaps as @uid: the rule docs/format.md adopts. */
static int open_smaps_as(uid_t uid, pid_t target)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)target);
	return open_as(uid, path, 0);
}

TEST(version_file)
{
	struct stat st;
	int fd;

	ASSERT_EQ(0, stat(MLPT_DIR "/version", &st));
	ASSERT_EQ(S_IFREG | 0444, st.st_mode);
	fd = open(MLPT_DIR "/version", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, mlpt_read_all(fd, buf, sizeof(buf)));
	close(fd);
	ASSERT_STREQ("mlpt " MLPT_VERSION " format 1\n", buf);
}

TEST(bad_names)
{
	/* Not canonical decimal pids; the last one overflows 32 bits. */
	static const char *const names[] = {
		"abc", "-1", "0", "007", "1 ", "4294967296", "+1", "1x",
	};
	char name[32];
	long long pid_max;
	unsigned int i;
	pid_t pid;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		TH_LOG("name '%s'", names[i]);
		ASSERT_EQ(ENOENT, open_errno(names[i]));
	}
	/* Pids are below pid_max, so pid_max itself never exists. */
	pid_max = mlpt_read_ll("/proc/sys/kernel/pid_max");
	ASSERT_LT(0, pid_max);
	snprintf(name, sizeof(name), "%lld", pid_max);
	ASSERT_EQ(ENOENT, open_errno(name));
	/* A reaped child: pids are handed out cyclically, not reused now. */
	pid = fork();
	if (!pid)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	snprintf(name, sizeof(name), "%d", (int)pid);
	ASSERT_EQ(ENOENT, open_errno(name));
}

static void check_self(struct __test_metadata *_metadata)
{
	char link[32], want[32];
	struct mlpt_report r;
	struct stat st;
	ssize_t n;
	int fd;

	ASSERT_EQ(0, lstat(MLPT_DIR "/self", &st));
	ASSERT_TRUE(S_ISLNK(st.st_mode));
	n = readlink(MLPT_DIR "/self", link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	snprintf(want, sizeof(want), "%d", (int)getpid());
	ASSERT_STREQ(want, link);
	fd = open(MLPT_DIR "/self", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, mlpt_read_all(fd, buf, sizeof(buf)));
	close(fd);
	ASSERT_EQ(0, mlpt_parse(buf, &r, link, sizeof(link)));
	ASSERT_EQ(getpid(), r.pid);
}

/* self resolves to the reader, in this process and in a child. */
TEST(self_link)
{
	int status;
	pid_t pid;

	check_self(_metadata);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		check_self(_metadata);
		_exit(_metadata->exit_code);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
}

TEST(access_rule)
{
	pid_t a = mlpt_spawn_sleeper(1000, 1);
	pid_t nd = mlpt_spawn_sleeper(1000, 0);
	struct stat st;
	char path[64];

	ASSERT_LT(0, a);
	ASSERT_LT(0, nd);
	/* 0600, owned by the target's uid. */
	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)a);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(S_IFREG | 0600, st.st_mode);
	EXPECT_EQ(1000U, st.st_uid);
	/*
	 * The kernel's own answers first: if uid 1000 cannot read smaps of
	 * its own dumpable process, the guest is broken (a root directory
	 * not searchable by others, say), not the module.
	 */
	ASSERT_EQ(0, open_smaps_as(1000, a)) {
		TH_LOG("uid 1000 cannot read its own smaps: / or /proc not 0755?");
	}
	ASSERT_EQ(EACCES, open_smaps_as(1001, a));
	ASSERT_EQ(EACCES, open_smaps_as(1000, nd));
	/* Another uid: as for /proc/<pid>/smaps, no. */
	EXPECT_EQ(EACCES, open_mlpt_as(1001, a));
	/* Same uid, dumpable target: allowed, and reports the target. */
	EXPECT_EQ(0, open_mlpt_as(1000, a));
	/* Same uid, not dumpable: no. */
	EXPECT_EQ(EACCES, open_mlpt_as(1000, nd));
	/* root has CAP_SYS_PTRACE: allowed even when not dumpable. */
	EXPECT_EQ(0, open_mlpt_as(0, nd));
	mlpt_reap(a);
	mlpt_reap(nd);
}

static bool has_vmsize(pid_t pid, bool *exists)
{
	char path[64], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	*exists = f;
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "VmSize:", 7);
	fclose(f);
	return found;
}

/*
 * Processes without an address space (kernel threads, zombies: no VmSize
 * in status) are not listed and cannot be opened; every process with one
 * is listed.
 */
static int check_listing(pid_t pid)
{
	bool exists, vm = has_vmsize(pid, &exists);
	bool in = listed(pid);
	char name[16];
	int err;

	snprintf(name, sizeof(name), "%d", (int)pid);
	err = open_errno(name);
	/* Look again: the process may have exited or exec'd meanwhile. */
	if (vm != has_vmsize(pid, &exists) || !exists)
		return 0;
	if (vm && (!in || err)) {
		fprintf(stderr, "# pid %d: listed %d open errno %d\n",
			pid, in, err);
		return 1;
	}
	if (!vm && (in || err != ENOENT)) {
		fprintf(stderr, "# pid %d without mm: listed %d errno %d\n",
			pid, in, err);
		return 1;
	}
	return 0;
}

TEST(kernel_threads)
{
	bool exists;
	struct dirent *de;
	int bad = 0, kthreads = 0;
	DIR *d;

	/* pid 2 is kthreadd: no address space. */
	ASSERT_FALSE(has_vmsize(2, &exists));
	ASSERT_TRUE(exists);
	ASSERT_FALSE(listed(2));
	ASSERT_EQ(ENOENT, open_errno("2"));
	d = opendir("/proc");
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		pid_t pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		kthreads += !has_vmsize(pid, &exists);
		bad += check_listing(pid);
	}
	closedir(d);
	ASSERT_LT(1, kthreads);
	ASSERT_EQ(0, bad);
}

/* A zombie has no address space any more. */
TEST(zombie)
{
	char path[64], line[256];
	bool zombie = false;
	pid_t pid;
	FILE *f;
	int i;

	pid = fork();
	if (!pid)
		_exit(0);
	ASSERT_LT(0, pid);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 1000 && !zombie; i++) {
		f = fopen(path, "re");
		ASSERT_NE(NULL, f);
		zombie = fgets(line, sizeof(line), f) && strstr(line, ") Z ");
		fclose(f);
		if (!zombie)
			usleep(1000);
	}
	ASSERT_TRUE(zombie);
	EXPECT_FALSE(listed(pid));
	snprintf(path, sizeof(path), "%d", (int)pid);
	EXPECT_EQ(ENOENT, open_errno(path));
	waitpid(pid, NULL, 0);
}

/*
 * A pid dentry stays cached after a close while its process lives
 * (fs.c): it must still follow the process.  Opened and closed once so
 * that the dentry is cached, the file must show a change of owner (the
 * target's effective uid, as /proc/<pid> shows) and vanish when the
 * process exits, from a lookup and from a listing alike.
 */
TEST(cached_dentry_follows_process)
{
	int go[2], ready[2], status;
	char path[64], name[16], c = 0;
	siginfo_t info;
	struct stat st;
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	fflush(NULL);
	pid = fork();
	if (!pid) {
		/* Wait, become uid 1000, say so, wait to be killed. */
		if (read(go[0], &c, 1) != 1 || mlpt_become(1000) ||
		    write(ready[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_LT(0, pid);
	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)pid);
	snprintf(name, sizeof(name), "%d", (int)pid);
	ASSERT_EQ(0, open_errno(name));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0, st.st_uid);

	ASSERT_EQ(1, write(go[1], &c, 1));
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(1000, st.st_uid);
	EXPECT_EQ(1000, st.st_gid);

	/* A zombie first: it has no address space, so no file. */
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(0, waitid(P_PID, pid, &info, WEXITED | WNOWAIT));
	EXPECT_EQ(ENOENT, open_errno(name));
	EXPECT_NE(0, stat(path, &st));
	EXPECT_FALSE(listed(pid));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(ENOENT, open_errno(name));
}

TEST(exit_after_open)
{
	pid_t pid = mlpt_spawn_sleeper(0, 1);
	int fd;

	ASSERT_LT(0, pid);
	fd = open_pid(pid, O_RDONLY);
	ASSERT_LE(0, fd);
	mlpt_reap(pid);
	/* Gone before the first read: empty, not stale or foreign. */
	ASSERT_EQ(0, read(fd, buf, sizeof(buf)));
	close(fd);
}

/* True once @pid runs the image exec'd with SLEEP_ARG. */
/*
 * An open file stays bound to the address space it opened: after the
 * target execs, a read must not report the new image.
 */
TEST(exec_after_open)
{
	int go[2], fd, i;
	ssize_t n;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(go));
	fflush(NULL);
	pid = fork();
	if (!pid) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		execl("/proc/self/exe", "mlpt_files", SLEEP_ARG, (char *)NULL);
		_exit(2);
	}
	ASSERT_LT(0, pid);
	fd = open_pid(pid, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(go[1], "g", 1));
	for (i = 0; i < 1000 && !mlpt_cmdline_has(pid, SLEEP_ARG); i++)
		usleep(1000);
	ASSERT_TRUE(mlpt_cmdline_has(pid, SLEEP_ARG));
	n = read(fd, buf, sizeof(buf));
	TH_LOG("read after exec returned %zd", n);
	EXPECT_EQ(0, n);
	close(fd);
	mlpt_reap(pid);
}

static int snapshot_step(void *arg, int step)
{
	struct mlpt_touch *t = arg;

	(void)step;
	return mlpt_map_touch(t, 0, MADV_NOHUGEPAGE, false);
}

/* lseek(0) and pread see the snapshot of the first read, not a new walk. */
TEST(snapshot)
{
	static char first[MLPT_REPORT_MAX], again[MLPT_REPORT_MAX];
	struct mlpt_touch t = { .npages = 1, .leaf_level = MLPT_PTE };
	struct mlpt_child child;
	ssize_t n, m;
	int fd;

	t.addr = mlpt_free_slots(1);
	ASSERT_NE(0UL, t.addr);
	ASSERT_EQ(0, mlpt_child_start(&child, snapshot_step, &t));
	fd = open_pid(child.pid, O_RDONLY);
	ASSERT_LE(0, fd);
	n = mlpt_read_all(fd, first, sizeof(first));
	ASSERT_LT(0, n);
	/* Change the tables: a fresh walk would now differ. */
	ASSERT_EQ(0, mlpt_child_step(&child, 1));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	m = mlpt_read_all(fd, again, sizeof(again));
	ASSERT_EQ(n, m);
	ASSERT_EQ(0, memcmp(first, again, n));
	m = pread(fd, again, sizeof(again), 7);
	ASSERT_EQ(n - 7, m);
	ASSERT_EQ(0, memcmp(first + 7, again, m));
	close(fd);
	/* A new open walks again and sees the change. */
	fd = open_pid(child.pid, O_RDONLY);
	ASSERT_LE(0, fd);
	m = mlpt_read_all(fd, again, sizeof(again));
	close(fd);
	ASSERT_LT(0, m);
	ASSERT_FALSE(n == m && !memcmp(first, again, n));
	mlpt_child_stop(&child);
}

/*
 * Unloading must be refused while a file is open.  The mount also holds
 * the module, so this only checks "refused", never a real unload.
 */
TEST(rmmod_refused)
{
	long ret;
	int fd;

	fd = open(MLPT_DIR "/self", O_RDONLY);
	ASSERT_LE(0, fd);
	ret = syscall(SYS_delete_module, "mlpt", O_NONBLOCK);
	ASSERT_EQ(-1, ret);
	TH_LOG("delete_module: %s", strerror(errno));
	ASSERT_TRUE(errno == EBUSY || errno == EWOULDBLOCK);
	ASSERT_LT(0, read(fd, buf, sizeof(buf)));
	close(fd);
}

/* The listing holds self, version and this process, all canonical. */
TEST(listing)
{
	bool self = false, version = false;
	struct dirent *de;
	char me[16];
	bool mine = false;
	DIR *d;

	snprintf(me, sizeof(me), "%d", (int)getpid());
	d = opendir(MLPT_DIR);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		const char *n = de->d_name;

		self |= !strcmp(n, "self");
		version |= !strcmp(n, "version");
		mine |= !strcmp(n, me);
		if (n[0] >= '0' && n[0] <= '9')
			EXPECT_TRUE(n[0] != '0' &&
				    strspn(n, "0123456789") == strlen(n));
	}
	closedir(d);
	ASSERT_TRUE(self);
	ASSERT_TRUE(version);
	ASSERT_TRUE(mine);
}

int main(int argc, char **argv)
{
	/* The image exec_after_open switches to. */
	if (argc == 2 && !strcmp(argv[1], SLEEP_ARG))
		for (;;)
			pause();
	return test_harness_run(argc, argv);
}
