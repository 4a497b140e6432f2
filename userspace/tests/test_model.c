// SPDX-License-Identifier: GPL-2.0
/*
 * Every formula of model.c against figures worked out by hand; the
 * arithmetic is in the comment above each check.
 */
#include <string.h>

#include "base/buf.h"
#include "models/model.h"
#include "sources/parse.h"
#include "tap.h"

#define VMA(start, end) { start, end, false }

#define KIB 1024ull
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define TIB (1024 * GIB)

static void model_textbook(void)
{
	/* 32-bit, 4 KiB pages, 4-byte entries: 2^32 / 2^12 = 2^20 entries
	 * x 4 bytes = 2^22 = 4 MiB
	 */
	tap_eq(mlpt_linear_bytes(32, 4096, 4), 4 * MIB,
	       "textbook: 32-bit linear table is 4 MiB");
	/* 48-bit: 2^48 / 2^12 = 2^36 entries x 8 bytes = 2^39 = 512 GiB */
	tap_eq(mlpt_linear_bytes(48, 4096, 8), 512 * GIB,
	       "textbook: 48-bit linear table is 512 GiB");
	/* 57-bit: 2^45 entries x 8 bytes = 2^48 = 256 TiB */
	tap_eq(mlpt_linear_bytes(57, 4096, 8), 256 * TIB,
	       "textbook: 57-bit linear table is 256 TiB");
	/* user half of 48-bit: 2^47 / 2^12 = 2^35 x 8 = 2^38 = 256 GiB */
	tap_eq(mlpt_linear_bytes(47, 4096, 8), 256 * GIB,
	       "48-bit user half: 256 GiB");
	/* 2 MiB pages over 48 bits: 2^27 entries x 8 = 2^30 = 1 GiB */
	tap_eq(mlpt_linear_bytes(48, 2 * MIB, 8), 1 * GIB,
	       "48-bit with 2 MiB pages: 1 GiB");
	/* 1 GiB pages over 48 bits: 2^18 entries x 8 = 2^21 = 2 MiB */
	tap_eq(mlpt_linear_bytes(48, 1 * GIB, 8), 2 * MIB,
	       "48-bit with 1 GiB pages: 2 MiB");
	/* 2 MiB pages over 57 bits: 2^36 entries x 8 = 2^39 = 512 GiB */
	tap_eq(mlpt_linear_bytes(57, 2 * MIB, 8), 512 * GIB,
	       "57-bit with 2 MiB pages: 512 GiB");
}

static void twolevel32(void)
{
	/* 8 MB as 4 regions of 2 MB, one per GiB: each sits in its own 4 MiB
	 * window, so 4 leaf tables + 1 directory = 5 x 4 KiB = 20480 bytes
	 */
	const struct mlpt_vma spread[] = {
		VMA(0x00000000, 0x00200000), VMA(0x40000000, 0x40200000),
		VMA(0x80000000, 0x80200000), VMA(0xc0000000, 0xc0200000),
	};
	/* the same 8 MB in one piece from 0: windows 0 and 1, so 2 leaf
	 * tables + 1 directory = 3 x 4 KiB = 12288
	 */
	const struct mlpt_vma packed[] = { VMA(0, 0x800000) };
	/* 2 MB straddling the 4 MiB line at 0x400000: 2 windows */
	const struct mlpt_vma straddle[] = { VMA(0x300000, 0x500000) };
	/* two VMAs in the same 4 MiB window count once */
	const struct mlpt_vma shared[] = {
		VMA(0x1000, 0x2000), VMA(0x3ff000, 0x401000),
	};

	tap_eq(mlpt_windows(spread, 4, MLPT32_WINDOW_SHIFT), 4,
	       "32-bit: 4 regions of 2 MB need 4 leaf tables");
	tap_eq(mlpt_twolevel32_bytes(4), 20480,
	       "32-bit: 4 leaf tables + 1 directory = 20480 bytes");
	tap_eq(mlpt_twolevel32_bytes(mlpt_windows(packed, 1, 22)), 12288,
	       "32-bit: 8 MB packed from 0 = 2 + 1 tables = 12288 bytes");
	tap_eq(mlpt_windows(straddle, 1, 22), 2,
	       "32-bit: a region across a 4 MiB line needs 2 leaf tables");
	tap_eq(mlpt_windows(shared, 2, 22), 2,
	       "windows shared by neighbouring VMAs count once (0 and 0-1)");
	tap_eq(MLPT32_TABLE_BYTES, 4096,
	       "32-bit: 1024 entries x 4 bytes = one 4 KiB page");
}

