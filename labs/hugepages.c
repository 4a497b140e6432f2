// SPDX-License-Identifier: GPL-2.0
/*
 * Lab hugepages: one 8 MiB buffer, written in full, with 4 KiB pages,
 * with transparent huge pages and with hugetlb 2 MiB pages.  4 KiB pages
 * need 4 pte tables; a 2 MiB page is one pmd entry and needs none, but for
 * THP the kernel keeps ("deposits") one pte table per huge page, to split
 * it later without allocating: THP saves walk steps, not table memory.
 * With 16 KiB pages a huge page (a pmd entry) is 32 MiB, and the buffer
 * four of them, 128 MiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#define BUF (4 * MLPT_PMD_SIZE)	/* 8 MiB: 4 huge pages */
#define HUGE (BUF / MLPT_PMD_SIZE)

static bool thp_enabled(void)
{
	char s[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f) {
		if (!fgets(s, sizeof(s), f))
			s[0] = '\0';
		fclose(f);
	}
	return !strstr(s, "[never]") && s[0];
}

static void huge_tlb(unsigned long addr)
{
	struct mlpt_report a, b;
	char *p;

	lab_report(getpid(), &a);
	p = mmap((void *)addr, BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		 MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED) {
		lab_printf("hugetlb: skipped, %s (reserve with vm.nr_hugepages)\n",
			   strerror(errno));
		return;
	}
	memset(p, 1, BUF);
	lab_report(getpid(), &b);
	lab_check("hugetlb: pte tables added", lab_delta(&a, &b, MLPT_PTE, MLPT_TABLES), 0);
	lab_check("hugetlb: pmd leaves added", lab_delta(&a, &b, MLPT_PMD, MLPT_LEAF), HUGE);
	lab_check("hugetlb: deposited tables added",
		  (long long)(b.deposited_tables - a.deposited_tables), 0);
}

int main(void)
{
	unsigned long slot = mlpt_free_slots(3);
	struct mlpt_report a, b, c;

	lab_begin("hugepages", "the same 8 MiB with 4 KiB pages, THP and hugetlb: tables saved?");
	if (!slot)
		lab_fail("no free 512 GiB slots", ENOMEM);
	lab_report(getpid(), &a);
	lab_touch(slot, BUF, MLPT_PAGE, MADV_NOHUGEPAGE, 0);
	lab_report(getpid(), &b);
	/* 8 MiB / 2 MiB = 4 full pte tables */
	lab_check("4 KiB pages: pte tables added", lab_delta(&a, &b, MLPT_PTE, MLPT_TABLES), HUGE);
	if (thp_enabled()) {
		lab_touch(slot + mlpt_slot_size(), BUF, MLPT_PAGE, MADV_HUGEPAGE, 0);
		lab_report(getpid(), &c);
		lab_check("THP: pte tables added", lab_delta(&b, &c, MLPT_PTE, MLPT_TABLES), 0);
		lab_check("THP: pmd leaves added", lab_delta(&b, &c, MLPT_PMD, MLPT_LEAF), HUGE);
		/* one pte table kept behind each huge pmd: VmPTE as before */
		lab_check("THP: deposited tables added",
			  (long long)(c.deposited_tables - b.deposited_tables), HUGE);
	} else {
		lab_printf("THP: skipped, transparent_hugepage is [never]\n");
	}
	huge_tlb(slot + 2 * mlpt_slot_size());
	return lab_end();
}
