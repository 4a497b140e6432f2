// SPDX-License-Identifier: GPL-2.0
/*
 * Lab dontneed: madvise(MADV_DONTNEED) gives 8 MiB of pages back, but the
 * 4 pte tables that mapped them stay, now empty: only munmap (or the
 * process's exit) frees tables.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#define BUF (8 * LAB_MIB)
#define TABLES (BUF / MLPT_PMD_SIZE)
#define PAGES (BUF / MLPT_PAGE)

int main(void)
{
	unsigned long slot = mlpt_free_slots(1);
	struct mlpt_report a, b, c, d;
	long present;

	lab_begin("dontneed", "after MADV_DONTNEED, are the page tables freed?");
	if (!slot)
		lab_fail("no free 512 GiB slot", ENOMEM);
	lab_report(getpid(), &a);
	lab_touch(slot, BUF, MLPT_PAGE, MADV_NOHUGEPAGE, 0);
	lab_report(getpid(), &b);
	/* pagemap, not resident-bytes: the stack may grow meanwhile */
	present = mlpt_pagemap_present(getpid(), slot, slot + BUF);
	if (madvise((void *)slot, BUF, MADV_DONTNEED))
		lab_fail("madvise", errno);
	lab_report(getpid(), &c);
	lab_check("touched: pte tables added", lab_delta(&a, &b, MLPT_PTE, MLPT_TABLES), TABLES);
	lab_check("touched: pages present", present, PAGES);
	lab_check("DONTNEED: pte tables still there",
		  lab_delta(&a, &c, MLPT_PTE, MLPT_TABLES), TABLES);
	lab_check("DONTNEED: empty pte tables added",
		  lab_delta(&a, &c, MLPT_PTE, MLPT_EMPTY_TABLES), TABLES);
	lab_check("DONTNEED: pages present",
		  mlpt_pagemap_present(getpid(), slot, slot + BUF), 0);
	if (munmap((void *)slot, BUF))
		lab_fail("munmap", errno);
	lab_report(getpid(), &d);
	/* unmapping a whole 512 GiB slot frees its pte, pmd and pud tables */
	lab_check("munmap: pte tables left", lab_delta(&a, &d, MLPT_PTE, MLPT_TABLES), 0);
	return lab_end();
}
