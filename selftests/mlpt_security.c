// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile readers and bad input: who may open a report and what an open
 * file may show later ("Access" in docs/format.md), names seen from
 * another pid namespace, and every malformed read and write that page
 * defines a result for.  mlpt_files.c and mlpt_commands.c hold the basic cases
 * (other uid, same uid, non-dumpable, root, the bad names, a
 * few bad commands); this file adds the cases an attacker would try.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_stress_lib.h"

/* argv[1] that makes this binary sleep: the image of exec tests. */
#define SLEEP_ARG	"--mlpt-sleep"
#define EXIT_ARG	"--mlpt-exit"
#define SUID_COPY	"/tmp/mlpt_security_suid"

static char buf[MLPT_STRESS_BUF];
static char buf2[MLPT_STRESS_BUF];

static int open_pid(pid_t pid, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)pid);
	return open(path, flags);
}

/* Exit status of @fn run in a child, or -1 when it did not exit. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -1;
	close(fd);
	return ret;
}

/* ---- user namespaces ---------------------------------------------- */

/*
 * As uid 1000, become root of a new user namespace (uid 0 inside maps to
 * 1000 outside), then try the target.  Exit codes: 0 the kernel and mlpt
 * both said EACCES, 10+ a setup step failed, 20 smaps was allowed (the
 * premise is wrong), 30 mlpt allowed it, 40 mlpt gave another errno,
 * 50 the reader cannot even open its own file.
 */
static int userns_reader(void *arg)
{
	pid_t target = *(pid_t *)arg;
	char path[64];
	int fd;

	/* Dumpable again, or /proc/self/uid_map stays root's. */
	if (mlpt_become(1000) || prctl(PR_SET_DUMPABLE, 1))
		return 10;
	if (unshare(CLONE_NEWUSER))
		return 11;
	if (write_file("/proc/self/uid_map", "0 1000 1") ||
	    write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/gid_map", "0 1000 1"))
		return 12;
	if (getuid() != 0)
		return 13;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)target);
	fd = open(path, O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		return 20;
	fd = open_pid(target, O_RDONLY);
	if (fd >= 0)
		return 30;
	if (errno != EACCES)
		return 40;
	fd = open(MLPT_DIR "/self", O_RDONLY);
	if (fd < 0 || mlpt_read_all(fd, buf, sizeof(buf)) <= 0)
		return 50;
	return 0;
}

/* Root of a user namespace has no power over a process outside it. */
TEST(userns_root_over_outside)
{
	pid_t target = mlpt_spawn_sleeper(0, 1);

	ASSERT_LT(0, target);
	EXPECT_EQ(0, in_child(userns_reader, &target));
	mlpt_reap(target);
}

/* ---- a file passed to a more privileged process -------------------- */

static int touched = 1;

static int send_fd(int sock, int fd, unsigned long addr)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &addr, sizeof(addr) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == sizeof(addr) ? 0 : -1;
}

static int recv_fd(int sock, unsigned long *addr)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { addr, sizeof(*addr) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != sizeof(*addr))
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Write a translate of @addr to @fd and leave the answer in buf. */
static int ask_translate(int fd, unsigned long addr)
{
	char cmd[64];
	ssize_t n;

	snprintf(cmd, sizeof(cmd), "translate 0x%lx\n", addr);
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return -errno;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return n ? -errno : -ENODATA;
	buf[n] = '\0';
	return 0;
}

/*
 * uid 1000 opens its own file and hands it to root over SCM_RIGHTS: the
 * opener's credentials decide, so root using it still sees no frame.
 */
