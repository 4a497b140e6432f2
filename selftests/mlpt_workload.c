// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt-workload: a process with a known page-table shape for `make demo`
 * and the user-tool tests.  It maps the regions of mlpt_workload_map()
 * (sparse: 32 pages in 32 pte tables; dense: 1024 pages in 2 full pte
 * tables), prints its pid and sleeps until killed.
 *
 * With "--reserve BYTES" it also maps BYTES of readable anonymous memory
 * and touches none of it: nothing resident, but a ceiling (the tables
 * every page touched would need) as big as a file of that size mapped
 * whole, for the survey's --ram-share flag.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "mlpt_lib.h"

/* The untouched mapping of the command line; 0, or a negative errno. */
static int map_untouched(int argc, char **argv)
{
	unsigned long long bytes;
	char *end;

	if (argc != 3 || strcmp(argv[1], "--reserve"))
		return -EINVAL;
	bytes = strtoull(argv[2], &end, 0);
	if (!bytes || *end)
		return -EINVAL;
	if (mmap(NULL, bytes, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
		 0) == MAP_FAILED)
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	struct mlpt_workload w;
	int ret = mlpt_workload_map(0, &w);

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
	for (;;)
		pause();
}
