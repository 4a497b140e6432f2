// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt waste: the `vmas-occupancy` columns parsed, the ranking and every
 * remedy of a report worked out by hand, and each output through a
 * parser that is not the tool's.
 *
 * The report is the layout of selftests/mlpt_occupancy.c (the guest
 * checks the module's columns for it) with a shared mapping added, in a
 * 4-level tree of 4 KiB tables, W = 2 MiB:
 *   A  4 MiB, 515 pages in two own pte tables (512 + 3)
 *   D  2 MiB, an empty pte table: its own, and its pmd table
 *   F  4 MiB of THP: two huge pmds, two deposits
 *   H  2 MiB of hugetlb: one huge pmd
 *   L  a page, mlock()ed;  X  a page of a private file
 *   S  2 MiB of a shared file, two pages in its own pte table
 * Each but A is alone in its 1 GiB (its pmd table is its own); A also
 * reached the slot's pud table first.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/waste.h"
#include "sources/vmas.h"
#include "views/wasteout.h"
#include "tap.h"

#define HEAD \
	"mlpt-format: 1\n" \
	"start end perms pud pmd pte leaf-bytes kind locked huge-pmd deposits " \
	"pte-tables pte-used pte-inner pte-inner-present pte-reclaim own-p4d " \
	"own-pud own-pmd own-pte occ-0 occ-1 occ-2-7 occ-8-63 occ-64-255 " \
	"occ-256-511 occ-512 name\n"

#define ROWS \
	"0x0000100000000000 0x0000100000400000 rw-p 1 1 2 2109440 anon 0 0 0 " \
	"2 2 2 515 2 0 0 0 2 0 0 1 0 0 0 1 -\n" \
	"0x0000100040000000 0x0000100040200000 rw-p 0 1 1 0 anon 0 0 0 " \
	"1 0 1 0 1 0 0 1 1 1 0 0 0 0 0 0 -\n" \
	"0x0000100080000000 0x0000100080400000 rw-p 0 1 0 4194304 anon 0 2 2 " \
	"0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 -\n" \
	"0x00001000c0000000 0x00001000c0200000 rw-p 0 1 0 2097152 hugetlb 0 1 0 " \
	"0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 /anon_hugepage (deleted)\n" \
	"0x0000100100000000 0x0000100100001000 rw-p 0 1 1 4096 anon 1 0 0 " \
	"1 1 0 0 1 0 0 1 1 0 1 0 0 0 0 0 -\n" \
	"0x0000100140000000 0x0000100140001000 r--p 0 1 1 4096 file 0 0 0 " \
	"1 1 0 0 1 0 0 1 1 0 1 0 0 0 0 0 /bin/x\n" \
	"0x0000100180000000 0x0000100180200000 rw-s 0 1 1 8192 file 0 0 0 " \
	"1 1 1 2 1 0 0 1 1 0 0 1 0 0 0 0 /dev/zero (deleted)\n"

/*
 * The summary of the same walk: 1 pud table with 7 entries, 7 pmd tables
 * (9 entries, 3 of them leaves: F's two, H's), 6 pte tables holding 519
 * pages; 6 + 7 + 1 tables and 2 deposits: 16 x 4096 = 65536 bytes.
 */
#define TAIL \
	"\npt-reclaim: %s\npid: 7\ncomm: t\npaging-levels: 4\nva-bits: 48\n" \
	"page-size: 4096\nentry-bytes: 8\nentries-per-table: 512\nvmas: 7\n" \
	"mapped-bytes: 23076864\nva-lowest: 0x100000000000\n" \
	"va-highest: 0x100180200000\nresident-bytes: 8417280\n" \
	"walk-pgtables-bytes: 65536\nkernel-pgtables-bytes: 65536\n" \
	"deposited-tables: 2\nwalk-ns: 1\n" \
	"\nlevel folded tables table-bytes present next leaf nonpresent empty-tables\n" \
	"pgd 0 1 4096 1 1 0 0 0\n" \
	"p4d 1 0 0 0 0 0 0 0\n" \
	"pud 0 1 4096 7 7 0 0 0\n" \
	"pmd 0 7 4096 9 6 3 0 0\n" \
	"pte 0 6 4096 519 0 519 0 1\n" \
	"\noccupancy 0 1 2-7 8-63 64-255 256-511 512\n" \
	"pgd 0 1 0 0 0 0 0\n" \
	"p4d 0 0 0 0 0 0 0\n" \
	"pud 0 0 1 0 0 0 0\n" \
	"pmd 0 5 2 0 0 0 0\n" \
	"pte 1 2 2 0 0 0 1\n"

#define W 2097152LL

/* the ranking: rows by start, in the order mlpt waste gives them */
static const unsigned long long rank_start[] = {
	0x100040000000ULL,	/* D: tables, nothing mapped */
	0x100100000000ULL,	/* L: 8192 for 4096, its start first */
	0x100140000000ULL,	/* X: the same */
	0x100180000000ULL,	/* S: 8192 for 8192 */
	0x100000000000ULL,	/* A: 16384 for 2109440 */
	0x100080000000ULL,	/* F: 12288 (a pmd table, 2 deposits) */
	0x1000c0000000ULL,	/* H: 4096 for 2 MiB */
};

/* per row in that order: table bytes, then each remedy's figures */
struct want {
	long long table_bytes;
	struct { int applies; long long freed, mapped; } r[MLPT_NR_REMEDIES];
	long long huge_pages;
};

/*
 * dontneed: deposits only (no CONFIG_PT_RECLAIM here); +pt_reclaim: and
 * pte-reclaim tables when the mapping is 2 MiB or more; munmap: own-
 * tables when nothing is mapped; thp: nothing freed, pte-inner windows
 * mapped whole; hugetlb: own-pte and deposits freed, each used window a
 * huge page.
 */
static const struct want want[] = {
	/* D */ { 8192, { { 1, 0, 0 }, { 1, 4096, 0 }, { 1, 8192, 0 },
			  { 1, 0, W }, { 1, 4096, 0 } }, 1 },
	/* L */ { 8192, { { 0 }, { 0 }, { 0 }, { 1, 0, 0 },
			  { 1, 4096, W - 4096 } }, 1 },
	/* X */ { 8192, { { 1, 0, -4096 }, { 1, 0, -4096 }, { 0 }, { 0 },
			  { 0 } }, 0 },
	/* S */ { 8192, { { 1, 0, -8192 }, { 1, 4096, -8192 }, { 0 }, { 0 },
			  { 1, 4096, W - 8192 } }, 1 },
	/* A */ { 16384, { { 1, 0, -2109440 }, { 1, 8192, -2109440 }, { 0 },
			   { 1, 0, 2 * W - 2109440 },
			   { 1, 8192, 2 * W - 2109440 } }, 2 },
	/* F */ { 12288, { { 1, 8192, -4194304 }, { 1, 8192, -4194304 },
			   { 0 }, { 1, 0, 0 }, { 1, 8192, 0 } }, 2 },
	/* H */ { 4096, { { 0 }, { 0 }, { 0 }, { 0 }, { 0 } }, 0 },
};

static int load(const char *reclaim, struct mlpt_vmas *v)
{
	char text[8192];
	struct mlpt_err e;
	int ret;

	snprintf(text, sizeof(text), HEAD ROWS TAIL, reclaim);
	ret = mlpt_vmas_parse(text, strlen(text), "test", v, &e);
	if (ret)
		printf("# %s\n", e.why);
	return ret;
}

static void model(void)
{
	struct mlpt_waste w;
	struct mlpt_vmas v;
	size_t i;
	int k;

	if (load("no", &v)) {
		tap_ok(false, "waste: the report parses");
		return;
	}
	tap_ok(v.pt_reclaim == 0 && v.n == 7 && v.row[0].has_occ &&
	       !strcmp(v.row[3].occ.kind, "hugetlb") && v.row[4].occ.locked &&
	       v.row[2].occ.huge_pmds == 2 && v.row[0].occ.occupancy[6] == 1 &&
	       v.row[0].occ.own[MLPT_PTE] == 2 &&
	       v.row[1].occ.own[MLPT_PMD] == 1,
	       "waste: the occupancy columns are read by name");
	tap_ok(!mlpt_waste_build(&w, &v), "waste: built");
	tap_eq(w.table_bytes, 65536, "waste: the rows' table bytes add up to walk-pgtables-bytes");
	tap_eq(w.empty, 1, "waste: empty pte tables, from the summary");
	tap_eq(w.sparse, 4, "waste: pte tables of 1 to 7 entries");
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct mlpt_waste_row *x = &w.row[i];
		bool same = x->row->start == rank_start[i] &&
			    (long long)x->table_bytes == want[i].table_bytes &&
			    (long long)x->hugetlb_pages == want[i].huge_pages;

		for (k = 0; k < MLPT_NR_REMEDIES; k++) {
			const struct mlpt_remedy *m = &x->remedy[k];

			same &= m->applies == want[i].r[k].applies;
			if (m->applies)
				same &= (long long)m->tables_freed == want[i].r[k].freed &&
					m->mapped_delta == want[i].r[k].mapped;
		}
		tap_ok(same, "waste: rank %zu is 0x%llx, its remedies as worked out",
		       i + 1, rank_start[i]);
	}
	tap_ok(isinf(mlpt_waste_ratio(&w.row[0])) &&
	       mlpt_waste_ratio(&w.row[1]) == 2.0,
	       "waste: ratio infinite with nothing mapped, 2 for 8192 on 4096");
	mlpt_waste_free(&w);
	mlpt_vmas_free(&v);

	/* with CONFIG_PT_RECLAIM, dontneed is the +pt_reclaim figure */
	if (!load("yes", &v) && !mlpt_waste_build(&w, &v)) {
		tap_ok(v.pt_reclaim == 1 &&
		       w.row[4].remedy[MLPT_REMEDY_DONTNEED].tables_freed == 8192 &&
		       w.row[0].remedy[MLPT_REMEDY_DONTNEED].tables_freed == 4096,
		       "waste: a pt-reclaim kernel frees the tables DONTNEED empties");
		mlpt_waste_free(&w);
		mlpt_vmas_free(&v);
	}
}

