/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pages mlpt simulate works on: the present pages of a live process,
 * or the addresses of a file.
 */
#ifndef MLPT_PAGES_H
#define MLPT_PAGES_H

#include "base/err.h"
#include "base/report.h"

/* the address space to simulate: sorted, distinct 4 KiB page addresses */
struct mlpt_pages {
	int pid;			/* 0: from a file */
	char comm[MLPT_COMM_LEN];
	u64 *addr;
	size_t n;
	struct mlpt_vma *vma;		/* NULL: not known */
	size_t nr_vma;
	u64 mem_total;			/* physical memory; 0: not known */
};

int mlpt_pages_live(int pid, struct mlpt_pages *p, struct mlpt_err *e);
int mlpt_pages_file(const char *path, struct mlpt_pages *p,
		    struct mlpt_err *e);
/* MemTotal of /proc/meminfo in bytes, 0 when unknown */
u64 mlpt_mem_total(void);
void mlpt_pages_free(struct mlpt_pages *p);

#endif
