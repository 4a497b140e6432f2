// SPDX-License-Identifier: GPL-2.0
/*
 * Lab dontneed: madvise(MADV_DONTNEED) gives 8 MiB of pages back, but the
 * 4 pte tables that mapped them stay, now empty: classically only munmap
 * (or the process's exit) frees tables.  Kernels with CONFIG_PT_RECLAIM
 * (newer than 6.12; Debian's 7.x has it) also free a pte table
 * that one MADV_DONTNEED empties over its whole 2 MiB; a DONTNEED of part
 * of a table never frees it.  The lab does both: each table's two halves
 * one call at a time, then the whole 8 MiB in one call.  With 16 KiB pages
 * a pte table maps 32 MiB: the buffer is four of them, 128 MiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#define BUF (4 * MLPT_PMD_SIZE)	/* 8 MiB: 4 pte tables */
#define TABLES (BUF / MLPT_PMD_SIZE)
#define PAGES (BUF / MLPT_PAGE)
#define HALF (MLPT_PMD_SIZE / 2)

/* MADV_DONTNEED of one half (0 or 1) of every 2 MiB of the buffer. */
static void dontneed_halves(unsigned long slot, int half)
{
	unsigned long t;

	for (t = 0; t < TABLES; t++)
		if (madvise((void *)(slot + t * MLPT_PMD_SIZE + half * HALF),
			    HALF, MADV_DONTNEED))
			lab_fail("madvise", errno);
}

int main(void)
{
	unsigned long slot = mlpt_free_slots(1);
	struct mlpt_report a, b, c, d, e;
	long present;
	bool reclaim;

	lab_begin("dontneed", "after MADV_DONTNEED, are the page tables freed?");
	reclaim = lab_kernel_config("CONFIG_PT_RECLAIM");
	lab_printf("kernel: CONFIG_PT_RECLAIM %s\n\n",
		   reclaim ? "=y: a table emptied whole by one call is freed" :
			     "not set: empty tables stay until munmap");
	if (!slot)
		lab_fail("no free 512 GiB slot", ENOMEM);
	lab_report(getpid(), &a);
	lab_touch(slot, BUF, MLPT_PAGE, MADV_NOHUGEPAGE, 0);
	lab_report(getpid(), &b);
	/* pagemap, not resident-bytes: the stack may grow meanwhile */
	present = mlpt_pagemap_present(getpid(), slot, slot + BUF);
	lab_check("touched: pte tables added", lab_delta(&a, &b, MLPT_PTE, MLPT_TABLES), TABLES);
	lab_check("touched: pages present", present, PAGES);

	dontneed_halves(slot, 0);
	lab_report(getpid(), &c);
	lab_check("first halves: pte tables still there",
		  lab_delta(&a, &c, MLPT_PTE, MLPT_TABLES), TABLES);
	lab_check("first halves: pages present",
		  mlpt_pagemap_present(getpid(), slot, slot + BUF), PAGES / 2);

	/* Each call covers half a table: no kernel frees the table. */
	dontneed_halves(slot, 1);
	lab_report(getpid(), &d);
	lab_check("second halves: pte tables still there",
		  lab_delta(&a, &d, MLPT_PTE, MLPT_TABLES), TABLES);
	lab_check("second halves: empty pte tables added",
		  lab_delta(&a, &d, MLPT_PTE, MLPT_EMPTY_TABLES), TABLES);
	lab_check("second halves: pages present",
		  mlpt_pagemap_present(getpid(), slot, slot + BUF), 0);

	/* One call over all 4 tables: freed where the kernel reclaims. */
	if (madvise((void *)slot, BUF, MADV_DONTNEED))
		lab_fail("madvise", errno);
	lab_report(getpid(), &e);
	lab_check("whole 8 MiB: pte tables still there",
		  lab_delta(&a, &e, MLPT_PTE, MLPT_TABLES), reclaim ? 0 : TABLES);

	if (munmap((void *)slot, BUF))
		lab_fail("munmap", errno);
	lab_report(getpid(), &d);
	/* unmapping a whole 512 GiB slot frees its pte, pmd and pud tables */
	lab_check("munmap: pte tables left", lab_delta(&a, &d, MLPT_PTE, MLPT_TABLES), 0);
	return lab_end();
}
