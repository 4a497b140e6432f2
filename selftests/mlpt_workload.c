// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt-workload: a process with a known page-table shape for `make demo`
 * and the user-tool tests.  It maps the regions of mlpt_workload_map()
 * (sparse: 32 pages in 32 pte tables; dense: 1024 pages in 2 full pte
 * tables, or half of one with 16 KiB pages), prints its pid and sleeps
 * until killed.
 *
 * With "--reserve BYTES" it also maps BYTES of readable anonymous memory
 * and touches none of it: nothing resident, but a ceiling (the tables
 * every page touched would need) as big as a file of that size mapped
 * whole, for the survey's --ram-share flag.
 *
 * With "--grow PAGES" (1 to 512) it also maps PAGES pmd spans (2 MiB;
 * 32 MiB with 16 KiB pages) of anonymous memory with MADV_NOHUGEPAGE,
 * alone in a slot of its own, and touches none of it; on SIGUSR1 it
 * writes one page in each pmd span of it
 * and prints "grown" (mlpt diff and --growth are tested with it: PAGES
 * pte tables, a pmd and a pud table more, and nothing else).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>

#include "mlpt_lib.h"

static char *grow;		/* the --grow region, NULL without one */
static unsigned long grow_pages;

/* The untouched mapping of the command line; 0, or a negative errno. */
static int map_untouched(int argc, char **argv)
{
	unsigned long long bytes;
	unsigned long slot;
	char *end;

	if (argc != 3)
		return -EINVAL;
	bytes = strtoull(argv[2], &end, 0);
	if (!bytes || *end)
		return -EINVAL;
	if (!strcmp(argv[1], "--reserve"))
		return mmap(NULL, bytes, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			    0) == MAP_FAILED ? -errno : 0;
	if (strcmp(argv[1], "--grow") || bytes > 512)
		return -EINVAL;
	slot = mlpt_free_slots(1);
	if (!slot)
		return -ENOMEM;
	grow_pages = bytes;
	grow = mmap((void *)slot, bytes * MLPT_PMD_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (grow == MAP_FAILED)
		return -errno;
	return madvise(grow, bytes * MLPT_PMD_SIZE, MADV_NOHUGEPAGE) ? -errno : 0;
}

/*
 * Wait for SIGUSR1 with sigwait(), not a handler, so that no signal frame
 * touches the stack; then the pages, and write(2), no stdio buffer.
 */
static void grow_on_signal(const sigset_t *usr1)
{
	unsigned long i;
	int sig;

	while (sigwait(usr1, &sig))
		;
	for (i = 0; i < grow_pages; i++)
		grow[i * MLPT_PMD_SIZE] = 1;
	asm volatile("" : : "r" (grow) : "memory");
	if (write(STDOUT_FILENO, "grown\n", 6) != 6)
		exit(1);
}

int main(int argc, char **argv)
{
	struct mlpt_workload w;
	sigset_t usr1;
	int ret;

	/* blocked before the pid is printed: a SIGUSR1 after it waits */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	ret = mlpt_workload_map(0, &w);

	if (!ret && argc > 1)
		ret = map_untouched(argc, argv);

	if (ret) {
		fprintf(stderr, "mlpt-workload: mapping failed: %s\n",
			strerror(-ret));
		return 1;
	}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	fprintf(stderr, "mlpt-workload: sparse 0x%lx+%luM dense 0x%lx+%luM\n",
		w.sparse, MLPT_SPARSE_BYTES >> 20, w.dense,
		MLPT_DENSE_BYTES >> 20);
	if (grow) {
		fprintf(stderr, "mlpt-workload: grow 0x%lx+%luM\n",
			(unsigned long)grow, grow_pages * (MLPT_PMD_SIZE >> 20));
		grow_on_signal(&usr1);
	}
	for (;;)
		pause();
}
