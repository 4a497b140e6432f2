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
#include <stdlib.h>
#include <sys/mman.h>

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

/*
 * Check one process; 0 when it passed or went away, 1 when it failed.
 * VmPTE is read before and after the report: when both agree, nothing
 * changed the address space in between and the three must be equal.
 */
static int check_pid(pid_t pid, int *checked)
{
	struct mlpt_report r;
	long long kb1, kb2;
	int try, ret;

	for (try = 0; try < RETRIES; try++) {
		kb1 = mlpt_vmpte_kb(pid);
		ret = mlpt_report_pid(pid, &r);
		kb2 = mlpt_vmpte_kb(pid);
		if (ret == -ENOENT || ret == -ESRCH || kb1 < 0 || kb2 < 0)
			return 0;	/* exited meanwhile */
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
 * 5-level paging is in force exactly when the CPU says so (x86-64: the
 * flag la57, which no5lvl clears; arm64: the kernel's LPA2 message), and
 * then addresses at 2^48 and above can be mapped.
 */
TEST(paging_levels)
{
	bool la57 = mlpt_five_levels();
	struct mlpt_report r;
	void *p;

	ASSERT_EQ(0, mlpt_report_pid(getpid(), &r));
	ASSERT_EQ(la57 ? 5ULL : 4ULL, r.paging_levels);
	ASSERT_EQ(mlpt_va_bits(la57), r.va_bits);
	ASSERT_EQ(!la57, r.lvl[MLPT_P4D][MLPT_FOLDED]);
	ASSERT_EQ(0, mlpt_report_invariants(&r));
	p = mmap((void *)MLPT_PGD5_SIZE, MLPT_PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_EQ(la57, p == (void *)MLPT_PGD5_SIZE);
	if (p != MAP_FAILED)
		munmap(p, MLPT_PAGE);
}

TEST_HARNESS_MAIN
