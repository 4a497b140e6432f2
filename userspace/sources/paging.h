/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paging mode of a machine with 4 KiB-page radix tables (x86-64,
 * arm64, riscv64) from its address width alone, for the pagemap estimate.
 * Pure functions: tests/test_paging.c checks them.
 */
#ifndef MLPT_PAGING_H
#define MLPT_PAGING_H

#include "base/report.h"

#define MLPT_ENTRY_BYTES 8	/* a page-table entry on all three */
#define MLPT_LEVEL_BITS 9	/* a table of 4 KiB pages indexes 9 bits */

/*
 * The address width a line of riscv's /proc/cpuinfo names, "mmu : sv39",
 * "sv48" or "sv57" (the mode the kernel runs, satp's), or 0 for any other
 * line
 */
unsigned int mlpt_cpuinfo_va_bits(const char *line);

/*
 * The geometry of r (page-size, entry-bytes, va-bits, paging-levels and
 * each level's folded, entries and table-bytes) for pages of
 * 2^@page_shift bytes and @va_bits of user address
 */
void mlpt_paging_geometry(struct mlpt_report *r, unsigned int page_shift,
			  unsigned int va_bits);

#endif