TEST(scm_rights_keeps_opener_credentials)
{
	char err[256], c;
	unsigned long addr;
	int sv[2], fd;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	fflush(NULL);
	pid = fork();
	if (!pid) {
		close(sv[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (mlpt_become(1000))
			_exit(1);
		touched++;
		fd = open(MLPT_DIR "/self", O_RDWR);
		if (fd < 0 || send_fd(sv[1], fd, (unsigned long)&touched))
			_exit(2);
		/* Stay alive, and the page mapped, until told. */
		if (read(sv[1], &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	ASSERT_LT(0, pid);
	close(sv[1]);
	fd = recv_fd(sv[0], &addr);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, ask_translate(fd, addr));
	EXPECT_EQ(0, mlpt_check_translate(buf, addr, false, err, sizeof(err)))
		TH_LOG("%s\n%s", err, buf);
	EXPECT_NE(NULL, strstr(buf, "\npfn: hidden\n")) TH_LOG("%s", buf);
	close(fd);
	/* The same address through root's own open shows the frame. */
	fd = open_pid(pid, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ask_translate(fd, addr));
	EXPECT_EQ(0, mlpt_check_translate(buf, addr, true, err, sizeof(err)))
		TH_LOG("%s\n%s", err, buf);
	EXPECT_NE(NULL, strstr(buf, "\npfn: 0x")) TH_LOG("%s", buf);
	close(fd);
	ASSERT_EQ(1, write(sv[0], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	close(sv[0]);
}

/* ---- exec of a setuid program, pid reuse ---------------------------- */

/* Copy this binary to SUID_COPY, owned by root, mode 4755. */
static int make_setuid_copy(void)
{
	int in = open("/proc/self/exe", O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(SUID_COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	if (chown(SUID_COPY, 0, 0) || chmod(SUID_COPY, 04755))
		return -1;
	return 0;
}

/*
 * uid 1000 opens the file of its own process; that process then execs a
 * setuid-root program.  The open file must not show the new, privileged
 * address space, and a new open must be refused.
 */
TEST(setuid_exec_after_open)
{
	struct statvfs sv;
	int go[2], up[2], fd, i, status;
	pid_t target, reader;
	char c;
	ssize_t n;

	ASSERT_EQ(0, statvfs("/tmp", &sv));
	ASSERT_EQ(0UL, sv.f_flag & ST_NOSUID)
		TH_LOG("/tmp is mounted nosuid: the exec would not be setuid");
	ASSERT_EQ(0, make_setuid_copy());
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(up));
	fflush(NULL);
	target = fork();
	if (!target) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (mlpt_become(1000) || prctl(PR_SET_DUMPABLE, 1))
			_exit(1);
		/* uid 1000 now: the reader may open it. */
		if (write(up[1], "u", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(2);
		execl(SUID_COPY, "suid", SLEEP_ARG, (char *)NULL);
		_exit(3);
	}
	ASSERT_LT(0, target);
	close(go[0]);
	ASSERT_EQ(1, read(up[0], &c, 1));
	close(up[0]);
	close(up[1]);
	/* The reader: uid 1000, like its target before the exec. */
	fflush(NULL);
	reader = fork();
	if (!reader) {
		if (mlpt_become(1000))
			_exit(10);
		fd = open_pid(target, O_RDONLY);
		if (fd < 0)
			_exit(11);
		/* Tell the parent, then wait for the exec to be done. */
		if (write(go[1], "g", 1) != 1)
			_exit(12);
		for (i = 0; i < 30000 && !mlpt_cmdline_has(target, SLEEP_ARG); i++)
			usleep(1000);
		/* Past the point of no return, new credentials installed. */
		usleep(100000);
		n = read(fd, buf, sizeof(buf));
		if (n > 0)
			_exit(20);
		if (n < 0 && errno != ESRCH)
			_exit(21);
		close(fd);
		fd = open_pid(target, O_RDONLY);
		if (fd >= 0)
			_exit(30);
		_exit(errno == EACCES ? 0 : 31);
	}
	ASSERT_LT(0, reader);
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	TH_LOG("reader exit %d", WEXITSTATUS(status));
	ASSERT_TRUE(mlpt_cmdline_has(target, SLEEP_ARG));
	/* 20: the old file showed the setuid image; 30: a new open passed. */
	EXPECT_EQ(0, WEXITSTATUS(status));
	mlpt_reap(target);
	close(go[1]);
	unlink(SUID_COPY);
}

/*
 * A file opened on a process that exited keeps reading empty even when
 * its pid number belongs to a new process (forced with ns_last_pid).
 */
TEST(pid_reuse_after_open)
{
	pid_t old = mlpt_spawn_sleeper(0, 1), again = 0;
	struct mlpt_report r;
	char last[32];
	int fd, tries;
	int ready[2];

	ASSERT_LT(0, old);
	fd = open_pid(old, O_RDONLY);
	ASSERT_LE(0, fd);
	mlpt_reap(old);
	for (tries = 0; tries < 20 && again != old; tries++) {
		if (again > 0)
			mlpt_reap(again);
		snprintf(last, sizeof(last), "%d", (int)old - 1);
		ASSERT_EQ(0, write_file("/proc/sys/kernel/ns_last_pid", last));
		ASSERT_EQ(0, pipe(ready));
		fflush(NULL);
		again = fork();
		if (!again) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			prctl(PR_SET_NAME, "reused");
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		ASSERT_LT(0, again);
		ASSERT_EQ(1, read(ready[0], last, 1));
		close(ready[0]);
		close(ready[1]);
	}
	ASSERT_EQ(old, again) TH_LOG("pid %d never came back", (int)old);
	/* The number names the new process now... */
	ASSERT_EQ(0, mlpt_report_pid(again, &r));
	ASSERT_STREQ("reused", r.comm);
	/* ...but the old file never reads it. */
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	close(fd);
	mlpt_reap(again);
}

/* ---- pid namespaces ---------------------------------------------- */

/*
 * pid 1 of a new pid namespace, with a proc and an mlpt of its own.
 * Exit codes: 0 all as docs/format.md says, 1x setup, 2x a wrong name.
 */
static int ns_init(pid_t outer)
{
	char name[32], link[32];
	struct mlpt_report r;
	struct dirent *de;
	int n = 0, ones = 0, twos = 0;
	pid_t child;
	ssize_t len;
	DIR *d;

	if (getpid() != 1)
		return 10;
	if (mount("proc", "/proc", "proc", 0, NULL))
		return 11;
	if (mount("none", MLPT_DIR, "mlpt", 0, NULL))
		return 12;
	child = fork();
	if (!child) {
		for (;;)
			pause();
	}
	if (child != 2)
		return 13;
	len = readlink(MLPT_DIR "/self", link, sizeof(link) - 1);
	if (len <= 0)
		return 20;
	link[len] = '\0';
	if (strcmp(link, "1"))
		return 21;
	if (mlpt_report_pid(1, &r) || r.pid != 1)
		return 22;
	if (mlpt_report_pid(2, &r) || r.pid != 2)
		return 23;
	/* The test outside has a pid here only by accident: > 2. */
	snprintf(name, sizeof(name), MLPT_DIR "/%d", (int)outer);
	if (open(name, O_RDONLY) >= 0 || errno != ENOENT)
		return 24;
	d = opendir(MLPT_DIR);
	if (!d)
		return 25;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		n++;
		ones += !strcmp(de->d_name, "1");
		twos += !strcmp(de->d_name, "2");
	}
	closedir(d);
	if (n != 2 || ones != 1 || twos != 1)
		return 26;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	umount(MLPT_DIR);
	return 0;
}

TEST(pid_namespace_names)
{
	pid_t outer = getpid(), pid;
	int status;

	ASSERT_LT(2, outer);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		pid_t init;

		if (unshare(CLONE_NEWPID | CLONE_NEWNS))
			_exit(1);
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(2);
		init = fork();
		if (!init)
			_exit(ns_init(outer));
		if (init < 0 || waitpid(init, &status, 0) != init ||
		    !WIFEXITED(status))
			_exit(3);
		_exit(WEXITSTATUS(status));
	}
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The outer instance was not touched by the inner mount. */
	ASSERT_EQ(0, mlpt_report_pid(outer, &(struct mlpt_report){ 0 }));
}

/* ---- reads ---------------------------------------------------------- */

static int quiet_step(void *arg, int step)
{
	struct mlpt_touch *t = arg;

	(void)step;
	return mlpt_map_touch(t, 0, MADV_NOHUGEPAGE, false);
}

FIXTURE(io) {
	struct mlpt_child child;
	struct mlpt_touch t;
	struct mlpt_report r;
	int fd;
};

FIXTURE_SETUP(io)
{
	self->t.addr = mlpt_free_slots(1);
	self->t.npages = 4;
	self->t.leaf_level = MLPT_PTE;
	ASSERT_NE(0UL, self->t.addr);
	ASSERT_EQ(0, mlpt_child_start(&self->child, quiet_step, &self->t));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
	ASSERT_EQ(0, mlpt_report_pid(self->child.pid, &self->r));
	self->fd = open_pid(self->child.pid, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(io)
{
	if (self->fd >= 0)
		close(self->fd);
	mlpt_child_stop(&self->child);
}

/*
 * One byte per read() gives the very bytes a single pread() of the same
 * open file gives, for each kind of report.
 */
TEST_F(io, one_byte_reads)
{
	static const char *const cmds[] = { NULL, "vmas\n", "summary\n",
					    "translate 0x" };
	char cmd[64];
	size_t i, len;
	ssize_t n, whole;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (cmds[i]) {
			snprintf(cmd, sizeof(cmd), "%s", cmds[i]);
			if (!strcmp(cmd, "translate 0x"))
				snprintf(cmd, sizeof(cmd), "translate 0x%lx\n",
					 self->t.addr + 5);
			ASSERT_EQ((ssize_t)strlen(cmd),
				  write(self->fd, cmd, strlen(cmd)));
		}
		ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
		len = 0;
		while ((n = read(self->fd, buf + len, 1)) == 1)
			ASSERT_GT(sizeof(buf) - 1, ++len);
		ASSERT_EQ(0, n);
		buf[len] = '\0';
		whole = pread(self->fd, buf2, sizeof(buf2) - 1, 0);
		ASSERT_EQ((ssize_t)len, whole) TH_LOG("report %zu", i);
		ASSERT_EQ(0, memcmp(buf, buf2, len));
		ASSERT_EQ('\n', buf[len - 1]);
	}
}

/* Any offset at or past the end reads 0 bytes; one before, the last. */
TEST_F(io, offsets)
{
	static const off_t huge[] = { 1LL << 32, 1LL << 40, 1LL << 62,
				      0x7fffffffffffffffLL - 4096 };
	ssize_t len = pread(self->fd, buf, sizeof(buf), 0);
	unsigned int i;
	char c;

	ASSERT_LT(0, len);
	ASSERT_EQ(0, pread(self->fd, &c, 1, len));
	ASSERT_EQ(0, pread(self->fd, &c, 1, len + 1));
	ASSERT_EQ(1, pread(self->fd, &c, 1, len - 1));
	ASSERT_EQ('\n', c);
	for (i = 0; i < ARRAY_SIZE(huge); i++) {
		ASSERT_EQ(0, pread(self->fd, buf2, 16, huge[i]))
			TH_LOG("offset 0x%llx: %s", (long long)huge[i],
			       strerror(errno));
		ASSERT_EQ(huge[i], lseek(self->fd, huge[i], SEEK_SET));
		ASSERT_EQ(0, read(self->fd, buf2, 16));
	}
	/* The kernel's rule for offsets that do not exist, or overflow. */
	ASSERT_EQ(-1, pread(self->fd, &c, 1, -1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, pread(self->fd, buf2, 2, 0x7fffffffffffffffLL));
	ASSERT_EQ(EINVAL, errno);
	/* Reads at the end never walk again: the start is unchanged. */
	ASSERT_EQ(len, pread(self->fd, buf2, sizeof(buf2), 0));
	ASSERT_EQ(0, memcmp(buf, buf2, len));
}

/* ---- writes -------------------------------------------------------- */

/* Expect @cmd (@len bytes) to fail with EINVAL and change nothing. */
static int bad_write(int fd, const void *cmd, size_t len)
{
	ssize_t before, after;

	before = pread(fd, buf, sizeof(buf), 0);
	if (before <= 0)
		return -1;
	errno = 0;
	if (write(fd, cmd, len) != -1 || errno != EINVAL)
		return -2;
	after = pread(fd, buf2, sizeof(buf2), 0);
	if (after != before || memcmp(buf, buf2, before))
		return -3;
	return 0;
}

TEST_F(io, bad_writes)
{
	/* The first address above user space (TASK_SIZE_MAX on x86-64). */
	unsigned long top = mlpt_user_top((int)self->r.paging_levels);
	static char big[64 * 1024];
	char garbage[31], cmd[64];
	unsigned int i, seed = 42;
	static const char *const bad[] = {
		"translate 0xffff888000000000\n",	/* kernel space */
		"translate 0xffffffffffffffff",
		"translate 18446744073709551615",
		"translate 18446744073709551616",	/* 2^64 */
		"translate 0x10000000000000000",	/* 17 hex digits */
		"translate 123456789012345678901",	/* 21 digits */
		"translate 0X1000", "translate 0x1000\n\n", "translate  4096",
		"translate 4096 ", " summary", "summary\r\n", "SUMMARY",
		"translate 0x-1", "translate +4096", "translate 4096\t",
		"vmas\n\n", "\n", "translate", "translate ",
	};

	ASSERT_EQ(0, write(self->fd, "summary\n", 8) != 8);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(0, bad_write(self->fd, bad[i], strlen(bad[i])))
			TH_LOG("bad command %u", i);
	/* The top of user space, and the first address beyond va-bits. */
	snprintf(cmd, sizeof(cmd), "translate 0x%lx", top);
	EXPECT_EQ(0, bad_write(self->fd, cmd, strlen(cmd))) TH_LOG("%s", cmd);
	snprintf(cmd, sizeof(cmd), "translate %lu", top);
	EXPECT_EQ(0, bad_write(self->fd, cmd, strlen(cmd))) TH_LOG("%s", cmd);
	snprintf(cmd, sizeof(cmd), "translate 0x%llx",
		 1ULL << self->r.va_bits);
	EXPECT_EQ(0, bad_write(self->fd, cmd, strlen(cmd))) TH_LOG("%s", cmd);
	/* 64 KiB, and 31 bytes of binary garbage (NULs included). */
	memset(big, 'a', sizeof(big));
	EXPECT_EQ(0, bad_write(self->fd, big, sizeof(big)));
	for (i = 0; i < 100; i++) {
		unsigned int j;

		for (j = 0; j < sizeof(garbage); j++)
			garbage[j] = rand_r(&seed);
		/* Never a command by chance: no command starts so. */
		garbage[0] = (char)0xff;
		EXPECT_EQ(0, bad_write(self->fd, garbage, sizeof(garbage)));
	}
	/* A NUL hiding the rest of the line. */
	EXPECT_EQ(0, bad_write(self->fd, "vmas\0junk", 9));
	/* The last user page is a user address: walked (or "vma: none"). */
	snprintf(cmd, sizeof(cmd), "translate 0x%lx", top - 1);
	ASSERT_EQ((ssize_t)strlen(cmd), write(self->fd, cmd, strlen(cmd)));
}

/* What docs/format.md accepts, exactly. */
TEST_F(io, good_writes)
{
	char err[256];
	ssize_t n;

	/* A write of 0 bytes returns 0 and leaves the snapshot. */
	n = pread(self->fd, buf, sizeof(buf) - 1, 0);
	ASSERT_LT(0, n);
	ASSERT_EQ(0, write(self->fd, "vmas\n", 0));
	ASSERT_EQ(n, pread(self->fd, buf2, sizeof(buf2) - 1, 0));
	ASSERT_EQ(0, memcmp(buf, buf2, n));
	/* An unterminated decimal number: no newline needed. */
	ASSERT_EQ(12, write(self->fd, "translate 12", 12));
	n = pread(self->fd, buf, sizeof(buf) - 1, 0);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_STREQ("mlpt-format: 1\ntranslate: 0x000000000000000c\nvma: none\n",
		     buf);
	/* 16 hex digits and 20 decimal digits are the longest numbers. */
	ASSERT_EQ(28, write(self->fd, "translate 0x0000000000001000", 28));
	ASSERT_EQ(30, write(self->fd, "translate 00000000000000004096", 30));
	n = pread(self->fd, buf, sizeof(buf) - 1, 0);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_EQ(0, mlpt_check_translate(buf, 4096, true, err, sizeof(err)))
		TH_LOG("%s", err);
	/* A write does not move the offset; the answer is at 0. */
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
}

/* ---- targets that go away ------------------------------------------ */

/*
 * Children that live a few milliseconds, half of them exec'ing, are read
 * as they exit (every eighth once it is a zombie): each read is a whole
 * report of the child, or nothing (ENOENT or ESRCH at open, 0 bytes at
 * read), never a part or another process's.
 */
TEST(exiting_targets)
{
	unsigned long long end = mlpt_now_ns() + 2000000000ULL;
	unsigned long whole = 0, gone = 0, bad = 0, i;
	struct mlpt_report r;
	char err[256];

	for (i = 0; mlpt_now_ns() < end; i++) {
		ssize_t n;
		pid_t pid;
		int fd;

		fflush(NULL);
		pid = fork();
		if (!pid) {
			if (i & 1)
				execl("/proc/self/exe", "exiting", EXIT_ARG,
				      (char *)NULL);
			usleep(i % 3 * 1000);
			_exit(0);
		}
		ASSERT_LT(0, pid);
		if (i % 4 == 3)
			usleep(500);
		/* Every 8th is read as a zombie: gone for certain. */
		if (i % 8 == 7)
			ASSERT_EQ(0, waitid(P_PID, pid, NULL,
					    WEXITED | WNOWAIT));
		fd = open_pid(pid, O_RDONLY);
		if (fd < 0) {
			if (errno == ENOENT || errno == ESRCH)
				gone++;
			else
				bad++;
		} else {
			n = mlpt_read_all(fd, buf, sizeof(buf));
			close(fd);
			if (n == 0)
				gone++;
			else if (n < 0 ||
				 mlpt_check_summary(buf, pid, &r, err,
						    sizeof(err)))
				bad++;
			else
				whole++;
		}
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	}
	printf("# figures exiting: reads %lu whole %lu gone %lu errors %lu\n",
	       i, whole, gone, bad);
	EXPECT_EQ(0UL, bad);
	EXPECT_LT(0UL, whole);
	EXPECT_LT(0UL, gone);
}

/*
 * A vfork child shares its parent's address space until it execs or
 * exits: its report, under its own pid, counts the same tables.  (A
 * process without any VMA cannot be made from user space, see
 * docs/reliability.md.)
 */
TEST(vfork_child)
{
	struct mlpt_report *shared = mlpt_shared(2 * sizeof(*shared));
	pid_t *child = mlpt_shared(sizeof(pid_t));
	int status;
	pid_t helper;

	ASSERT_NE(NULL, shared);
	ASSERT_NE(NULL, child);
	fflush(NULL);
	helper = fork();
	if (!helper) {
		struct timespec ts = { 2, 0 };
		pid_t v = vfork();

		if (!v) {
			/* Only syscalls here: the parent's stack is ours. */
			*child = syscall(SYS_getpid);
			syscall(SYS_nanosleep, &ts, NULL);
			syscall(SYS_exit, 0);
		}
		_exit(v > 0 ? 0 : 1);
	}
	ASSERT_LT(0, helper);
	while (!__atomic_load_n(child, __ATOMIC_SEQ_CST))
		usleep(1000);
	/* The helper is suspended in vfork() meanwhile: nothing moves. */
	ASSERT_EQ(0, mlpt_report_pid(*child, &shared[0]));
	ASSERT_EQ(0, mlpt_report_pid(helper, &shared[1]));
	ASSERT_EQ(helper, waitpid(helper, &status, 0));
	ASSERT_EQ(0, status);
	EXPECT_EQ(*child, shared[0].pid);
	EXPECT_EQ(helper, shared[1].pid);
	shared[0].pid = shared[1].pid;
	shared[0].walk_ns = shared[1].walk_ns;
	EXPECT_EQ(0, mlpt_report_diff(&shared[1], &shared[0]));
}

/*
 * A process without a single VMA: it munmaps its whole address space,
 * and is held by ptrace at the exit of that munmap, before it returns to
 * the code it no longer has.  Its report: no VMA, nothing mapped, the pgd
 * alone (munmap of everything frees every table below it, so no pgd
 * entry of the user half is left), walk == kernel == 0 bytes.
 */
TEST(no_vmas)
{
	/* All user space, less the top page. */
	unsigned long len = mlpt_user_top(mlpt_levels());
	struct __ptrace_syscall_info info;
	struct mlpt_report r;
	int status, stops;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(1);
		raise(SIGSTOP);
		syscall(SYS_munmap, 0UL, len);
		_exit(2);	/* not reached: there is no code left */
	}
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	ASSERT_EQ(0, ptrace(PTRACE_SETOPTIONS, pid, NULL,
			    PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	/* Syscall stops until the exit of munmap (raise() has a few). */
	for (stops = 0; stops < 20; stops++) {
		ASSERT_EQ(0, ptrace(PTRACE_SYSCALL, pid, NULL, NULL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSTOPPED(status) &&
			    WSTOPSIG(status) == (SIGTRAP | 0x80))
			TH_LOG("status 0x%x", status);
		ASSERT_LT(0, ptrace(PTRACE_GET_SYSCALL_INFO, pid,
				    sizeof(info), &info));
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY &&
		    info.entry.nr == SYS_munmap)
			break;
	}
	ASSERT_EQ(0, ptrace(PTRACE_SYSCALL, pid, NULL, NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_LT(0, ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info),
			    &info));
	ASSERT_EQ(PTRACE_SYSCALL_INFO_EXIT, info.op);
	ASSERT_EQ(0, info.exit.rval) TH_LOG("munmap: %lld", info.exit.rval);

	ASSERT_EQ(0, mlpt_report_pid(pid, &r));
	EXPECT_EQ(0, mlpt_report_invariants(&r));
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(0ULL, r.vmas);
	EXPECT_EQ(0ULL, r.mapped_bytes);
	/* docs/format.md: no VMA gives va-lowest and va-highest 0. */
	EXPECT_EQ(0ULL, r.va_lowest);
	EXPECT_EQ(0ULL, r.va_highest);
	EXPECT_EQ(0ULL, r.resident_bytes);
	EXPECT_EQ(1ULL, r.lvl[MLPT_PGD][MLPT_TABLES]);
	EXPECT_EQ(0ULL, r.lvl[MLPT_PGD][MLPT_PRESENT]);
	EXPECT_EQ(0ULL, r.lvl[MLPT_P4D][MLPT_TABLES]);
	EXPECT_EQ(0ULL, r.lvl[MLPT_PUD][MLPT_TABLES]);
	EXPECT_EQ(0ULL, r.lvl[MLPT_PMD][MLPT_TABLES]);
	EXPECT_EQ(0ULL, r.lvl[MLPT_PTE][MLPT_TABLES]);
	EXPECT_EQ(0ULL, r.walk_pgtables_bytes);
	EXPECT_EQ(0ULL, r.kernel_pgtables_bytes);
	kill(pid, SIGKILL);
	EXPECT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], SLEEP_ARG))
		for (;;)
			pause();
	if (argc == 2 && !strcmp(argv[1], EXIT_ARG))
		return 0;
	return test_harness_run(argc, argv);
}
