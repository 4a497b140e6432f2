// SPDX-License-Identifier: GPL-2.0
/*
 * Lab waste: does `mlpt waste` foretell what each remedy frees?  Four
 * mappings, each alone in a 512 GiB slot so that every table under it is
 * its own, are set up; `mlpt --json waste` is asked, once, what each
 * remedy would do to them; then each remedy is applied to its mapping
 * and the change measured: kernel-pgtables-bytes (VmPTE) before and
 * after, and the pages present (pagemap).
 *
 *   dontneed  4 MiB of THP (two huge pmds, a deposited table behind
 *             each): MADV_DONTNEED gives back the pages and the deposits
 *   munmap    8 MiB touched, then given back with MADV_DONTNEED: four
 *             empty pte tables (unless the kernel reclaims them), and the
 *             slot's pmd and pud tables; munmap frees all of them
 *   thp       4 MiB with 8 pages in each 2 MiB: MADV_HUGEPAGE and
 *             MADV_COLLAPSE make each window a huge page; each pte table
 *             stays, as the deposit behind it, and the memory grows
 *   hugetlb   4 MiB, one page in each 2 MiB, mapped again as hugetlb
 *             2 MiB pages with the same page touched: no pte tables
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

struct prediction {
	long long freed;	/* page-table bytes */
	long long mapped;	/* bytes mapped after, less before */
};

static char json[1 << 20];

/* `mlpt --json --top 1000 waste PID`, the tool that runs this lab */
static void ask_mlpt(void)
{
	const char *mlpt = getenv("MLPT");
	char cmd[512];
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s --json --top 1000 waste %d",
		 mlpt ? mlpt : "mlpt", (int)getpid());
	f = popen(cmd, "r");
	if (!f)
		lab_fail("popen mlpt", errno);
	n = fread(json, 1, sizeof(json) - 1, f);
	json[n] = '\0';
	if (pclose(f))
		lab_fail("mlpt --json waste", EINVAL);
}

/*
 * The remedy @name of the mapping at @start, from the tool's JSON: each
 * mapping object has its "start" and then, in its "remedies", the
 * remedy's "applies", "tables_freed" and "mapped_delta".
 */
static struct prediction predicted(unsigned long start, const char *name)
{
	struct prediction p;
	char key[64];
	const char *m, *r;

	snprintf(key, sizeof(key), "\"start\": \"0x%016lx\"", start);
	m = strstr(json, key);
	snprintf(key, sizeof(key), "\"%s\": {\"applies\": true, ", name);
	r = m ? strstr(m, key) : NULL;
	if (!r || sscanf(r + strlen(key),
			 "\"tables_freed\": %lld, \"mapped_delta\": %lld",
			 &p.freed, &p.mapped) != 2)
		lab_fail("mlpt waste predicts no such remedy", ENOENT);
	return p;
}

static long present(unsigned long addr, unsigned long bytes)
{
	return mlpt_pagemap_present(getpid(), addr, addr + bytes);
}

static void check(const char *what, unsigned long addr, unsigned long bytes,
		  const struct mlpt_report *a, long pages_before,
		  const struct prediction *p)
{
	struct mlpt_report b;
	char line[96];

	lab_report(getpid(), &b);
	snprintf(line, sizeof(line), "%s: table bytes freed", what);
	lab_check(line, (long long)a->kernel_pgtables_bytes -
		  (long long)b.kernel_pgtables_bytes, p->freed);
	snprintf(line, sizeof(line), "%s: bytes mapped more", what);
	lab_check(line, (present(addr, bytes) - pages_before) *
		  (long long)MLPT_PAGE, p->mapped);
}

int main(void)
{
	unsigned long slot = mlpt_free_slots(4), size = mlpt_slot_size();
	unsigned long huge = slot, empty = slot + size, thp = slot + 2 * size;
	unsigned long htlb = slot + 3 * size, w = MLPT_PMD_SIZE;
	struct prediction dontneed, unmap, collapse, hugetlb;
	struct mlpt_report a;
	long before;

	lab_begin("waste", "does mlpt waste foretell what each remedy frees?");
	if (!slot)
		lab_fail("no four free 512 GiB slots", ENOMEM);
	lab_printf("kernel: CONFIG_PT_RECLAIM %s\n",
		   lab_kernel_config("CONFIG_PT_RECLAIM") ? "=y" : "not set");
	lab_printf("dontneed: MADV_DONTNEED of 4 MiB of THP\n"
		   "munmap:   of 8 MiB written, then given back (MADV_DONTNEED)\n"
		   "thp:      MADV_HUGEPAGE + MADV_COLLAPSE of 4 MiB, 8 pages per 2 MiB\n"
		   "hugetlb:  4 MiB, a page per 2 MiB, mapped again as hugetlb\n\n");
	lab_touch(huge, 2 * w, w, MADV_HUGEPAGE, 0);
	lab_touch(empty, 4 * w, MLPT_PAGE, MADV_NOHUGEPAGE, 0);
	if (madvise((void *)empty, 4 * w, MADV_DONTNEED))
		lab_fail("madvise", errno);
	lab_touch(thp, 2 * w, w / 8, MADV_NOHUGEPAGE, 0);
	lab_touch(htlb, 2 * w, w, MADV_NOHUGEPAGE, 0);

	ask_mlpt();
	dontneed = predicted(huge, "dontneed");
	unmap = predicted(empty, "munmap");
	collapse = predicted(thp, "thp");
	hugetlb = predicted(htlb, "hugetlb");

	lab_report(getpid(), &a);
	before = present(huge, 2 * w);
	if (madvise((void *)huge, 2 * w, MADV_DONTNEED))
		lab_fail("madvise", errno);
	check("dontneed", huge, 2 * w, &a, before, &dontneed);

	lab_report(getpid(), &a);
	if (munmap((void *)empty, 4 * w))
		lab_fail("munmap", errno);
	check("munmap", empty, 4 * w, &a, 0, &unmap);

	lab_report(getpid(), &a);
	before = present(thp, 2 * w);
	if (madvise((void *)thp, 2 * w, MADV_HUGEPAGE) ||
	    madvise((void *)thp, 2 * w, MADV_COLLAPSE))
		lab_fail("MADV_HUGEPAGE, MADV_COLLAPSE", errno);
	check("thp", thp, 2 * w, &a, before, &collapse);

	lab_report(getpid(), &a);
	before = present(htlb, 2 * w);
	if (munmap((void *)htlb, 2 * w))
		lab_fail("munmap", errno);
	/* the same two pages touched; mmap needs vm.nr_hugepages >= 2 */
	lab_touch(htlb, 2 * w, w, -1, MAP_HUGETLB);
	check("hugetlb", htlb, 2 * w, &a, before, &hugetlb);
	return lab_end();
}
