/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paging mode of a machine with radix tables of a page of 8-byte
 * entries (x86-64, arm64 with 4 or 16 KiB pages, riscv64) from its page
 * size and address width alone, for the pagemap estimate.
 * Pure functions: tests/test_paging.c checks them.
 */
#ifndef MLPT_PAGING_H
#define MLPT_PAGING_H

#include "base/report.h"

#define MLPT_ENTRY_BYTES 8	/* a page-table entry on all three */

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
