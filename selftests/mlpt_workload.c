// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt-workload: a process with a known page-table shape for `make demo`
 * and the user-tool tests.  It maps the regions of mlpt_workload_map()
 * (sparse: 32 pages in 32 pte tables; dense: 1024 pages in 2 full pte
 * tables), prints its pid and sleeps until killed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mlpt_lib.h"

int main(void)
{
	struct mlpt_workload w;
	int ret = mlpt_workload_map(0, &w);

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