static void spans(void)
{
	/* VMAs of 2 pages and 1 page: 3 entries x 8 bytes = 24 */
	const struct mlpt_vma v[] = {
		VMA(0x1000, 0x3000), VMA(0x10000, 0x11000),
	};

	tap_eq(mlpt_span_bytes(0, 4096, 8), 0, "span: 0 bytes, no entry");
	tap_eq(mlpt_span_bytes(1, 4096, 8), 8, "span: 1 byte needs 1 entry");
	tap_eq(mlpt_span_bytes(4097, 4096, 8), 16,
	       "span: 4097 bytes round up to 2 entries = 16 bytes");
	tap_eq(mlpt_per_vma_bytes(v, 2, 4096, 8), 24,
	       "one table per VMA: (2 + 1) pages x 8 = 24 bytes");
	/* bounds at 0x7ffffffff000 = 2^47 - 4096: 2^35 - 1 entries x 8 =
	 * 274877906944 - 8 = 274877906936
	 */
	tap_eq(mlpt_span_bytes(0x7ffffffff000ull, 4096, 8), 274877906936ull,
	       "bounds at 0x7ffffffff000: (2^35 - 1) x 8 bytes");
}

static void model_segments(void)
{
	/* code 0x400000-0x602000 (0x202000 = 514 pages), heap
	 * 0x602000-0x623000 (0x21000 = 33 pages), stack from the libraries to
	 * the stack top 0x7f0000000000-0x7ffffffff000 (2^40 - 4096 bytes =
	 * 2^28 - 1 = 268435455 pages): (514 + 33 + 268435455) x 8 =
	 * 268436002 x 8 = 2147488016 bytes
	 */
	const struct mlpt_vma v[] = {
		VMA(0x400000, 0x401000), VMA(0x600000, 0x602000),
		{ 0x602000, 0x623000, true },
		VMA(0x7f0000000000, 0x7f0000200000),
		VMA(0x7ffffffde000, 0x7ffffffff000),
	};
	/* no heap: the largest gap (0x10000 to 0x7f0000000000) splits code
	 * 0x1000-0x10000 (15 pages) from stack 0x7f0000000000-0x7f0000002000
	 * (2 pages): 17 x 8 = 136
	 */
	const struct mlpt_vma noheap[] = {
		VMA(0x1000, 0x2000), VMA(0x8000, 0x10000),
		VMA(0x7f0000000000, 0x7f0000001000),
		VMA(0x7f0000001000, 0x7f0000002000),
	};
	struct mlpt_range s[MLPT_NR_SEG];
	u64 sum = 0;
	int i;

	mlpt_segments(v, 5, s);
	tap_ok(s[MLPT_SEG_CODE].start == 0x400000 &&
	       s[MLPT_SEG_CODE].end == 0x602000, "segments: code below heap");
	tap_ok(s[MLPT_SEG_HEAP].start == 0x602000 &&
	       s[MLPT_SEG_HEAP].end == 0x623000, "segments: heap is [heap]");
	tap_ok(s[MLPT_SEG_STACK].start == 0x7f0000000000 &&
	       s[MLPT_SEG_STACK].end == 0x7ffffffff000,
	       "segments: stack groups mmap area and [stack]");
	for (i = 0; i < MLPT_NR_SEG; i++)
		sum += mlpt_span_bytes(s[i].end - s[i].start, 4096, 8);
	tap_eq(sum, 2147488016ull, "segments: 268436002 pages x 8 bytes");
	mlpt_segments(noheap, 4, s);
	for (sum = 0, i = 0; i < MLPT_NR_SEG; i++)
		sum += mlpt_span_bytes(s[i].end - s[i].start, 4096, 8);
	tap_ok(s[MLPT_SEG_HEAP].end == s[MLPT_SEG_HEAP].start &&
	       s[MLPT_SEG_CODE].end == 0x10000,
	       "segments without [heap]: split at the largest gap");
	tap_eq(sum, 136, "segments without [heap]: 17 pages x 8 bytes");
	mlpt_segments(NULL, 0, s);
	tap_ok(!s[0].end && !s[1].end && !s[2].end, "segments: no VMAs");
}

