// SPDX-License-Identifier: GPL-2.0
/*
 * Lab fork: fork() copies the page tables of private anonymous memory
 * (entries write-protected for copy-on-write), so right after fork the
 * child has the parent's tables for it.  A copy-on-write fault replaces
 * the entry, not the table: the child's tree keeps its shape.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

#define SPARSE 16	/* pages 2 MiB apart: 16 pte tables */
#define SIZE (SPARSE * MLPT_PMD_SIZE)

/* pte tables the "vmas" command gives the VMA starting at @start */
static long long vma_ptes(pid_t pid, unsigned long start)
{
	static char buf[256 * 1024];
	unsigned long long s, e, pud, pmd, pte;
	char path[64], *line;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MLPT_DIR "/%d", (int)pid);
	fd = open(path, O_RDWR);
	if (fd < 0)
		lab_fail(path, errno);
	if (write(fd, "vmas", 4) != 4)
		lab_fail("vmas", errno);
	n = mlpt_read_all(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		lab_fail("read", -n);
	for (line = buf; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (sscanf(line, "%llx %llx %*s %llu %llu %llu", &s, &e, &pud,
			   &pmd, &pte) == 5 && s == start)
			return pte;
	return -1;
}

static void touch_all(char *p)
{
	unsigned long off;

	for (off = 0; off < SIZE; off += MLPT_PMD_SIZE)
		p[off]++;
}

int main(void)
{
	unsigned long slot = mlpt_free_slots(1);
	int go[2], done[2];
	char c = 0;
	pid_t pid;

	lab_begin("fork",
		  "does a child get its own tables, and does copy-on-write change them?");
	if (!slot || pipe(go) || pipe(done))
		lab_fail("setup", ENOMEM);
	lab_touch(slot, SIZE, MLPT_PMD_SIZE, MADV_NOHUGEPAGE, 0);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		lab_fail("fork", errno);
	if (!pid) {
		/* wait, write every page (copy-on-write), say so, wait */
		close(go[1]);
		if (read(go[0], &c, 1) == 1)
			touch_all((char *)slot);
		if (write(done[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	lab_check("parent: pte tables of the region", vma_ptes(getpid(), slot), SPARSE);
	lab_check("child after fork: pte tables of the region", vma_ptes(pid, slot), SPARSE);
	if (write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
		lab_fail("child", EPIPE);
	lab_check("child after copy-on-write: pte tables", vma_ptes(pid, slot), SPARSE);
	lab_check("parent after the child's writes: pte tables", vma_ptes(getpid(), slot), SPARSE);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return lab_end();
}
