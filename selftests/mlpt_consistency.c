// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of every process in the guest agree with the kernel and with
 * themselves: walk-pgtables-bytes == kernel-pgtables-bytes == VmPTE * 1024,
 * the structural rules of mlpt_report_invariants(), and paging-levels /
 * va-bits as the boot set them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#define RETRIES 5

/* A canonical decimal pid, as /proc/mlpt names them. */
static pid_t name_pid(const char *name)
{
	char *end;
	long v;

	if (name[0] < '1' || name[0] > '9')
		return 0;
	v = strtol(name, &end, 10);
	return *end ? 0 : v;
}

/* The state letter of /proc/<pid>/stat, 0 when there is no such process. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) S ...": comm may hold ") ", the last one ends it */
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Whether @pid has exited: gone from /proc or a zombie, whose address
 * space is released.  Its report and VmPTE go a moment before it becomes
 * a zombie (exit_mm() runs before exit_notify()), so this waits up to a
 * second for that; a live process (an exec empties an open report too)
 * is not taken for an exited one.
 */
static bool exited(pid_t pid)
{
	char state;
	int i;

	for (i = 0; i < 100; i++) {
		state = proc_state(pid);
		if (!state || state == 'Z' || state == 'X')
			return true;
		usleep(10 * 1000);
	}
	return false;
}

/*
 * Check one process; 0 when it passed or exited, 1 when it failed.
 * VmPTE is read before and after the report: when both agree, nothing
 * changed the address space in between and the three must be equal.
 */
static int check_pid(pid_t pid, int *checked)
{
	struct mlpt_report r;
	long long kb1, kb2;
	int try, ret;
	bool gone;

	for (try = 0; try < RETRIES; try++) {
		kb1 = mlpt_vmpte_kb(pid);
		ret = mlpt_report_pid(pid, &r);
		kb2 = mlpt_vmpte_kb(pid);
		gone = ret == -ENOENT || ret == -ESRCH || kb1 < 0 || kb2 < 0;
		if (gone && exited(pid))
			return 0;
		if (gone)
			continue;	/* an exec, say: read it again */
		if (ret) {
			fprintf(stderr, "# pid %d: report error %d\n", pid, ret);
			return 1;
		}
		if (kb1 != kb2)
			continue;	/* changed under the walk: retry */
		if (r.walk_pgtables_bytes == r.kernel_pgtables_bytes &&
		    r.kernel_pgtables_bytes == (unsigned long long)kb1 * 1024)
			break;
	}
	(*checked)++;
	if (try == RETRIES && gone) {
		fprintf(stderr,
			"# pid %d (state %c): report %d, VmPTE %lld/%lld kB, yet it has not exited\n",
			pid, proc_state(pid), ret, kb1, kb2);
		return 1;
	}
	if (try == RETRIES) {
		fprintf(stderr,
			"# pid %d (%s): walk %llu kernel %llu VmPTE %lld kB\n",
			pid, r.comm, r.walk_pgtables_bytes,
			r.kernel_pgtables_bytes, kb1);
		return 1;
	}
	if (r.pid != pid) {
		fprintf(stderr, "# pid %d: report says pid %ld\n", pid, r.pid);
		return 1;
	}
	if (mlpt_report_invariants(&r)) {
		fprintf(stderr, "# pid %d (%s): invariants above\n", pid,
			r.comm);
		return 1;
	}
	return 0;
}

TEST(every_process)
{
	struct dirent *de;
	int failed = 0, checked = 0;
	DIR *d;

	d = opendir(MLPT_DIR);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		pid_t pid = name_pid(de->d_name);

		if (pid)
			failed += check_pid(pid, &checked);
	}
	closedir(d);
	TH_LOG("%d processes checked", checked);
	/* At least this test, its parent and the guest's init. */
	ASSERT_LE(3, checked);
	ASSERT_EQ(0, failed);
}

/*
 * What every_process takes for an exited process: a running one is not,
 * a zombie and a reaped one are (the module gives a zombie no report).
 */
TEST(exited_means_exited)
{
	struct mlpt_report r;
	siginfo_t si;
	pid_t child;

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, mlpt_report_pid(child, &r));
	ASSERT_FALSE(exited(child));
	ASSERT_EQ(0, kill(child, SIGKILL));
	/* a zombie: waited for, not reaped */
	ASSERT_EQ(0, waitid(P_PID, child, &si, WEXITED | WNOWAIT));
	ASSERT_EQ(-ENOENT, mlpt_report_pid(child, &r));
	ASSERT_TRUE(exited(child));
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	ASSERT_TRUE(exited(child));
}

/*
 * The paging levels in force are what the CPU says without the module
 * (x86-64: the flag la57, which no5lvl clears; arm64: the kernel's LPA2
 * message; riscv64: the satp mode in /proc/cpuinfo), and an address can
 * be mapped exactly when the mode translates it, below mlpt_user_top():
 * 2^38 (past Sv39's user space) with 4 levels or more, or on arm64 with
 * 16 KiB pages with 3; 2^47 (past x86-64's and Sv48's, at arm64's with
 * 16 KiB pages and 3 levels) and 2^48 (past arm64's 48 bits) on x86-64
 * and riscv64 with 5 levels and on arm64 with 52 bits.
 */
TEST(paging_levels)
{
	static const unsigned long needs[] = { 1UL << 38, 1UL << 47,
					       1UL << 48 };
	int levels = mlpt_levels();
	struct mlpt_report r;
	unsigned int i;
	void *p;

	ASSERT_EQ(0, mlpt_report_pid(getpid(), &r));
	ASSERT_EQ((unsigned long long)levels, r.paging_levels);
	ASSERT_EQ(mlpt_va_bits(levels), r.va_bits);
	ASSERT_EQ(levels < 5, r.lvl[MLPT_P4D][MLPT_FOLDED]);
	ASSERT_EQ(levels < 4, r.lvl[MLPT_PUD][MLPT_FOLDED]);
	ASSERT_EQ(0, mlpt_report_invariants(&r));
	for (i = 0; i < ARRAY_SIZE(needs); i++) {
		p = mmap((void *)needs[i], MLPT_PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0);
		ASSERT_EQ(needs[i] < mlpt_user_top(levels),
			  p == (void *)needs[i]) {
			TH_LOG("mmap at 0x%lx", needs[i]);
		}
		if (p != MAP_FAILED)
			munmap(p, MLPT_PAGE);
	}
}

TEST_HARNESS_MAIN