/* each format through a parser that is not the tool's, and the text */
static void outputs(void)
{
	static const char head[] =
		"pid 7 (t): page tables 65536 for 8417280 mapped\n";
	static const char ptes[] =
		"pte tables: 6, 1 of them empty (4096), 4 with 1 to 7 entries (16384)\n";
	/* D's remedies, then L's: mlock()ed, no DONTNEED */
	static const char rank1[] =
		"  1  0 / 0                 4096 / 0              8192 / 0";
	static const char rank2[] =
		"  2  n/a                   n/a                   n/a        ";
	static const char rank2_end[] = "0 / 0                 4096 / +2093056\n";
	static const char munmap[] =
		"\"munmap\": {\"applies\": true, \"tables_freed\": 8192, \"mapped_delta\": 0}";
	static const enum mlpt_fmt fmts[] = { MLPT_FMT_JSON, MLPT_FMT_CSV,
					      MLPT_FMT_PROM };
	struct mlpt_waste w;
	struct mlpt_vmas v;
	struct buf out = { 0 };
	size_t i;

	if (load("no", &v) || mlpt_waste_build(&w, &v))
		return;
	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		struct mlpt_out o = { .fmt = fmts[i] };
		const char *err;

		out.len = 0;
		mlpt_waste_out(&out, &o, &w, 100);
		err = parsed_elsewhere(fmts[i], out.s, out.len);
		tap_ok(!err, "waste output accepted: %s%s%s", fmt_name[fmts[i]],
		       err ? ": " : "", err ? err : "");
	}
	out.len = 0;
	mlpt_waste_out(&out, &(struct mlpt_out){ .bytes = true }, &w, 2);
	tap_ok(strstr(out.s, head) && strstr(out.s, ptes) &&
	       strstr(out.s, "(2 of 7)") && strstr(out.s, rank1) &&
	       strstr(out.s, rank2) && strstr(out.s, rank2_end) &&
	       !strstr(out.s, "\n  3 "),
	       "waste: text, --top 2, --bytes");
	out.len = 0;
	mlpt_waste_out(&out, &(struct mlpt_out){ .fmt = MLPT_FMT_JSON }, &w, 1);
	tap_ok(strstr(out.s, "\"ratio\": null") && strstr(out.s, munmap) &&
	       strstr(out.s, "\"mappings_total\": 7"),
	       "waste: JSON of the first mapping");
	buf_free(&out);
	mlpt_waste_free(&w);
	mlpt_vmas_free(&v);
}

void test_waste(void)
{
	model();
	outputs();
}
