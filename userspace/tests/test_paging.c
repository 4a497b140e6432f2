// SPDX-License-Identifier: GPL-2.0
/*
 * The pagemap estimate's paging modes (sources/paging.c): riscv64's mode
 * from its /proc/cpuinfo line, and the tree each address width makes, for
 * every mode of x86-64, arm64 (4 and 16 KiB pages) and riscv64.
 */
#include "sources/paging.h"
#include "tap.h"

static void mmu_lines(void)
{
	/* as riscv's show_cpuinfo() prints them: a tab or two, ": ", the mode */
	tap_eq(mlpt_cpuinfo_va_bits("mmu\t\t: sv39\n"), 39, "/proc/cpuinfo: sv39 is 39 bits");
	tap_eq(mlpt_cpuinfo_va_bits("mmu\t\t: sv48\n"), 48, "/proc/cpuinfo: sv48 is 48 bits");
	tap_eq(mlpt_cpuinfo_va_bits("mmu\t\t: sv57"), 57,
	       "/proc/cpuinfo: sv57 is 57 bits, the last line without its newline");
	tap_eq(mlpt_cpuinfo_va_bits("mmu\t\t: sv32\n"), 0,
	       "/proc/cpuinfo: sv32 is no riscv64 mode");
	tap_eq(mlpt_cpuinfo_va_bits("mmu\t\t: sv390\n"), 0,
	       "/proc/cpuinfo: no more digits than the mode's");
	tap_eq(mlpt_cpuinfo_va_bits("mmu\t\t: sv48x\n"), 0,
	       "/proc/cpuinfo: nothing after the mode");
	tap_eq(mlpt_cpuinfo_va_bits("mmu-type\t: sv48\n"), 0,
	       "/proc/cpuinfo: a longer key beginning with mmu is not it");
	tap_eq(mlpt_cpuinfo_va_bits("isa\t\t: rv64imafdc\n"), 0,
	       "/proc/cpuinfo: another line is not it");
}

/*
 * One mode: pages of 2^@shift bytes, @levels levels (the ones above
 * folded), a pgd of @pgd entries of 8 bytes, every table below a page of
 * entries (512, 9 bits of the address; 2048 with 16 KiB pages).
 */
static void mode(const char *name, unsigned int shift, unsigned int va_bits,
		 unsigned int levels, u64 pgd)
{
	struct mlpt_report r = { 0 };
	u64 page = 1ULL << shift;
	int lvl;

	mlpt_paging_geometry(&r, shift, va_bits);
	tap_eq(r.page_size, page, "%s: page-size", name);
	tap_eq(r.entry_bytes, 8, "%s: entry-bytes", name);
	tap_eq(r.va_bits, va_bits, "%s: va-bits", name);
	tap_eq(r.paging_levels, levels, "%s: paging-levels", name);
	tap_eq(r.level[MLPT_PGD].entries, pgd, "%s: pgd entries", name);
	tap_eq(r.level[MLPT_PGD].table_bytes, pgd * 8, "%s: pgd table-bytes", name);
	tap_ok(!r.level[MLPT_PGD].folded, "%s: pgd not folded", name);
	/* 5 - @levels levels below the pgd fold: p4d with 4, p4d and pud with 3 */
	for (lvl = MLPT_P4D; lvl < MLPT_LEVELS; lvl++) {
		bool folded = lvl <= MLPT_LEVELS - (int)levels;

		tap_eq(r.level[lvl].folded, folded, "%s: %s %sfolded", name,
		       mlpt_level_name[lvl], folded ? "" : "not ");
		tap_eq(r.level[lvl].table_bytes, folded ? 0 : page,
		       "%s: %s table-bytes", name, mlpt_level_name[lvl]);
		if (!folded)
			tap_eq(r.level[lvl].entries, page / 8, "%s: %s entries",
			       name, mlpt_level_name[lvl]);
	}
}

void test_paging(void)
{
	mmu_lines();
	/*
	 * The pgd's entries: 2^(va-bits - 12 - 9 * (levels - 1)).  Sv39:
	 * 39 - 12 - 18 = 9 bits, 512; 48 and 57 bits likewise 9, 512;
	 * arm64's 52 bits: 52 - 12 - 36 = 4 bits, 16 (a 128-byte pgd).
	 * 16 KiB pages, 11 bits a level: 47 bits, 47 - 14 - 22 = 11 bits,
	 * 2048 in 3 levels; 52 bits, 52 - 14 - 33 = 5 bits, 32 (256 bytes)
	 * in 4.
	 */
	mode("riscv64 Sv39", 12, 39, 3, 512);
	mode("x86-64, arm64, riscv64 Sv48: 48 bits", 12, 48, 4, 512);
	mode("arm64 LPA2: 52 bits", 12, 52, 5, 16);
	mode("x86-64 LA57, riscv64 Sv57: 57 bits", 12, 57, 5, 512);
	mode("arm64 16 KiB pages: 47 bits", 14, 47, 3, 2048);
	mode("arm64 16 KiB pages, LPA2: 52 bits", 14, 52, 4, 32);
}
