// SPDX-License-Identifier: GPL-2.0
/*
 * Lab levels: 4-level paging indexes 48 bits, 5-level 57 (arm64: 52),
 * riscv64's 3-level Sv39 39.  For a process below 128 TiB (all of them,
 * unless they ask for more) the fifth level is one more 4 KiB table: the
 * p4d table under pgd entry 0, whose entries are what the pgd entries
 * were with 4 levels.  With 3 levels the pud is folded too and each pgd
 * entry maps 1 GiB.  Run it on every boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "lab.h"

int main(void)
{
	struct mlpt_report r;
	int levels;

	lab_begin("levels", "what does the fifth level cost this process?");
	lab_report(getpid(), &r);
	levels = (int)r.paging_levels;
	lab_printf("this boot: %llu-level paging, %llu-bit addresses\n\n",
		   r.paging_levels, r.va_bits);
	lab_check("va-bits", r.va_bits, mlpt_va_bits(levels));
	if (levels == 5) {
		/* everything below 2^48: one pgd entry, one p4d table */
		lab_check("pgd entries used", r.lvl[MLPT_PGD][MLPT_PRESENT], 1);
		lab_check("p4d tables (the extra level)", r.lvl[MLPT_P4D][MLPT_TABLES], 1);
		/* each 512 GiB slot used is a p4d entry, as on 4-level a pgd entry */
		lab_check("p4d entries = pud tables", r.lvl[MLPT_P4D][MLPT_PRESENT],
			  r.lvl[MLPT_PUD][MLPT_TABLES]);
		lab_note("cost of the fifth level here", MLPT_PAGE, "bytes");
	} else if (levels == 4) {
		lab_check("p4d folded", r.lvl[MLPT_P4D][MLPT_FOLDED], 1);
		lab_check("pgd entries = pud tables", r.lvl[MLPT_PGD][MLPT_PRESENT],
			  r.lvl[MLPT_PUD][MLPT_TABLES]);
		lab_note("with 5 levels it would add one p4d table", MLPT_PAGE, "bytes");
	} else {
		lab_check("p4d folded", r.lvl[MLPT_P4D][MLPT_FOLDED], 1);
		lab_check("pud folded", r.lvl[MLPT_PUD][MLPT_FOLDED], 1);
		/* each 1 GiB used is a pgd entry, as with 4 levels a pud entry */
		lab_check("pgd entries = pmd tables", r.lvl[MLPT_PGD][MLPT_PRESENT],
			  r.lvl[MLPT_PMD][MLPT_TABLES]);
		lab_note("with 4 levels it would add a pud table per 512 GiB used",
			 MLPT_PAGE, "bytes");
	}
	return lab_end();
}