/* the hand-made example of tests/sample-5level.txt */
static void spec_report(struct mlpt_report *r)
{
	static const u64 t[MLPT_LEVELS] = { 1, 1, 2, 5, 9 };
	int i;

	memset(r, 0, sizeof(*r));
	r->va_bits = 57;
	r->paging_levels = 5;
	r->page_size = 4096;
	r->entry_bytes = 8;
	r->resident_bytes = 3342336;
	r->va_highest = 0x00007ffffffff000ull;
	for (i = 0; i < MLPT_LEVELS; i++) {
		r->level[i].entries = 512;
		r->level[i].tables = t[i];
		r->level[i].table_bytes = i == MLPT_PGD ? 8192 : 4096;
	}
}

static void model_tree(void)
{
	struct mlpt_cmp c[MLPT_NR_CMP];
	struct mlpt_report r;
	struct mlpt_geom g;

	spec_report(&r);
	/* 1 x 8192 + (1 + 2 + 5 + 9) x 4096 = 8192 + 69632 = 77824 */
	tap_eq(mlpt_tree_bytes(&r), 77824, "tree of the hand-made example: 77824");
	mlpt_geometry(&r, &g);
	/* 5 levels of 9 bits above the 12-bit offset: 12, 21, 30, 39, 48 */
	tap_ok(g.lo[MLPT_PTE] == 12 && g.lo[MLPT_PMD] == 21 &&
	       g.lo[MLPT_PUD] == 30 && g.lo[MLPT_P4D] == 39 &&
	       g.lo[MLPT_PGD] == 48 && g.bits[MLPT_PGD] == 9,
	       "5-level geometry: pgd bits 56..48, pte bits 20..12");
	r.va_bits = 48;
	r.level[MLPT_P4D].folded = true;
	mlpt_geometry(&r, &g);
	tap_ok(g.lo[MLPT_PGD] == 39 && g.bits[MLPT_PGD] == 9 &&
	       g.bits[MLPT_P4D] == 0, "4-level geometry: pgd bits 47..39");
	/* folded p4d does not count: 77824 - 4096 = 73728 */
	tap_eq(mlpt_tree_bytes(&r), 73728, "a folded level adds nothing");
	spec_report(&r);
	mlpt_compare(&r, c);
	/* 3342336 / 4096 = 816 pages x 8 = 6528 */
	tap_eq(c[MLPT_CMP_RESIDENT].bytes, 6528,
	       "lower bound: 816 resident pages x 8 = 6528 bytes");
	/* 2^56 / 2^12 = 2^44 entries x 8 = 2^47 = 128 TiB */
	tap_eq(c[MLPT_CMP_LINEAR_USER].bytes, 128 * TIB,
	       "57-bit user half: 128 TiB");
	tap_ok(!c[MLPT_CMP_PER_VMA].valid && !c[MLPT_CMP_32BIT].valid &&
	       c[MLPT_CMP_BOUNDS].valid,
	       "without a VMA list the per-VMA models are not applicable");
	/* 256 TiB / 77824 bytes = 2^48 / 77824 = 3616814565.05 */
	tap_ok(mlpt_ratio(c[MLPT_CMP_LINEAR].bytes, 77824) > 3616814565.0 &&
	       mlpt_ratio(c[MLPT_CMP_LINEAR].bytes, 77824) < 3616814565.1,
	       "ratio: 256 TiB is 3616814565 times the tree");
	tap_ok(mlpt_ratio(5, 0) == 0, "ratio against no tree is 0");
}

static void too_big_for_32bit(void)
{
	struct mlpt_vma v[1025];
	struct mlpt_cmp c[MLPT_NR_CMP];
	struct mlpt_report r;
	int i;

	/* 1025 VMAs, one per 4 MiB window: 1025 > 1024 directory entries */
	for (i = 0; i < 1025; i++) {
		v[i].start = (u64)i << 22;
		v[i].end = v[i].start + 4096;
		v[i].heap = false;
	}
	spec_report(&r);
	r.vma = v;
	r.nr_vma = 1025;
	mlpt_compare(&r, c);
	tap_ok(!c[MLPT_CMP_32BIT].valid,
	       "32-bit: 1025 windows do not fit in 4 GiB");
	r.nr_vma = 1024;
	mlpt_compare(&r, c);
	/* 1024 leaf tables + 1 directory = 1025 x 4096 = 4198400 */
	tap_eq(c[MLPT_CMP_32BIT].bytes, 4198400,
	       "32-bit: 1024 windows fit: 1025 x 4 KiB");
}

