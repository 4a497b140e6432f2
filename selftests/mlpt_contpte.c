// SPDX-License-Identifier: GPL-2.0
/*
 * Contiguous ptes (docs/format.md, `contiguous-ptes`).  With the 64 KiB
 * size of multi-size THP set to "always", an anonymous write fault in a
 * VMA too small for a 2 MiB THP maps a whole naturally aligned 64 KiB
 * folio, 16 ptes at once (set_ptes()).  arm64 6.12 (CONFIG_ARM64_CONTPTE)
 * then sets PTE_CONT in all 16 when the virtual and physical addresses
 * are both 64 KiB aligned (contpte_set_ptes()), which a naturally aligned
 * folio at an aligned address always is.  x86-64 maps the same folio with
 * 16 ordinary ptes and has no key.  Measured in a stopped child, as in
 * mlpt_layout.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mlpt_lib.h"

#define MTHP_64K "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"
#define FOLIO_PAGES	16	/* 64 KiB of 4 KiB pages: one contiguous range */
#define FOLIOS		4	/* 256 KiB: no 2 MiB THP fits in the VMA */

FIXTURE(contpte) {
	struct mlpt_child child;
	struct mlpt_touch t;
	char old_mode[16];	/* "" when the kernel has no 64 KiB mTHP */
};

static int contpte_step(void *arg, int step)
{
	(void)step;
	return mlpt_map_touch(arg, 0, -1, false);
}

/* Write @mode to the 64 KiB mTHP control; 0 or -1. */
static int set_mode(const char *mode)
{
	int fd = open(MTHP_64K, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, mode, strlen(mode));
	close(fd);
	return n == (ssize_t)strlen(mode) ? 0 : -1;
}

/* The mode in force: the bracketed word of "always inherit [never] ...". */
static void get_mode(char *mode, size_t size)
{
	char line[128] = "", *open_br, *close_br;
	FILE *f = fopen(MTHP_64K, "r");

	mode[0] = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		open_br = strchr(line, '[');
		close_br = open_br ? strchr(open_br, ']') : NULL;
		if (close_br && (size_t)(close_br - open_br) <= size) {
			memcpy(mode, open_br + 1, close_br - open_br - 1);
			mode[close_br - open_br - 1] = '\0';
		}
	}
	fclose(f);
}

FIXTURE_SETUP(contpte)
{
	get_mode(self->old_mode, sizeof(self->old_mode));
	if (self->old_mode[0])
		ASSERT_EQ(0, set_mode("always"));
	/* A slot base is aligned far beyond 64 KiB. */
	self->t.addr = mlpt_free_slots(1);
	ASSERT_NE(0UL, self->t.addr);
	self->t.npages = FOLIOS * FOLIO_PAGES;
	self->t.leaf_level = MLPT_PTE;
	ASSERT_EQ(0, mlpt_child_start(&self->child, contpte_step, &self->t));
}

FIXTURE_TEARDOWN(contpte)
{
	mlpt_child_stop(&self->child);
	if (self->old_mode[0])
		set_mode(self->old_mode);
}

TEST_F(contpte, folios_of_64k)
{
	struct mlpt_report before, after, want;
	pid_t pid = self->child.pid;
	unsigned long i, contiguous = 0;
	long long pfn0 = 0;

	ASSERT_EQ(0, mlpt_report_pid(pid, &before));
	ASSERT_EQ(0, mlpt_child_step(&self->child, 1));
	ASSERT_EQ(0, mlpt_report_pid(pid, &after));
	/* 64 written pages: 64 pte leaves in one new pte table. */
	mlpt_expect_touch(&before, &self->t, 1, &want);
	if (self->old_mode[0]) {
		/*
		 * Each 64 KiB of the region is one folio: 16 physically
		 * contiguous pages from a 64 KiB-aligned frame (pagemap,
		 * not the module, says so).
		 */
		for (i = 0; i < self->t.npages; i++) {
			long long pfn = mlpt_pagemap_pfn(pid, self->t.addr +
							 i * MLPT_PAGE);

			if (i % FOLIO_PAGES == 0) {
				ASSERT_EQ(0, pfn % FOLIO_PAGES);
				pfn0 = pfn;
			}
			ASSERT_EQ(pfn0 + (long long)(i % FOLIO_PAGES), pfn);
		}
#ifdef __aarch64__
		/* 4 folios of 16 entries, every entry PTE_CONT. */
		contiguous = FOLIOS * FOLIO_PAGES;
#endif
	}
	want.contiguous_ptes += contiguous;
	TH_LOG("contiguous-ptes %llu before, %llu after", before.contiguous_ptes,
	       after.contiguous_ptes);
	ASSERT_EQ(0, mlpt_report_diff(&want, &after));
	ASSERT_EQ(0, mlpt_report_invariants(&after));
	ASSERT_EQ(mlpt_vmpte_kb(pid) * 1024ULL, after.kernel_pgtables_bytes);
}

TEST_HARNESS_MAIN
