// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt-shared-segment N...: PostgreSQL's shared memory, as the in-guest
 * test of `mlpt shared` needs it.  The postmaster maps its main segment
 * as anonymous shared memory (mmap MAP_SHARED | MAP_ANONYMOUS, the
 * default shared_memory_type since PostgreSQL 9.3; the small SysV segment
 * it adds only interlocks the data directory and holds no buffers) and
 * every backend inherits it through fork().  Shared mappings have no page
 * tables copied at fork (copy_page_range() skips a VMA without anon_vma),
 * so each backend builds its own as it touches the buffers.
 *
 * Here: one 1 GiB segment at a slot-aligned address in a slot of its
 * own (so its pud, pmd and pte tables are its alone, see
 * mlpt_free_slots()), populated for writing by this process.  Then, for
 * each N given (increasing), children are forked until N processes map
 * it, each populating the whole segment for reading; once they all have,
 * this prints "N PID" and waits for SIGUSR1 (go on to the next N) or
 * SIGTERM (kill the children, reap them and exit, so that the segment is
 * gone when this process is).  One segment for every N: allocating and
 * zeroing 1 GiB takes about 30 s under TCG, the children's population
 * a fraction of a second each.
 *
 * MADV_POPULATE_READ/WRITE (5.14) fault every page of the range in, as
 * touching each page would; they only save the return to user space
 * between faults.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mlpt_lib.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif

#define SEGMENT_BYTES	(1UL << 30)
#define MAX_PROCS	1000

static pid_t child[MAX_PROCS];
static int nchild;

static int fail(const char *what)
{
	fprintf(stderr, "mlpt-shared-segment: %s: %s\n", what, strerror(errno));
	return 1;
}

/* a backend: populate, say so on @ready, wait to be killed */
static void backend(void *seg, int ready)
{
	char c = madvise(seg, SEGMENT_BYTES, MADV_POPULATE_READ) ? 'e' : 'r';

	if (write(ready, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/* fork backends until @n processes map @seg; 0 once all have populated */
static int grow(void *seg, int n, const sigset_t *sigs)
{
	int fds[2], want = n - 1 - nchild, ok = 0, i;
	char c;

	if (pipe(fds))
		return fail("pipe");
	for (i = 0; i < want; i++) {
		child[nchild] = fork();
		if (child[nchild] < 0)
			return fail("fork");
		if (!child[nchild]) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			sigprocmask(SIG_UNBLOCK, sigs, NULL);
			close(fds[0]);
			backend(seg, fds[1]);
		}
		nchild++;
	}
	close(fds[1]);
	for (i = 0; i < want && read(fds[0], &c, 1) == 1; i++)
		ok += c == 'r';
	close(fds[0]);
	if (ok == want)
		return 0;
	fprintf(stderr, "mlpt-shared-segment: %d of %d backends populated\n",
		ok, want);
	return 1;
}

int main(int argc, char **argv)
{
	int i, n, last = 0, sig = SIGUSR1, ret = 0;
	unsigned long base;
	sigset_t sigs;
	void *seg;

	for (i = 1; i < argc; i++) {
		n = atoi(argv[i]);
		if (n <= last || n > MAX_PROCS) {
			fprintf(stderr,
				"usage: mlpt-shared-segment N... (increasing, 1 to %d processes)\n",
				MAX_PROCS);
			return 2;
		}
		last = n;
	}
	if (!last)
		return fail("no N");
	/* both wait for sigwait(); the children take them as usual */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	base = mlpt_free_slots(1);
	if (!base)
		return fail("no free slot");
	seg = mmap((void *)base, SEGMENT_BYTES, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (seg == MAP_FAILED)
		return fail("mmap");
	if (madvise(seg, SEGMENT_BYTES, MADV_POPULATE_WRITE))
		return fail("MADV_POPULATE_WRITE");
	for (i = 1; i < argc && sig == SIGUSR1; i++) {
		ret = grow(seg, atoi(argv[i]), &sigs);
		if (ret)
			break;
		printf("%s %d\n", argv[i], (int)getpid());
		fflush(stdout);
		sigwait(&sigs, &sig);
	}
	for (i = 0; i < nchild; i++)
		kill(child[i], SIGKILL);
	for (i = 0; i < nchild; i++)
		waitpid(child[i], NULL, 0);
	return ret;
}
