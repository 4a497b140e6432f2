// SPDX-License-Identifier: GPL-2.0
/*
 * Lab cs332: 8 MB used as four 2 MB regions, 4 MiB apart (each in its own
 * 4 MiB window, as code, data, heap and stack of the classic picture).
 * Measured: what this 64-bit machine builds (x86-64, arm64 or riscv64;
 * with 16 KiB pages each region is 32 MiB, a pte table's span, and 3
 * levels have no pud).  Worked out: the 32-bit two-level table and
 * linear tables for the same use.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#define REGIONS 4

int main(void)
{
	struct mlpt_report a, b;
	unsigned long slot = mlpt_free_slots(1);
	long long pte, pmd, pud;
	long long puds = !mlpt_level_folded(MLPT_PUD, mlpt_levels());
	int i;

	lab_begin("cs332", "8 MB as four 2 MB regions: real tables vs the 32-bit figure vs linear");
	if (!slot)
		lab_fail("no free 512 GiB slot", 12);
	lab_report(getpid(), &a);
	for (i = 0; i < REGIONS; i++)
		lab_touch(slot + i * 2 * MLPT_PMD_SIZE, MLPT_PMD_SIZE,
			  MLPT_PAGE, MADV_NOHUGEPAGE, 0);
	lab_report(getpid(), &b);
	pte = lab_delta(&a, &b, MLPT_PTE, MLPT_TABLES);
	pmd = lab_delta(&a, &b, MLPT_PMD, MLPT_TABLES);
	pud = lab_delta(&a, &b, MLPT_PUD, MLPT_TABLES);
	/* each 2 MiB region, 2 MiB aligned: exactly one full pte table */
	lab_check("64-bit: pte tables added", pte, REGIONS);
	lab_check("64-bit: full pte tables",
		  (long long)b.occ[MLPT_PTE][MLPT_NR_BUCKETS - 1] -
		  (long long)a.occ[MLPT_PTE][MLPT_NR_BUCKETS - 1], REGIONS);
	/* all four within one 1 GiB and one 512 GiB range */
	lab_check("64-bit: pmd tables added", pmd, 1);
	lab_check("64-bit: pud tables added", pud, puds);
	lab_check("64-bit: bytes added (pte + pmd + pud)",
		  (pte + pmd + pud) * MLPT_PAGE, (REGIONS + 1 + puds) * MLPT_PAGE);
	/* 4 leaf tables (one per 4 MiB window) + 1 directory, 4 KiB each */
	lab_note("32-bit two-level: (4 + 1) x 4 KiB", (REGIONS + 1) * 4096,
		 "bytes");
	/* 2^32 / 4 KiB x 4 B; 2^48 / 4 KiB x 8 B */
	lab_note("linear, 32-bit: 2^20 x 4 B", 4 * LAB_MIB, "bytes");
	lab_note("linear, 48-bit: 2^36 x 8 B", 1LL << 39, "bytes");
	return lab_end();
}