static void units(void)
{
	char n[NUM_LEN];

	tap_ok(!strcmp(fmt_human(n, 512 * GIB), "512 GiB"), "human: 512 GiB");
	tap_ok(!strcmp(fmt_human(n, 3342336), "3.2 MiB"),
	       "human: 3342336 = 3.2 MiB");
	tap_ok(!strcmp(fmt_human(n, 816), "816 B"), "human: 816 B");
	tap_ok(!strcmp(fmt_human(n, 256 * TIB), "256 TiB"), "human: 256 TiB");
	tap_ok(!strcmp(fmt_ratio(n, 0.734), "x 0.73"), "ratio: x 0.73");
	tap_ok(!strcmp(fmt_size(n, 4096, 1), "4096"), "--bytes: exact");
	tap_eq(mlpt_log2(4096), 12, "log2(4096) = 12");
}

/*
 * The ceiling, worked by hand on x86-64 4-level paging (4 KiB pages, 512
 * entries, a 4 KiB pgd) for three VMAs:
 *   A [0x400000, 0x401000)      one page, in 2 MiB window 2
 *   B [0x600000, 0xa00000)      2 MiB windows 3 and 4, both whole
 *   C [0x3ffff000, 0x80200000)  2 MiB windows 511..1024, 1 GiB windows 0..2
 * Every page touched: 1 pud table (all below 512 GiB), 3 pmd tables (1 GiB
 * windows 0, 1, 2), 1 + 2 + 514 = 517 pte tables: the pgd and 521 tables,
 * 522 x 4096 = 2138112 bytes.
 * 2 MiB pages where they fit: B's 2 whole windows and C's 513 (512 to
 * 1024: C ends on 0x80200000) need no pte table: 517 - 515 = 2 (windows 2
 * and 511), so (1 + 1 + 3 + 2) x 4096 = 28672.
 * 1 GiB pages too: C's 1 GiB window 1 is whole, so 3 - 1 = 2 pmd tables:
 * (1 + 1 + 2 + 2) x 4096 = 24576.
 */
static void model_ceiling(void)
{
	static const struct mlpt_vma v[] = {
		{ 0x400000, 0x401000, false },
		{ 0x600000, 0xa00000, false },
		{ 0x3ffff000, 0x80200000, false },
	};
	struct mlpt_cmp c[MLPT_NR_CMP];
	struct mlpt_report r;
	int i;

	memset(&r, 0, sizeof(r));
	r.va_bits = 48;
	r.paging_levels = 4;
	r.page_size = 4096;
	r.entry_bytes = 8;
	for (i = 0; i < MLPT_LEVELS; i++) {
		r.level[i].entries = 512;
		r.level[i].table_bytes = 4096;
	}
	r.level[MLPT_P4D].folded = true;
	r.vma = (struct mlpt_vma *)v;
	r.nr_vma = ARRAY_SIZE(v);
	mlpt_compare(&r, c);
	tap_eq(c[MLPT_CMP_CEILING].bytes, 2138112,
	       "ceiling: the pgd and 1 + 3 + 517 tables, 522 x 4 KiB");
	tap_eq(c[MLPT_CMP_CEILING_2M].bytes, 28672,
	       "ceiling, 2 MiB pages: 515 whole 2 MiB windows need no pte table");
	tap_eq(c[MLPT_CMP_CEILING_1G].bytes, 24576,
	       "ceiling, 1 GiB pages: one whole 1 GiB window needs no pmd table");
	r.vma = NULL;
	r.nr_vma = 0;
	mlpt_compare(&r, c);
	tap_ok(!c[MLPT_CMP_CEILING].valid && !c[MLPT_CMP_CEILING_1G].valid,
	       "ceiling: not applicable without the VMAs");
}

void test_model(void)
{
	model_ceiling();
	model_textbook();
	twolevel32();
	spans();
	model_segments();
	model_tree();
	too_big_for_32bit();
	units();
}
