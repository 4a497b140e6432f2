// SPDX-License-Identifier: GPL-2.0
/*
 * Lab sparse: 64 pages packed share one pte table; 64 pages 2 MiB apart
 * need one pte table each.  Each set lies in its own fresh slot (512 GiB;
 * 8 GiB with 3 levels of 4 KiB pages, mlpt_slot_size()), so it also adds
 * one pmd table and, unless the pud is folded (riscv64's Sv39, arm64's
 * 47 bits with 16 KiB pages), one pud table.  With 16 KiB pages "2 MiB"
 * is 32 MiB, what a pte table of 2048 entries maps, and "1 GiB" 64 GiB.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#define PAGES 64

int main(void)
{
	struct mlpt_report a, b, c;
	unsigned long slot = mlpt_free_slots(2);
	long long puds = !mlpt_level_folded(MLPT_PUD, mlpt_levels());

	lab_begin("sparse", "same number of pages, packed or spread 2 MiB apart: how many tables?");
	if (!slot)
		lab_fail("no free 512 GiB slots", 12);
	lab_report(getpid(), &a);
	lab_touch(slot, PAGES * MLPT_PAGE, MLPT_PAGE, MADV_NOHUGEPAGE, 0);
	lab_report(getpid(), &b);
	/*
	 * MAP_NORESERVE: 64 pages in 128 MiB (2 GiB with 16 KiB pages,
	 * more than the heuristic overcommit lets a 2 GiB guest reserve).
	 */
	lab_touch(slot + mlpt_slot_size(), PAGES * MLPT_PMD_SIZE, MLPT_PMD_SIZE,
		  MADV_NOHUGEPAGE, MAP_NORESERVE);
	lab_report(getpid(), &c);
	/* 64 pages x 4 KiB = 256 KiB: inside one 2 MiB pte table */
	lab_check("packed: pte tables added", lab_delta(&a, &b, MLPT_PTE, MLPT_TABLES), 1);
	lab_check("packed: pmd tables added", lab_delta(&a, &b, MLPT_PMD, MLPT_TABLES), 1);
	lab_check("packed: pud tables added", lab_delta(&a, &b, MLPT_PUD, MLPT_TABLES), puds);
	/* 64 x 2 MiB = 128 MiB: 64 pte tables, still inside one 1 GiB pmd */
	lab_check("spread: pte tables added", lab_delta(&b, &c, MLPT_PTE, MLPT_TABLES), PAGES);
	lab_check("spread: pmd tables added", lab_delta(&b, &c, MLPT_PMD, MLPT_TABLES), 1);
	lab_check("spread: pud tables added", lab_delta(&b, &c, MLPT_PUD, MLPT_TABLES), puds);
	/* (1 + 1 + 1) x 4 KiB against (64 + 1 + 1) x 4 KiB: a table is a page */
	lab_check("packed: bytes of tables added",
		  MLPT_PAGE * (lab_delta(&a, &b, MLPT_PTE, MLPT_TABLES) +
			       lab_delta(&a, &b, MLPT_PMD, MLPT_TABLES) +
			       lab_delta(&a, &b, MLPT_PUD, MLPT_TABLES)),
		  (2 + puds) * MLPT_PAGE);
	lab_check("spread: bytes of tables added",
		  MLPT_PAGE * (lab_delta(&b, &c, MLPT_PTE, MLPT_TABLES) +
			       lab_delta(&b, &c, MLPT_PMD, MLPT_TABLES) +
			       lab_delta(&b, &c, MLPT_PUD, MLPT_TABLES)),
		  (PAGES + 1 + puds) * MLPT_PAGE);
	return lab_end();
}
